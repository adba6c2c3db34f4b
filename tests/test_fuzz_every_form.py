"""No input gives a 500, and a refused form loses nothing already saved (issue 10 §3).

Property-based (Hypothesis). Nothing is listed by hand: the forms and query parameters come
from the route map and a crawl of the demo (``intranet.testing.crawl``), so a form added
tomorrow is fuzzed tomorrow. Every POST route of the route map is posted to — with the field
names its forms render, the options its selects offer, and generated values: oversized text,
control characters, impossible dates, huge and negative numbers, repeated fields and empty
bodies — as an employee holding every permission of the municipality (and the platform pages
as a platform operator, the residents' pages anonymously). Every GET route gets generated
values for the query parameters its links and search forms use.

Asserted: never a 5xx; and when the app refuses a POST (4xx, or the form again with errors)
not one row of any table but the audit log has changed.

Runs on SQLite and on PostgreSQL (``TEST_DATABASE_URL``). ``FUZZ_EXAMPLES`` (default 2) sets
the generated examples per route, on top of four fixed ones (empty body, every field blank,
NUL everywhere, oversized everywhere).
"""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from intranet.extensions import db
from intranet.testing.crawl import (
    CrawlResult,
    all_permissions,
    changed_tables,
    crawl,
    get_rules,
    grant_role,
    table_snapshot,
    urls_for,
)
from intranet.testing.helpers import csrf_token, form_errors, signed_in

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2"))
#: posted last: they can switch plugins off, end sessions or change the fuzzing employee's roles
LAST = ("access.", "platform.", "auth.logout")
NASTY = [
    "",
    " ",
    "\t",
    "x\n",
    "²",
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "2026-02-30",
    "31-13-2026",
    "0000-00-00",
    "9999-12-31",
    "2026-13-01T25:61",
    "25:61",
    "-1",
    "0",
    "99999999999999999999999999",
    "-9223372036854775809",
    "1e309",
    "NaN",
    "２０２６-０１-０１",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    '=HYPERLINK("http://x")',
    "ǅ\u202e\ufeff",
]
#: beyond every Length(max=…) and String(n) column of the app
OVERSIZED = "ä" * 6_000
#: one post per route with this (a big form body costs time, so not in every example)
HUGE = "ä" * 70_000

values = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.text(alphabet=st.characters(categories=["L", "N", "P", "Zs"]), max_size=300),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.just(OVERSIZED),
)


def body_strategy(fields: dict[str, list[str]]) -> st.SearchStrategy[dict[str, Any]]:
    """A form body: any subset of the rendered fields (so also none), each once or repeated,
    with nasty values or one of the options the form offers, and now and then a stray field."""
    per_field = {}
    for name, options in fields.items():
        if name == "csrf_token":
            continue
        one = st.one_of(values, st.sampled_from(options)) if options else values
        per_field[name] = st.one_of(one, st.lists(one, min_size=2, max_size=3))
    per_field["onbekend-veld"] = values
    return st.fixed_dictionaries({}, optional=per_field)


def _fields(result: CrawlResult, endpoint: str) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for form in result.forms.get(endpoint, []):
        for name, options in form.fields.items():
            fields.setdefault(name, [])
            fields[name] += [o for o in options if o not in fields[name]]
    return fields


def _refused(response) -> bool:  # type: ignore[no-untyped-def]
    if 400 <= response.status_code < 500:
        return True
    if response.status_code == 200 and "html" in (response.content_type or ""):
        return bool(form_errors(response.get_data(as_text=True)))
    return False


class Fuzzer:
    """Posts bodies to one URL and checks each answer against the database."""

    def __init__(self, app, client) -> None:  # type: ignore[no-untyped-def]
        self.app = app
        self.client = client
        self.requests = 0
        with app.app_context():
            self.saved = table_snapshot(db)

    def post(self, url: str, body: dict[str, Any]) -> None:
        data = dict(body)
        data["csrf_token"] = csrf_token(self.client, self.app)
        response = self.client.post(url, data=data)
        self.requests += 1
        assert response.status_code < 500, (url, {k: str(v)[:80] for k, v in body.items()})
        with self.app.app_context():
            now = table_snapshot(db)
        if _refused(response):
            changed = changed_tables(self.saved, now)
            assert changed == [], (url, response.status_code, changed, list(body))
        self.saved = now

    def get(self, url: str, params: dict[str, Any]) -> None:
        response = self.client.get(url, query_string=params)
        self.requests += 1
        assert response.status_code < 500, (url, {k: str(v)[:80] for k, v in params.items()})


def _fuzz_post(fuzzer: Fuzzer, url: str, fields: dict[str, list[str]]) -> None:
    fixed_bodies = (
        {},  # an empty body
        dict.fromkeys(fields, ""),  # every field blank (``attendees=`` once gave a 500)
        dict.fromkeys(fields, "NUL\x00test"),
        dict.fromkeys(fields, HUGE),
    )
    for fixed in fixed_bodies:
        fuzzer.post(url, {k: v for k, v in fixed.items() if k != "csrf_token"})

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(body=body_strategy(fields))
    def run(body: dict[str, Any]) -> None:
        fuzzer.post(url, body)

    run()


def _fuzz_get(fuzzer: Fuzzer, url: str, names: set[str]) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        params=st.fixed_dictionaries({}, optional=dict.fromkeys([*names, "q", "pagina"], values))
    )
    def run(params: dict[str, Any]) -> None:
        fuzzer.get(url, params)

    run()


