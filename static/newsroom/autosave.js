/* The article form never loses a word (articles/copy/working.py, newsroom/security.py).
 *
 * - Autosave: a few seconds after typing stops, and when the page is left
 *   (pagehide, sendBeacon), the form's text is kept on the server as the
 *   person's working copy; a working copy offered back is restored or
 *   discarded with the buttons above the form.
 * - A save after the login expired: before the form is posted, the page asks
 *   whether the session still holds (and takes the current CSRF token, which
 *   a login in another tab changed); if it does not, a dialog asks for the
 *   password, logs in again and then posts the form as typed.
 * A static file: the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";
  var DELAY = 3000;

  function start() {
    var config = document.getElementById("nr-autosave");
    var form = document.getElementById("article_form");
    if (!config || !form) {
      return;
    }
    var names = config.dataset.fields.split(" ");
    var timer = null;
    var dirty = false;
    var submitting = false;
    // While a save asks whether the login holds (and the password dialog is
    // open) nothing else is sent: a request still carrying the expired
    // session, answered after the new login, would replace its cookies.
    var asking = false;

    function tokenInputs() {
      return form.querySelectorAll("input[name=csrfmiddlewaretoken]");
    }

    function token() {
      var input = tokenInputs()[0];
      return input ? input.value : "";
    }

    function setToken(value) {
      tokenInputs().forEach(function (input) { input.value = value; });
    }

    function payload() {
      var data = new FormData();
      names.forEach(function (name) {
        var field = form.elements[name];
        if (field && field.value !== undefined) {
          data.append(name, field.value);
        }
      });
      var version = form.elements.base_version;
      if (version) {
        data.append("base_version", version.value);
      }
      data.append("csrfmiddlewaretoken", token());
      return data;
    }

    function say(text) {
      config.textContent = text;
    }

    function keep() {
      timer = null;
      if (!dirty || submitting || asking) {
        return;
      }
      dirty = false;
      window.fetch(config.dataset.url, {
        method: "POST", body: payload(), credentials: "same-origin", cache: "no-store"
      }).then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("json") !== -1;
        if (response.ok && json && !response.redirected) {
          var now = new Date();
          var time = ("0" + now.getHours()).slice(-2) + ":" + ("0" + now.getMinutes()).slice(-2);
          say(config.dataset.keptLabel + " " + time);
        } else {
          dirty = true;  // kept in the page; tried again after the next keystroke
          if (!json || response.redirected) {
            say(config.dataset.expiredLabel);
          }
        }
      }).catch(function () { dirty = true; });
    }

    function typed(event) {
      if (names.indexOf(event.target.name) === -1) {
        return;
      }
      dirty = true;
      if (timer) {
        window.clearTimeout(timer);
      }
      timer = window.setTimeout(keep, DELAY);
    }

    form.addEventListener("input", typed);
    form.addEventListener("change", typed);

    function beacon() {
      if (dirty && !submitting && navigator.sendBeacon) {
        navigator.sendBeacon(config.dataset.url, payload());
        dirty = false;
      }
    }
    window.addEventListener("pagehide", beacon);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") {
        beacon();
      }
    });

    // --- the working copy offered back -------------------------------------
    var offer = document.getElementById("nr-working");
    var kept = document.getElementById("nr-working-fields");
    if (offer && kept) {
      var fields = JSON.parse(kept.textContent);
      document.getElementById("nr-working-restore").addEventListener("click", function () {
        Object.keys(fields).forEach(function (name) {
          var field = form.elements[name];
          if (!field) {
            return;
          }
          if (field.tagName === "SELECT" && fields[name] &&
              !field.querySelector("option[value='" + CSS.escape(fields[name]) + "']")) {
            field.appendChild(new Option(fields[name], fields[name], true, true));
          }
          field.value = fields[name];
          field.dispatchEvent(new Event("input", { bubbles: true }));
          field.dispatchEvent(new Event("change", { bubbles: true }));
        });
        // The version the text was typed at: the stale check still guards its save.
        if (offer.dataset.baseVersion && form.elements.base_version) {
          form.elements.base_version.value = offer.dataset.baseVersion;
        }
        offer.hidden = true;
      });
      document.getElementById("nr-working-discard").addEventListener("click", function () {
        var data = new FormData();
        data.append("discard", "1");
        data.append("csrfmiddlewaretoken", token());
        window.fetch(config.dataset.url, { method: "POST", body: data, credentials: "same-origin" });
        offer.hidden = true;
      });
    }

    // --- a save after the login expired ------------------------------------
    var dialog = document.getElementById("nr-reauth");
    var password = document.getElementById("nr-reauth-password");
    var problem = document.getElementById("nr-reauth-error");
    var pending = null;
    var checked = false;

    function post() {
      checked = true;
      submitting = true;  // what is posted is saved: no autosave may follow it
      if (timer) {
        window.clearTimeout(timer);
        timer = null;
      }
      if (pending && pending.form === form) {
        form.requestSubmit(pending);
      } else {
        form.requestSubmit();
      }
    }

    form.addEventListener("submit", function (event) {
      if (checked) {
        checked = false;
        return;  // asked already: this is the post itself
      }
      if (event.submitter && event.submitter.formTarget === "_blank") {
        return;  // the preview opens a tab and saves nothing
      }
      event.preventDefault();
      pending = event.submitter || null;
      asking = true;
      form.dataset.asking = "1";  // presence.js holds its beat meanwhile
      if (timer) {
        window.clearTimeout(timer);
        timer = null;
      }
      window.fetch(config.dataset.sessionUrl, { credentials: "same-origin", cache: "no-store" })
        .then(function (response) { return response.json(); })
        .then(function (state) {
          setToken(state.csrf_token);
          if (state.authenticated) {
            post();
          } else {
            problem.hidden = true;
            dialog.showModal();
            password.focus();
          }
        })
        .catch(function () { post(); });  // the server will say what is wrong
    });

    function logIn() {
      window.fetch(config.dataset.sessionUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token() },
        body: JSON.stringify({ username: config.dataset.username, password: password.value })
      }).then(function (response) {
        // A login locked after too many failures answers with a page, not JSON.
        return response.json().then(function (answer) { return [response.ok, answer]; },
          function () { return [false, { error: dialog.dataset.failed }]; });
      }).then(function (result) {
        if (result[0] && result[1].authenticated) {
          setToken(result[1].csrf_token);
          password.value = "";
          dialog.close();
          say("");
          // The token as the browser's cookies stand now: a request sent before
          // the login and answered after it may have set them again.
          window.fetch(config.dataset.sessionUrl, { credentials: "same-origin", cache: "no-store" })
            .then(function (response) { return response.json(); })
            .then(function (state) { setToken(state.csrf_token); })
            .catch(function () { return null; })
            .then(post);
        } else {
          problem.textContent = result[1].error || "";
          problem.hidden = false;
        }
      }).catch(function () {
        problem.textContent = dialog.dataset.failed;
        problem.hidden = false;
      });
    }

    if (dialog) {
      document.getElementById("nr-reauth-submit").addEventListener("click", logIn);
      password.addEventListener("keydown", function (event) {
        if (event.key === "Enter") {
          event.preventDefault();
          logIn();
        }
      });
      document.getElementById("nr-reauth-cancel").addEventListener("click", function () {
        dialog.close();
      });
      dialog.addEventListener("close", function () {
        if (submitting) {
          return;
        }
        asking = false;  // cancelled: autosave and presence go on
        delete form.dataset.asking;
        if (dirty) {
          timer = window.setTimeout(keep, DELAY);
        }
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
