// Region map: our own polygons first (they need no internet), tiles only when reachable.
// Optional `data-values` (the leaders' map, kawal.reports): a JSON URL of {values: {code:
// {colour, text}}, legend} for the regions shown; each polygon is filled with its colour, and a
// drill-down asks the values of the new region (its `wilayah` parameter is replaced).
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

  function colourSwatches() {
    document.querySelectorAll("[data-colour]").forEach(function (s) {
      s.style.background = s.dataset.colour;
    });
  }
  colourSwatches();

  function valuesUrl(code) {
    if (!el.dataset.values) return null;
    var url = new URL(el.dataset.values, window.location.href);
    url.searchParams.set("wilayah", code);
    return url.toString();
  }

  function getJson(url) {
    if (!url) return Promise.resolve(null);
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      return r.ok ? r.json() : null;
    });
  }

  function style(values) {
    if (!values) return function () { return { color: "#b3261e", weight: 1, fillOpacity: 0.12 }; };
    return function (f) {
      var v = values[f.properties.code];
      return { color: "#5f5b66", weight: 1, fillColor: v ? v.colour : "#a8a8a8", fillOpacity: 0.75 };
    };
  }

  function show(code, url, drill) {
    status.textContent = "…";
    Promise.all([getJson(url), getJson(valuesUrl(code))]).then(function (answers) {
      var data = answers[0];
      var values = answers[1] ? answers[1].values : null;
      if (!data) return;
      layers.forEach(function (l) { map.removeLayer(l); });
      var layer = L.geoJSON(data, {
        style: style(values),
        onEachFeature: function (f, l) {
          var p = f.properties;
          var v = values ? values[p.code] : null;
          var text = values ? (v ? v.text : el.dataset.noKmp) : "";
          l.bindTooltip(text ? p.name + " · " + text : p.name);
          l.on("click", function () {
            if (drill && p.level < 4) {
              show(p.code, el.dataset.url.replace(el.dataset.region, p.code), true);
            } else {
              var a = document.createElement("a");
              a.href = detailUrl(p.code);
              a.textContent = p.name;
              var box = document.createElement("div");
              box.appendChild(a);
              box.appendChild(document.createElement("br"));
              box.appendChild(document.createTextNode(text || p.kind + " · " + p.code));
              l.bindPopup(box).openPopup();
            }
          });
        }
      }).addTo(map);
      layers = [layer];
      if (data.features.length) map.fitBounds(layer.getBounds());
      status.textContent = data.features.length + " " + el.dataset.countLabel;
    });
  }
  show(el.dataset.region, el.dataset.url, true);
})();
