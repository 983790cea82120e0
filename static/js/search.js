/* The search form: people and tags are offered as one types, from the names
   readers can see (/search/people/, /search/tags/), in the box's <datalist>. */
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("input[data-suggest]"), function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    var asked = "";
    if (!list) return;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var typed = input.value.trim();
        if (!typed || typed === asked) return;
        asked = typed;
        fetch(input.getAttribute("data-suggest") + "?q=" + encodeURIComponent(typed), {
          headers: { Accept: "application/json" },
        })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            list.textContent = "";
            data.results.forEach(function (item) {
              var option = document.createElement("option");
              option.value = item.label;
              list.appendChild(option);
            });
          })
          .catch(function () { /* no suggestions; the box still works */ });
      }, 200);
    });
  });
})();
