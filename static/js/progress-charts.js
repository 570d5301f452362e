/* Draws the server-built plotly figures (JSON in #progress-figures) into [data-chart] elements,
   and makes tables marked data-sortable sortable by clicking their headers. No external requests. */
(function () {
  "use strict";
  var source = document.getElementById("progress-figures");
  var figures = source ? JSON.parse(source.textContent) : {};
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var figure = figures[el.dataset.chart];
    if (!figure || typeof Plotly === "undefined") { return; }
    var config = Object.assign({responsive: true, displaylogo: false}, figure.config || {});
    Plotly.newPlot(el, figure.data, figure.layout, config);
    el.dataset.rendered = "true";
  });

  // A cell without a figure ("—") is null: such rows stay at the bottom in either direction.
  function cellValue(row, index, kind) {
    var text = row.children[index].textContent.trim();
    if (kind === "number") {
      var n = parseFloat(text);
      return isNaN(n) ? null : n;
    }
    return text;
  }
  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    table.querySelectorAll("thead th").forEach(function (th, index) {
      th.tabIndex = 0;
      th.classList.add("sortable-header");
      function sort() {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("thead th").forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, index, th.dataset.sort), y = cellValue(b, index, th.dataset.sort);
          if (x === null || y === null) { return (x === null) - (y === null); }
          var order = x < y ? -1 : x > y ? 1 : 0;
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (event) { if (event.key === "Enter") { sort(); } });
    });
  });
})();
