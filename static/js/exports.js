// Export pages: the upload's progress (the file's bytes sent, then "checking" until the report arrives).
(function () {
  "use strict";

  function setUpUpload(form) {
    var bar = document.getElementById("upload-progress");
    var status = document.getElementById("upload-status");
    var area = document.getElementById("report-area");
    form.addEventListener("submit", function (event) {
      if (!window.XMLHttpRequest || !window.FormData) { return; }
      event.preventDefault();
      var request = new XMLHttpRequest();
      request.open("POST", form.action || window.location.href);
      request.setRequestHeader("X-Requested-With", "fetch");
      bar.hidden = false;
      bar.value = 0;
      request.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) { bar.value = Math.round(100 * e.loaded / e.total); }
      });
      request.upload.addEventListener("load", function () {
        bar.removeAttribute("value");
        status.textContent = status.dataset.checking || "…";
      });
      request.addEventListener("load", function () {
        bar.hidden = true;
        status.textContent = "";
        area.innerHTML = request.responseText;
      });
      request.addEventListener("error", function () {
        bar.hidden = true;
        form.submit();
      });
      request.send(new FormData(form));
    });
  }

  var upload = document.getElementById("export-upload");
  if (upload) { setUpUpload(upload); }
})();
