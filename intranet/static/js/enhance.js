/* After htmx saved or refreshed a part of the page (intranet/web/htmx.py): put the focus where
   the server says the user continues ([data-focus] names an element id, e.g. the next idea's
   answer box, or the field with an error). Without JavaScript the same forms post and the
   page reloads at the part's anchor; nothing here is needed to complete a task. */
(function () {
  "use strict";
  document.addEventListener("htmx:afterSettle", function () {
    var marked = document.querySelectorAll("[data-focus]");
    for (var i = 0; i < marked.length; i++) {
      var target = document.getElementById(marked[i].getAttribute("data-focus"));
      marked[i].removeAttribute("data-focus");
      if (target) {
        target.focus();
        break;
      }
    }
  });
})();
