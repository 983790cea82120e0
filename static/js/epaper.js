/* The e-paper page: zoom the facsimile in steps. Without script the page
   works as it is: the "full size" link opens the largest picture. */
(function () {
  "use strict";
  var frame = document.querySelector("[data-facsimile]");
  if (!frame) return;
  var steps = [1, 1.6, 2.4];
  var step = 0;
  var zoomIn = document.querySelector('[data-zoom="in"]');
  var zoomOut = document.querySelector('[data-zoom="out"]');

  function apply() {
    frame.classList.remove("zoom-1", "zoom-2");
    if (step > 0) frame.classList.add("zoom-" + step);
    zoomIn.disabled = step === steps.length - 1;
    zoomOut.disabled = step === 0;
    frame.setAttribute("data-zoom-level", String(steps[step]));
  }

  zoomIn.hidden = false;
  zoomOut.hidden = false;
  zoomIn.addEventListener("click", function () {
    if (step < steps.length - 1) { step += 1; apply(); }
  });
  zoomOut.addEventListener("click", function () {
    if (step > 0) { step -= 1; apply(); }
  });
  apply();

  // Arriving from an article (#zone-12): bring its zone into view once laid out.
  if (location.hash.indexOf("#zone-") === 0) {
    var zone = document.getElementById(location.hash.slice(1));
    if (zone) zone.scrollIntoView({ block: "center" });
  }
})();
