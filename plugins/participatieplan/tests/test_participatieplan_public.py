"""The public planning page under /publiek/<municipality>/participatieplan/: what the
municipality works on, when and how to take part, what earlier moments led to; nothing
internal (no owner names, internal notes, drafts or participants), no sign-in needed, and
404 where the plugin is off."""

from __future__ import annotations

from intranet_participatieplan.models import Moment, Workstream
from participatieplan_fixtures import enable, first
from sqlalchemy import select

from intranet.audit.models import AuditEvent
from intranet.auth.models import Employee
from intranet.extensions import db
from intranet.residents.models import Resident
from intranet.testing.helpers import signed_in

URL = "/publiek/zwolle/participatieplan/"


def test_residents_read_the_plan_without_signing_in(plan, client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(URL)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Zo betrekken wij u bij de hervormingsagenda" in body
    assert "Sociale basis" in body and "Denken vanuit de inwoner" in body
    # when and how residents can take part
    assert "Informatieavond sociale basis in de wijk" in body
    assert "Iedereen is welkom." in body
    # what earlier moments led to
    assert "De uitkomsten zijn gebruikt voor het opstellen van de hervormingsagenda." in body
    assert 'lang="nl"' in body and "utrecht-" in body


def test_nothing_internal_on_the_public_page(plan, client) -> None:  # type: ignore[no-untyped-def]
    workstream_id = first(plan, Workstream, title="Sociale basis")
    with plan.app_context():
        owner = db.session.execute(
            select(Employee).where(Employee.username == "beleid")
        ).scalar_one_or_none()
        if owner is None:  # the demo employee exists once signed in
            signed_in(plan, "zwolle", "beleid")
            owner = db.session.execute(
                select(Employee).where(Employee.username == "beleid")
            ).scalar_one()
        workstream = db.session.get(Workstream, workstream_id)
        workstream.owner_id = owner.id
        owner_name = owner.display_name
        secret_moment = db.session.get(
            Moment, first(plan, Moment, title="Informatieavond sociale basis in de wijk")
        )
        secret_moment.internal_notes = "GEHEIM-intern-notitie"
        draft = Moment(
            municipality_id=workstream.municipality_id,
            workstream_id=workstream.id,
            title="CONCEPT-moment nog niet delen",
            ladder="informeren",
            form="informatieavond",
            status="concept",
        )
        db.session.add(draft)
        residents = [r.name for r in db.session.execute(select(Resident)).scalars()]
        db.session.commit()
    body = client.get(URL).get_data(as_text=True)
    assert owner_name and owner_name not in body
    assert "GEHEIM-intern-notitie" not in body
    assert "Afstemming met de wijkteams" not in body  # a workstream's internal notes
    assert "Zaal nog reserveren." not in body  # a moment's internal notes
    assert "CONCEPT-moment nog niet delen" not in body  # a draft moment
    assert "Communicatie over de veranderingen" not in body  # a draft workstream
    assert "11 miljoen" not in body  # the budget context stays internal
    for name in residents:
        assert name not in body
    assert "Beleidsadviseur Wmo" not in body and "woont alleen" not in body  # workshops, personas
    # a planned moment whose date passed is not offered as "coming"
    assert "Raadsgesprekken met cliënten" not in body
    with plan.app_context():
        # a public read is no read of personal data: nothing to audit
        assert not db.session.execute(
            select(AuditEvent).where(AuditEvent.action.like("participatieplan.%viewed"))
        ).first()


def test_the_public_page_follows_the_plan(plan, client) -> None:  # type: ignore[no-untyped-def]
    with plan.app_context():
        workstream = db.session.get(
            Workstream, first(plan, Workstream, title="Communicatie over de veranderingen")
        )
        workstream.status = "lopend"
        db.session.commit()
    assert "Communicatie over de veranderingen" in client.get(URL).get_data(as_text=True)


def test_404_where_the_plugin_is_off(plan, client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/publiek/zaanstad/participatieplan/").status_code == 404
    enable(plan, "zwolle", "participatieplan", on=False)
    assert client.get(URL).status_code == 404
    assert client.get("/publiek/bestaat-niet/participatieplan/").status_code == 404
