// One mechanism for every table on a phone. A list table of more than three columns reads as
// one card per row below 600 px: each cell on its own line, prefixed by its column's heading
// (copied here from the table's <thead> into data-label, so no template repeats it). A table
// without a heading whose rows hold more than three cells (a strip of figures) wraps its cells
// instead. Narrow tables (three columns or fewer) stay tables. The CSS in zhenxing.css does the
// layout; without this script the tables keep their desktop layout inside a scrolling frame.
(function () {
  var MAX_TABLE_COLUMNS = 3;

  function headings(table) {
    var head = table.tHead;
    if (!head || !head.rows.length) return null;
    var names = [];
    var cells = head.rows[head.rows.length - 1].cells;
    for (var i = 0; i < cells.length; i++) {
      for (var k = 0; k < cells[i].colSpan; k++) names.push(cells[i].textContent.trim());
    }
    return names;
  }

  function widest(table) {
    var most = 0;
    for (var i = 0; i < table.rows.length; i++) most = Math.max(most, table.rows[i].cells.length);
    return most;
  }

  function prepare(table) {
    if (table.hasAttribute("data-phone")) return;
    var names = headings(table);
    if (names === null) {
      table.setAttribute("data-phone", widest(table) > MAX_TABLE_COLUMNS ? "flow" : "table");
      return;
    }
    if (names.length <= MAX_TABLE_COLUMNS) {
      table.setAttribute("data-phone", "table");
      return;
    }
    table.setAttribute("data-phone", "cards");
    var groups = Array.prototype.slice.call(table.tBodies);
    if (table.tFoot) groups.push(table.tFoot);
    groups.forEach(function (group) {
      for (var r = 0; r < group.rows.length; r++) {
        var column = 0;
        var cells = group.rows[r].cells;
        for (var c = 0; c < cells.length; c++) {
          var cell = cells[c];
          if (cell.colSpan === 1 && names[column] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", names[column]);
          }
          column += cell.colSpan;
        }
      }
    });
  }

  function prepareAll(root) {
    var tables = root.querySelectorAll ? root.querySelectorAll("main table") : [];
    for (var i = 0; i < tables.length; i++) prepare(tables[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { prepareAll(document); });
  } else {
    prepareAll(document);
  }
  // Tables htmx swaps in (search results, panels) get the same treatment.
  document.addEventListener("htmx:afterSettle", function () { prepareAll(document); });
})();
