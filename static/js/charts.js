// Draws every chart of the page from its figure JSON, embedded in a <script type="application/json"> block.
(function () {
  "use strict";
  // plotly.js knows only English: the page sends the toolbar's texts in its language (#chart-toolbar).
  var language = document.documentElement.lang || "en";
  var toolbar = document.getElementById("chart-toolbar");
  if (toolbar) {
    window.Plotly.register({moduleType: "locale", name: language, dictionary: JSON.parse(toolbar.textContent)});
  }
  var config = {
    responsive: true,
    displaylogo: false,
    locale: language,
    // "Share chart..." posts the figure to a plotly server: the tracker has none, and its figures stay with it.
    showSendToCloud: false,
    modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"]
  };
  document.querySelectorAll("script.chart-data").forEach(function (block) {
    var figure = JSON.parse(block.textContent);
    var target = document.getElementById(block.dataset.chart);
    var options = Object.assign({}, config, {toImageButtonOptions: {filename: block.dataset.filename}});
    if (block.dataset.topojson) {
      // maps: plotly loads a topojson even with every base layer hidden, from the app rather than plotly's CDN
      options.topojsonURL = block.dataset.topojson;
    }
    window.Plotly.newPlot(target, figure.data, figure.layout, options);
  });
})();
