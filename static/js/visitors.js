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

    // A market cell's names as a sheet may write them: its code (KR) and its label in the page (韓国).
    var byName = {};
    cells.forEach(function (cell) {
      byName[cell.dataset.market.toLowerCase()] = cell;
      var label = form.querySelector("label[for='" + cell.id + "']");
      if (label) { byName[label.textContent.replace(/\s*\([A-Z]{2}\)\s*$/, "").trim().toLowerCase()] = cell; }
    });

    function paste(event) {
      var text = (event.clipboardData || window.clipboardData).getData("text");
      if (!/[\t\r\n]/.test(text)) { return; }
      event.preventDefault();
      var rows = text.replace(/\r/g, "").replace(/\n$/, "").split("\n").map(function (line) {
        return line.split("\t").map(function (value) { return value.trim(); });
      });
      var labelled = rows.every(function (row) { return row.length > 1 && byName[row[0].toLowerCase()]; });
      if (labelled) {
        // market and figure side by side: each figure goes to its market's cell, whatever the order
        rows.forEach(function (row) { byName[row[0].toLowerCase()].value = row[row.length - 1]; });
      } else {
        // a bare range (a column, or a row): its values from this cell downwards
        var values = [].concat.apply([], rows);
        var start = cells.indexOf(event.target);
        values.forEach(function (value, offset) {
          if (start + offset < cells.length) { cells[start + offset].value = value; }
        });
      }
      refresh();
    }

    // as in a spreadsheet column: the arrow keys move to the market above or below
    function move(event) {
      var step = {ArrowDown: 1, ArrowUp: -1}[event.key];
      var next = step && cells[cells.indexOf(event.target) + step];
      if (next) {
        event.preventDefault();
        next.focus();
        next.select();
      }
    }

    cells.forEach(function (cell) {
      cell.addEventListener("input", refresh);
      cell.addEventListener("paste", paste);
      cell.addEventListener("keydown", move);
    });
    refresh();
  }

  var grid = document.getElementById("visitor-grid");
  if (grid) { setUpGrid(grid); }
})();
