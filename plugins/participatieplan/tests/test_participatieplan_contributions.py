"""Clients' werkatelier input in the core's contributions ledger: open input waits for
feedback on the Terugkoppeling page and leaves it once the decision (used, or not with the
reason) is recorded; the input of the municipality's and politics' side is no contribution."""

from __future__ import annotations

from intranet_participatieplan.models import WorkshopInput, WorkshopParticipant
from participatieplan_fixtures import EDITOR
from sqlalchemy import select

from intranet.extensions import db
from intranet.feedback import service as feedback
from intranet.municipalities import service
from intranet.testing.helpers import post, signed_in

BASE = "/zwolle/participatieplan"


def _ours(app) -> dict[str, object]:  # type: ignore[no-untyped-def]
    with app.test_request_context("/zwolle/"):
        return {
            c.key: c
            for c in feedback.contributions(service.by_slug("zwolle"))
            if c.plugin == "participatieplan"
        }


def test_hook_intranet_contributions_participatieplan(plan) -> None:  # type: ignore[no-untyped-def]
    with plan.app_context():
        client = (
            db.session.execute(
                select(WorkshopParticipant).where(
                    WorkshopParticipant.kind == "client",
                    WorkshopParticipant.resident_id.is_not(None),
                )
            )
            .scalars()
            .first()
        )
        db.session.add(
            WorkshopInput(
                municipality_id=client.municipality_id,
                workshop_id=client.workshop_id,
                participant_id=client.id,
                kind="client",
                text="Een wachtkamer zonder tl-licht.",
            )
        )
        db.session.commit()
        resident_id = client.resident_id
        inputs = db.session.execute(select(WorkshopInput)).scalars().all()
        client_keys = {f"input-{i.id}" for i in inputs if i.kind == "client"}
        other_keys = {f"input-{i.id}" for i in inputs if i.kind != "client"}
        open_input = next(i for i in inputs if i.kind == "client" and i.decision == "open")
        open_id, workshop_id = open_input.id, open_input.workshop_id
    items = _ours(plan)
    assert client_keys and set(items) == client_keys and not other_keys & set(items)
    item = items[f"input-{open_id}"]
    assert item.owed and item.status == "received" and item.kind == "workshop_input"
    assert item.resident_ids == (resident_id,)
    assert item.url == f"{BASE}/werkateliers/{workshop_id}#inbreng"

    editor = signed_in(plan, "zwolle", EDITOR)
    response = post(
        editor,
        f"{BASE}/inbreng/{open_id}",
        {"decision": "niet_gebruikt", "reason": "Al geregeld via het wijkteam"},
    )
    assert response.status_code == 302
    item = _ours(plan)[f"input-{open_id}"]
    assert not item.owed and item.status == "not_used" and item.feedback_how == "meeting"
    assert item.status_reason == "Al geregeld via het wijkteam"
