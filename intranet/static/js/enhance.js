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
        renumber(part);
      }
    }
    kept = waiting;
  }
  /* the part's own number ([data-list-position], e.g. "Vraag 3 bewerken") follows its new
     place in the list after a neighbour moved or went */
  function renumber(part) {
    var numbers = part.querySelectorAll("[data-list-position]");
    if (!numbers.length || !part.parentElement) {
      return;
    }
    var position = Array.prototype.indexOf.call(part.parentElement.children, part) + 1;
    for (var i = 0; i < numbers.length; i++) {
      numbers[i].textContent = String(position);
    }
  }
  document.addEventListener("htmx:afterSwap", restore);
  document.addEventListener("htmx:oobAfterSwap", restore);
})();

/* Text typed in one form is not lost when another form of the same page is posted with a
   page load (the advice text saved while a recommendation is half written): just before the
   page goes, the changed text fields of the other forms are kept in this tab's sessionStorage
   for ten minutes, and the page that comes back (the same address, or the posted form's when
   it was refused) puts them back where the field still holds what it held before. Forms that
   save in place (htmx) keep the page, and with it everything typed, so they need none of
   this; filter and search forms (GET) and forms without an action are left out. Read once,
   then removed. */
(function () {
  "use strict";
  var KEY = "intranet.drafts";
  var TEXT = "textarea, input[type=text], input[type=email], input[type=tel], input[type=url], input[type=search], input:not([type])";
  function pathOf(address) {
    return new URL(address || location.href, location.href).pathname;
  }
  function actionOf(form) {
    return pathOf(form.getAttribute("action"));
  }
  function postedTo(form, submitter) {
    var own = submitter && submitter.getAttribute && submitter.getAttribute("formaction");
    return pathOf(own || form.getAttribute("action"));
  }
  document.addEventListener("submit", function (event) {
    var posted = event.target;
    if (event.defaultPrevented || !(posted instanceof HTMLFormElement)) {
      return;  // htmx (or another script) handles it without leaving the page
    }
    var drafts = [];
    var forms = document.querySelectorAll("form[action]");
    for (var i = 0; i < forms.length; i++) {
      // a filter or search box typed in but not sent is not a draft: it would disagree
      // with the list shown after the page comes back
      if (forms[i] === posted || forms[i].method === "get") {
        continue;
      }
      var fields = forms[i].querySelectorAll(TEXT);
      for (var j = 0; j < fields.length; j++) {
        var field = fields[j];
        if (field.name && field.value !== field.defaultValue) {
          drafts.push({ form: actionOf(forms[i]), name: field.name, value: field.value, was: field.defaultValue });
        }
      }
    }
    try {
      if (drafts.length) {
        sessionStorage.setItem(KEY, JSON.stringify({
          pages: [location.pathname, postedTo(posted, event.submitter)], at: Date.now(), drafts: drafts
        }));
      } else {
        sessionStorage.removeItem(KEY);
      }
    } catch (e) { /* storage off or full: the page works as without JavaScript */ }
  });
  function restore() {
    var saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(KEY) || "null");
      sessionStorage.removeItem(KEY);
    } catch (e) {
      return;
    }
    if (!saved || saved.pages.indexOf(location.pathname) < 0 || Date.now() - saved.at > 600000) {
      return;
    }
    var forms = document.querySelectorAll("form[action]");
    saved.drafts.forEach(function (draft) {
      for (var i = 0; i < forms.length; i++) {
        if (actionOf(forms[i]) !== draft.form) {
          continue;
        }
        var field = forms[i].elements.namedItem(draft.name);
        if (field && field.matches && field.matches(TEXT) && field.value === draft.was) {
          field.value = draft.value;
          field.setAttribute("data-draft-restored", "");
        }
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", restore);
  } else {
    restore();
  }
})();
