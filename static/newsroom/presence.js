/* Presence: the open article form beats every few seconds (articles/desk/presence.py) and
 * shows who else has the piece open ("苏文正在编辑 · 2分钟前"); taking it over is a button.
 * A static file: the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";

  function start() {
    var box = document.getElementById("nr-presence");
    var form = document.getElementById("article_form");
    if (!box || !form) {
      return;
    }
    var list = box.querySelector(".nr-presence__others");
    var taken = box.querySelector(".nr-presence__taken");
    var button = document.getElementById("nr-presence-take");

    function token() {
      var input = form.querySelector("input[name=csrfmiddlewaretoken]");
      return input ? input.value : "";
    }

    function show(state) {
      list.textContent = "";
      state.others.forEach(function (other) {
        var item = document.createElement("li");
        item.textContent = other.text;
        list.appendChild(item);
      });
      taken.textContent = state.taken_over;
      taken.hidden = !state.taken_over;
      var editing = state.others.some(function (other) { return other.editing; });
      button.hidden = !editing;
      box.hidden = !state.others.length && !state.taken_over;
    }

    function beat(extra) {
      var data = new FormData();
      data.append("csrfmiddlewaretoken", token());
      if (extra) {
        data.append(extra, "1");
      }
      return window.fetch(box.dataset.url, {
        method: "POST", body: data, credentials: "same-origin", cache: "no-store"
      }).then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("json") !== -1;
        return json && response.ok ? response.json().then(show) : null;
      }).catch(function () { return null; });
    }

    var saving = false;
    form.addEventListener("submit", function () { saving = true; });
    button.addEventListener("click", function () { beat("take_over"); });
    window.addEventListener("pagehide", function () {
      if (saving) {
        return;  // the form comes back at once
      }
      var data = new FormData();
      data.append("csrfmiddlewaretoken", token());
      data.append("leave", "1");
      if (navigator.sendBeacon) {
        navigator.sendBeacon(box.dataset.url, data);
      }
    });
    beat();
    window.setInterval(function () {
      if (!form.dataset.asking) {  // a save is asking for the login (autosave.js): hold
        beat();
      }
    }, Number(box.dataset.beat) * 1000);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
