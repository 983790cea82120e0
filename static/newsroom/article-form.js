/* The article form: 字数 counted while typing, by the rule the server uses
 * (articles/bodytext.py, count_chars): each Han character and full-width
 * punctuation mark counts one, and so does each run of Latin letters or digits.
 * A static file, as the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";
  var CJK = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60\u201c\u201d\u2018\u2019\u2014\u2026\u00b7\u{20000}-\u{3134f}]/gu;
  var LATIN = /[A-Za-z0-9]+(?:[.'\u2019][A-Za-z0-9]+)*/g;

  function countChars(text) {
    return (text.match(CJK) || []).length + (text.match(LATIN) || []).length;
  }

  function start() {
    var body = document.getElementById("id_body");
    var shown = document.querySelector(".field-char_count .readonly");
    if (!body || !shown) {
      return;
    }
    var update = function () {
      shown.textContent = String(countChars(body.value));
    };
    body.addEventListener("input", update);
    update();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
