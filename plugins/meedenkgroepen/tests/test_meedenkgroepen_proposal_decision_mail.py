"""The resident who proposed a new think-along group hears the decision by mail, only with a
valid consent to hear it (recorded with the proposal), checked again as the mail goes out."""

from __future__ import annotations

from sqlalchemy import select
from test_meedenkgroepen_support import BASE, body, municipality, resident

from intranet.extensions import db
from intranet.plugin_api import local_today
from intranet.residents.models import Consent
from intranet.testing.helpers import form_errors, post, signed_in
from plugins.meedenkgroepen.models import PROPOSAL_CONSENT, FeedbackMail, GroupProposal

pytest_plugins = ("test_meedenkgroepen_support",)  # the smtp fixture


def _propose(c, resident_id: int, wants: bool, theme: str = "Laaggeletterdheid") -> int:  # type: ignore[no-untyped-def]
    data = {
        "theme": theme,
        "description": "Via de bibliotheek",
        "received_on": local_today().isoformat(),
        "resident_id": str(resident_id),
    }
    if wants:
        data["wants_decision"] = "y"
    r = post(c, f"{BASE}/voorstellen", data)
    assert r.status_code == 302, form_errors(r.get_data(as_text=True))
    return db.session.execute(
        select(GroupProposal.id).where(GroupProposal.theme == theme)
    ).scalar_one()


def test_the_proposer_hears_the_decision_with_consent_only(demo, smtp) -> None:  # type: ignore[no-untyped-def]
    app = demo
    c = signed_in(app, "zaanstad", "coordinator")
    with app.app_context():
        m = municipality("zaanstad")
        wants = resident(m, "Nora Indiener", "nora@example.org").id
        silent = resident(m, "Sem Zwijger", "sem@example.org").id
        withdrew = resident(m, "Wim Intrekker", "wim@example.org").id
        db.session.commit()
        p1 = _propose(c, wants, True)
        p2 = _propose(c, silent, False, theme="Schulden")
        p3 = _propose(c, withdrew, True, theme="Eenzaamheid")
        consents = (
            db.session.execute(
                select(Consent.resident_id).where(Consent.purpose == PROPOSAL_CONSENT)
            )
            .scalars()
            .all()
        )
        assert sorted(consents) == sorted([wants, withdrew])
        consent = db.session.execute(
            select(Consent).where(Consent.resident_id == withdrew)
        ).scalar_one()
        consent.withdrawn_on = local_today()
        db.session.commit()
    for pid, decision in ((p1, "toegekend"), (p2, "afgewezen"), (p3, "afgewezen")):
        r = post(
            c,
            f"{BASE}/voorstellen/{pid}/besluit",
            {"decision": decision, "reason": "Genoeg belangstelling."},
        )
        assert r.status_code == 302
    assert [m["To"] for m in smtp.messages] == ["nora@example.org"]
    (mail,) = smtp.messages
    assert "Laaggeletterdheid" in mail["Subject"]
    assert "We richten de meedenkgroep op." in body(mail) and "Genoeg belangstelling." in body(mail)
    with app.app_context():
        rows = (
            db.session.execute(select(FeedbackMail).where(FeedbackMail.kind == "besluit"))
            .scalars()
            .all()
        )
        assert [(r.ref, r.status) for r in rows] == [(f"proposal:{p1}", "sent")]


def test_wanting_the_decision_needs_a_proposer(demo) -> None:  # type: ignore[no-untyped-def]
    c = signed_in(demo, "zaanstad", "coordinator")
    r = post(
        c,
        f"{BASE}/voorstellen",
        {
            "theme": "Vervoer",
            "received_on": local_today().isoformat(),
            "resident_id": "0",
            "wants_decision": "y",
        },
    )
    assert r.status_code == 400
    assert "Kies wie het voorstel deed; alleen dan kan die het besluit horen." in form_errors(
        r.get_data(as_text=True)
    )
    with demo.app_context():
        assert (
            db.session.execute(
                select(GroupProposal).where(GroupProposal.theme == "Vervoer")
            ).first()
            is None
        )
