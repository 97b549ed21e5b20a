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

// Lists on a phone (.table-wrap.cards, styled in kawal.css): each cell is labelled by its column.
// A cell without data-label takes its column's <th> text (colspan counted), so templates need not
// repeat every header; a cell spanning the whole row (an empty-list message) stays unlabelled.
// A row without a .card-title cell has its first cell as title; a cell whose column header is
// empty and that holds links or buttons is the row's action (.card-action: full-width buttons).
function labelCards(root) {
  var scope = root && root.querySelectorAll ? root : document;
  var tables = [];
  var around = scope.closest && scope.closest(".cards > table");  // rows swapped into a table
  if (around) { tables.push(around); }
  scope.querySelectorAll(".cards > table").forEach(function (table) { tables.push(table); });
  tables.forEach(function (table) {
    var headers = [];
    var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (head) {
      Array.prototype.forEach.call(head.cells, function (th) {
        var span = th.colSpan || 1;
        for (var i = 0; i < span; i++) { headers.push(th.textContent.replace(/\s+/g, " ").trim()); }
      });
    }
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        var hasTitle = row.querySelector(":scope > .card-title");
        Array.prototype.forEach.call(row.cells, function (cell, index) {
          var span = cell.colSpan || 1;
          var label = headers[column] || "";
          column += span;
          if (span >= headers.length && headers.length > 1) { cell.classList.add("card-wide"); return; }
          if (!hasTitle && index === 0) { cell.classList.add("card-title"); return; }
          if (cell.matches(".card-title, .card-action, [data-label]")) { return; }
          if (label) { cell.setAttribute("data-label", label); }
          else if (cell.querySelector("a, button")) { cell.classList.add("card-action"); }
        });
      });
    });
  });
}
document.addEventListener("DOMContentLoaded", function () { labelCards(document); });
document.addEventListener("htmx:load", function (event) { labelCards(event.target); });
