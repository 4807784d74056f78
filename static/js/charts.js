// Draws every chart of the page from its figure JSON, embedded in a <script type="application/json"> block: those in
// the window first, then the others one a task, nearest first, so that the page paints and answers between them
// (drawing them all at once held the first screen back by their sum); a chart scrolled to meanwhile is drawn next. A
// drawn chart's element then receives a "chart:drawn" event (maps.js listens for it).
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
      height: layout.height + rows * 20,
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
  function draw(block) {
    var figure = JSON.parse(block.textContent);
    var target = document.getElementById(block.dataset.chart);
    figure.layout = narrow(figure, target.clientWidth);
    var options = Object.assign({}, config, {toImageButtonOptions: {filename: block.dataset.filename}});
    if (block.dataset.topojson) {
      // maps: plotly loads a topojson even with every base layer hidden, from the app rather than plotly's CDN
      options.topojsonURL = block.dataset.topojson;
    }
    return window.Plotly.newPlot(target, figure.data, figure.layout, options).then(function () {
      target.dispatchEvent(new CustomEvent("chart:drawn"));
    });
  }
  // how far a chart's place is from the window, in pixels: 0 for one in it
  function distance(block) {
    var box = document.getElementById(block.dataset.chart).getBoundingClientRect();
    return Math.max(0, box.top - window.innerHeight, -box.bottom);
  }
  var waiting = Array.prototype.slice.call(document.querySelectorAll("script.chart-data"));
  // the chart nearest the window next, the first of the page among equals; each finished (a map has its boundaries)
  // before the next begins, so that the window's charts are whole first
  function drawNext() {
    var distances = waiting.map(distance);
    var nearest = distances.indexOf(Math.min.apply(null, distances));
    draw(waiting.splice(nearest, 1)[0]).finally(function () {
      if (waiting.length) {
        setTimeout(drawNext, 0);
      }
    });
  }
  if (waiting.length) {
    // once the page's other deferred scripts (maps.js) have run: they listen before the first chart is drawn
    document.addEventListener("DOMContentLoaded", drawNext, {once: true});
  }
})();
