"""The annual report: charts with their tables, a printable version and a CSV download."""

from __future__ import annotations

from datetime import date

from flask import render_template, request

from intranet.plugin_api import _, csv_response, db, requires, scoped

from ..models import RESPONSES, AdviceFile
from ..report import AnnualFigures, annual_figures
from . import bp
from .common import today


def _year() -> tuple[int, bool]:
    raw = request.args.get("jaar", "")
    if not raw:
        return today().year, True
    try:
        year = int(raw)
    except ValueError:
        return today().year, False
    if not 2000 <= year <= 2100:
        return today().year, False
    return year, True


def _figures(year: int) -> tuple[AnnualFigures, list[AdviceFile]]:
    files = list(
        db.session.execute(scoped(AdviceFile).order_by(AdviceFile.sent_on, AdviceFile.id)).scalars()
    )
    figures = annual_figures(files, year, today())
    sent = [a for a in files if a.sent_on and a.sent_on.year == year]
    return figures, sent


def _years() -> list[int]:
    sent = db.session.execute(scoped(AdviceFile).where(AdviceFile.sent_on.is_not(None))).scalars()
    years = {a.sent_on.year for a in sent} | {today().year}
    return sorted(years, reverse=True)


def _charts(f: AnnualFigures) -> dict[str, list[tuple[str, int]]]:
    return {
        "kind": [(_("Gevraagd advies"), f.solicited), (_("Ongevraagd advies"), f.unsolicited)],
        "timely": [
            (_("Op tijd"), f.on_time),
            (_("Te laat"), f.late),
            (_("Zonder termijn"), f.no_deadline),
        ],
        "asked": [
            (_("Vroeg genoeg gevraagd"), f.asked_early),
            (_("Te laat gevraagd"), f.asked_late),
            (_("Niet beoordeeld"), f.asked_unjudged),
        ],
        "adoption": [(label, f.share(code)) for code, label in RESPONSES.items()]
        + [(_("Nog geen reactie"), f.share(""))],
        "responses": [
            (_("Reactie op tijd"), f.responses_on_time),
            (_("Reactie te laat"), f.responses_late),
            (_("Reactie achterstallig"), f.responses_overdue),
            (_("Reactie nog binnen termijn"), f.responses_pending),
        ],
    }


@bp.route("/jaarverslag")
@requires("adviescommissie.view")
def annual_report():  # type: ignore[no-untyped-def]
    year, valid = _year()
    figures, sent = _figures(year)
    return render_template(
        "adviescommissie/report.html",
        f=figures,
        files=sent,
        charts=_charts(figures),
        years=_years(),
        invalid_year=not valid,
        responses=RESPONSES,
    ), 200 if valid else 400


@bp.route("/jaarverslag/afdrukken")
@requires("adviescommissie.view")
def annual_report_print():  # type: ignore[no-untyped-def]
    year, valid = _year()
    figures, sent = _figures(year)
    return render_template(
        "adviescommissie/report_print.html",
        f=figures,
        files=sent,
        charts=_charts(figures),
        responses=RESPONSES,
    ), 200 if valid else 400


def _days(value: date | None, start: date | None) -> str:
    if value is None or start is None:
        return ""
    return str((value - start).days)


@bp.route("/jaarverslag.csv")
@requires("adviescommissie.view")
def annual_report_csv():  # type: ignore[no-untyped-def]
    year, _valid = _year()
    sent = _figures(year)[1]
    header = [
        _("Dossier"),
        _("Soort"),
        _("Onderwerp"),
        _("Beleidsterrein"),
        _("Ontvangen"),
        _("Uiterste datum"),
        _("Verzonden"),
        _("Op tijd"),
        _("Aanbevelingen"),
        *RESPONSES.values(),
        _("Reactie uiterlijk"),
        _("Reactie ontvangen"),
        _("Reactietijd (dagen)"),
        _("Datum besluit"),
        _("Vroeg genoeg gevraagd"),
    ]
    rows = []
    for a in sent:
        counts = {
            code: sum(1 for r in a.recommendations if r.response == code) for code in RESPONSES
        }
        on_time = "" if a.deadline is None else ("ja" if a.sent_on <= a.deadline else "nee")
        rows.append(
            [
                a.id,
                a.kind_label,
                a.subject,
                a.policy_area_label,
                a.received_on.isoformat(),
                a.deadline.isoformat() if a.deadline else "",
                a.sent_on.isoformat() if a.sent_on else "",
                on_time,
                len(a.recommendations),
                *counts.values(),
                a.response_due.isoformat() if a.response_due else "",
                a.response_received_on.isoformat() if a.response_received_on else "",
                _days(a.response_received_on, a.sent_on),
                a.decision_date.isoformat() if a.decision_date else "",
                a.timeliness_label if a.solicited else "",
            ]
        )
    return csv_response(header, rows, f"jaarverslag-adviescommissie-{year}.csv")
