"""Privacy pages: access request, erasure, who viewed a resident, the processing register."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ..access.permissions import requires
from ..audit.service import record, render_audited
from ..extensions import db
from ..plugin_manager import flatten
from ..residents.models import Resident
from ..tenancy import current_municipality, get_scoped_or_404
from ..web.csv_export import csv_response
from ..web.pages import form_page
from . import documents, service
from .forms import ErasureForm, RetentionForm

bp = Blueprint("privacy", __name__, url_prefix="/<municipality>")
REQUESTS = "core.privacy.requests"


def _access_data(resident: Resident):  # type: ignore[no-untyped-def]
    """The answer to a resident's access request (AVG art. 15): complete, special-category
    data included, because it is the resident's own data going to the resident. Answering
    needs the access-request permission (checked by the views) and the read is audited."""
    municipality = current_municipality()
    data = service.personal_data(municipality, resident, include_special=True)
    record(
        "privacy.access_request",
        object_type="resident",
        object_id=resident.id,
        details={"special_included": True},
    )
    db.session.commit()
    return data


@bp.route("/inwoners/<int:resident_id>/inzage")
@requires(REQUESTS)
def access_request(resident_id: int):  # type: ignore[no-untyped-def]
    resident = get_scoped_or_404(Resident, resident_id)
    data = _access_data(resident)
    if request.args.get("formaat") == "json":
        response = jsonify(service.as_json(data))
        response.headers["Content-Disposition"] = (
            f'attachment; filename="inzage-{resident.id}.json"'
        )
        return response
    return render_template(
        "privacy/access_request.html", resident=resident, data=data, resident_label=resident.name
    )


@bp.route("/inwoners/<int:resident_id>/inzage.pdf")
@requires(REQUESTS)
def access_request_pdf(resident_id: int):  # type: ignore[no-untyped-def]
    resident = get_scoped_or_404(Resident, resident_id)
    pdf = documents.access_request_pdf(_access_data(resident), resident.name)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="inzage-{resident.id}.pdf"'},
    )


@bp.route("/inwoners/<int:resident_id>/inzagelog")
@requires(REQUESTS)
def access_log(resident_id: int):  # type: ignore[no-untyped-def]
    municipality = current_municipality()
    resident = get_scoped_or_404(Resident, resident_id)
    events = service.access_log(municipality, resident.id)
    record("privacy.access_log_viewed", object_type="resident", object_id=resident.id)
    return render_audited("privacy/access_log.html", resident=resident, events=events)


@bp.route("/inwoners/<int:resident_id>/verwijderen", methods=["GET", "POST"])
@requires(REQUESTS)
def erase(resident_id: int):  # type: ignore[no-untyped-def]
    municipality = current_municipality()
    resident = get_scoped_or_404(Resident, resident_id)
    form = ErasureForm()
    if form.validate_on_submit():
        erasure = service.erase(
            municipality, resident, form.reason.data.strip(), current_user.username
        )
        db.session.commit()
        flash(_("De gegevens van de inwoner zijn verwijderd of geanonimiseerd."), "success")
        return render_template("privacy/erased.html", erasure=erasure)
    host = current_app.extensions["intranet"].plugins
    return form_page(
        "privacy/erase.html",
        resident=resident,
        form=form,
        plugins=[host.infos[n].title for n in host.plugin_names],
    )


def _register_rows():  # type: ignore[no-untyped-def]
    municipality = current_municipality()
    host = current_app.extensions["intranet"].plugins
    rows = []
    for result in host.call_for_page(municipality, "intranet_processing_activities"):
        title = host.title_of(result.plugin)
        for activity in flatten([result]):
            rows.append((title, activity))
    return rows


@bp.route("/privacy/verwerkingsregister")
@requires("core.privacy.register")
def register():  # type: ignore[no-untyped-def]
    municipality = current_municipality()
    settings = current_app.extensions["intranet"].deployment.for_municipality(municipality.slug)
    return render_template(
        "privacy/register.html",
        rows=_register_rows(),
        settings=settings,
        periods=_periods_by_activity(municipality),
    )


def _periods_by_activity(municipality):  # type: ignore[no-untyped-def]
    """(plugin title, activity name) -> the retention settings in force for it here."""
    periods: dict[tuple[str, str], list[service.RetentionSetting]] = {}
    for setting in service.retention_settings(municipality):
        periods.setdefault((setting.plugin_title, setting.activity), []).append(setting)
    return periods


def _period_text(setting: service.RetentionSetting) -> str:
    if setting.overridden:
        return _(
            "%(category)s: %(days)d dagen (eigen termijn van de gemeente)",
            category=setting.category.label,
            days=setting.days,
        )
    return _(
        "%(category)s: %(days)d dagen (standaardtermijn)",
        category=setting.category.label,
        days=setting.days,
    )


@bp.route("/privacy/verwerkingsregister.csv")
@requires("core.privacy.register")
def register_csv():  # type: ignore[no-untyped-def]
    municipality = current_municipality()
    periods = _periods_by_activity(municipality)
    rows = (
        (
            plugin,
            a.name,
            a.purpose,
            a.legal_basis,
            ", ".join(map(str, a.data_categories)),
            ", ".join(map(str, a.special_categories)),
            ", ".join(map(str, a.data_subjects)),
            " ".join(  # str(): translated texts may be lazy strings
                [
                    str(a.retention),
                    *(_period_text(s) + "." for s in periods.get((plugin, a.name), [])),
                ]
            ),
        )
        for plugin, a in _register_rows()
    )
    return csv_response(
        [
            _("onderdeel"),
            _("verwerking"),
            _("doel"),
            _("grondslag"),
            _("categorieën persoonsgegevens"),
            _("bijzondere persoonsgegevens"),
            _("betrokkenen"),
            _("bewaartermijn"),
        ],
        rows,
        f"verwerkingsregister-{municipality.slug}.csv",
    )


@bp.route("/privacy/bewaartermijnen")
@requires("core.privacy.register")
def retention():  # type: ignore[no-untyped-def]
    return _retention_page(service.retention_settings(current_municipality()))


def _retention_form(setting: service.RetentionSetting) -> RetentionForm:
    form = RetentionForm(prefix=f"{setting.plugin}-{setting.category.key}")
    if request.method == "GET" and setting.overridden:
        form.days.data = str(setting.days)
    form.days.description = _(
        "Leeg laten voor de standaardtermijn van de plugin: %(days)d dagen.",
        days=setting.category.default_days,
    )
    return form


def _retention_page(  # type: ignore[no-untyped-def]
    settings: list[service.RetentionSetting],
    posted: tuple[str, str, RetentionForm] | None = None,
    status: int = 200,
):
    rows = []
    for setting in settings:
        key = (setting.plugin, setting.category.key)
        form = posted[2] if posted and posted[:2] == key else _retention_form(setting)
        rows.append((setting, form))
    return render_template("privacy/retention.html", rows=rows), status


@bp.route("/privacy/bewaartermijnen/<plugin>/<category>", methods=["POST"])
@requires("core.privacy.retention")
def retention_set(plugin: str, category: str):  # type: ignore[no-untyped-def]
    municipality = current_municipality()
    settings = service.retention_settings(municipality)
    setting = next((s for s in settings if (s.plugin, s.category.key) == (plugin, category)), None)
    if setting is None:
        abort(404)
    form = _retention_form(setting)
    if not form.validate_on_submit():
        return _retention_page(settings, (plugin, category, form), 400)
    if service.set_retention(municipality, plugin, category, form.chosen_days):
        db.session.commit()
        flash(
            _(
                "De bewaartermijn voor %(category)s is opgeslagen.",
                category=setting.category.label.lower(),
            ),
            "success",
        )
    return redirect(url_for(".retention") + f"#{plugin}-{category}")
