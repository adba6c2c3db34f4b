"""Unsubscribing from a panel: GET only asks, a button or RFC 8058 one-click POST acts."""

from __future__ import annotations

from sqlalchemy import select

from intranet.extensions import db
from intranet.testing.helpers import post
from plugins.meedenkgroepen.models import PanelMember
from plugins.meedenkgroepen.tokens import make_unsubscribe_token

PUBLIC = "/publiek/zaanstad/meedenkgroepen"


def _link(app) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    with app.test_request_context():
        member = (
            db.session.execute(select(PanelMember).where(PanelMember.left_at.is_(None)))
            .scalars()
            .first()
        )
        return (
            f"{PUBLIC}/afmelden/{make_unsubscribe_token(member.municipality_id, member.id)}",
            member.id,
        )


def _left(app, member_id: int) -> bool:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.get(PanelMember, member_id).left_at is not None


def test_opening_the_link_asks_and_changes_nothing(demo) -> None:  # type: ignore[no-untyped-def]
    url, member_id = _link(demo)
    client = demo.test_client()
    for _ in range(3):  # a scanner, a preview, the resident
        response = client.get(url)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert '<form method="post"' in html and "Ja, meld mij af" in html
    assert not _left(demo, member_id)
    assert post(client, url).status_code == 200
    assert _left(demo, member_id)
    assert "al afgemeld" in client.get(url).get_data(as_text=True)


def test_a_post_without_token_or_one_click_body_is_refused(demo) -> None:  # type: ignore[no-untyped-def]
    url, member_id = _link(demo)
    client = demo.test_client()
    assert client.post(url).status_code == 400
    assert client.post(url, data={"List-Unsubscribe": "One-Click", "x": "1"}).status_code == 400
    assert client.post(url, data={"List-Unsubscribe": "Yes"}).status_code == 400
    assert not _left(demo, member_id)


def test_rfc8058_one_click_post_needs_no_csrf_token(demo) -> None:  # type: ignore[no-untyped-def]
    url, member_id = _link(demo)
    response = demo.test_client().post(url, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert _left(demo, member_id)
    # multipart, as some mail programs send it
    url2, member2 = _link(demo)
    response = demo.test_client().post(
        url2, data={"List-Unsubscribe": "One-Click"}, content_type="multipart/form-data"
    )
    assert response.status_code == 200 and _left(demo, member2)


def test_a_forged_token_unsubscribes_nobody(demo) -> None:  # type: ignore[no-untyped-def]
    url, member_id = _link(demo)
    forged = url[:-3] + ("aaa" if not url.endswith("aaa") else "bbb")
    assert (
        demo.test_client().post(forged, data={"List-Unsubscribe": "One-Click"}).status_code == 404
    )
    assert not _left(demo, member_id)
