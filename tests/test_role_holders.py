"""A role's page says what the role may do and who holds it, including people who get it
through a directory group but never signed in (read from the real test slapd)."""

from __future__ import annotations

import re

from sqlalchemy import select

from intranet.access.models import Role
from intranet.extensions import db
from intranet.municipalities import service
from intranet.tenancy import scoped
from intranet.testing.helpers import signed_in


def _role_id(app, slug: str, name: str) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        municipality = service.by_slug(slug)
        return db.session.execute(
            scoped(Role, municipality).where(Role.name == name).with_only_columns(Role.id)
        ).scalar_one()


def _row(body: str, name: str) -> str:
    for row in re.findall(r"<tr class=\"utrecht-table__row\">(.*?)</tr>", body, re.S):
        if name in row:
            return row
    raise AssertionError(f"{name} not in the holders table")


def test_role_page_lists_permissions_and_members_who_never_signed_in(demo) -> None:  # type: ignore[no-untyped-def]
    admin = signed_in(demo, "zwolle", "beheerder")
    role_id = _role_id(demo, "zwolle", "raadsgesprekken-raadslid")
    body = admin.get(f"/zwolle/toegang/rollen/{role_id}").get_data(as_text=True)
    assert "Wat deze rol mag" in body and "Wie deze rol heeft" in body
    assert "cn=raadsleden" in body
    # neither council member has signed in during this test: the directory says who they are
    for name in ("Mirjam Bakker", "Ahmed El Amrani"):
        row = _row(body, name)
        assert "via groep raadsleden" in row and "nog nooit" in row
    # after signing in, Ahmed is listed as signed in, with a link to his page
    signed_in(demo, "zwolle", "raadslid2")
    body = admin.get(f"/zwolle/toegang/rollen/{role_id}").get_data(as_text=True)
    row = _row(body, "Ahmed El Amrani")
    assert "nog nooit" not in row and "/zwolle/toegang/medewerkers/" in row
    assert "nog nooit" in _row(body, "Mirjam Bakker")


def test_members_of_reads_escaped_dns_and_both_directory_kinds(demo) -> None:  # type: ignore[no-untyped-def]
    from intranet.auth.directory import directory_for

    settings = demo.extensions["intranet"].deployment
    zwolle = directory_for("zwolle", settings.for_municipality("zwolle").directory)
    members = zwolle.members_of("cn=beleidsmedewerkers,ou=groups,dc=zwolle,dc=demo")
    assert {m.username for m in members} == {"beleid", "ksmit"}
    assert zwolle.members_of("cn=bestaat-niet,ou=groups,dc=zwolle,dc=demo") == []
    groups = zwolle.search_groups("raad")
    assert "raadsleden" in [g.name for g in groups]
    assert all("raad" in f"{g.name} {g.description}".lower() for g in groups)
    assert "platformbeheer" not in [g.name for g in groups]
    # a filter character typed into the search is escaped, not interpreted
    assert zwolle.search_groups("*)(cn=*") == []
    zaanstad = directory_for("zaanstad", settings.for_municipality("zaanstad").directory)
    assert zaanstad.search_groups("")  # the whole list when nothing is typed


def test_holders_when_the_directory_is_down_says_so(demo) -> None:  # type: ignore[no-untyped-def]
    """A closed port stands in for a directory that is down (a real failure, no mock)."""
    import dataclasses

    from intranet.access.holders import role_holders
    from intranet.config import DeploymentSettings
    from intranet_dev.slapd import free_port

    state = demo.extensions["intranet"]
    original = state.deployment
    zwolle = original.for_municipality("zwolle")
    broken = dataclasses.replace(
        zwolle,
        directory=dataclasses.replace(zwolle.directory, url=f"ldap://127.0.0.1:{free_port()}"),
    )
    state.deployment = dataclasses.replace(
        original, municipalities={**original.municipalities, "zwolle": broken}
    )
    try:
        with demo.test_request_context():
            municipality = service.by_slug("zwolle")
            role = db.session.execute(
                scoped(Role, municipality).where(Role.name == "raadsgesprekken-raadslid")
            ).scalar_one()
            result = role_holders(municipality, role)
        assert result.directory_down
    finally:
        state.deployment = original
    assert isinstance(original, DeploymentSettings)
    _ = select
