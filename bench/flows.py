"""Keyboard benchmark (``make bench``): how many page loads and key presses do the main flows take?

The three flows are the "How it will be checked" walk-throughs of the plugins (issues 4, 5
and 6): the council clerk's conversations (raadsgesprekken), the participation
coordinator's think-along groups (meedenkgroepen) and the committee secretary's advice
files (adviescommissie). Each is walked in headless Chromium BY KEYBOARD ONLY:

* a control is reached with Tab (or Shift+Tab, or the skip link then Tab, whichever is
  shortest from where the focus is: the script tries each way and counts the fewest; past
  the end of the page headless Chromium wraps round to its start, where a desktop browser
  would first pass its own toolbar); a control in a closed menu group is reached by opening
  the group (Enter on its summary);
* a link is followed and a form is submitted with Enter; a radio button is chosen with
  the arrow keys, a checkbox with Space, an option of a select with the arrow keys (more
  than five options away: by typing its first letters, counted as typed characters);
* typed text is counted apart, as characters (it is the same in every version).

Every key press counts; so does every full page load (a main-frame navigation; a POST and
the page it redirects to are one load) and every in-place update (an htmx request). Each flow runs with JavaScript on and with JavaScript
off (a browser context with ``java_script_enabled=False``). Signing in is not counted: each
role starts on its start page. A step that cannot be done by keyboard stops the flow there
and is reported as a finding, with the steps done so far.

Builds a throw-away deployment the way ``bench/pages.py`` does (its helpers: the demo
directory on a free port, ``flask db upgrade``, ``flask intranet demo``, gunicorn under the
production config), measures, prints a table and writes ``bench/results/flows.json``.
Controls are found by their visible Dutch label or text, so the same script measures an
older checkout (a git worktree with its catalogs compiled and its static vendor files)::

    PYTHONPATH=<checkout>:<checkout>/dev:<checkout>/plugins/participatieplan \
        .venv/bin/python bench/flows.py --root <checkout> --output bench/results/flows_before.json

Where an older version lacks a way the newer one offers (registering a new resident at a
group's sign-up), the flow takes the older way and says so in ``notes``. The tests never run
this. Exit status: 0 when it ran (every flow finished or not), 1 when it broke.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parents[1]
RESULTS_FILE = HERE / "bench" / "results" / "flows.json"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "Demo-2026!"  # public demo account, see deploy/demo/README.md
#: More Tab presses than this without reaching the control: it cannot be reached.
TAB_LIMIT = 400
SETTLE_TIMEOUT = 20.0
#: A control this many presses away is named in the table (a usability defect to look at).
MANY_TABS = 12
#: Further than this many options away, a keyboard user types the first letters instead.
TYPEAHEAD_FROM = 5


class BenchError(RuntimeError):
    """The benchmark could not run as intended."""


class Unreachable(RuntimeError):
    """A step cannot be done by keyboard: a finding, not a crash."""


# -- the deployment ------------------------------------------------------------------------


def load_pages(root: Path) -> Any:
    """``bench/pages.py`` of the checkout measured: its helpers start what it needs."""
    sys.path[:0] = [str(root), str(root / "dev"), str(root / "bench")]
    import pages

    return pages


@contextlib.contextmanager
def deployment(root: Path, workdir: Path) -> Iterator[str]:
    """Demo directory, migrated SQLite with the demo data, gunicorn; yields the base URL."""
    pages = load_pages(root)
    with pages.demo_directory(workdir / "ldap") as ldap_url:
        config = pages.write_deployment_config(ldap_url, workdir / "intranet.toml")
        env = pages.production_environment(workdir, config)
        # one worker with threads, as `make demo`: no Redis needed for the sign-in limits
        env.pop("INTRANET_REDIS_URL", None)
        env.update(
            {
                "INTRANET_WORKERS": "1",
                "INTRANET_THREADS": "8",
                # every flow signs in several roles, twice (JavaScript on and off)
                "INTRANET_LOGIN_LIMIT_PER_ADDRESS": "1000 per minute",
                "INTRANET_LOGIN_LIMIT_PER_USERNAME": "1000 per minute",
                "INTRANET_LOG_LEVEL": "WARNING",
            }
        )
        env["PYTHONPATH"] = os.pathsep.join(
            [str(root), str(root / "dev"), str(root / "plugins" / "participatieplan")]
        )
        print("Database: migrations and demo data ...", flush=True)
        pages.run_flask(env, "db", "upgrade")
        pages.run_flask(env, "intranet", "demo")
        with pages.gunicorn("wsgi:app", env, 1, workdir / "intranet.log") as server:
            yield server.url


# -- the keyboard ----------------------------------------------------------------------------

#: What the focused element is, as a keyboard user hears it: role, name, group, where.
_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement || el.hasAttribute('data-bench-top')) return null;
  const tag = el.tagName.toLowerCase();
  const type = (el.getAttribute('type') || '').toLowerCase();
  let role = tag;
  if (tag === 'a') role = 'link';
  else if (tag === 'button' || (tag === 'input' && ['submit', 'button'].includes(type))) role = 'button';
  else if (tag === 'select') role = 'select';
  else if (tag === 'textarea') role = 'textbox';
  else if (tag === 'input') role = type === 'radio' ? 'radio' : type === 'checkbox' ? 'checkbox' : 'textbox';
  const clean = (s) => (s || '').replace(/\\s+/g, ' ').trim();
  let name = el.getAttribute('aria-label') || '';
  if (!name && el.labels && el.labels.length) name = Array.from(el.labels).map((l) => l.innerText).join(' ');
  if (!name && role !== 'textbox' && role !== 'select') name = el.innerText || el.value || '';
  const fs = el.closest('fieldset');
  const legend = fs && fs.querySelector('legend') ? fs.querySelector('legend').innerText : '';
  const scope = el.closest('form, section, article, li, tr, details, fieldset');
  let selected = '';
  if (tag === 'select' && el.selectedIndex >= 0) selected = el.options[el.selectedIndex].text;
  return {role, name: clean(name), legend: clean(legend), scope: clean(scope ? scope.innerText : '').slice(0, 600),
          selected: clean(selected), checked: !!el.checked, value: el.value || '',
          skip: tag === 'a' && (el.getAttribute('href') || '').startsWith('#') && !!el.closest('header, .skip-link, [class*=skip]')
                || /naar de (hoofd)?inhoud|skip to/i.test(clean(el.innerText))};
}"""


