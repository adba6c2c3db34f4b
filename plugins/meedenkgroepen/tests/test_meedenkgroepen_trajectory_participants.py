"""A trajectory's step-3 participant groups refer to residents and organisations in the
municipality's registry, and the trajectory's feedback reaches them: residents with the group
consent, an organisation through its contact persons. Free-text groups stay as they were.
Bad input, permissions and tenant isolation of the new form."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from test_meedenkgroepen_support import BASE, body, municipality, resident

from intranet.audit.models import AuditEvent
from intranet.extensions import db
from intranet.organisations.models import Organisation, OrganisationContact
from intranet.plugin_api import local_today
from intranet.residents.models import Consent
from intranet.testing.helpers import form_errors, post, signed_in
from plugins.meedenkgroepen.models import (
    GROUP_CONSENT,
    Contribution,
    ParticipantGroup,
    Trajectory,
    TrajectoryParticipant,
)
from plugins.meedenkgroepen.participants import participants
from plugins.meedenkgroepen.privacy import erase_resident, resident_data

pytest_plugins = ("test_meedenkgroepen_support",)  # the smtp fixture


def _setup(app) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """A trajectory in step 5 with one free-text group ("ouders in de wijk") and all its
    contributions decided; residents and an organisation in Zaanstad, and one of each in
    Zwolle."""
    with app.app_context():
        m = municipality("zaanstad")
        zwolle = municipality("zwolle")
        t = Trajectory(municipality_id=m.id, topic="Jeugdhulp dichtbij", origin="inwoner", step=5)
        db.session.add(t)
        db.session.flush()
        group = ParticipantGroup(
            municipality_id=m.id, trajectory_id=t.id, name="ouders in de wijk", rung="adviseren"
        )
        other_t = Trajectory(municipality_id=m.id, topic="Ander traject", origin="gemeente", step=3)
        db.session.add_all([group, other_t])
        db.session.flush()
        other_group = ParticipantGroup(
            municipality_id=m.id, trajectory_id=other_t.id, name="jongeren", rung="raadplegen"
        )
        db.session.add_all(
            [
                other_group,
                Contribution(
                    municipality_id=m.id,
                    trajectory_id=t.id,
                    position=1,
                    source="gesprek",
                    text="Spreekuur op school",
                    complete=True,
                    decision="gebruikt",
                ),
            ]
        )
        ans = resident(m, "Ans Ouder", "ans@example.org")
        bert = resident(m, "Bert Zonder-Toestemming", "bert@example.org")
        contact = resident(m, "Cor Contact", "cor@example.org")
        db.session.add(
            Consent(
                municipality_id=m.id,
                resident_id=contact.id,
                purpose=GROUP_CONSENT,
                method="form",
                given_on=local_today() - timedelta(days=10),
            )
        )
        org = Organisation(
            municipality_id=m.id, name="Cliëntenraad Jeugd", kind="client_organisation"
        )
        db.session.add(org)
        db.session.flush()
        db.session.add(
            OrganisationContact(
                municipality_id=m.id, organisation_id=org.id, resident_id=contact.id
            )
        )
        foreign_resident = resident(zwolle, "Zwolse inwoner", "z@example.org")
        foreign_org = Organisation(municipality_id=zwolle.id, name="Zwolse organisatie")
        db.session.add(foreign_org)
        db.session.commit()
        return {
            "t": t.id,
            "group": group.id,
            "other_group": other_group.id,
            "ans": ans.id,
            "bert": bert.id,
            "contact": contact.id,
            "org": org.id,
            "foreign_resident": foreign_resident.id,
            "foreign_org": foreign_org.id,
        }


def _add(c, ids: dict[str, int], **data):  # type: ignore[no-untyped-def]
    form = {f"deelnemer-{k}": v for k, v in data.items()}
    form.setdefault("deelnemer-group_id", str(ids["group"]))
    return post(c, f"{BASE}/trajecten/{ids['t']}/deelnemers/registreren", form)


def _count() -> int:
    """Registry participants of the trajectories made here (the demo has its own)."""
    return db.session.execute(
        select(func.count(TrajectoryParticipant.id))
        .join(Trajectory, Trajectory.id == TrajectoryParticipant.trajectory_id)
        .where(Trajectory.topic.in_(("Jeugdhulp dichtbij", "Ander traject", "X")))
    ).scalar_one()


def _ours():  # type: ignore[no-untyped-def]
    return (
        select(TrajectoryParticipant.id)
        .join(Trajectory, Trajectory.id == TrajectoryParticipant.trajectory_id)
        .where(Trajectory.topic == "Jeugdhulp dichtbij")
    )


def test_registry_participants_hear_the_trajectory_feedback(demo, smtp) -> None:  # type: ignore[no-untyped-def]
    app = demo
    ids = _setup(app)
    c = signed_in(app, "zaanstad", "ambtenaar")
    page = c.get(f"{BASE}/trajecten/{ids['t']}").get_data(as_text=True)
    assert "ouders in de wijk" in page and 'name="deelnemer-resident_id"' in page
    # another municipality's residents and organisations are not offered
    assert "Zwolse inwoner" not in page and "Zwolse organisatie" not in page
    r = _add(c, ids, resident_id=str(ids["ans"]), wants_feedback="y")
    assert r.status_code == 302, form_errors(r.get_data(as_text=True))
    assert _add(c, ids, resident_id=str(ids["bert"])).status_code == 302
    assert _add(c, ids, organisation_id=str(ids["org"])).status_code == 302
    page = c.get(f"{BASE}/trajecten/{ids['t']}").get_data(as_text=True)
    assert "Ans Ouder" in page and "Cliëntenraad Jeugd" in page
    with app.app_context():
        # the tick recorded Ans's consent for the group mail; Bert gave none
        m = municipality("zaanstad")
        consents = set(
            db.session.execute(
                select(Consent.resident_id).where(
                    Consent.municipality_id == m.id, Consent.purpose == GROUP_CONSENT
                )
            ).scalars()
        )
        assert ids["ans"] in consents and ids["bert"] not in consents
        assert _count() == 3
        assert (
            db.session.execute(
                select(func.count(AuditEvent.id)).where(
                    AuditEvent.action == "meedenkgroepen.trajectory.participant.added"
                )
            ).scalar_one()
            == 3
        )
        # the reach page counts the residents, on the day they were added
        reached = set(participants(m, local_today(), local_today() + timedelta(days=1)))
        assert {ids["ans"], ids["bert"]} <= reached and ids["contact"] not in reached
    r = post(c, f"{BASE}/trajecten/{ids['t']}/terugkoppeling", {})
    assert r.status_code == 302
    # Ans (consent), Cor (contact of the organisation, consent); Bert has no consent
    assert sorted(m["To"] for m in smtp.messages) == ["ans@example.org", "cor@example.org"]
    (mail,) = smtp.to("cor@example.org")
    assert "Jeugdhulp dichtbij" in mail["Subject"] and "Spreekuur op school" in body(mail)


def test_free_text_groups_stay_and_participants_can_be_removed(demo) -> None:  # type: ignore[no-untyped-def]
    app = demo
    ids = _setup(app)
    c = signed_in(app, "zaanstad", "ambtenaar")
    assert _add(c, ids, organisation_id=str(ids["org"])).status_code == 302
    with app.app_context():
        pid = db.session.execute(_ours()).scalar_one()
    r = post(c, f"{BASE}/trajecten/{ids['t']}/deelnemers/{pid}/verwijderen", {})
    assert r.status_code == 302
    with app.app_context():
        assert _count() == 0
        group = db.session.get(ParticipantGroup, ids["group"])
        assert group.name == "ouders in de wijk" and group.rung == "adviseren"
    # a participant of another trajectory is not removed through this one
    assert _add(c, ids, resident_id=str(ids["ans"])).status_code == 302
    with app.app_context():
        pid = db.session.execute(_ours()).scalar_one()
        other = Trajectory(
            municipality_id=municipality("zaanstad").id, topic="X", origin="gemeente", step=3
        )
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    r = post(c, f"{BASE}/trajecten/{other_id}/deelnemers/{pid}/verwijderen", {})
    assert r.status_code == 404
    with app.app_context():
        assert _count() == 1


def test_bad_input_is_refused_next_to_the_field(demo) -> None:  # type: ignore[no-untyped-def]
    app = demo
    ids = _setup(app)
    c = signed_in(app, "zaanstad", "ambtenaar")
    assert _add(c, ids, resident_id=str(ids["ans"])).status_code == 302
    cases = (
        ({}, "Kies een inwoner of een organisatie."),
        ({"resident_id": "0", "organisation_id": "0"}, "Kies een inwoner of een organisatie."),
        (
            {"resident_id": str(ids["bert"]), "organisation_id": str(ids["org"])},
            "Kies een inwoner óf een organisatie, niet allebei.",
        ),
        ({"resident_id": "abc"}, "Kies een inwoner uit de lijst."),
        ({"resident_id": str(ids["foreign_resident"])}, "Kies een inwoner uit de lijst."),
        ({"organisation_id": str(ids["foreign_org"])}, "Kies een organisatie uit de lijst."),
        ({"organisation_id": "99999999"}, "Kies een organisatie uit de lijst."),
        (
            {"resident_id": str(ids["bert"]), "group_id": str(ids["other_group"])},
            "Kies een groep deelnemers uit de lijst.",
        ),
        ({"resident_id": str(ids["bert"]), "group_id": ""}, "Kies de groep deelnemers."),
        ({"resident_id": str(ids["ans"])}, "Deze inwoner hoort al bij deze groep deelnemers."),
        (
            {"organisation_id": str(ids["org"]), "wants_feedback": "y"},
            "Alleen een inwoner geeft zelf toestemming",
        ),
    )
    for data, message in cases:
        r = _add(c, ids, **data)
        assert r.status_code == 400, data
        errors = " ".join(form_errors(r.get_data(as_text=True)))
        assert message in errors, (data, errors)
    with app.app_context():
        assert _count() == 1
    # no CSRF token
    r = c.post(
        f"{BASE}/trajecten/{ids['t']}/deelnemers/registreren",
        data={"deelnemer-group_id": ids["group"], "deelnemer-resident_id": ids["bert"]},
    )
    assert r.status_code == 400
    # before step 3 there are no participants to record
    with app.app_context():
        db.session.get(Trajectory, ids["t"]).step = 2
        db.session.commit()
    assert _add(c, ids, resident_id=str(ids["bert"])).status_code == 302
    with app.app_context():
        assert _count() == 1


def test_permissions_and_tenant_isolation(demo) -> None:  # type: ignore[no-untyped-def]
    app = demo
    ids = _setup(app)
    plain = signed_in(app, "zaanstad", "medewerker")
    assert _add(plain, ids, resident_id=str(ids["ans"])).status_code == 403
    other = signed_in(app, "zwolle", "griffier")
    assert _add(other, ids, resident_id=str(ids["ans"])).status_code in (403, 404)
    r = post(
        other,
        f"/zwolle/meedenkgroepen/trajecten/{ids['t']}/deelnemers/registreren",
        {"deelnemer-group_id": str(ids["group"]), "deelnemer-resident_id": str(ids["ans"])},
    )
    assert r.status_code in (403, 404)
    with app.app_context():
        assert _count() == 0


def test_access_request_and_erasure_cover_trajectory_participation(demo) -> None:  # type: ignore[no-untyped-def]
    app = demo
    ids = _setup(app)
    c = signed_in(app, "zaanstad", "ambtenaar")
    assert _add(c, ids, resident_id=str(ids["ans"])).status_code == 302
    with app.app_context():
        from intranet.residents.models import Resident

        m = municipality("zaanstad")
        ans = db.session.get(Resident, ids["ans"])
        data = resident_data(m, ans)
        assert any(
            r.get("soort") == "deelnemer aan een traject" and r["traject"] == "Jeugdhulp dichtbij"
            for r in data.records
        )
        result = erase_resident(m, ans, "verzoek")
        db.session.commit()
        assert any("deelname aan trajecten" in e for e in result.erased)
        assert _count() == 0


def _trajectory_item(app, tid: int):  # type: ignore[no-untyped-def]
    from intranet.feedback import service as feedback
    from intranet.municipalities import service

    with app.test_request_context("/zaanstad/"):
        return next(
            c
            for c in feedback.contributions(service.by_slug("zaanstad"))
            if c.plugin == "meedenkgroepen"
            and c.kind == "trajectory_contribution"
            and c.url == f"{BASE}/trajecten/{tid}"
        )


def test_ledger_counts_the_trajectory_fed_back_once_a_mail_went_out(demo, smtp) -> None:  # type: ignore[no-untyped-def]
    app = demo
    ids = _setup(app)
    c = signed_in(app, "zaanstad", "ambtenaar")
    assert _add(c, ids, organisation_id=str(ids["org"])).status_code == 302
    smtp.refuse("cor@example.org")
    assert post(c, f"{BASE}/trajecten/{ids['t']}/terugkoppeling", {}).status_code == 302
    assert smtp.messages == []
    # queued and tried, but nobody heard back: still owed
    assert _trajectory_item(app, ids["t"]).owed
    smtp.refuse()
    with app.app_context():
        from plugins.meedenkgroepen.models import FAILED, PENDING, FeedbackMail

        for fm in db.session.execute(
            select(FeedbackMail).where(FeedbackMail.ref == f"trajectory:{ids['t']}")
        ).scalars():
            assert fm.status == FAILED
            fm.status = PENDING
        db.session.commit()
        from intranet.plugin_api import enqueue

        enqueue(
            "plugins.meedenkgroepen.jobs:send_feedback_mails",
            title="Terugkoppeling",
            municipality_id=municipality("zaanstad").id,
            created_by="ambtenaar",
            ref=f"trajectory:{ids['t']}",
            kind="terugkoppeling",
        )
    assert [m["To"] for m in smtp.messages] == ["cor@example.org"]
    item = _trajectory_item(app, ids["t"])
    assert not item.owed and item.feedback_how == "mail"


def test_retention_removes_residents_of_long_closed_trajectories(demo) -> None:  # type: ignore[no-untyped-def]
    from intranet.timeutil import utcnow
    from plugins.meedenkgroepen import plugin

    app = demo
    ids = _setup(app)
    c = signed_in(app, "zaanstad", "ambtenaar")
    assert _add(c, ids, resident_id=str(ids["ans"])).status_code == 302
    assert _add(c, ids, organisation_id=str(ids["org"])).status_code == 302
    with app.app_context():
        m = municipality("zaanstad")
        t = db.session.get(Trajectory, ids["t"])
        t.closed_at = utcnow() - timedelta(days=2 * 365 + 1)
        db.session.commit()
        report = plugin.intranet_retention_run(m, utcnow(), True)
        assert report.deleted["trajectdeelnemers"] >= 1 and _count() == 2  # a dry run
        plugin.intranet_retention_run(m, utcnow(), False)
        db.session.commit()
        left = (
            db.session.execute(
                select(TrajectoryParticipant).where(TrajectoryParticipant.trajectory_id == ids["t"])
            )
            .scalars()
            .all()
        )
        # the resident is gone, the organisation (no personal data) stays
        assert [(p.resident_id, p.organisation_id) for p in left] == [(None, ids["org"])]
