// The import job's page follows the background job: progress, status, then a reload when done.
// The status URL comes from the page (data-status-url), so the script stays a static file.
(function () {
  "use strict";
  var bar = document.getElementById("job-progress");
  var url = bar && bar.getAttribute("data-status-url");
  if (!url) { return; }
  var label = document.getElementById("job-percent");
  var status = document.getElementById("job-status");
  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (s) {
        bar.value = s.percent;
        label.textContent = s.percent + "%";
        status.textContent = s.status_display;
        if (s.running) { setTimeout(poll, 1000); } else { window.location.reload(); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
