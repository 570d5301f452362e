/* Draws the server-built plotly charts (JSON in #page-charts) into [data-chart] elements,
   and makes tables marked data-sortable sortable by clicking their headers. No external requests. */
(function () {
  "use strict";
  var source = document.getElementById("page-charts");
  var charts = source ? JSON.parse(source.textContent) : {};
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var chart = charts[el.dataset.chart];
    if (!chart || typeof Plotly === "undefined") { return; }
    if (!el.hasAttribute("data-no-table")) { addDataTable(el, chart); }
    var config = Object.assign({responsive: true, displaylogo: false}, chart.config || {});
    Plotly.newPlot(el, chart.data, chart.layout, config).then(function () {
      // The tool bar is for the mouse; keyboard users get the table below instead of a dozen tab stops.
      el.querySelectorAll(".modebar-btn").forEach(function (button) { button.setAttribute("tabindex", "-1"); });
    });
    el.dataset.rendered = "true";
  });

  // A table of what a bar or line chart shows (x, then one column per named trace), folded under the chart:
  // the chart's text alternative (WCAG 1.1.1) and a way to read exact values on a phone.
  function addDataTable(el, chart) {
    var traces = chart.data.filter(function (t) { return (t.type === "bar" || t.type === "scatter") && t.x && t.y; });
    if (!traces.length) { return; }
    var rows = [];
    var seen = {};
    traces.forEach(function (t) {
      t.x.forEach(function (x) { if (x !== null && !seen[x]) { seen[x] = true; rows.push(x); } });
    });
    var details = document.createElement("details");
    details.className = "chart-table";
    var summary = document.createElement("summary");
    var title = chart.layout && chart.layout.title && chart.layout.title.text;
    summary.textContent = (document.body.dataset.chartTableLabel || "") + (title ? " · " + title : "");
    details.appendChild(summary);
    var box = document.createElement("div");
    box.className = "table-scroll";
    var table = document.createElement("table");
    table.className = "data";
    var head = table.createTHead().insertRow();
    var axis = chart.layout && chart.layout.xaxis && chart.layout.xaxis.title && chart.layout.xaxis.title.text;
    [axis || ""].concat(traces.map(function (t) { return t.name || ""; })).forEach(function (text) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = text;
      head.appendChild(th);
    });
    var body = table.createTBody();
    rows.forEach(function (x) {
      var row = body.insertRow();
      var th = document.createElement("th");
      th.scope = "row";
      th.textContent = x;
      row.appendChild(th);
      traces.forEach(function (t) {
        var index = t.x.indexOf(x);
        var value = index >= 0 ? t.y[index] : null;
        row.insertCell().textContent = value === null || value === undefined ? "—" : value;
      });
    });
    box.appendChild(table);
    details.appendChild(box);
    // The chart and its table share one cell, so in a grid of charts the table folds under its own chart
    // instead of taking the next cell.
    var cell = document.createElement("div");
    cell.className = "chart-cell";
    el.parentNode.insertBefore(cell, el);
    cell.appendChild(el);
    cell.appendChild(details);
  }

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
