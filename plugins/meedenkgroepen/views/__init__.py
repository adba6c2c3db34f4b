"""Pages of the meedenkgroepen plugin.

``bp`` is mounted under ``/<municipality>/meedenkgroepen/`` (employees, signed in);
``public_bp`` under ``/publiek/<municipality>/meedenkgroepen/`` (residents, no sign-in).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask_login import current_user

from intranet.plugin_api import (
    Column,
    Employee,
    Filter,
    Listing,
    Resident,
    _l,
    current_municipality,
    db,
    lazy_pgettext,
    like_pattern,
    scoped,
)

bp = Blueprint("meedenkgroepen", __name__, template_folder="../templates")
public_bp = Blueprint("meedenkgroepen_public", __name__, template_folder="../templates")

GROUPS_MANAGE = "meedenkgroepen.groups.manage"
PANELS_MANAGE = "meedenkgroepen.panels.manage"
TRAJECTORIES_MANAGE = "meedenkgroepen.trajectories.manage"
VIEW = "meedenkgroepen.view"


def resident_choices(empty: str | None = None) -> list[tuple[int, str]]:
    residents = db.session.execute(scoped(Resident).order_by(Resident.name, Resident.id)).scalars()
    choices = [
        (r.id, f"{r.name}{' (' + r.neighbourhood + ')' if r.neighbourhood else ''}")
        for r in residents
    ]
    return ([(0, empty)] if empty else []) + choices


def employee_choices() -> list[tuple[int, str]]:
    employees = db.session.execute(
        scoped(Employee, current_municipality())
        .where(Employee.active.is_(True))
        .order_by(Employee.display_name)
    ).scalars()
    choices = [(e.id, e.display_name or e.username) for e in employees]
    if current_user.id not in {c[0] for c in choices}:
        choices.insert(0, (current_user.id, current_user.display_name or current_user.username))
    return choices


def valid_resident_id(resident_id: int | None) -> Resident | None:
    if not resident_id:
        return None
    return db.session.execute(
        scoped(Resident).where(Resident.id == resident_id)
    ).scalar_one_or_none()


def member_listing(
    endpoint: str, joined, left, tiebreak, extra: tuple[Filter, ...] = ()
) -> Listing:  # type: ignore[no-untyped-def]
    """The members of a group or a panel: by name, date of joining and whether they left.

    ``joined`` and ``left`` are the model's columns for the day they joined and left (empty
    while a member); ``extra`` adds filters only one of the two has.
    """
    states = [("lid", _l("Lid")), ("afgemeld", lazy_pgettext("lidmaatschap", "Afgemeld"))]
    return Listing(
        endpoint,
        columns=[
            Column("naam", _l("Inwoner"), Resident.name),
            Column("aangemeld", lazy_pgettext("lidmaatschap", "Aangemeld"), joined, first="af"),
            Column("status", _l("Status"), left),
        ],
        default_sort="naam",
        filters=[
            Filter(
                "zoek",
                _l("Zoek op naam"),
                lambda stmt, value: stmt.where(Resident.name.ilike(like_pattern(value))),
            ),
            Filter(
                "status",
                _l("Status"),
                lambda stmt, value: stmt.where(
                    left.is_(None) if value == "lid" else left.is_not(None)
                ),
                choices=states,
            ),
            *extra,
        ],
        per_page=50,
        tiebreak=tiebreak,
    )


def list_part(template: str, form: Any, *, focus_id: str, add: bool, **context: Any):  # type: ignore[no-untyped-def]
    """The answer to an in-place (htmx) change of a list with an add form (questions,
    outcomes): after a move or removal the list only, focus ``focus_id`` in it; after an
    ``add`` the add form (focus in it) with the list out of band, so text typed elsewhere
    survives. A refused add (``form`` with errors) answers 400."""
    body = render_template(
        template,
        **context,
        add=add,
        add_focus=focus_id if add else None,
        list_focus=None if add else focus_id,
        list_oob=add,
        inline=True,
    )
    return body, 400 if form.errors else 200


def employee_ids() -> set[int]:
    return {e.id for e in db.session.execute(scoped(Employee)).scalars()}


from . import (  # noqa: E402,F401
    groups,
    invitations,
    meetings,
    panels,
    public,
    questionnaires,
    trajectories,
)
