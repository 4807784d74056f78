// Upload pages and a job's page: the file's bytes sent, then its import job followed (waiting, checking, saving)
// until its report comes into the page (see tracker/imports/uploads.py). Without this script the form posts
// normally and the job's page reloads itself until the import ends.
(function () {
  "use strict";

  var POLL_MS = 1000;

  function progressView(root) {
    var bar = root.querySelector("#upload-progress");
    var status = root.querySelector("#upload-status");
    return {
      status: status,
      show: function (fraction, label) {
        bar.hidden = false;
        if (fraction === null) { bar.removeAttribute("value"); } else { bar.value = Math.round(100 * fraction); }
        status.textContent = label + (fraction === null ? "" : " " + Math.round(100 * fraction) + "%");
      },
      done: function (text) {
        bar.hidden = true;
        status.textContent = text || "";
      }
    };
  }

  function getJSON(url, onload, onerror) {
    var request = new XMLHttpRequest();
    request.open("GET", url);
    request.setRequestHeader("Accept", "application/json");
    request.addEventListener("load", function () {
      if (request.status !== 200) { onerror(); return; }
      onload(JSON.parse(request.responseText));
    });
    request.addEventListener("error", onerror);
    request.send();
  }

  // polls the job's JSON (GET /api/v1/jobs/ID) until it is done or failed, then calls finished()
  function follow(view, statusUrl, finished) {
    var labels = view.status.dataset;
    function failed() { view.done(labels.failed); }
    function poll() {
      getJSON(statusUrl, function (job) {
        if (job.status === "done" || job.status === "failed") { finished(); return; }
        if (job.status === "queued") {
          view.show(null, labels.queued);
        } else if (job.progress !== null && job.progress >= 1) {
          // the whole file read and checked: what remains is the database's work, of no known length
          view.show(null, labels.saving);
        } else {
          view.show(job.progress, labels.checking);
        }
        window.setTimeout(poll, POLL_MS);
      }, failed);
    }
    poll();
  }

  function showReport(view, reportUrl, area) {
    var request = new XMLHttpRequest();
    request.open("GET", reportUrl);
    request.addEventListener("load", function () {
      if (request.status !== 200) { view.done(view.status.dataset.failed); return; }
      view.done("");
      area.innerHTML = request.responseText;
    });
    request.addEventListener("error", function () { view.done(view.status.dataset.failed); });
    request.send();
  }

  function setUpUpload(form) {
    var view = progressView(form);
    var area = document.getElementById("report-area");

    form.addEventListener("submit", function (event) {
      if (!window.XMLHttpRequest || !window.FormData) { return; }
      event.preventDefault();
      var request = new XMLHttpRequest();
      request.open("POST", form.action || window.location.href);
      request.setRequestHeader("X-Requested-With", "fetch");
      area.innerHTML = "";
      view.show(0, view.status.dataset.uploading);
      request.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) { view.show(e.loaded / e.total, view.status.dataset.uploading); }
      });
      request.upload.addEventListener("load", function () { view.show(null, view.status.dataset.queued); });
      request.addEventListener("load", function () {
        // anything but a queued job (a refused form, an error page): let the browser show the page itself
        if (request.status !== 202) { view.done(""); form.submit(); return; }
        var job = JSON.parse(request.responseText);
        follow(view, job.status, function () { showReport(view, job.report, area); });
      });
      request.addEventListener("error", function () { view.done(""); form.submit(); });
      request.send(new FormData(form));
    });
  }

  function setUpJobPage(element) {
    follow(progressView(element), element.dataset.status, function () { window.location.reload(); });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form.streamed-upload"), setUpUpload);
  Array.prototype.forEach.call(document.querySelectorAll(".job-follow"), setUpJobPage);
})();
