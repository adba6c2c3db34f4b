"""Meta-test: every TenantMixin model, found in the mapper registry (core and plugins), is
scoped by the ORM — with municipality A current, SELECT, bulk UPDATE and bulk DELETE never see
or touch municipality B's rows, and a row of A cannot reference a row of B.

Rows are generated from the column types, so a new model is covered without touching this
file. Runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import itertools
from datetime import date, time
from typing import Any

import pytest
import sqlalchemy as sa
from flask import g
from sqlalchemy import delete, func, inspect, select, update

from intranet.extensions import db
from intranet.municipalities.models import Municipality
from intranet.tenancy import (
    ALL_TENANTS,
    CrossTenantReference,
    TenantMixin,
    all_tenants,
    tenant_models,
    tenant_references,
    tenant_scope,
)
from intranet.timeutil import utcnow

_counter = itertools.count(1)


def _value(column: sa.Column) -> Any:
    """A valid value for a required column, unique enough for unique constraints."""
    n = next(_counter)
    kind = column.type
    if isinstance(kind, sa.Enum):
        return kind.enums[0]
    if isinstance(kind, sa.Boolean):
        return False
    if isinstance(kind, sa.DateTime):
        return utcnow()
    if isinstance(kind, sa.Date):
        return date(2026, 1, 1)
    if isinstance(kind, sa.Time):
        return time(9, 0)
    if isinstance(kind, sa.JSON):
        return {}
    if isinstance(kind, sa.Integer | sa.Numeric | sa.Float):
        return n
    if isinstance(kind, sa.String):  # Text too
        length = getattr(kind, "length", None) or 40
        return f"t{n}"[:length]
    raise AssertionError(f"no generated value for {column} ({kind!r}); extend _value")


def _model_of(table: sa.Table) -> type:
    for mapper in db.Model.registry.mappers:
        if mapper.local_table is table:
            return mapper.class_
    raise AssertionError(f"no model for table {table.name}")


def build(model: type, municipality: int) -> Any:
    """A new row of ``model`` in ``municipality``, with new parent rows for its required keys."""
    mapper = inspect(model)
    values: dict[str, Any] = {}
    for column in mapper.local_table.columns:
        key = mapper.get_property_by_column(column).key
        if column.primary_key and column.autoincrement in (True, "auto"):
            continue
        if column.name == "municipality_id":
            values[key] = municipality
        elif column.foreign_keys:
            if column.nullable:
                continue
            fk = next(iter(column.foreign_keys))
            if fk.column.table.name == "municipality":
                values[key] = municipality
                continue
            parent = build(_model_of(fk.column.table), municipality)
            values[key] = getattr(
                parent, inspect(type(parent)).get_property_by_column(fk.column).key
            )
        elif column.nullable or column.default is not None or column.server_default is not None:
            continue
        else:
            values[key] = _value(column)
    row = model(**values)
    db.session.add(row)
    db.session.flush()
    return row


def _ident(row: Any) -> Any:
    return inspect(row).identity[0]


@pytest.fixture
def two(ctx):  # type: ignore[no-untyped-def]
    a = Municipality(slug="gemeente-a", name="Gemeente A")
    b = Municipality(slug="gemeente-b", name="Gemeente B")
    db.session.add_all([a, b])
    db.session.commit()
    return a.id, b.id


def test_every_tenant_model_is_found(ctx) -> None:  # type: ignore[no-untyped-def]
    names = {m.__name__ for m in tenant_models()}
    # the core's and each bundled plugin's, as a sanity check on the discovery
    assert {"Resident", "Consent", "Employee", "Role", "Invitation", "AdviceFile"} <= names
    assert all(issubclass(m, TenantMixin) for m in tenant_models())


def test_queries_for_one_municipality_never_reach_the_other(two) -> None:  # type: ignore[no-untyped-def]
    a, b = two
    problems: list[str] = []
    for model in tenant_models():
        mapper = inspect(model)
        pk = getattr(model, mapper.get_property_by_column(mapper.primary_key[0]).key)
        with all_tenants():
            row_a, row_b = build(model, a), build(model, b)
            db.session.commit()
            ids = [_ident(row_a), _ident(row_b)]
        db.session.expunge_all()  # nothing from the set-up in the identity map
        with tenant_scope(a):
            seen = db.session.scalars(select(model)).all()
            if {r.municipality_id for r in seen} != {a}:
                problems.append(
                    f"{model.__name__}: SELECT returned {len(seen)} rows across tenants"
                )
            if db.session.get(model, ids[1]) is not None:
                problems.append(f"{model.__name__}: Session.get found B's row")
            counted = db.session.scalar(select(func.count(pk)).where(pk.in_(ids)))
            if counted != 1:
                problems.append(f"{model.__name__}: SELECT count saw {counted} rows")
            changed = db.session.execute(
                update(model)
                .where(pk.in_(ids))
                .values({model.municipality_id: model.municipality_id}),
                execution_options={"synchronize_session": False},
            ).rowcount
            if changed != 1:
                problems.append(f"{model.__name__}: bulk UPDATE touched {changed} rows")
            deleted = db.session.execute(
                delete(model).where(pk.in_(ids)),
                execution_options={"synchronize_session": False},
            ).rowcount
            if deleted != 1:
                problems.append(f"{model.__name__}: bulk DELETE touched {deleted} rows")
            db.session.commit()
        db.session.expunge_all()
        with all_tenants():
            left = db.session.scalars(select(pk).where(pk.in_(ids))).all()
            if left != [ids[1]]:
                problems.append(f"{model.__name__}: after the DELETE, left {left}")
        # the escape hatch on one statement
        with tenant_scope(a):
            hatch = db.session.scalars(
                select(pk).where(pk.in_(ids)).execution_options(**{ALL_TENANTS: True})
            ).all()
            if hatch != [ids[1]]:
                problems.append(f"{model.__name__}: the escape hatch did not lift the criteria")
    assert problems == []


def test_the_request_municipality_scopes_the_orm(app, two) -> None:  # type: ignore[no-untyped-def]
    from intranet.residents.models import Resident

    a, b = two
    db.session.add_all(
        [Resident(municipality_id=a, name="In A"), Resident(municipality_id=b, name="In B")]
    )
    db.session.commit()
    with app.test_request_context("/"):
        g.municipality = db.session.get(Municipality, a)
        assert [r.name for r in db.session.scalars(select(Resident))] == ["In A"]
        # a join reaches the other tenant's rows no more than a plain select
        joined = db.session.scalars(
            select(Resident.name).join(Municipality, Municipality.id == Resident.municipality_id)
        ).all()
        assert joined == ["In A"]
        with all_tenants():
            assert sorted(db.session.scalars(select(Resident.name))) == ["In A", "In B"]


def test_a_row_cannot_reference_another_municipalitys_row(two) -> None:  # type: ignore[no-untyped-def]
    a, b = two
    checked = 0
    problems: list[str] = []
    for model in tenant_models():
        for column_key, relationship, target in tenant_references(inspect(model)):
            for via in ("column", "relationship"):
                if via == "relationship" and relationship is None:
                    continue
                with all_tenants():
                    row = build(model, a)
                    foreign = build(target, b)
                    if via == "column":
                        setattr(row, column_key, _ident(foreign))
                    else:
                        setattr(row, relationship, foreign)
                    try:
                        db.session.flush()
                    except CrossTenantReference:
                        checked += 1
                    else:
                        problems.append(f"{model.__name__}.{column_key} via {via} was accepted")
                    finally:
                        db.session.rollback()
    assert problems == []
    assert checked >= 50  # every reference of the core and the three bundled plugins


def test_a_new_row_may_reference_its_own_municipalitys_rows(two) -> None:  # type: ignore[no-untyped-def]
    a, _b = two
    for model in tenant_models():
        for column_key, _relationship, target in tenant_references(inspect(model)):
            with all_tenants():
                row = build(model, a)
                setattr(row, column_key, _ident(build(target, a)))
                db.session.flush()
                db.session.rollback()


def test_a_refused_reference_is_a_404_not_a_500(app) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context("/zwolle/"):
        response = app.make_response(app.handle_user_exception(CrossTenantReference("x")))
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.get_data(as_text=True)


seen_by_job: list[str] = []


def list_residents(ctx) -> None:  # type: ignore[no-untyped-def]
    from intranet.residents.models import Resident

    seen_by_job.extend(db.session.scalars(select(Resident.name)))


def test_a_job_of_one_municipality_sees_only_its_rows(two) -> None:  # type: ignore[no-untyped-def]
    from intranet.jobs.models import Job
    from intranet.jobs.runner import run_job
    from intranet.residents.models import Resident

    a, b = two
    db.session.add_all(
        [Resident(municipality_id=a, name="In A"), Resident(municipality_id=b, name="In B")]
    )
    job = Job(function=f"{__name__}:list_residents", title="t", municipality_id=a)
    db.session.add(job)
    db.session.commit()
    seen_by_job.clear()
    run_job(job.id)
    assert seen_by_job == ["In A"]
