"""Step 5 records the next steps and step 6 interim results, both without closing the
trajectory; the participants' feedback mail carries them."""

from __future__ import annotations

from sqlalchemy import select
from test_meedenkgroepen_support import BASE, municipality

from intranet.audit.models import AuditEvent
from intranet.extensions import db
from intranet.testing.helpers import form_errors, post, signed_in
from plugins.meedenkgroepen.models import InterimResult, Trajectory


def _trajectory(app, step: int) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        m = municipality("zaanstad")
        t = Trajectory(
            municipality_id=m.id, topic="Jeugdhulp dichtbij", origin="inwoner", step=step
        )
        db.session.add(t)
        db.session.commit()
        return t.id


def test_next_steps_in_step_5_and_interim_results_in_step_6_keep_it_open(demo) -> None:  # type: ignore[no-untyped-def]
    app = demo
    c = signed_in(app, "zaanstad", "ambtenaar")
    tid = _trajectory(app, 5)
    url = f"{BASE}/trajecten/{tid}"
    page = c.get(url).get_data(as_text=True)
    assert 'name="next_steps"' in page and 'name="interim_text"' not in page
    r = post(
        c,
        f"{url}/volgende-stappen",
        {"next_steps": "In maart besluit de raad; daarna horen alle deelnemers het."},
    )
    assert r.status_code == 302, form_errors(r.get_data(as_text=True))
    # an interim result belongs to step 6
    r = post(c, f"{url}/tussenresultaat", {"interim_text": "Te vroeg"})
    assert r.status_code == 302
    with app.app_context():
        t = db.session.get(Trajectory, tid)
        assert t.next_steps.startswith("In maart besluit de raad")
        assert t.closed_at is None and t.step == 5 and not t.interim_results
        t.step = 6
        db.session.commit()
    for text in (
        "Eerste versie van de regeling ligt bij het college.",
        "Pilot in twee wijken gestart.",
    ):
        r = post(c, f"{url}/tussenresultaat", {"interim_text": text})
        assert r.status_code == 302, form_errors(r.get_data(as_text=True))
    with app.app_context():
        t = db.session.get(Trajectory, tid)
        assert [r.text for r in t.interim_results] == [
            "Eerste versie van de regeling ligt bij het college.",
            "Pilot in twee wijken gestart.",
        ]
        assert t.closed_at is None and t.step == 6 and t.result_text == ""
        actions = set(
            db.session.execute(
                select(AuditEvent.action).where(AuditEvent.object_id == str(tid))
            ).scalars()
        )
        assert {
            "meedenkgroepen.trajectory.next_steps",
            "meedenkgroepen.trajectory.interim_result",
        } <= actions
    page = c.get(url).get_data(as_text=True)
    assert "Pilot in twee wijken gestart." in page and "In maart besluit de raad" in page
    # the final result still closes it, and then nothing more can be added
    r = post(
        c, f"{url}/resultaat", {"result_kind": "advies", "result_text": "Advies aan het college."}
    )
    assert r.status_code == 302
    r = post(c, f"{url}/tussenresultaat", {"interim_text": "Na afloop"})
    with app.app_context():
        assert db.session.get(Trajectory, tid).closed_at is not None
        assert (
            db.session.execute(
                select(InterimResult).where(InterimResult.text == "Na afloop")
            ).first()
            is None
        )


def test_bad_input_is_refused_next_to_the_field(demo) -> None:  # type: ignore[no-untyped-def]
    app = demo
    c = signed_in(app, "zaanstad", "ambtenaar")
    tid = _trajectory(app, 6)
    url = f"{BASE}/trajecten/{tid}"
    for path, data, message in (
        ("volgende-stappen", {"next_steps": "   "}, "Beschrijf de volgende stappen."),
        ("volgende-stappen", {"next_steps": "x" * 5001}, "Hoogstens 5000 tekens."),
        ("tussenresultaat", {"interim_text": ""}, "Beschrijf het tussenresultaat."),
        ("tussenresultaat", {"interim_text": "x" * 5001}, "Hoogstens 5000 tekens."),
        ("tussenresultaat", {}, "Beschrijf het tussenresultaat."),
    ):
        r = post(c, f"{url}/{path}", data)
        assert r.status_code == 400, (path, data)
        assert message in form_errors(r.get_data(as_text=True))
    assert (
        c.post(f"{url}/tussenresultaat", data={"interim_text": "Zonder token"}).status_code == 400
    )
    with app.app_context():
        t = db.session.get(Trajectory, tid)
        assert t.next_steps == "" and not t.interim_results


def test_only_trajectory_managers_and_only_in_their_municipality(demo) -> None:  # type: ignore[no-untyped-def]
    app = demo
    tid = _trajectory(app, 6)
    plain = signed_in(app, "zaanstad", "medewerker")
    r = post(plain, f"{BASE}/trajecten/{tid}/tussenresultaat", {"interim_text": "Mag niet"})
    assert r.status_code == 403
    other = signed_in(app, "zwolle", "griffier")
    r = post(
        other,
        f"/zwolle/meedenkgroepen/trajecten/{tid}/tussenresultaat",
        {"interim_text": "Mag niet"},
    )
    assert r.status_code in (403, 404)
    with app.app_context():
        assert not db.session.get(Trajectory, tid).interim_results
