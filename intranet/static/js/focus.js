/* Progressive enhancement: after a refused form, focus the error summary; after a save,
   focus the confirmation. Without JavaScript the summary is still announced (role="alert")
   and the confirmation (role="status"); nothing here is needed to complete a task. */
(function () {
  "use strict";
  /* A save that returns to a part of the page (an address with #fragment) leaves the
     employee there, scrolled away from the top where the confirmation is written: move the
     confirmation to that part, just after its heading, so it is seen and focus stays there. */
  function besideAnchor(flash) {
    var id = location.hash.slice(1);
    try {
      id = decodeURIComponent(id);
    } catch (e) {
      /* a malformed %-escape: look the fragment up as it is */
    }
    var anchor = id ? document.getElementById(id) : null;
    if (!anchor || anchor === flash || anchor.contains(flash) || flash.contains(anchor)) {
      return;
    }
    if (/^H[1-6]$/.test(anchor.tagName)) {
      anchor.parentNode.insertBefore(flash, anchor.nextSibling);
      return;
    }
    /* anything else (a form, a list, a list item, a button bar): just before it, and before
       the whole list for an item, so the message never ends up inside a list or a form */
    var before = anchor.tagName === "LI" && anchor.parentNode ? anchor.parentNode : anchor;
    before.parentNode.insertBefore(flash, before);
  }
  function focusFirst() {
    if (document.querySelector("[autofocus]")) {
      return;
    }
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
      return;
    }
    var flash = document.querySelector("[data-flash]");
    if (!flash) {
      return;
    }
    if (!location.hash) {
      flash.focus();
      return;
    }
    /* the browser scrolls to (and may focus) the #fragment once the page has loaded: move
       and focus the confirmation after that, or the browser takes the focus away again */
    var place = function () {
      besideAnchor(flash);
      flash.focus();
    };
    if (document.readyState === "complete") {
      window.setTimeout(place, 0);
    } else {
      window.addEventListener("load", function () { window.setTimeout(place, 0); });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusFirst);
  } else {
    focusFirst();
  }
})();
