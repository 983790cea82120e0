// A page's PDF is drawn in the background (articles/epaper/tasks.py): while
// it is, the page's change form asks every two seconds how far it is and
// moves its progress bar; once done or failed it reloads the form to show
// the zones or the reason, unless the editor has typed something meanwhile,
// then it says so and leaves the reload to them.
function watchPagePdfJob() {
  "use strict";
  var box = document.querySelector(".nr-pdf-job[data-status-url]");
  if (!box) {
    return;
  }
  var typed = false;
  var form = box.closest("form");
  if (form) {
    form.addEventListener("input", function () { typed = true; });
  }
  var bar = box.querySelector("progress");
  var state = box.querySelector(".nr-pdf-job__state");
  function ask() {
    window.fetch(box.dataset.statusUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (!job) {
          return;
        }
        if (job.state === "done" || job.state === "failed") {
          if (!typed) {
            window.location.reload();
          } else {
            state.textContent = job.state === "done" ? box.dataset.doneText : box.dataset.failedText;
          }
          return;
        }
        bar.value = job.progress;
        if (job.state === "processing") {
          state.textContent = job.progress + "%";
        }
        window.setTimeout(ask, 2000);
      })
      .catch(function () { window.setTimeout(ask, 5000); });
  }
  window.setTimeout(ask, 1000);
}
// The admin loads a form's scripts in its <head>, before the form is parsed.
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", watchPagePdfJob);
} else {
  watchPagePdfJob();
}
