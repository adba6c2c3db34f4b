"""Accessibility in a real browser: a headless Chromium crawls the intranet as several demo
employees and runs axe-core (WCAG 2.0/2.1, levels A and AA) on every page it reaches, plus
pages a crawl does not reach by following links: a form with validation errors, a failed
sign-in, the 404 page. A keyboard test checks the skip link and the focus indicator.

The app runs in a real HTTP server (werkzeug, threaded) in a background thread, against the
same real slapd and database as the rest of the suite. axe is served by the app itself from
``/static/vendor/axe/axe.min.js`` (``make assets``), so the pages' CSP (``script-src 'self'``)
allows it without bypassing anything.

The crawl is breadth-first from each employee's dashboard, following every same-origin link
in the header, navigation and main content, up to depth 3 and 120 pages per employee. To stay
fast while the demo data grows:

- a page already audited as an earlier employee is not audited again (its links are reused),
  except each employee's own dashboard, whose header and navigation are theirs;
- pages from one template for different records (``/inwoners/1``, ``/inwoners/2``...) are
  sampled: at most ``MAX_PER_PATTERN`` of them per municipality.
"""

from __future__ import annotations

import re
import time
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urlsplit

import pytest

from intranet.testing.browser import CHROMIUM_ARGS, WCAG_TAGS, launch_chromium, require_browser
from intranet.testing.helpers import PASSWORD

sync_api = require_browser()

pytestmark = pytest.mark.browser

