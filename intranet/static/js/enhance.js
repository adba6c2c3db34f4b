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

/* A part open for editing in place ([data-keep-open] with an id, e.g. a question's edit form)
   keeps what the user typed when a neighbouring action refreshes the list around it (moving,
   removing or saving another question): the open part is taken out before the swap and put back
   in place of its closed version after it. A request from inside the part itself (its own save
   or cancel) replaces it as usual. Without JavaScript the edit form is a page of its own. */
(function () {
  "use strict";
  var kept = [];
  document.addEventListener("htmx:beforeSwap", function (event) {
    kept = [];
    var target = event.detail.target;
    var requester = (event.detail.requestConfig && event.detail.requestConfig.elt) || event.detail.elt;
    if (!target || !target.querySelectorAll) {
      return;
    }
    var open = target.querySelectorAll("[data-keep-open][id]");
    for (var i = 0; i < open.length; i++) {
      if (!requester || !open[i].contains(requester)) {
        kept.push(open[i]);
      }
    }
  });
  function restore() {
    var waiting = [];
    for (var i = 0; i < kept.length; i++) {
      var part = kept[i];
      if (part.isConnected) {
        waiting.push(part);
        continue;
      }
      var closed = document.getElementById(part.id);
      if (closed && closed !== part) {
        closed.replaceWith(part);
        if (window.htmx) {
          window.htmx.process(part);
        }
      }
    }
    kept = waiting;
  }
  document.addEventListener("htmx:afterSwap", restore);
  document.addEventListener("htmx:oobAfterSwap", restore);
})();