@dataclass
class Want:
    """The control a step goes to: its role and a pattern of its name (and of its scope)."""

    role: str
    name: str
    scope: str = ""
    legend: str = ""

    def matches(self, focused: dict[str, Any] | None) -> bool:
        if not focused or focused["role"] != self.role:
            return False
        if not re.search(self.name, focused["name"], re.IGNORECASE):
            return False
        if self.legend and not re.search(self.legend, focused["legend"], re.IGNORECASE):
            return False
        return not self.scope or bool(re.search(self.scope, focused["scope"], re.IGNORECASE))

    def __str__(self) -> str:
        extra = f" in «{self.scope}»" if self.scope else ""
        return f"{self.role} «{self.name}»{extra}"


@dataclass
class Step:
    """What one step of a flow cost."""

    name: str
    key_presses: int = 0
    typed_chars: int = 0
    page_loads: int = 0
    updates: int = 0
    tabs: int = 0
    note: str = ""
    #: every control reached, with the Tab presses it took ("how" = Tab, Shift+Tab, skip)
    reached: list[str] = field(default_factory=list)


class Keyboard:
    """A page driven by key presses only; counts keys, characters, loads and updates."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.keys = 0
        self.chars = 0
        self.tabs = 0
        self.loads = 0
        self.updates = 0
        self.inflight = 0
        self.log: list[str] = []
        page.on("request", self._on_request)
        page.on("requestfinished", self._on_done)
        page.on("requestfailed", self._on_done)

    def _on_request(self, request: Any) -> None:
        self.inflight += 1
        main = request.is_navigation_request() and request.frame == self.page.main_frame
        if main and request.redirected_from is None:  # a POST and its redirect: one load
            self.loads += 1
        elif request.resource_type in ("xhr", "fetch") and request.headers.get("hx-request"):
            self.updates += 1

    def _on_done(self, _request: Any) -> None:
        self.inflight = max(0, self.inflight - 1)

    def settle(self) -> None:
        """Wait until the page has loaded and no request is under way."""
        deadline = time.monotonic() + SETTLE_TIMEOUT
        quiet = 0
        while time.monotonic() < deadline:
            time.sleep(0.1)
            try:
                ready = self.page.evaluate("document.readyState") == "complete"
            except Exception:  # noqa: BLE001 - the page is navigating
                ready = False
            quiet = quiet + 1 if ready and self.inflight == 0 else 0
            if quiet >= 3:
                return
        raise BenchError(f"the page did not settle: {self.page.url}")

    def focused(self) -> dict[str, Any] | None:
        return self.page.evaluate(_FOCUSED)

    def press(self, key: str, times: int = 1) -> None:
        for _ in range(times):
            self.page.keyboard.press(key)
            self.keys += 1

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.chars += len(text)

    # Moving the focus: each way is tried from the same place, the fewest presses count.

    def _probe(self, key: str, want: Want) -> int | None:
        """Presses of ``key`` until ``want`` has the focus; None once round the page."""
        left = False
        for n in range(1, TAB_LIMIT + 1):
            self.page.keyboard.press(key)
            if want.matches(self.focused()):
                return n
            # the same element again after others: round the page (a date field's parts
            # are one element, so they do not count as coming round)
            where = self.page.evaluate(
                """(first) => {
                  const a = document.activeElement;
                  if (first) { window.__benchFirst = a; return 'first'; }
                  return a === window.__benchFirst ? 'same' : 'other';
                }""",
                n == 1,
            )
            if where == "other":
                left = True
            elif where == "same" and left:
                return None
        return None

    def _mark(self) -> Any:
        return self.page.evaluate_handle("document.activeElement")

    def _restore(self, handle: Any) -> None:
        """Put the focus back where it was; "nowhere" is the top of the page."""
        self.page.evaluate(
            """(el) => {
              if (el && el !== document.body && !el.hasAttribute('data-bench-top')) { el.focus(); return; }
              let top = document.querySelector('[data-bench-top]');
              if (!top) {
                top = document.createElement('span');
                top.setAttribute('data-bench-top', '');
                top.tabIndex = -1;
                const id = decodeURIComponent(location.hash.slice(1));
                const anchor = id && document.getElementById(id);  // where a #fragment points
                if (anchor) anchor.before(top); else document.body.prepend(top);
              }
              top.focus({preventScroll: true});
            }""",
            handle,
        )

    def tab_to(self, want: Want) -> None:
        """Reach ``want`` with the fewest of Tab, Shift+Tab, skip link + Tab."""
        if want.matches(self.focused()):
            return
        at_top = self.focused() is None
        if at_top:
            self._restore(None)  # Tab from the top, as after a page load
        start = self._mark()
        tries: list[tuple[int, str, Any]] = []
        forward = self._probe("Tab", want)
        if forward is not None:
            tries.append((forward, "Tab", self._mark()))
        self._restore(start)
        # backwards: from the top of a page this reaches its last controls first
        back = self._probe("Shift+Tab", want)
        if back is not None:
            tries.append((back, "Shift+Tab", self._mark()))
        self._restore(start)
        if at_top:
            # the skip link: Tab to it, Enter, then Tab on from the main content
            skip_at = self._probe_skip()
            if skip_at is not None:
                self.page.keyboard.press("Enter")
                after = self._probe("Tab", want)
                if after is not None:
                    tries.append((skip_at + 1 + after, "skip", self._mark()))
                self._restore(start)
        if not tries:
            summary = self._closed_group_of(want)
            if summary is None:
                raise Unreachable(f"{want} cannot be reached with Tab on {self.page.url}")
            # inside a closed group (a collapsed menu area): open it with Enter, go on
            self.tab_to(Want("summary", "^" + re.escape(summary) + "$"))
            self.press("Enter")
            self.log.append(f"summary {summary}: opened with Enter")
            self.tab_to(want)
            return
        count, how, target = min(tries, key=lambda t: t[0])
        self.log.append(f"{want.role} {want.name}: {count} ({how})")
        # land where the shortest way lands (the presses were made while probing)
        target.evaluate("(el) => el.focus()")
        if not want.matches(self.focused()):
            raise BenchError(f"lost {want} after probing on {self.page.url}")
        self.keys += count
        self.tabs += count

    def _closed_group_of(self, want: Want) -> str | None:
        """The summary text of a closed <details> holding a control like ``want``."""
        return self.page.evaluate(
            """([pattern]) => {
              const re = new RegExp(pattern, 'i');
              for (const d of document.querySelectorAll('details:not([open])')) {
                for (const el of d.querySelectorAll('a, button')) {
                  const text = el.textContent.replace(/\\s+/g, ' ').trim();
                  if (re.test(text)) {
                    return d.querySelector('summary').textContent.replace(/\\s+/g, ' ').trim();
                  }
                }
              }
              return null;
            }""",
            [want.name],
        )

    def _probe_skip(self) -> int | None:
        """Presses to the skip link from where the focus is (forward only), or None."""
        for n in range(1, 4):
            self.page.keyboard.press("Tab")
            now = self.focused()
            if now and now.get("skip"):
                return n
        return None

    # Controls

    def fill(self, label: str, text: str, scope: str = "") -> None:
        """Tab to a text box, select what is in it and type ``text``."""
        self.tab_to(Want("textbox", label, scope))
        if self.page.evaluate("document.activeElement.value"):
            self.press("Control+a")
        self.type(text)

    def date(self, label: str, day: date, time_digits: str = "") -> None:
        """Type a date (and time) digit by digit; a field that already holds one is left."""
        box = self.page.get_by_label(re.compile(label)).first
        if box.input_value():
            return
        self.tab_to(Want("textbox", label))
        self.type(_d(day))
        if time_digits:  # the year takes up to six digits: arrow on to the hours
            self.press("ArrowRight")
            self.type(time_digits)

    def has_field(self, label: str) -> bool:
        """Whether the page has a field with this label (versions differ)."""
        return self.page.get_by_label(re.compile(label)).count() > 0

    def choose(self, label: str, option: str, scope: str = "") -> None:
        """Tab to a select and move to ``option`` with the arrow keys."""
        self.tab_to(Want("select", label, scope))
        options = self.page.evaluate(
            "Array.from(document.activeElement.options).map((o) => o.text.replace(/\\s+/g, ' ').trim())"
        )
        now = self.page.evaluate("document.activeElement.selectedIndex")
        target = next((i for i, o in enumerate(options) if re.search(option, o, re.I)), None)
        if target is None:
            raise Unreachable(f"select «{label}» has no option «{option}»: {options}")
        if abs(target - now) > TYPEAHEAD_FROM:
            # a long list: type the option's first letters, as keyboard users do
            for n in range(1, len(options[target]) + 1):
                self.type(options[target][n - 1])
                if self.page.evaluate("document.activeElement.selectedIndex") == target:
                    break
                if n == len(options[target]):
                    raise BenchError(f"select «{label}»: typing did not reach «{option}»")
        else:
            key = "ArrowDown" if target > now else "ArrowUp"
            self.press(key, abs(target - max(now, 0)) + (1 if now < 0 else 0))
        got = self.page.evaluate("document.activeElement.selectedIndex")
        if got != target:
            raise BenchError(f"select «{label}»: arrows reached {got}, not {target}")

    def radio(self, legend: str, option: str, scope: str = "") -> None:
        """Tab into a radio group and arrow to ``option``."""
        self.tab_to(Want("radio", ".", scope, legend=legend))
        for _ in range(30):
            now = self.focused()
            if now and re.search(option, now["name"], re.I):
                if not now["checked"]:
                    self.press("Space")
                return
            self.press("ArrowDown")
        raise Unreachable(f"radio «{option}» in «{legend}» not reached with the arrows")

    def check(self, label: str, scope: str = "") -> None:
        """Tab to a checkbox and tick it with Space."""
        self.tab_to(Want("checkbox", label, scope))
        if not self.focused()["checked"]:  # type: ignore[index]
            self.press("Space")

    def activate(self, role: str, name: str, scope: str = "") -> None:
        """Tab to a link or button and press Enter; wait for what it loads."""
        self.tab_to(Want(role, name, scope))
        self.press("Enter")
        self.settle()

    def submit(self) -> None:
        """Enter in a text box submits its form (the implicit submission of HTML)."""
        self.press("Enter")
        self.settle()

    def text(self) -> str:
        return self.page.inner_text("body")

    def expect(self, pattern: str, what: str) -> None:
        if not re.search(pattern, self.text(), re.IGNORECASE | re.DOTALL):
            errors = self.page.eval_on_selector_all(
                ".utrecht-form-field-error-message, [role=alert], .error-summary",
                "els => els.map((e) => e.innerText.replace(/\\s+/g, ' ').trim()).join(' | ')",
            )
            raise Unreachable(f"{what}: «{pattern}» not on {self.page.url} {errors[:300]}")


# -- the flows ------------------------------------------------------------------------------


#: The order of a date field's parts in this Chromium: headless Chromium shows its own
#: (en-US) order whatever the page's language; a Dutch user types day first. Same digits.
DATE_ORDER = {"format": "%d%m%Y"}


def learn_date_order(browser: Any) -> None:
    """Find out in which order this browser's date fields take their digits."""
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    page.set_content("<input id=d type=date>")
    page.focus("#d")
    page.keyboard.type("01022003")
    DATE_ORDER["format"] = "%d%m%Y" if page.input_value("#d") == "2003-02-01" else "%m%d%Y"
    context.close()


