/* The article page's reading tools: text size (kept in this browser only,
   never a cookie, so every reader gets the same cached page) and print. */
(function () {
  "use strict";
  var tools = document.querySelector("[data-reader-tools]");
  if (!tools) return;
  var KEY = "newsroom.fontSize";
  var sizes = ["small", "normal", "large"];
  var root = document.documentElement;
  var buttons = tools.querySelectorAll("[data-font-size]");

  function read() {
    try { return localStorage.getItem(KEY) || "normal"; } catch (e) { return "normal"; }
  }

  function apply(size) {
    if (sizes.indexOf(size) === -1) size = "normal";
    root.setAttribute("data-font-size", size);
    Array.prototype.forEach.call(buttons, function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-font-size") === size));
    });
  }

  Array.prototype.forEach.call(buttons, function (button) {
    button.addEventListener("click", function () {
      var size = button.getAttribute("data-font-size");
      try { localStorage.setItem(KEY, size); } catch (e) { /* private mode: this page only */ }
      apply(size);
    });
  });
  var print = tools.querySelector("[data-print]");
  if (print) print.addEventListener("click", function () { window.print(); });
  apply(read());
  tools.hidden = false;
})();
