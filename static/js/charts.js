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
  // Below this width (a phone) a chart grows by its legend's rows under the plot (names in full, one a row), and
  // draws fewer date ticks, with room for tilted labels, so that they are neither cut ("2...") nor covered.
  var NARROW = 600;
  function narrow(figure, width) {
    var layout = figure.layout;
    if (width >= NARROW || layout.geo) {
      return layout;
    }
    var entries = figure.data.filter(function (trace) { return trace.showlegend !== false; }).length;
    var rows = layout.showlegend === false || entries < 2 ? 0 : entries;
    var legend = Object.assign({}, layout.legend, {font: {size: 11}});
    var shaped = Object.assign({}, layout, {
      legend: legend,
      height: (layout.height || 450) + rows * 20,
      margin: Object.assign({}, layout.margin, {l: 40, r: 10})
    });
    ["xaxis", "yaxis", "yaxis2"].forEach(function (name) {
      if (layout[name]) {
        shaped[name] = Object.assign({}, layout[name], {automargin: true});
        if (layout[name].type === "date") {
          shaped[name].nticks = 4;
        }
      }
    });
    return shaped;
  }
  document.querySelectorAll("script.chart-data").forEach(function (block) {
    var figure = JSON.parse(block.textContent);
    var target = document.getElementById(block.dataset.chart);
    figure.layout = narrow(figure, target.clientWidth);
    var options = Object.assign({}, config, {toImageButtonOptions: {filename: block.dataset.filename}});
    if (block.dataset.topojson) {
      // maps: plotly loads a topojson even with every base layer hidden, from the app rather than plotly's CDN
      options.topojsonURL = block.dataset.topojson;
    }
    window.Plotly.newPlot(target, figure.data, figure.layout, options);
  });
})();
