// Keep an editor's session while they work in an open admin page without
// sending it (typing a long story): after activity, a quiet request every
// five minutes tells the server they are still there (newsroom/idle.py).
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.dataset.url;
  if (!url) {
    return;
  }
  var active = false;
  ["keydown", "input", "pointerdown", "wheel"].forEach(function (name) {
    document.addEventListener(name, function () { active = true; }, { capture: true, passive: true });
  });
  window.setInterval(function () {
    if (active) {
      active = false;
      window.fetch(url, { credentials: "same-origin", cache: "no-store" });
    }
  }, 5 * 60 * 1000);
})();