def _d(day: date) -> str:
    """A date as typed into a date field by keyboard: digits only, in the field's order."""
    return day.strftime(DATE_ORDER["format"])


class Walk:
    """One flow in one mode: the browser contexts per role and the steps done so far."""

    def __init__(self, browser: Any, base: str, js: bool) -> None:
        self.browser, self.base, self.js = browser, base, js
        self.steps: list[Step] = []
        self.findings: list[str] = []
        self.notes: list[str] = []
        self.contexts: list[Any] = []

    def as_role(self, slug: str, user: str) -> Keyboard:
        """A new browser signed in as ``user`` (not counted), on the start page."""
        context = self.browser.new_context(locale="nl-NL", java_script_enabled=self.js)
        context.set_default_timeout(30_000)
        self.contexts.append(context)
        page = context.new_page()
        sign_in(page, self.base, slug, user)
        keyboard = Keyboard(page)
        keyboard.settle()
        return keyboard

    @contextlib.contextmanager
    def step(self, name: str, kb: Keyboard) -> Iterator[Step]:
        """Count what the block costs as one step of the flow."""
        before = (kb.keys, kb.chars, kb.loads, kb.updates, kb.tabs)
        logged = len(kb.log)
        step = Step(name)
        try:
            yield step
        finally:
            after = (kb.keys, kb.chars, kb.loads, kb.updates, kb.tabs)
            step.key_presses, step.typed_chars, step.page_loads, step.updates, step.tabs = (
                a - b for a, b in zip(after, before, strict=True)
            )
            step.reached = kb.log[logged:]
            self.steps.append(step)

    def close(self) -> None:
        for context in self.contexts:
            context.close()


