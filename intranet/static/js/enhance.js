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

/* A page folded into <details> sections prints whole: the closed ones open for the print and
   close again after it (the print views of the plugins need no JavaScript; this is for a page
   printed from the browser). */
(function () {
  "use strict";
  var opened = [];
  window.addEventListener("beforeprint", function () {
    var closed = document.querySelectorAll("main details:not([open])");
    for (var i = 0; i < closed.length; i++) {
      closed[i].open = true;
      opened.push(closed[i]);
    }
  });
  window.addEventListener("afterprint", function () {
    while (opened.length) {
      opened.pop().open = false;
    }
  });
})();
