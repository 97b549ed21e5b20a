/* Field-visit form: capture the browser's GPS position into hidden fields (when allowed). */
(function () {
  var button = document.getElementById("gps-button");
  var status = document.getElementById("gps-status");
  var lat = document.getElementById("id_lat"), lng = document.getElementById("id_lng");
  var acc = document.getElementById("id_gps_accuracy_m");
  // The checklist of the chosen cooperative is swapped into the form by htmx (no reload).
  if (!button || !lat || !lng) return;
  function capture() {
    if (!navigator.geolocation) { status.textContent = button.dataset.denied; return; }
    status.textContent = button.dataset.waiting;
    navigator.geolocation.getCurrentPosition(function (pos) {
      lat.value = pos.coords.latitude.toFixed(6);
      lng.value = pos.coords.longitude.toFixed(6);
      if (acc) acc.value = Math.round(pos.coords.accuracy);
      status.textContent = button.dataset.found + ": " +
        degrees(pos.coords.latitude, "LU", "LS") + " · " +
        degrees(pos.coords.longitude, "BT", "BB") +
        " (±" + Math.round(pos.coords.accuracy) + " m)";
    }, function () {
      status.textContent = button.dataset.denied;
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  }
  // As the server writes it (core.formats.koordinat): decimal comma, hemisphere, no sign.
  function degrees(value, positive, negative) {
    return Math.abs(value).toFixed(5).replace(".", ",") + "° " + (value >= 0 ? positive : negative);
  }
  button.addEventListener("click", capture);
  if (!lat.value) capture();
})();
