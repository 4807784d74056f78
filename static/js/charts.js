// Draws every chart of the page from its figure JSON, embedded in a <script type="application/json"> block.
(function () {
  "use strict";
  var config = {
    responsive: true,
    displaylogo: false,
    modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"]
  };
  document.querySelectorAll("script.chart-data").forEach(function (block) {
    var figure = JSON.parse(block.textContent);
    var target = document.getElementById(block.dataset.chart);
    var options = Object.assign({}, config, {toImageButtonOptions: {filename: block.dataset.filename}});
    window.Plotly.newPlot(target, figure.data, figure.layout, options);
  });
})();