def clerk_flow(walk: Walk) -> None:
    """Issue 4: register a phoned-in request, plan it with two council members, bundle,
    record the executive's answer, send the feedback (the council clerk, Zwolle)."""
    kb = walk.as_role("zwolle", "griffier")
    today = date.today()
    with walk.step("aanvraag registreren (telefonisch)", kb):
        kb.activate("link", r"^Aanvragen$")
        kb.activate("link", r"Nieuwe aanvraag|Aanvraag registreren")
        kb.fill(r"^Naam.*nieuwe inwoner", "Joke Hendriks")
        kb.fill(r"^Telefoon.*nieuwe inwoner", "06 12345678")
        kb.date(r"Datum van het verzoek", today)
        kb.check(r"huishoudelijke hulp")
        kb.check(r"toestemming om benaderd")
        kb.activate("button", r"^Aanvraag registreren")
        kb.expect(r"Joke Hendriks", "the request is registered")
    with walk.step("inplannen op de gespreksdag met twee raadsleden", kb):
        kb.activate("link", r"^Gesprek inplannen$")
        kb.choose(r"^Tijdvak", r"\d{1,2}:\d{2}")
        kb.check(r"^Mirjam Bakker")
        kb.check(r"^Ahmed El Amrani")
        kb.activate("button", r"^Gesprek inplannen$")
        kb.expect(r"Mirjam Bakker.*Ahmed El Amrani|Ahmed El Amrani.*Mirjam Bakker", "planned")
    with walk.step("verslagen bundelen voor het college", kb):
        kb.activate("link", r"^Doorgeefluik$")
        kb.activate("link", r"^Samenvatting maken$")
        kb.fill(r"^Titel", "Gesprekken van deze maand")
        kb.date(r"^Van", today - timedelta(days=365))
        kb.date(r"^Tot en met", today)
        kb.activate("button", r"^Samenvatting maken$")
        kb.expect(r"Gesprekken van deze maand", "the summary is made")
    with walk.step("antwoord van het college per idee vastleggen (2 ideeën)", kb):
        kb.activate("link", r"^Doorgeefluik$")
        kb.activate("link", r"Wat mantelzorgers")
        for n in (1, 2):
            kb.fill(rf"idee {n}\b", f"Het college neemt idee {n} over.")
            kb.activate("button", r"^Antwoord vastleggen")
        kb.expect(r"neemt idee 2 over", "the answers are recorded")
    with walk.step("terugkoppeling versturen", kb):
        kb.activate("button", r"^Terugkoppeling versturen")
        kb.expect(r"terugkoppeling", "the feedback is sent")