#: the crawl's Chromium also leaves out QUIC and its background traffic
CRAWL_ARGS = [
    *CHROMIUM_ARGS,
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MAX_DEPTH = 3
MAX_PAGES_PER_USER = 120
MAX_PER_PATTERN = 2

#: (municipality slug, user name): who the crawl signs in as, in this order.
CRAWL_USERS = [
    ("zwolle", "beheerder"),  # access administrator
    ("zwolle", "griffier"),  # clerk of the council: the plugin pages
    ("zwolle", "itbeheer"),  # platform operator: the /beheer/ pages
    ("zaanstad", "coordinator"),  # participation coordinator
    ("zaanstad", "secretaris"),  # advisory committee secretariat
]

#: Links the crawl does not follow: downloads, signing out, switching the language.
SKIP_LINK = re.compile(
    r"\.(ics|csv|xlsx|pdf|zip|json|css|js|txt)(\?|$)|/export|/uitloggen|^/taal/", re.IGNORECASE
)

#: Links in the page's header, navigation and main content (not the footer's language switch).
COLLECT_LINKS_JS = """
() => Array.from(document.querySelectorAll('header a[href], nav a[href], main a[href]'))
          .map(a => a.href)
"""

RUN_AXE_JS = """
async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],
  });
  return result.violations.map(v => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.slice(0, 3).map(n => n.target.join(' ')),
    count: v.nodes.length,
  }));
}
"""


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str | None
    help: str
    targets: tuple[str, ...]
    count: int


@dataclass
class Crawl:
    base_url: str
    #: violation -> the pages it was found on
    violations: dict[Violation, list[str]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    #: employee -> the pages audited as that employee
    audited: dict[str, list[str]] = field(default_factory=dict)
    #: employee -> the pages reached (audited as them or as an earlier employee)
    reached: dict[str, list[str]] = field(default_factory=dict)
    #: page -> the local links on it, for every page audited so far
    links_of: dict[str, list[str]] = field(default_factory=dict)
    #: URL pattern -> pages of that pattern taken into the crawl
    per_pattern: Counter[str] = field(default_factory=Counter)

    def report(self) -> list[str]:
        lines = []
        for v, pages in sorted(self.violations.items(), key=lambda item: item[1][0]):
            lines.append(
                f"- {v.rule} [{v.impact}] {v.help} ({v.count} element(s)): "
                f"{' | '.join(v.targets)}\n    on {len(pages)} page(s): {', '.join(pages)}"
            )
        return lines + [f"- {error}" for error in self.errors]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """The shared fixture's Chromium, with the crawl's arguments."""
    with launch_chromium(CRAWL_ARGS) as chromium:
        yield chromium


def _give_everyone_every_permission(app) -> None:  # type: ignore[no-untyped-def]
    """A role with every permission, mapped to each municipality's all-staff group, so the
    crawl reaches every page."""
    from sqlalchemy import select

    from intranet.access import service as access
    from intranet.extensions import db
    from intranet.municipalities.models import Municipality

    with app.app_context():
        codes = list(app.extensions["intranet"].permissions)
        for municipality in db.session.execute(select(Municipality)).scalars():
            role = access.create_role(
                municipality, "a11y-alles", "Alle rechten (toegankelijkheidstest)", codes
            )
            access.map_group(
                municipality,
                f"cn=alle-medewerkers,ou=groups,dc={municipality.slug},dc=demo",
                role,
            )
        db.session.commit()


def _submit(page, selector: str = "main form button[type=submit]"):  # type: ignore[no-untyped-def]
    with page.expect_navigation() as navigation:
        page.locator(selector).first.click()
    return navigation.value


def _sign_in(page, base_url: str, slug: str, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/{slug}/inloggen")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    return _submit(page)


def _run_axe(page, base_url: str) -> list[dict]:  # type: ignore[no-untyped-def]
    page.add_script_tag(url=f"{base_url}/static/vendor/axe/axe.min.js")
    return page.evaluate(RUN_AXE_JS, WCAG_TAGS)


def _axe(page, crawl: Crawl, label: str) -> None:  # type: ignore[no-untyped-def]
    for v in _run_axe(page, crawl.base_url):
        violation = Violation(v["id"], v["impact"], v["help"], tuple(v["targets"]), v["count"])
        crawl.violations.setdefault(violation, []).append(label)


def _local_path(crawl: Crawl, href: str) -> str | None:
    """The path (with query) of a same-origin link worth visiting, else None."""
    href, _fragment = urldefrag(href)
    parts = urlsplit(href)
    if f"{parts.scheme}://{parts.netloc}" != crawl.base_url:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if path.startswith("/static/") or SKIP_LINK.search(path):
        return None
    return path


def _pattern(path: str) -> str:
    """Pages from one template for different records share a pattern: /inwoners/{n}."""
    return re.sub(r"\d+", "{n}", path)


def _visit(page, crawl: Crawl, path: str, who: str) -> list[str] | None:  # type: ignore[no-untyped-def]
    """Open and audit one page; its local links, or None when it is not an HTML page."""
    try:
        response = page.goto(crawl.base_url + path)
    except sync_api.Error as exc:
        if "Download is starting" in str(exc):
            return None
        raise
    status = response.status if response else 0
    if status >= 400:
        crawl.errors.append(f"{path} answered {status} for {who}")
    if response and not (response.headers.get("content-type") or "").startswith("text/html"):
        return None
    _axe(page, crawl, f"{path} ({who})")
    crawl.audited.setdefault(who, []).append(path)
    links = []
    for href in page.evaluate(COLLECT_LINKS_JS):
        link = _local_path(crawl, href)
        if link is not None and link not in links:
            links.append(link)
    return links


def _crawl_as(browser, crawl: Crawl, slug: str, username: str) -> None:  # type: ignore[no-untyped-def]
    who = f"{slug}/{username}"
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    page.on(
        "console",
        lambda msg: (
            crawl.errors.append(f"{page.url} ({who}) console: {msg.text}")
            if msg.type == "error" and "Content Security Policy" in msg.text
            else None
        ),
    )
    try:
        _sign_in(page, crawl.base_url, slug, username)
        start = f"/{slug}/"
        assert urlsplit(page.url).path == start, f"{who} did not reach the dashboard: {page.url}"
        seen = {start}
        queue: deque[tuple[str, int]] = deque([(start, 0)])
        reached = crawl.reached.setdefault(who, [])
        while queue and len(reached) < MAX_PAGES_PER_USER:
            path, depth = queue.popleft()
            if path in crawl.links_of and path != start:
                links = crawl.links_of[path]  # audited as an earlier employee
            else:
                found = _visit(page, crawl, path, who)
                if found is None:
                    continue
                links = crawl.links_of[path] = found
            reached.append(path)
            if depth >= MAX_DEPTH:
                continue
            for link in links:
                if link in seen:
                    continue
                seen.add(link)
                if link not in crawl.links_of:
                    if crawl.per_pattern[_pattern(link)] >= MAX_PER_PATTERN:
                        continue
                    crawl.per_pattern[_pattern(link)] += 1
                queue.append((link, depth + 1))
    finally:
        context.close()


def _special_pages(browser, crawl: Crawl) -> None:  # type: ignore[no-untyped-def]
    """Pages the crawl does not reach by following links."""
    base = crawl.base_url
    errors = ".utrecht-form-field-error-message"
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    try:
        # The login page as it is, after a wrong password, and after an empty submit.
        page.goto(f"{base}/zwolle/inloggen")
        _axe(page, crawl, "/zwolle/inloggen")
        response = _sign_in(page, base, "zwolle", "beheerder", "not-the-password")
        assert response.status == 401
        assert page.locator(errors).count() == 1
        _axe(page, crawl, "/zwolle/inloggen (wrong password)")
        page.goto(f"{base}/zwolle/inloggen")
        response = _submit(page)
        assert response.status == 400
        assert page.locator(errors).count() >= 1
        _axe(page, crawl, "/zwolle/inloggen (empty form)")
        # Signed out: the platform's start page and a 404.
        page.goto(f"{base}/")
        _axe(page, crawl, "/ (signed out)")
        response = page.goto(f"{base}/zwolle/bestaat-niet")
        assert response is not None and response.status == 404
        _axe(page, crawl, "/zwolle/bestaat-niet (404, signed out)")

        # Signed in: a form with validation errors, and 404s in the layout with navigation.
        _sign_in(page, base, "zwolle", "beheerder")
        page.goto(f"{base}/zwolle/inwoners/nieuw")
        response = _submit(page)
        assert response.status == 400
        assert page.locator(errors).count() >= 1
        _axe(page, crawl, "/zwolle/inwoners/nieuw (empty form submitted)")
        for path in ("/zwolle/inwoners/999999", "/bestaat/helemaal/niet"):
            response = page.goto(base + path)
            assert response is not None and response.status == 404
            _axe(page, crawl, f"{path} (404, signed in)")

        # The residents' side has its own layout: its message page for a link that is wrong.
        for path in (
            "/publiek/zaanstad/meedenkgroepen/vragenlijst/geen-geldige-link",
            "/publiek/zaanstad/meedenkgroepen/afmelden/geen-geldige-link",
        ):
            response = page.goto(base + path)
            assert response is not None and response.status == 404
            _axe(page, crawl, f"{path} (404)")

        # axe itself works here: an input without a label is found.
        page.evaluate(
            "() => document.body.insertAdjacentHTML('beforeend', "
            '\'<input type="text" name="unlabelled">\')'
        )
        found = {v["id"] for v in _run_axe(page, base)}
        assert "label" in found, f"axe did not flag an unlabelled input: {found}"
    finally:
        context.close()


def test_every_page_passes_axe(demo, live_server, browser) -> None:  # type: ignore[no-untyped-def]
    """Crawl as five demo employees and run axe (WCAG 2.0/2.1 A + AA) on every page."""
    _give_everyone_every_permission(demo)
    crawl = Crawl(live_server)
    started = time.monotonic()
    for slug, username in CRAWL_USERS:
        _crawl_as(browser, crawl, slug, username)
    _special_pages(browser, crawl)
    elapsed = time.monotonic() - started
    summary = ", ".join(
        f"{who} {len(crawl.audited.get(who, []))}/{len(paths)}"
        for who, paths in crawl.reached.items()
    )
    print(f"\naxe crawl in {elapsed:.1f}s; pages audited/reached per employee: {summary}")

    for who, paths in crawl.reached.items():
        assert len(paths) > 3, f"the crawl as {who} reached too few pages: {paths}"
    assert any(p.startswith("/beheer/") for p in crawl.reached["zwolle/itbeheer"])
    assert any("/raadsgesprekken/" in p for p in crawl.reached["zwolle/griffier"])
    problems = crawl.report()
    assert not problems, f"{len(problems)} accessibility problem(s):\n" + "\n".join(problems)


def test_skip_link_is_first_and_visible_on_focus(demo, live_server, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    try:
        page.goto(f"{live_server}/zwolle/inloggen")
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
              const el = document.activeElement;
              const box = el.getBoundingClientRect();
              const style = getComputedStyle(el);
              return {
                className: el.className,
                href: el.getAttribute('href'),
                width: box.width,
                height: box.height,
                outlineStyle: style.outlineStyle,
                outlineWidth: parseFloat(style.outlineWidth) || 0,
                boxShadow: style.boxShadow,
              };
            }"""
        )
        assert "utrecht-skip-link" in focused["className"], f"Tab went elsewhere: {focused}"
        assert focused["href"] == "#inhoud"
        assert page.locator("#inhoud").count() == 1, "the skip link's target does not exist"
        assert focused["width"] > 1 and focused["height"] > 1, f"invisible on focus: {focused}"
        has_outline = focused["outlineStyle"] != "none" and focused["outlineWidth"] > 0
        has_shadow = focused["boxShadow"] not in ("", "none")
        assert has_outline or has_shadow, f"no visible focus indicator: {focused}"

        # Following the skip link moves the focus to the main content.
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "inhoud"
    finally:
        context.close()
