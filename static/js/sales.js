// The month's sales form: a product's default unit for a new line, and more lines on demand.
(function () {
  "use strict";

  function setUpForm(form) {
    var units = JSON.parse(form.dataset.defaultUnits || "{}");
    var body = form.querySelector("table.sales tbody");

    // when a line's product is chosen or its quantity typed; a unit the user chose is never replaced
    function prefillUnit(event) {
      if (!/^rows-\d+-(product|quantity)$/.test(event.target.name)) { return; }
      var line = event.target.closest("tr");
      var product = line.querySelector("select[name$='-product']");
      var unit = line.querySelector("select[name$='-unit']");
      if (product && unit && !unit.value && units[product.value]) { unit.value = units[product.value]; }
    }

    function addLine() {
      var rows = body.querySelectorAll("tr");
      var last = rows[rows.length - 1];
      var line = last.cloneNode(true);
      var index = rows.length;
      line.classList.remove("has-error");
      line.querySelectorAll("p.error").forEach(function (message) { message.remove(); });
      line.querySelectorAll("input, select").forEach(function (field) {
        field.name = field.name.replace(/^rows-\d+-/, "rows-" + index + "-");
        field.id = field.name;
        if (field.tagName === "SELECT") {
          field.selectedIndex = field.name.slice(-5) === "-unit" ? 0 : last.querySelector("select").selectedIndex;
        } else {
          field.value = "";
        }
      });
      line.querySelector("td.last-year").textContent = "–";
      body.appendChild(line);
      line.querySelector("input[name$='-destination']").focus();
    }

    form.addEventListener("change", prefillUnit);
    var button = document.getElementById("add-sale-line");
    if (button && body) {
      button.hidden = false;
      button.addEventListener("click", addLine);
    }
  }

  var form = document.getElementById("sales-form");
  if (form) { setUpForm(form); }
})();