def coordinator_flow(walk: Walk) -> None:
    """Issue 5: create a group, register a sign-up, plan a meeting, build a questionnaire
    with two questions and send it to a panel (the participation coordinator, Zaanstad)."""
    kb = walk.as_role("zaanstad", "coordinator")
    today = date.today()
    with walk.step("meedenkgroep aanmaken", kb):
        kb.activate("link", r"^Meedenkgroepen$")
        kb.activate("link", r"^Meedenkgroep aanmaken$")
        kb.fill(r"^Thema", "Schuldhulp")
        kb.fill(r"^Doel", "Meedenken over schuldhulp")
        kb.fill(r"^Contactmailbox", "schuldhulp@zaanstad.example")
        kb.activate("button", r"^Opslaan$")
        kb.expect(r"Schuldhulp", "the group is created")
    with walk.step("aanmelding registreren (nieuwe inwoner)", kb):
        if kb.has_field(r"^Naam van de nieuwe inwoner"):
            kb.fill(r"^Naam van de nieuwe inwoner", "Mehmet Kaya")
            kb.fill(r"^E-mailadres van de nieuwe inwoner", "mehmet@example.org")
        else:
            walk.notes.append(
                "sign-up: no way to register a new resident on the spot; done through the "
                "residents register and back to the group"
            )
            kb.activate("link", r"^Inwoners$")
            kb.activate("link", r"^Inwoner registreren$")
            kb.fill(r"^Naam", "Mehmet Kaya")
            kb.fill(r"^E-mailadres", "mehmet@example.org")
            kb.activate("button", r"^Opslaan$")
            kb.expect(r"Mehmet Kaya", "the resident is registered")
            kb.activate("link", r"^Meedenkgroepen$")
            kb.activate("link", r"^Schuldhulp$")
            kb.choose(r"^Inwoner", r"^Mehmet Kaya")
        kb.date(r"^Datum van aanmelding", today)
        kb.activate("button", r"^Aanmelding registreren$")
        kb.expect(r"Mehmet Kaya", "the sign-up is registered")
    with walk.step("bijeenkomst plannen", kb):
        kb.activate("link", r"^Bijeenkomst plannen$")
        kb.date(r"^Datum en tijd", today + timedelta(days=21), "1930")
        kb.fill(r"^Plaats", "Stadhuis Zaandam")
        kb.activate("button", r"^Bijeenkomst plannen$")
        kb.expect(r"Stadhuis Zaandam", "the meeting is planned")
    with walk.step("vragenlijst opstellen met twee vragen", kb):
        kb.activate("link", r"^Vragenlijsten$")
        kb.activate("link", r"^Vragenlijst opstellen$")
        kb.fill(r"^Titel", "Ervaringen met schuldhulp")
        kb.choose(r"^Panel", r"werk en inkomen")
        kb.date(r"^Open vanaf", today)
        kb.date(r"^Open tot en met", today + timedelta(days=14))
        kb.activate("button", r"^Vragenlijst aanmaken$")
        for question in ("Hoe vond u de hulp?", "Wat kan beter?"):
            kb.fill(r"^Vraag\b", question)
            kb.activate("button", r"^Vraag toevoegen$")
        kb.expect(r"Wat kan beter\?", "the questions are added")
    with walk.step("vragenlijst naar het panel versturen", kb):
        kb.activate("link", r"versturen")
        kb.activate("button", r"^Versturen naar")
        kb.expect(r"verzonden|verstuurd|wordt verstuurd", "the questionnaire is sent")


