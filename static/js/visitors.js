// Visitor pages: the grid's live total and spreadsheet paste, and the upload's progress.
(function () {
  "use strict";

  function toNumber(text) {
    // full-width digits and separators, as typed with a Japanese input method
    var plain = text.replace(/[０-９]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xfee0); })
      .replace(/[,，\s]/g, "");
    return /^\d+$/.test(plain) ? parseInt(plain, 10) : null;
  }

  function setUpGrid(form) {
    var cells = Array.prototype.slice.call(form.querySelectorAll("input.grid-cell"));
    var total = document.getElementById("grid-total");
    var format = new Intl.NumberFormat(document.documentElement.lang || "ja");

    function refresh() {
      var sum = 0;
      cells.forEach(function (cell) {
        var value = toNumber(cell.value);
        cell.classList.toggle("invalid", cell.value.trim() !== "" && value === null);
        if (value !== null) { sum += value; }
      });
      total.textContent = format.format(sum);
    }

    function paste(event) {
      var text = (event.clipboardData || window.clipboardData).getData("text");
      if (!/[\t\r\n]/.test(text)) { return; }
      event.preventDefault();
      // a copied range: one value per line (or per tab), filled from this cell downwards
      var values = text.replace(/\r/g, "").replace(/\n$/, "").split(/[\n\t]/);
      var start = cells.indexOf(event.target);
      values.forEach(function (value, offset) {
        if (start + offset < cells.length) { cells[start + offset].value = value.trim(); }
      });
      refresh();
    }

    cells.forEach(function (cell) {
      cell.addEventListener("input", refresh);
      cell.addEventListener("paste", paste);
    });
    refresh();
  }

  function setUpUpload(form) {
    var bar = document.getElementById("upload-progress");
    var status = document.getElementById("upload-status");
    var area = document.getElementById("report-area");
    var uploading = status.dataset.uploading;
    var checking = status.dataset.checking;

    function show(fraction, label) {
      bar.hidden = false;
      if (fraction === null) { bar.removeAttribute("value"); } else { bar.value = Math.round(100 * fraction); }
      status.textContent = label + (fraction === null ? "" : " " + Math.round(100 * fraction) + "%");
    }

    // the answer is JSON lines: {"progress": 0.4} while the file is checked, then {"report": "<section>"}
    function handle(line) {
      var event = JSON.parse(line);
      if ("progress" in event) { show(event.progress, checking); return; }
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

  var grid = document.getElementById("visitor-grid");
  if (grid) { setUpGrid(grid); }
  var upload = document.getElementById("visitor-upload");
  if (upload) { setUpUpload(upload); }
})();
