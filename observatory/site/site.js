// Sorts a results table in place when a column title is chosen. The site
// works without it: the titles of the home page link to pre-rendered
// sorted pages, and other tables are simply not sorted.
(function () {
  "use strict";
  function key(cell, type) {
    if (!cell) return "";
    if (type === "num") return parseFloat(cell.getAttribute("data-sort") || "0");
    return cell.textContent.trim().toLocaleLowerCase("fr");
  }
  function sort(table, col, type, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var desc = th.getAttribute("aria-sort") !== "descending" && type === "num" ||
      th.getAttribute("aria-sort") === "ascending";
    rows.sort(function (a, b) {
      var x = key(a.cells[col], type), y = key(b.cells[col], type);
      var c = type === "num" ? x - y : x.localeCompare(y, "fr");
      return desc ? -c : c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", desc ? "descending" : "ascending");
  }
  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    if (!table.tHead || !table.tBodies.length) return;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      var type = th.getAttribute("data-type");
      if (!type) return;
      var control = th.querySelector("a");
      if (!control) {
        control = document.createElement("button");
        control.type = "button";
        control.className = "sort";
        control.textContent = th.textContent;
        th.textContent = "";
        th.appendChild(control);
      }
      control.addEventListener("click", function (ev) {
        ev.preventDefault();
        sort(table, col, type, th);
      });
    });
  });
})();