def secretary_flow(walk: Walk) -> None:
    """Issue 6: register an advice request with a deadline, adopt the advice with three
    recommendations, send it, the official responds per recommendation, the annual report
    (the committee secretary and the official, Zaanstad)."""
    kb = walk.as_role("zaanstad", "secretaris")
    today = date.today()
    subject = "Beleidsregels schuldhulpverlening"
    with walk.step("adviesaanvraag registreren met uiterste datum", kb):
        kb.activate("link", r"^Adviezen$")
        kb.activate("link", r"^Adviesaanvraag registreren$")
        kb.fill(r"^Onderwerp", subject)
        kb.date(r"^Uiterste datum advies", today + timedelta(days=42))
        kb.activate("button", r"^Opslaan$")
        kb.expect(subject, "the request is registered")
    with walk.step("advies met drie aanbevelingen vaststellen", kb):
        kb.activate("button", r"^In behandeling nemen$")
        kb.fill(r"^Tekst van het advies", "De commissie adviseert positief.")
        kb.activate("button", r"^Adviestekst opslaan$")
        for text in ("Betrek ervaringsdeskundigen.", "Schrijf in gewone taal.", "Evalueer."):
            kb.fill(r"^Aanbeveling\b", text)
            kb.activate("button", r"^Aanbeveling toevoegen$")
        kb.activate("button", r"^Advies vaststellen$")
        kb.expect(r"Vastgesteld", "the advice is adopted")
    with walk.step("advies verzenden", kb):
        kb.activate("button", r"^Advies verzenden$")
        kb.expect(r"Verzonden", "the advice is sent")
    official = walk.as_role("zaanstad", "ambtenaar")
    with walk.step("reactie per aanbeveling vastleggen (ambtenaar)", official):
        official.activate("link", r"^Adviezen$")
        official.activate("link", subject)
        for n, verdict in ((1, r"^Overgenomen"), (2, r"^Deels"), (3, r"^Niet overgenomen")):
            scope = rf"aanbeveling {n} opslaan"
            official.choose(r"^Reactie van de gemeente", verdict, scope)
            official.fill(r"^Onderbouwing", f"Onderbouwing bij aanbeveling {n}.", scope)
            official.activate("button", rf"^Reactie op aanbeveling {n} opslaan")
        official.activate("button", r"^Reactie van de gemeente afronden$")
        official.expect(r"Reactie ontvangen", "the response is recorded")
    with walk.step("waardentoets en jaarverslag lezen", kb):
        kb.page.reload()  # the secretary comes back to the file later
        kb.settle()
        kb.loads -= 1  # (that reload is not the flow's)
        kb.activate("link", r"^Toets aan de waarden$")
        kb.activate("link", r"^Jaarverslag")
        kb.expect(r"gevraagd", "the annual report is shown")


