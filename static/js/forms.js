/* Every form page, citizen's and staff's: when a page shows an error
   summary, focus moves to it (DKFDS / GOV.UK), so a screen reader reads the
   problems first and a keyboard user can follow the links to the fields.
   A link in the summary focuses its field. The design system's own scripts
   are started here too (no inline scripts under the Content-Security-Policy). */
(function () {
  "use strict";
  function start() {
    if (window.DKFDS && typeof window.DKFDS.init === "function") {
      window.DKFDS.init();
    }
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
      summary.addEventListener("click", function (event) {
        var link = event.target.closest("a[href^='#']");
        if (!link) { return; }
        var field = document.getElementById(link.getAttribute("href").slice(1));
        if (field) {
          event.preventDefault();
          field.scrollIntoView({ block: "center" });
          field.focus();
        }
      });
    }
    // Coming from "Tjek dine svar" with a field's anchor: focus that field.
    if (window.location.hash && !summary) {
      var target = document.getElementById(window.location.hash.slice(1));
      if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) { target.focus(); }
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
