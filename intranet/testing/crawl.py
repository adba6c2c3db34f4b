"""Crawling the app from its route map, for tests that must cover every page and every form.

``crawl`` starts from every GET route that needs no id, follows every link and form action it
finds in the HTML, and matches each address against ``app.url_map``; so it reaches the pages
of every id the demo data links to, and it learns every form's action and field names (with
the options of its selects and checkboxes). Routes no link reaches are built from the ids seen
elsewhere (``urls_for``). Nothing here is a hand list: a new route or form is covered the day
it is added.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from flask import Flask
from sqlalchemy import select
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BuildError, RequestRedirect, Rule

#: endpoints a crawl never GETs: ``static`` files
SKIP_GET = {"static"}


@dataclass
class FormInfo:
    """One ``<form method="post">`` as the page renders it."""

    url: str
    endpoint: str
    #: field name -> the values a select/checkbox/radio offers (empty for free text)
    fields: dict[str, list[str]] = field(default_factory=dict)
    #: field name -> input type ("text", "date", "number", "select", "textarea", …)
    types: dict[str, str] = field(default_factory=dict)


@dataclass
class CrawlResult:
    #: endpoint -> concrete GET addresses (path and query) seen for it
    pages: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    #: endpoint -> forms posting to it
    forms: dict[str, list[FormInfo]] = field(default_factory=lambda: defaultdict(list))
    #: endpoint -> query parameter names seen in links and GET forms
    query_params: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: URL argument name -> values seen in any matched address (ids of demo rows)
    arguments: dict[str, set[Any]] = field(default_factory=lambda: defaultdict(set))
    #: address -> status of the GET
    statuses: dict[str, int] = field(default_factory=dict)
    #: address -> ids that stand more than once on the page (a skip link, a label or an
    #: error link then leads to the wrong element); hidden inputs left out
    duplicate_ids: dict[str, set[str]] = field(default_factory=dict)


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: str | None = None
        self.ids: set[str] = set()
        self.duplicate_ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        # a hidden input's id is never a target (Flask-WTF names each form's token the same)
        if a.get("id") and not (tag == "input" and a.get("type") == "hidden"):
            if a["id"] in self.ids:
                self.duplicate_ids.add(a["id"])
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {
                "action": a.get("action", ""),
                "method": a.get("method", "get").lower(),
                "fields": {},
                "types": {},
            }
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "select", "textarea", "button"):
            name = a.get("name")
            if not name:
                return
            kind = a.get("type", tag if tag != "input" else "text").lower()
            options = self._form["fields"].setdefault(name, [])
            self._form["types"].setdefault(name, kind)
            offers = kind in ("checkbox", "radio", "submit", "hidden") or tag == "button"
            if offers and a.get("value") not in (None, "") and a["value"] not in options:
                options.append(a["value"])
            if tag == "select":
                self._select = name
        elif tag == "option" and self._form is not None and self._select:
            value = a.get("value")
            if value is not None:
                self._form["fields"][self._select].append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def get_rules(app: Flask, method: str = "GET") -> list[Rule]:
    """Every rule of the route map answering ``method`` (``static`` excluded)."""
    return [
        r
        for r in app.url_map.iter_rules()
        if method in (r.methods or ()) and r.endpoint not in SKIP_GET
    ]


def _match(app: Flask, address: str, method: str) -> tuple[str, dict[str, Any]] | None:
    parts = urlsplit(address)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, values = adapter.match(parts.path, method=method)
    except (HTTPException, RequestRedirect):  # not found, or a redirect for a missing slash
        return None
    return endpoint, values


def crawl(
    app: Flask,
    client: Any,
    slug: str | None,
    extra: Iterable[str] = (),
    per_endpoint: int = 2,
    max_pages: int = 600,
) -> CrawlResult:
    """GET every page reachable from the id-less routes of ``slug`` (and ``extra``)."""
    result = CrawlResult()
    queue: list[str] = list(extra)
    for rule in get_rules(app):
        args = set(rule.arguments)
        if args <= {"municipality"} and (slug is not None or not args):
            queue.append(rule.rule.replace("<municipality>", slug or ""))
    seen: set[str] = set()
    while queue and len(seen) < max_pages:
        address = queue.pop(0)
        parts = urlsplit(address)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path in seen:
            continue
        matched = _match(app, parts.path, "GET")
        if matched is None:
            continue
        endpoint, values = matched
        if endpoint in SKIP_GET or len(result.pages[endpoint]) >= per_endpoint:
            continue
        if slug is not None and values.get("municipality") not in (None, slug):
            continue
        seen.add(path)
        for name, value in values.items():
            result.arguments[name].add(value)
        for name, _ in parse_qsl(parts.query, keep_blank_values=True):
            result.query_params[endpoint].add(name)
        response = client.get(path)
        result.statuses[path] = response.status_code
        result.pages[endpoint].append(path)
        if response.status_code != 200 or "html" not in (response.content_type or ""):
            continue
        parser = _PageParser()
        parser.feed(response.get_data(as_text=True))
        if parser.duplicate_ids:
            result.duplicate_ids[path] = parser.duplicate_ids
        queue.extend(parser.links)
        for form in parser.forms:
            action = form["action"] or path
            if form["method"] == "post":
                posted = _match(app, urlsplit(action).path, "POST")
                if posted is None:
                    continue
                result.forms[posted[0]].append(
                    FormInfo(urlsplit(action).path, posted[0], form["fields"], form["types"])
                )
                for name, value in posted[1].items():
                    result.arguments[name].add(value)
            else:
                got = _match(app, urlsplit(action).path, "GET")
                if got is not None:
                    result.query_params[got[0]].update(form["fields"])
    return result


def urls_for(rule: Rule, result: CrawlResult, slug: str | None, limit: int = 2) -> list[str]:
    """Concrete addresses for ``rule``: those the crawl saw, else built from seen ids."""
    method = "POST" if "POST" in (rule.methods or ()) else "GET"
    seen = [f.url for f in result.forms.get(rule.endpoint, [])] if method == "POST" else []
    seen += [p.split("?")[0] for p in result.pages.get(rule.endpoint, [])]
    if seen:
        return list(dict.fromkeys(seen))[:limit]
    values: dict[str, Any] = {}
    for name in rule.arguments:
        if name == "municipality":
            values[name] = slug
            continue
        pool = sorted(result.arguments.get(name, set()), key=str)
        if not pool and name.endswith("_id"):
            pool = [1]
        converter = rule._converters.get(name)  # type: ignore[attr-defined]
        items = getattr(converter, "items", None)
        if items:
            pool = sorted(items)
        values[name] = pool[0] if pool else "x"
    adapter = rule.map.bind("localhost")
    try:
        return [adapter.build(rule.endpoint, values, method=method)]
    except (BuildError, ValueError, TypeError):  # a rule this crawl cannot fill
        return []


def table_snapshot(db: Any, exclude: Iterable[str] = ("audit_event",)) -> dict[str, list[str]]:
    """Every row of every table but ``exclude``, as sorted text: compare two to see changes."""
    from ..jobs.runner import join_job_threads

    join_job_threads()  # a job thread of an earlier request would write between two snapshots
    skip = set(exclude)
    snapshot: dict[str, list[str]] = {}
    for table in db.metadata.sorted_tables:
        if table.name in skip:
            continue
        rows = db.session.execute(select(table)).all()
        snapshot[table.name] = sorted(repr(tuple(r)) for r in rows)
    return snapshot


def changed_tables(before: dict[str, list[str]], after: dict[str, list[str]]) -> list[str]:
    return sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))


def anchors(html: str) -> list[str]:
    """The ``href`` of every link in a page (for tests that look for a given link)."""
    return re.findall(r'href="([^"]+)"', html)


def grant_role(app: Flask, slug: str, username: str, name: str, codes: Iterable[str]) -> Any:
    """Give the directory user ``username`` a role with exactly ``codes`` (by hand, on top
    of their groups) and return a client signed in as them."""
    from ..access import service as access
    from ..auth.models import Employee
    from ..extensions import db
    from ..municipalities import service as municipalities
    from .helpers import signed_in

    signed_in(app, slug, username)  # the first sign-in creates the employee
    with app.app_context():
        municipality = municipalities.by_slug(slug)
        employee = db.session.execute(
            select(Employee).where(
                Employee.municipality_id == municipality.id, Employee.username == username
            )
        ).scalar_one()
        role = access.create_role(municipality, name, name, sorted(set(codes)))
        access.grant_manual(municipality, employee, role, reason="test", granted_by="test")
        db.session.commit()
    return signed_in(app, slug, username)


def all_permissions(app: Flask, without: Iterable[str] = ()) -> list[str]:
    """Every permission the core and the plugins declare (but ``without``)."""
    skip = set(without)
    return sorted(c for c in app.extensions["intranet"].permissions if c not in skip)
