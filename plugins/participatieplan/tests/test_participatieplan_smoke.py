from participatieplan_fixtures import EDITOR

from intranet.testing.helpers import signed_in


def test_pages_answer(plan) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(plan, "zwolle", EDITOR)
    for path in [
        "",
        "momenten",
        "jaar",
        "werkateliers",
        "personas",
        "agenda/nieuw",
        "werkateliers/nieuw",
        "personas/nieuw",
        "sessies/nieuw",
    ]:
        r = client.get(f"/zwolle/participatieplan/{path}")
        assert r.status_code == 200, (path, r.get_data(as_text=True)[-3000:])
    r = client.get("/publiek/zwolle/participatieplan/")
    assert r.status_code == 200, r.get_data(as_text=True)[-3000:]
