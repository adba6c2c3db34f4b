"""Recording consents, shared by the registry's pages and every plugin that takes them in."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Exists, Select, literal, select

from ..audit.service import record
from ..extensions import db
from ..timeutil import local_today
from .models import Consent, Resident, consent_valid_on


def give_consent(
    resident: Resident,
    purpose: str,
    *,
    method: str,
    given_on: date,
    recorded_by: str,
    scope: str = "",
) -> Consent:
    """Record a consent on the resident (audited); the caller commits."""
    consent = Consent(
        municipality_id=resident.municipality_id,
        resident_id=resident.id,
        purpose=purpose,
        scope=scope,
        method=method,
        given_on=given_on,
        recorded_by=recorded_by,
    )
    db.session.add(consent)
    db.session.flush()
    record(
        "consent.given",
        object_type="resident",
        object_id=resident.id,
        details={"consent": consent.id},
    )
    return consent


def withdraw_consent(consent: Consent, on: date | None = None) -> bool:
    """Withdraw at once; plugins check consent when they act, so nothing else needs doing."""
    if consent.withdrawn_on is not None:
        return False
    consent.withdrawn_on = on or local_today()
    record(
        "consent.withdrawn",
        object_type="resident",
        object_id=consent.resident_id,
        details={"consent": consent.id},
    )
    return True


def consenting_residents(municipality_id: int, purpose: str, on: date | None = None) -> Select:
    """The ids of the municipality's residents with an active consent for ``purpose``, as a
    SELECT to join or to use as a subquery: for a whole panel, where a list of ids would be
    too long for one statement."""
    on = on or local_today()
    return (
        select(Consent.resident_id)
        .where(
            Consent.municipality_id == municipality_id,
            Consent.purpose == purpose,
            Consent.valid_on(on),
        )
        .distinct()
    )


def holds_consent(resident_id: Any, purpose: str, on: date | None = None) -> Exists:
    """An EXISTS for "the resident in ``resident_id`` (a column of the outer query) holds an
    active consent for ``purpose``": the rule of :func:`consenting_residents`, row by row.

    No municipality condition: the outer row's resident already belongs to the municipality
    (a consent is always its resident's municipality's). With one, SQLite without table
    statistics (a panel just imported) searches the municipality's consents for every row,
    and a panel of 100,000 takes hours; on the resident alone it is one index look-up a row.
    """
    on = on or local_today()
    # The table, not the mapped class: inside a request the ORM adds the tenant condition to
    # every mapped tenant entity of a statement, subqueries included, and that condition
    # brings back the municipality look-up above (PostgreSQL, statistics not yet gathered
    # after an import: a panel of 100,000 ran past the statement timeout).
    consent = _CONSENT_TABLE
    return (
        select(literal(1))
        .where(
            consent.c.resident_id == resident_id,
            consent.c.purpose == purpose,
            consent_valid_on(consent.c, on),
        )
        .exists()
    )


_CONSENT_TABLE = Consent.__table__


def may_contact(resident: Resident | None, purpose: str, on: date | None = None) -> bool:
    """The one rule for every mail, letter or use of what a resident told: may we, for
    ``purpose``, today (or ``on``)? Only with a consent given on or before that day and not
    withdrawn by then. A resident who is gone (erased) may not be contacted.

    ``residents_with_consent`` is the same rule for many residents in one query; mail paths
    call one or the other right before the mail leaves, so a withdrawal counts at once.
    """
    if resident is None or resident.id is None:
        return False
    return resident.id in residents_with_consent(
        resident.municipality_id, purpose, [resident.id], on
    )


def residents_with_consent(
    municipality_id: int, purpose: str, resident_ids: Iterable[int], on: date | None = None
) -> set[int]:
    """Which of these residents hold an active consent for ``purpose``, in one query.

    Plugins call this right before they mail or list residents, so a withdrawal counts at
    once, also for mail already queued.
    """
    wanted = {i for i in resident_ids if i is not None}
    if not wanted:
        return set()
    return set(
        db.session.execute(
            consenting_residents(municipality_id, purpose, on).where(
                Consent.resident_id.in_(wanted)
            )
        ).scalars()
    )
