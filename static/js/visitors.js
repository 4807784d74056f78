// The visitor grid: its live total and spreadsheet paste.
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

  var grid = document.getElementById("visitor-grid");
  if (grid) { setUpGrid(grid); }
})();
