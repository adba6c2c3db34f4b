/* Progressive enhancement: after a refused form, focus the error summary; after a save,
   focus the confirmation. Without JavaScript the summary is still announced (role="alert")
   and the confirmation (role="status"); nothing here is needed to complete a task. */
(function () {
  "use strict";
  function focusFirst() {
    var target = document.querySelector("[data-error-summary]") ||
      document.querySelector("[data-flash]");
    if (target && !document.querySelector("[autofocus]")) {
      target.focus();
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusFirst);
  } else {
    focusFirst();
  }
})();
