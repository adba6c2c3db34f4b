"""Pages of the participatieplan plugin.

``bp`` is mounted under ``/<municipality>/participatieplan/`` (employees, signed in);
``public_bp`` under ``/publiek/<municipality>/participatieplan/`` (residents, no sign-in).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, render_template
from flask_login import current_user

from intranet.plugin_api import (
    Employee,
    ParticipationTarget,
    Resident,
    _,
    current_municipality,
    db,
    participation_targets,
    scoped,
)

from ..models import CocreationSession, Milestone, P, Workstream

bp = Blueprint(P, __name__, template_folder="../templates")
public_bp = Blueprint(f"{P}_public", __name__, template_folder="../templates")

VIEW = f"{P}.view"
PLAN_MANAGE = f"{P}.plan.manage"
WORKSHOPS_MANAGE = f"{P}.workshops.manage"

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


def _add_translations(state: Any) -> None:
    """Merge the plugin's catalog into the app's: Flask-Babel merges every directory it lists,
    so ``_()`` in Python and templates finds the plugin's strings too."""
    babel = state.app.extensions.get("babel")
    if babel is not None and str(TRANSLATIONS) not in babel.translation_directories:
        babel.translation_directories.append(str(TRANSLATIONS))


bp.record_once(_add_translations)
public_bp.record_once(_add_translations)


def page(template: str, *forms: Any, **context: Any) -> tuple[str, int]:
    """Render; status 400 when one of the given forms has errors (a refused POST)."""
    status = 400 if any(f is not None and f.errors for f in forms) else 200
    return render_template(f"participatieplan/{template}", **context), status


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


def valid_employee_id(employee_id: int | None) -> int | None:
    if not employee_id:
        return None
    found = db.session.execute(
        scoped(Employee).where(Employee.id == employee_id)
    ).scalar_one_or_none()
    return found.id if found else None


def residents_with(purpose: str) -> list[Resident]:
    """Residents of this municipality who hold consent for ``purpose`` today."""
    residents = db.session.execute(scoped(Resident).order_by(Resident.name, Resident.id)).scalars()
    return [r for r in residents if r.has_consent(purpose)]


def workstream_choices(empty: str) -> list[tuple[int, str]]:
    rows = db.session.execute(scoped(Workstream).order_by(Workstream.title)).scalars()
    return [(0, empty)] + [(w.id, w.title) for w in rows]


def milestone_choices(workstream: Workstream) -> list[tuple[int, str]]:
    rows = db.session.execute(
        scoped(Milestone).where(Milestone.workstream_id == workstream.id).order_by(Milestone.due_on)
    ).scalars()
    return [(0, _("Geen mijlpaal"))] + [(m.id, m.title) for m in rows]


def session_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(
        scoped(CocreationSession).order_by(CocreationSession.held_on.desc())
    ).scalars()
    return [(0, _("Geen sessie"))] + [(s.id, s.title) for s in rows]


def target_value(plugin: str | None, key: str | None) -> str:
    return f"{plugin}|{key}" if plugin and key else ""


def target_choices(current: tuple[str | None, str | None, str | None] = (None, None, None)):  # type: ignore[no-untyped-def]
    """Targets other enabled plugins offer; the stored link stays choosable when its plugin is
    off, so saving the form does not silently drop it."""
    targets = participation_targets(current_municipality(), exclude=P)
    choices = [("", _("Geen koppeling"))] + [
        (target_value(t.plugin, t.key), f"{t.title} ({t.kind})") for t in targets
    ]
    plugin, key, title = current
    value = target_value(plugin, key)
    if value and value not in {c[0] for c in choices}:
        choices.append((value, f"{title} ({_('nu niet beschikbaar')})"))
    return choices, {target_value(t.plugin, t.key): t for t in targets}


def chosen_target(
    value: str,
    offered: dict[str, ParticipationTarget],
    stored: tuple[str | None, str | None, str | None],
) -> tuple[str | None, str | None, str | None]:
    """(plugin, key, title) for the chosen value: a fresh copy of an offered target's title,
    or the stored link unchanged when it is the one already there."""
    if not value:
        return None, None, None
    if value in offered:
        t = offered[value]
        return t.plugin, t.key, t.title
    return stored


from . import agenda, moments, personas, public, questions, workshops  # noqa: E402,F401
