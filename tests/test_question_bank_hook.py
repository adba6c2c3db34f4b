"""intranet_question_bank: reusable questions one plugin offers another's questionnaire
builder, listed through intranet.plugin_api.question_bank for the enabled plugins only."""

from __future__ import annotations

import intranet_test_everything as everything

from intranet.contract import BankQuestion
from intranet.extensions import db
from intranet.municipalities import service
from intranet.plugin_api import question_bank


def test_hook_intranet_question_bank_only_enabled_plugins_offer_and_failures_are_contained(
    demo,
) -> None:  # type: ignore[no-untyped-def]
    everything.CALLS.clear()
    with demo.app_context():
        zwolle = service.by_slug("zwolle")
        assert [q for q in question_bank(zwolle) if q.plugin == "everything"] == []
        assert ("intranet_question_bank", "zwolle") not in everything.CALLS
        service.set_plugin_enabled(zwolle, "everything", True, actor="test")
        db.session.commit()
        offered = [q for q in question_bank(zwolle) if q.plugin == "everything"]
        assert offered == [BankQuestion("everything", "vraag-1", "Wat vindt u van alles?")]
        assert [
            q for q in question_bank(zwolle, exclude="everything") if q.plugin == "everything"
        ] == []
        everything.FAIL.add("intranet_question_bank")
        try:
            assert [q for q in question_bank(zwolle) if q.plugin == "everything"] == []
        finally:
            everything.FAIL.clear()
