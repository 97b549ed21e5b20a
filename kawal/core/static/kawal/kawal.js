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

// A <select data-autosubmit> sends its form as soon as a choice is made (month, venue pickers).
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.hasAttribute && field.hasAttribute("data-autosubmit") && field.form) {
    field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
  }
});
