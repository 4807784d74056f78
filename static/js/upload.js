// Upload pages: the file's bytes sent, then the server's progress in checking it, then the report in the page
// (see tracker/imports/uploads.py). Without this script the form posts normally.
(function () {
  "use strict";

  function setUpUpload(form) {
    var bar = document.getElementById("upload-progress");
    var status = document.getElementById("upload-status");
    var area = document.getElementById("report-area");
    var uploading = status.dataset.uploading;
    var checking = status.dataset.checking;
    var saving = status.dataset.saving || checking;

    function show(fraction, label) {
      bar.hidden = false;
      if (fraction === null) { bar.removeAttribute("value"); } else { bar.value = Math.round(100 * fraction); }
      status.textContent = label + (fraction === null ? "" : " " + Math.round(100 * fraction) + "%");
    }

    // the answer is JSON lines: {"progress": 0.4} while the file is checked, {"progress": 1} once it is being
    // saved, then {"report": "<section>"}
    function handle(line) {
      var event = JSON.parse(line);
      if ("progress" in event) {
        // the whole file read and checked: what remains is the database's work, of no known length
        if (event.progress !== null && event.progress >= 1) { show(null, saving); } else { show(event.progress, checking); }
        return;
      }
      bar.hidden = true;
      status.textContent = event.error || "";
      if (event.report) { area.innerHTML = event.report; }
    }

    form.addEventListener("submit", function (event) {
      if (!window.XMLHttpRequest || !window.FormData) { return; }
      event.preventDefault();
      var request = new XMLHttpRequest();
      var seen = 0;
      request.open("POST", form.action || window.location.href);
      request.setRequestHeader("X-Requested-With", "fetch");
      show(0, uploading);
      request.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) { show(e.loaded / e.total, uploading); }
      });
      request.upload.addEventListener("load", function () { show(null, checking); });

      function consume() {
        var text = request.responseText;
        var end = text.lastIndexOf("\n");
        if (end < seen) { return; }
        text.slice(seen, end).split("\n").forEach(function (line) { if (line) { handle(line); } });
        seen = end + 1;
      }
      request.addEventListener("progress", consume);
      request.addEventListener("load", function () {
        if (request.status !== 200) { bar.hidden = true; form.submit(); return; }
        consume();
      });
      request.addEventListener("error", function () { bar.hidden = true; form.submit(); });
      request.send(new FormData(form));
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form.streamed-upload"), setUpUpload);
})();
