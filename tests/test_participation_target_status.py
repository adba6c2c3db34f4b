"""intranet_participation_target_status, the counterpart of intranet_participation_targets:
a plugin that linked to another plugin's target asks how it stands now, through
``intranet.plugin_api.participation_target_status``. Only the plugin that offered the key
answers; a plugin that is disabled, not installed or failing answers None and breaks nothing."""

from __future__ import annotations

from datetime import date

import intranet_test_everything as everything
from sqlalchemy import select

from intranet.contract import ParticipationStatus
from intranet.extensions import db
from intranet.municipalities import service
from intranet.plugin_api import (
    participation_target_status,
    participation_targets,
    plugin_availability,
)


def test_hook_intranet_participation_target_status_the_offering_plugin_answers(demo) -> None:  # type: ignore[no-untyped-def]
    everything.CALLS.clear()
    with demo.app_context():
        zwolle = service.by_slug("zwolle")
        assert plugin_availability(zwolle, "everything") == "disabled"
        assert participation_target_status(zwolle, "everything", "groep-1") is None
        assert everything.CALLS == []  # a disabled plugin is not even asked

        service.set_plugin_enabled(zwolle, "everything", True, actor="test")
        db.session.commit()
        assert plugin_availability(zwolle, "everything") == "enabled"
        assert participation_target_status(zwolle, "everything", "groep-1") == ParticipationStatus(
            "Actief", "Drie ideeën opgehaald"
        )
        assert participation_target_status(zwolle, "everything", "bestaat-niet") is None
        assert ("intranet_participation_target_status", "zwolle") in everything.CALLS


def test_not_installed_and_failing_plugins_answer_none(demo) -> None:  # type: ignore[no-untyped-def]
    with demo.app_context():
        zwolle = service.by_slug("zwolle")
        assert plugin_availability(zwolle, "nergens") == "not_installed"
        assert participation_target_status(zwolle, "nergens", "x:1") is None
        service.set_plugin_enabled(zwolle, "everything", True, actor="test")
        db.session.commit()
        everything.FAIL.add("intranet_participation_target_status")
        try:
            assert participation_target_status(zwolle, "everything", "groep-1") is None
        finally:
            everything.FAIL.clear()


def test_meedenkgroepen_reports_its_groups_and_trajectories(demo) -> None:  # type: ignore[no-untyped-def]
    from plugins.meedenkgroepen import models as mg

    with demo.app_context():
        zaanstad = service.by_slug("zaanstad")
        offered = {
            t.key: t for t in participation_targets(zaanstad) if t.plugin == "meedenkgroepen"
        }
        group = (
            db.session.execute(select(mg.Group).where(mg.Group.municipality_id == zaanstad.id))
            .scalars()
            .first()
        )
        status = participation_target_status(zaanstad, "meedenkgroepen", f"group:{group.id}")
        assert status is not None and status.status == group.status_label
        trajectory = (
            db.session.execute(
                select(mg.Trajectory)
                .where(
                    mg.Trajectory.municipality_id == zaanstad.id,
                    mg.Trajectory.closed_at.is_(None),  # only open trajectories are offered
                )
                .order_by(mg.Trajectory.id)
            )
            .scalars()
            .first()
        )
        assert f"trajectory:{trajectory.id}" in offered
        status = participation_target_status(
            zaanstad, "meedenkgroepen", f"trajectory:{trajectory.id}"
        )
        assert status is not None and status.status.startswith(f"Stap {trajectory.step}")
        # another municipality's key is not answered
        zwolle = service.by_slug("zwolle")
        service.set_plugin_enabled(zwolle, "meedenkgroepen", True, actor="test")
        db.session.commit()
        assert participation_target_status(zwolle, "meedenkgroepen", f"group:{group.id}") is None


def test_adviescommissie_offers_advice_requests_and_reports_them(demo) -> None:  # type: ignore[no-untyped-def]
    from plugins.adviescommissie import models as ac

    with demo.app_context():
        zwolle = service.by_slug("zwolle")
        advice = ac.AdviceFile(
            municipality_id=zwolle.id,
            solicited=True,
            subject="Uitgangspunten inkoop",
            policy_area="wmo",
            subject_kind="beleid",
            received_on=date(2026, 11, 1),
        )
        db.session.add(advice)
        db.session.commit()
        offered = {t.key: t for t in participation_targets(zwolle) if t.plugin == "adviescommissie"}
        assert f"advice:{advice.id}" in offered
        assert offered[f"advice:{advice.id}"].kind == "adviesaanvraag"
        status = participation_target_status(zwolle, "adviescommissie", f"advice:{advice.id}")
        assert status is not None and status.status == advice.status_label
        assert status.outcome == ""
        advice.sent_on = date(2026, 11, 20)
        db.session.commit()
        status = participation_target_status(zwolle, "adviescommissie", f"advice:{advice.id}")
        assert status is not None and "20-11-2026" in status.outcome
        assert participation_target_status(zwolle, "adviescommissie", "group:1") is None
