// Live progress of an ingest run: polls the run's JSON progress endpoint until the run has finished,
// then reloads the page once so the final counts and rejected rows are shown. Plain JS, no library.
(function () {
  "use strict";
  var box = document.getElementById("ingest-progress");
  if (!box || box.dataset.finished === "true") { return; }
  var url = box.dataset.progressUrl;
  var bar = box.querySelector("progress");

  function show(data) {
    bar.value = data.percent;
    ["state_label", "percent", "done", "total", "error", "read", "stored", "updated", "unchanged", "rejected"].forEach(function (key) {
      document.querySelectorAll('[data-field="' + key + '"]').forEach(function (node) {
        node.textContent = data[key];
      });
    });
    var phase = box.querySelector('[data-field="phase"]');
    if (phase) {
      phase.textContent = (!data.finished && data.total > 0 && data.done >= data.total) ? box.dataset.writingLabel : "";
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) {
        show(data);
        if (data.finished) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  poll();
})();
