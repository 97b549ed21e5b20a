// Shared behaviour of every page (no inline scripts, so a strict Content-Security-Policy holds).
// A form marked data-confirm="…" asks before it is sent: deletions never happen on one click.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);
