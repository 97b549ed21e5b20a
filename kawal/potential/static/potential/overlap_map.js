// A select marked data-autosubmit sends its form when changed (no inline handlers: CSP).
document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
  select.addEventListener("change", function () { select.form.submit(); });
});
// Overlap map: village polygons (served by the regions app) coloured by the analysis status.
(function () {
  var el = document.getElementById("potential-map");
  if (!el || !window.L) return;
  var note = document.getElementById("map-status");
  var colours = JSON.parse(el.dataset.colours);
  var map = L.map(el, { preferCanvas: true });
  var get = function (url) { return fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }); };
  note.textContent = "…";
  Promise.all([get(el.dataset.boundaries), get(el.dataset.status)]).then(function (res) {
    var shapes = res[0], statuses = res[1].statuses, labels = res[1].labels;
    var layer = L.geoJSON(shapes, {
      style: function (f) {
        var s = statuses[f.properties.code] || "tanpa_data";
        return { color: "#555", weight: 1, fillColor: colours[s], fillOpacity: 0.7 };
      },
      onEachFeature: function (f, l) {
        var p = f.properties, s = statuses[p.code] || "tanpa_data";
        var link = document.createElement("a");
        link.href = el.dataset.village.replace("00", p.code);
        link.textContent = p.name;
        var box = document.createElement("div");
        box.appendChild(link);
        box.appendChild(document.createElement("br"));
        box.appendChild(document.createTextNode(labels[s] || s));
        // A DOM node, never a string: Leaflet inserts a string tooltip as HTML.
        var tip = document.createElement("span");
        tip.textContent = p.name + " · " + (labels[s] || s);
        l.bindTooltip(tip);
        l.bindPopup(box);
      }
    }).addTo(map);
    if (shapes.features.length) map.fitBounds(layer.getBounds());
    note.textContent = shapes.features.length + " " + el.dataset.countLabel;
  });
})();
