// Region map: our own polygons first (they need no internet), tiles only when reachable.
(function () {
  var el = document.getElementById("map");
  if (!el || !window.L) return;
  var status = document.getElementById("map-status");
  var map = L.map(el, { preferCanvas: true });
  var tiles = L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: "© OpenStreetMap" });
  tiles.once("tileerror", function () { map.removeLayer(tiles); });
  tiles.addTo(map);
  var detailUrl = function (code) { return el.dataset.detail.replace("00", code); };
  var layers = [];

  function show(url, drill) {
    status.textContent = "…";
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
      layers.forEach(function (l) { map.removeLayer(l); });
      var layer = L.geoJSON(data, {
        style: { color: "#b3261e", weight: 1, fillOpacity: 0.12 },
        onEachFeature: function (f, l) {
          var p = f.properties;
          l.bindTooltip(p.name);
          l.on("click", function () {
            if (drill && p.level < 4) {
              show(el.dataset.url.replace(el.dataset.region, p.code), true);
            } else {
              l.bindPopup('<a href="' + detailUrl(p.code) + '">' + p.name + "</a><br>" + p.kind + " · " + p.code).openPopup();
            }
          });
        }
      }).addTo(map);
      layers = [layer];
      if (data.features.length) map.fitBounds(layer.getBounds());
      status.textContent = data.features.length + " " + el.dataset.countLabel;
    });
  }
  show(el.dataset.url, true);
})();
