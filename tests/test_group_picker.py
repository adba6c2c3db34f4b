"""The directory group picker: administrators search the municipality's directory (real
slapd) on the server and pick a group, instead of typing its DN; works without JavaScript."""

from __future__ import annotations

import re

from sqlalchemy import select

from intranet.access.models import GroupRoleMapping, Role
from intranet.extensions import db
from intranet.testing.helpers import post, signed_in


def test_search_pick_and_map_a_group_without_typing_a_dn(demo) -> None:  # type: ignore[no-untyped-def]
    admin = signed_in(demo, "zwolle", "beheerder")
    body = admin.get("/zwolle/toegang/groepen?zoek=beleid").get_data(as_text=True)
    assert "cn=beleidsmedewerkers,ou=groups,dc=zwolle,dc=demo" in body
    assert "1 groep gevonden." in body
    pick = re.search(r'href="([^"]*groep=[^"]*)"', body)
    assert pick
    href = pick.group(1).replace("&amp;", "&")
    body = admin.get(href).get_data(as_text=True)
    field = re.search(r'<input[^>]*id="group_dn"[^>]*>', body)
    assert field and 'value="cn=beleidsmedewerkers,ou=groups,dc=zwolle,dc=demo"' in field.group(0)
    with demo.app_context():
        from intranet.municipalities.models import Municipality

        zwolle = db.session.execute(select(Municipality).filter_by(slug="zwolle")).scalar_one()
        role = (  # one of Zwolle's roles, in a fixed order on every database
            db.session.execute(
                select(Role).where(Role.municipality_id == zwolle.id).order_by(Role.id)
            )
            .scalars()
            .first()
        )
        role_id = role.id
    response = post(
        admin,
        "/zwolle/toegang/groepen",
        {"group_dn": "cn=beleidsmedewerkers,ou=groups,dc=zwolle,dc=demo", "role_id": role_id},
    )
    assert response.status_code == 302
    with demo.app_context():
        assert db.session.execute(
            select(GroupRoleMapping).where(
                GroupRoleMapping.group_dn.like("%beleidsmedewerkers%"),
                GroupRoleMapping.role_id == role_id,
            )
        ).scalar_one_or_none()


def test_search_finds_nothing_and_says_so(demo) -> None:  # type: ignore[no-untyped-def]
    admin = signed_in(demo, "zwolle", "beheerder")
    body = admin.get("/zwolle/toegang/groepen?zoek=bestaat-zeker-niet").get_data(as_text=True)
    assert "0 groepen gevonden." in body
    body = admin.get("/zwolle/toegang/groepen?zoek=*)(cn=*").get_data(as_text=True)
    assert "0 groepen gevonden." in body