FLOWS: dict[str, tuple[str, Callable[[Walk], None]]] = {
    "raadsgesprekken": ("griffier (issue 4)", clerk_flow),
    "meedenkgroepen": ("participatiecoördinator (issue 5)", coordinator_flow),
    "adviescommissie": ("secretaris adviescommissie (issue 6)", secretary_flow),
}


def walk_flow(browser: Any, base: str, key: str, js: bool) -> dict[str, Any]:
    """Walk one flow in one mode; a step that cannot be done stops it and is reported."""
    _who, flow = FLOWS[key]
    walk = Walk(browser, base, js)
    finished = True
    try:
        flow(walk)
    except Unreachable as exc:
        finished = False
        walk.findings.append(str(exc))
        if walk.steps:
            walk.steps[-1].note = f"NOT DONE: {exc}"
    finally:
        walk.close()
    return {
        "finished": finished,
        "page_loads": sum(s.page_loads for s in walk.steps),
        "updates": sum(s.updates for s in walk.steps),
        "key_presses": sum(s.key_presses for s in walk.steps),
        "tabs": sum(s.tabs for s in walk.steps),
        "typed_chars": sum(s.typed_chars for s in walk.steps),
        "steps": [asdict(s) for s in walk.steps],
        "findings": walk.findings,
        "notes": walk.notes,
    }


