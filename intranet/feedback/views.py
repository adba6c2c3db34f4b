"""The Terugkoppeling page: what is still owed feedback across the enabled plugins, and the
monthly overview for management (printable and CSV)."""

from __future__ import annotations

import re

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import timeutil
from ..access.permissions import requires
from ..audit.service import record
from ..contract import CONTRIBUTION_KINDS, CONTRIBUTION_STATUSES, FEEDBACK_METHODS
from ..extensions import db
from ..tenancy import current_municipality
from ..web.csv_export import csv_response
from ..web.formatting import format_month
from ..web.pages import form_page
from . import service
from .forms import terms_form

bp = Blueprint("feedback", __name__, url_prefix="/<municipality>/terugkoppeling")

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})\Z")


def _plugin_titles() -> dict[str, str]:
    host = current_app.extensions["intranet"].plugins
    municipality = current_municipality()
    return {
        name: host.infos[name].title
        for name in sorted(host.enabled_names(municipality))
        if name in host.infos and name != "core"
    }


@bp.route("/")
@requires("core.feedback.view")
def index():  # type: ignore[no-untyped-def]
    """Everything still owed feedback, overdue first; the filters live in the query string."""
    municipality = current_municipality()
    now = timeutil.today()
    rows = service.owed(service.contributions(municipality, owed_only=True), now)
    plugins = _plugin_titles()
    themes = sorted({r.item.theme for r in rows if r.item.theme}, key=str.casefold)
    errors: dict[str, str] = {}
    plugin = request.args.get("plugin", "").strip()
    theme = request.args.get("thema", "").strip()
    term = request.args.get("termijn", "").strip()
    if plugin and plugin not in plugins:
        errors["plugin"] = _("Kies een plugin uit de lijst.")
        plugin = ""
    if len(theme) > 200:
        errors["thema"] = _("Kies een thema uit de lijst.")
        theme = ""
    if term and term not in service.TERMS:
        errors["termijn"] = _("Kies te laat, deze week of later.")
        term = ""
    totals = service.counts(rows)
    shown = [
        r
        for r in rows
        if (not plugin or r.item.plugin == plugin)
        and (not theme or r.item.theme == theme)
        and (not term or r.term == term)
    ]
    return render_template(
        "feedback/index.html",
        rows=shown,
        total=len(rows),
        totals=totals,
        plugins=plugins,
        themes=themes,
        terms=service.TERMS,
        selected={"plugin": plugin, "thema": theme, "termijn": term},
        errors=errors,
        today=now,
    ), 400 if errors else 200


def _requested_month() -> tuple[int, int, str | None]:
    now = timeutil.today()
    raw = request.args.get("maand", "").strip()
    if not raw:
        return now.year, now.month, None
    match = MONTH_PATTERN.match(raw)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12 and 2000 <= year <= 2100:
            return year, month, None
    return now.year, now.month, _("Vul een maand in als jjjj-mm, bijvoorbeeld 2026-11.")


CSV_HEADER = [
    _l("plugin"),
    _l("soort"),
    _l("titel"),
    _l("thema"),
    _l("bijgedragen op"),
    _l("bijdrager"),
    _l("status"),
    _l("toelichting"),
    _l("terugkoppeling uiterlijk"),
    _l("teruggekoppeld op"),
    _l("hoe"),
]


@bp.route("/overzicht")
@requires("core.feedback.view")
def overview():  # type: ignore[no-untyped-def]
    """The month for management: received, fed back (on time or late), overdue at month end.
    ``?formaat=csv`` downloads the same rows."""
    municipality = current_municipality()
    year, month, error = _requested_month()
    data = service.month_overview(service.contributions(municipality), year, month)
    plugins = _plugin_titles()
    if request.args.get("formaat") == "csv" and not error:
        seen: set[tuple[str, str]] = set()
        rows = []
        for c in data["received"] + data["fed_back"] + data["overdue_at_end"]:
            if (c.plugin, c.key) in seen:
                continue
            seen.add((c.plugin, c.key))
            rows.append(
                [
                    plugins.get(c.plugin, c.plugin),
                    CONTRIBUTION_KINDS.get(c.kind, c.kind),
                    c.title,
                    c.theme,
                    c.contributed_at.isoformat(),
                    c.contributor_label,
                    CONTRIBUTION_STATUSES.get(c.status, c.status),
                    c.status_reason,
                    c.feedback_due.isoformat() if c.feedback_due else "",
                    c.feedback_sent_at.isoformat() if c.feedback_sent_at else "",
                    FEEDBACK_METHODS.get(c.feedback_how, c.feedback_how),
                ]
            )
        record("feedback.overview.exported", details={"month": f"{year:04d}-{month:02d}"})
        db.session.commit()
        return csv_response(CSV_HEADER, rows, f"terugkoppeling-{year:04d}-{month:02d}.csv")
    previous = (year - 1, 12) if month == 1 else (year, month - 1)
    following = (year + 1, 1) if month == 12 else (year, month + 1)
    return render_template(
        "feedback/overview.html",
        data=data,
        plugins=plugins,
        month_label=format_month(year, month),
        month_value=f"{year:04d}-{month:02d}",
        previous=f"{previous[0]:04d}-{previous[1]:02d}",
        following=f"{following[0]:04d}-{following[1]:02d}",
        error=error,
    ), 400 if error else 200


@bp.route("/termijnen", methods=["GET", "POST"])
@requires("core.feedback.manage")
def terms():  # type: ignore[no-untyped-def]
    """The municipality's own feedback term per kind of contribution, in working days."""
    municipality = current_municipality()
    current = service.feedback_terms(municipality)
    form = terms_form(current)
    if form.validate_on_submit():
        changed = {}
        for kind in CONTRIBUTION_KINDS:
            days = getattr(form, kind).data
            if days != current.get(kind):
                service.set_feedback_term(municipality, kind, days)
                changed[kind] = days
        if changed:
            record("feedback.terms.changed", details=changed)
            db.session.commit()
        flash(_("De termijnen voor terugkoppeling zijn opgeslagen."), "success")
        return redirect(url_for(".terms"))
    return form_page("feedback/terms.html", form=form, default=service.DEFAULT_TERM)
