/* 审校 as you type: the article form's headlines, kicker, body and captions are sent to
 * the admin's check (articles.wordcheck.admin, check_view) a moment after typing stops;
 * each hit is shown under its field, highlighted in its context with the list's note,
 * and a suggested fix replaces exactly what was typed with one click.
 * The server matches on characters (line breaks and full-width spaces inside a word do
 * not hide it) and answers offsets in the text as typed (UTF-16, as the browser counts).
 * A static file, wired by data attributes: the Content-Security-Policy allows no inline
 * script. */
(function () {
  "use strict";
  var FIELDS = [
    "#id_kicker",
    "#id_headline",
    "#id_subheadline",
    "#id_web_headline",
    "#id_body",
    "textarea[name$='-caption']",
    "textarea[name$='-new_caption']"
  ].join(",");
  var CONTEXT = 12;
  var WAIT = 400;

  function start() {
    var live = document.getElementById("nr-wordcheck-live");
    if (!live || !window.fetch) {
      return;
    }
    var form = live.closest("form");
    var token = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    if (!token) {
      return;
    }
    var words = live.dataset;
    var timer = null;
    var asked = 0;

    function fields() {
      return Array.prototype.filter.call(form.querySelectorAll(FIELDS), function (field) {
        return field.id && !field.closest(".empty-form");
      });
    }

    function box(field) {
      var id = field.id + "-wordcheck";
      var found = document.getElementById(id);
      if (!found) {
        found = document.createElement("div");
        found.id = id;
        found.className = "nr-wordcheck-hits";
        found.setAttribute("role", "status");
        found.setAttribute("aria-live", "polite");
        field.insertAdjacentElement("afterend", found);
      }
      return found;
    }

    function snippet(text, hit, field) {
      var where = document.createElement("button");
      where.type = "button";
      where.className = "nr-hit-where";
      where.title = words.selectLabel;
      var before = text.slice(Math.max(0, hit.start - CONTEXT), hit.start).replace(/\s+/g, " ");
      var after = text.slice(hit.end, hit.end + CONTEXT).replace(/\s+/g, " ");
      where.appendChild(document.createTextNode((hit.start > CONTEXT ? "…" : "") + before));
      var mark = document.createElement("mark");
      mark.className = "nr-hit nr-hit--" + hit.severity;
      mark.textContent = hit.found;
      where.appendChild(mark);
      where.appendChild(document.createTextNode(after + (hit.end + CONTEXT < text.length ? "…" : "")));
      where.addEventListener("click", function () {
        field.focus();
        field.setSelectionRange(hit.start, hit.end);
      });
      return where;
    }

    function fixButton(hit, field) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button nr-fix";
      button.textContent = words.fixLabel.replace("%s", hit.replacement);
      button.addEventListener("click", function () {
        var value = field.value;
        if (value.slice(hit.start, hit.end) !== hit.found) {
          check();  // the text changed since it was checked: check again first
          return;
        }
        field.value = value.slice(0, hit.start) + hit.replacement + value.slice(hit.end);
        field.focus();
        field.setSelectionRange(hit.start, hit.start + hit.replacement.length);
        field.dispatchEvent(new Event("input", { bubbles: true }));
      });
      return button;
    }

    function show(field, hits) {
      var shown = box(field);
      shown.textContent = "";
      hits.forEach(function (hit) {
        var row = document.createElement("div");
        row.className = "nr-hit-row nr-hit-row--" + hit.severity;
        var badge = document.createElement("span");
        badge.className = "nr-badge nr-badge--" + hit.severity;
        badge.textContent = hit.severity_label;
        row.appendChild(badge);
        row.appendChild(snippet(field.value, hit, field));
        var what = document.createElement("span");
        what.className = "nr-hit-row__what";
        what.textContent = [hit.category, hit.note].filter(Boolean).join(" · ");
        row.appendChild(what);
        if (hit.replacement) {
          row.appendChild(fixButton(hit, field));
        }
        shown.appendChild(row);
      });
      shown.hidden = hits.length === 0;
    }

    function check() {
      var current = fields();
      var texts = {};
      current.forEach(function (field) {
        texts[field.id] = field.value;
      });
      var number = ++asked;
      fetch(live.dataset.url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token.value },
        body: JSON.stringify({ texts: texts })
      })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (answer) {
          if (!answer || number !== asked) {
            return;  // a later check is on its way
          }
          current.forEach(function (field) {
            if (field.value === texts[field.id]) {
              show(field, answer.hits[field.id] || []);
            }
          });
        })
        .catch(function () {});
    }

    form.addEventListener("input", function (event) {
      if (event.target.matches && event.target.matches(FIELDS)) {
        clearTimeout(timer);
        timer = setTimeout(check, WAIT);
      }
    });
    check();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