def run(args: argparse.Namespace) -> int:
    """Walk every flow with JavaScript on, then off, each mode on a fresh deployment (the
    flows change the demo data); print the table, write the JSON."""
    from playwright.sync_api import sync_playwright

    results: dict[str, dict[str, Any]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--headless=new", "--no-sandbox", "--disable-gpu"]
        )
        learn_date_order(browser)
        try:
            for js in (True, False):
                mode = "js" if js else "no_js"
                workdir = Path(tempfile.mkdtemp(prefix="bench-flows-"))
                try:
                    with deployment(args.root.resolve(), workdir) as base:
                        for key in args.flows or FLOWS:
                            print(f"{key} ({mode}) ...", flush=True)
                            results.setdefault(key, {"who": FLOWS[key][0]})[mode] = walk_flow(
                                browser, base, key, js
                            )
                finally:
                    shutil.rmtree(workdir, ignore_errors=True)
        finally:
            browser.close()
    report = {
        "date": datetime.now(UTC).date().isoformat(),
        "commit": _commit(args.root),
        "root": str(args.root),
        "chromium": CHROMIUM,
        "machine": platform.platform(),
        "counted": "key presses: Tab, Shift+Tab, Enter, Space, arrows, Ctrl+A; "
        "typed_chars: characters typed apart; page_loads: main-frame navigations; "
        "updates: htmx requests; sign-in not counted",
        "flows": results,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print_table(report)
    print(f"\nWritten to {args.output}")
    return 0


def _commit(root: Path) -> str:
    result = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip()


def print_table(report: dict[str, Any]) -> None:
    print(f"\nKeyboard only, {report['date']}, commit {report['commit']}")
    header = f"{'flow':<17} {'mode':<6} {'loads':>5} {'htmx':>5} {'keys':>5} {'tabs':>5} {'chars':>6}  done"
    print(header)
    print("-" * len(header))
    for key, modes in report["flows"].items():
        for mode in ("js", "no_js"):
            r = modes.get(mode)
            if not r:
                continue
            print(
                f"{key:<17} {mode:<6} {r['page_loads']:>5} {r['updates']:>5} "
                f"{r['key_presses']:>5} {r['tabs']:>5} {r['typed_chars']:>6}  "
                f"{'yes' if r['finished'] else 'NO'}"
            )
            for s in r["steps"]:
                print(
                    f"    {s['name'][:52]:<52} {s['page_loads']:>3} {s['updates']:>3} "
                    f"{s['key_presses']:>4} {s['tabs']:>4} {s['typed_chars']:>4}"
                )
                for reached in s.get("reached", []):
                    presses = re.search(r": (\d+) \(\S+\)$", reached)
                    if presses and int(presses.group(1)) >= MANY_TABS:
                        print(f"        many Tabs: {reached}")
            for finding in r["findings"]:
                print(f"    ! {finding}")
            for note in r.get("notes", []):
                print(f"    - {note}")


# -- exploring (for writing flows) ----------------------------------------------------------


def explore(base: str, slug: str, user: str, path: str, js: bool) -> None:
    """Print the Tab order of one page: what a keyboard user meets, in order."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--headless=new", "--no-sandbox"]
        )
        context = browser.new_context(locale="nl-NL", java_script_enabled=js)
        page = context.new_page()
        sign_in(page, base, slug, user)
        page.goto(base + path)
        seen = []
        for n in range(1, 300):
            page.keyboard.press("Tab")
            f = page.evaluate(_FOCUSED)
            ident = json.dumps(f, sort_keys=True)
            if seen and ident == seen[0]:
                break
            seen.append(ident)
            if f:
                print(
                    n,
                    f["role"],
                    "|",
                    f["name"][:70],
                    "|",
                    f["legend"][:40],
                    "|",
                    f["selected"][:30],
                )
        browser.close()


def sign_in(page: Any, base: str, slug: str, user: str) -> None:
    """Sign in (not counted): every flow starts on the role's start page."""
    page.goto(f"{base}/{slug}/inloggen")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit], main form input[type=submit]").first.click()
    if "/inloggen" in page.url:
        raise BenchError(f"{user} could not sign in at {slug}")


def _raise_interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/flows.py", description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=HERE, help="the checkout to measure")
    parser.add_argument("--output", type=Path, default=RESULTS_FILE, help="where the JSON goes")
    parser.add_argument("--base", help="an already running server (for --explore)")
    parser.add_argument("--serve", action="store_true", help="start the deployment and wait")
    parser.add_argument("--explore", nargs=3, metavar=("SLUG", "USER", "PATH"))
    parser.add_argument("--no-js", action="store_true")
    parser.add_argument("--flow", dest="flows", action="append", choices=sorted(FLOWS))
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _raise_interrupt)  # stop what was started on `kill` too
    if args.explore:
        explore(args.base, *args.explore, js=not args.no_js)
        return 0
    if args.serve:
        workdir = Path(tempfile.mkdtemp(prefix="bench-flows-"))
        try:
            with deployment(args.root.resolve(), workdir) as base:
                print(base, flush=True)
                while True:
                    time.sleep(60)
        except KeyboardInterrupt:
            return 130
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    try:
        return run(args)
    except KeyboardInterrupt:
        print("\nInterrupted; everything started here has been stopped.", file=sys.stderr)
        return 130
    except (BenchError, subprocess.CalledProcessError) as exc:
        print(f"\nBenchmark failed: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