def _public_urls(app) -> list[str]:  # type: ignore[no-untyped-def]
    """A valid unsubscribe and answer link, as a panel member got them by mail."""
    from plugins.meedenkgroepen.models import Invitation, PanelMember, Questionnaire
    from plugins.meedenkgroepen.tokens import make_answer_token, make_unsubscribe_token

    with app.test_request_context():
        members = db.session.execute(select(PanelMember)).scalars().all()[:1]
        for q in db.session.execute(select(Questionnaire)).scalars():
            member = next(
                iter(
                    db.session.execute(
                        select(PanelMember).where(PanelMember.panel_id == q.panel_id)
                    ).scalars()
                ),
                None,
            )
            taken = (
                member is not None
                and db.session.execute(
                    select(Invitation.id).where(
                        Invitation.questionnaire_id == q.id,
                        Invitation.resident_id == member.resident_id,
                    )
                ).first()
            )
            if member is not None and not taken:  # the demo invites some members itself
                db.session.add(
                    Invitation(
                        municipality_id=q.municipality_id,
                        questionnaire_id=q.id,
                        resident_id=member.resident_id,
                        member_id=member.id,
                        status="sent",
                    )
                )
        db.session.commit()
        invitations = db.session.execute(select(Invitation)).scalars().all()[:1]
        assert members and invitations
        return [
            f"/publiek/zaanstad/meedenkgroepen/afmelden/{make_unsubscribe_token(m.municipality_id, m.id)}"
            for m in members
        ] + [
            f"/publiek/zaanstad/meedenkgroepen/vragenlijst/{make_answer_token(i.municipality_id, i.id)}"
            for i in invitations
        ]


def test_no_input_gives_a_500_and_a_refusal_loses_nothing(demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # A job an earlier post enqueued finishes inside that request, not in a thread that
    # would write its row while a later post is being compared against the database.
    monkeypatch.setitem(demo.config, "JOBS_EAGER", True)
    public = _public_urls(demo)
    covered: set[str] = set()
    for slug, user in (("zwolle", "griffier"), ("zaanstad", "coordinator")):
        client = grant_role(demo, slug, user, "alles", all_permissions(demo))
        result = crawl(demo, client, slug, extra=public if slug == "zaanstad" else ())
        fuzzer = Fuzzer(demo, client)
        for rule in get_rules(demo, "GET"):
            if "municipality" in rule.arguments and not rule.rule.startswith("/publiek"):
                for url in urls_for(rule, result, slug, limit=1):
                    _fuzz_get(fuzzer, url, result.query_params.get(rule.endpoint, set()))
                    covered.add(f"GET {rule.endpoint}")
        posts = [
            r
            for r in get_rules(demo, "POST")
            if "municipality" in r.arguments and not r.rule.startswith("/publiek")
        ]
        posts.sort(key=lambda r: r.endpoint.startswith(LAST))
        for rule in posts:
            urls = urls_for(rule, result, slug, limit=1)
            for url in urls:
                # a fresh sign-in with every permission: an earlier post may have changed them
                fuzzer.client = _fresh(demo, slug, user)
                with demo.app_context():
                    fuzzer.saved = table_snapshot(db)
                _fuzz_post(fuzzer, url, _fields(result, rule.endpoint))
                covered.add(f"POST {rule.endpoint}")
        if slug == "zaanstad":  # the residents' pages, anonymously
            anonymous = Fuzzer(demo, demo.test_client())
            for url in public:
                endpoint = demo.url_map.bind("localhost").match(url)[0]
                _fuzz_post(anonymous, url, _fields(result, endpoint))
                _fuzz_get(anonymous, url, set())
                covered.add(f"POST {endpoint}")
    # the platform pages, as a platform operator
    operator = Fuzzer(demo, signed_in(demo, "zwolle", "itbeheer"))
    result = crawl(demo, operator.client, None)
    for rule in get_rules(demo, "POST"):
        if "municipality" not in rule.arguments and rule.endpoint != "auth.logout":
            for url in urls_for(rule, result, "zwolle", limit=1):
                _fuzz_post(operator, url, _fields(result, rule.endpoint))
                covered.add(f"POST {rule.endpoint}")
    every_post = {f"POST {r.endpoint}" for r in get_rules(demo, "POST")} - {"POST auth.logout"}
    missing = every_post - covered
    assert not missing, missing


def _fresh(app, slug: str, user: str):  # type: ignore[no-untyped-def]
    """Signed in again with the role ``alles`` holding every permission, whatever the last
    post did to the employee, the role or its assignment."""
    from intranet.access import service as access
    from intranet.access.models import Role, RoleAssignment
    from intranet.auth.models import Employee
    from intranet.municipalities import service as municipalities

    with app.app_context():
        municipality = municipalities.by_slug(slug)
        municipality.active = True
        employee = db.session.execute(
            select(Employee).where(
                Employee.municipality_id == municipality.id, Employee.username == user
            )
        ).scalar_one()
        employee.active = True
        role = db.session.execute(
            select(Role).where(Role.municipality_id == municipality.id, Role.name == "alles")
        ).scalar_one_or_none()
        if role is None:
            role = access.create_role(municipality, "alles", "alles", all_permissions(app))
        else:
            access.grant_permissions(municipality, role, all_permissions(app))
        held = db.session.execute(
            select(RoleAssignment).where(
                RoleAssignment.employee_id == employee.id, RoleAssignment.role_id == role.id
            )
        ).first()
        if held is None:
            access.grant_manual(municipality, employee, role, reason="fuzz", granted_by="test")
        db.session.commit()
    return signed_in(app, slug, user)
