// A click on a prefecture of the map opens its view: this page again with the map's drill argument (`area`) set to
// the prefecture's code. Runs after charts.js has drawn the map.
(function () {
  "use strict";
  document.querySelectorAll(".map[data-drill]").forEach(function (map) {
    map.on("plotly_click", function (event) {
      var point = event.points && event.points[0];
      if (!point || !point.location) {
        return;
      }
      var url = new URL(window.location.href);
      url.searchParams.set(map.dataset.drill, point.location);
      url.hash = "map";
      window.location.assign(url.toString());
    });
  });
})();
