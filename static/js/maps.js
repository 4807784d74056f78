// A click on a prefecture of the map opens its view: this page again with the map's drill argument (`area`) set to
// the prefecture's code. plotly's events can be listened to once charts.js has drawn the map.
(function () {
  "use strict";
  document.querySelectorAll(".map[data-drill]").forEach(function (map) {
    map.addEventListener("chart:drawn", function () {
      map.on("plotly_click", open);
    }, {once: true});
    function open(event) {
      var point = event.points && event.points[0];
      if (!point || !point.location) {
        return;
      }
      var url = new URL(window.location.href);
      url.searchParams.set(map.dataset.drill, point.location);
      url.hash = "map";
      window.location.assign(url.toString());
    }
  });
})();
