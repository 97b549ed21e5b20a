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

// The menu's drop-down groups (<details>): one open at a time; a click elsewhere or Escape
// closes them. Without this script they still open and close by themselves.
function closeMenus(except) {
  document.querySelectorAll(".menu details[open]").forEach(function (open) {
    if (open !== except && !open.contains(except)) { open.removeAttribute("open"); }
  });
}
document.addEventListener("toggle", function (event) {
  var opened = event.target;
  if (opened.matches && opened.matches(".menu details") && opened.open) { closeMenus(opened); }
}, true);
document.addEventListener("click", function (event) {
  if (!event.target.closest || !event.target.closest(".menu details")) { closeMenus(null); }
});
document.addEventListener("keydown", function (event) {
  if (event.key === "Escape") { closeMenus(null); }
});
