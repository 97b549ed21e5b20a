// The committee's door page: after each answer the code field is cleared and focused, so the
// next code can be typed at once. Where the browser has BarcodeDetector (Android Chrome), a
// camera button scans QR codes and submits them; elsewhere typing is the way (always works).
(function () {
  "use strict";
  var form = document.getElementById("door-form");
  var input = document.getElementById("id_code");
  if (!form || !input) return;
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt === form) { input.value = ""; input.focus(); }
  });
  var start = document.getElementById("scan-start");
  var stop = document.getElementById("scan-stop");
  var box = document.getElementById("scanner");
  var video = document.getElementById("camera");
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  var detector;
  try { detector = new window.BarcodeDetector({ formats: ["qr_code"] }); } catch (e) { return; }
  start.hidden = false;
  var stream = null, last = "", lastAt = 0, timer = null;
  function tick() {
    if (!stream) return;
    detector.detect(video).then(function (codes) {
      if (codes.length) {
        var value = codes[0].rawValue, now = Date.now();
        // The same code held in front of the camera is sent once every 4 seconds at most.
        if (value !== last || now - lastAt > 4000) {
          last = value; lastAt = now; input.value = value; form.requestSubmit();
        }
      }
    }).catch(function () {}).then(function () { timer = setTimeout(tick, 250); });
  }
  function halt() {
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null; clearTimeout(timer); box.hidden = true; start.hidden = false;
  }
  start.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (s) {
      stream = s; video.srcObject = s; box.hidden = false; start.hidden = true;
      video.play().catch(function () {});  // frames may come late; detection retries meanwhile
      tick();
    }).catch(function () { halt(); start.hidden = true; input.focus(); });
  });
  stop.addEventListener("click", halt);
})();
