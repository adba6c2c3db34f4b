"""GDPR: a resident's data (access request), erasure and the lines for the register of
processing activities. The retention run is in ``retention.py``."""

from __future__ import annotations

from datetime import datetime

from intranet.plugin_api import (
    ErasureResult,
    PersonalData,
    ProcessingActivity,
    _,
    as_utc,
    db,
    scoped,
    utcnow,
)

from .anonymise import scrub
from .models import (
    CHANNELS,
    FORMS,
    GROUPINGS,
    NEEDS,
    RECEIVED_VIA,
    REQUESTERS,
    SPECIAL_EXPORT_KEYS,
    ConversationRequest,
)

NAME = "raadsgesprekken"


def _requests_of(municipality, resident) -> list[ConversationRequest]:  # type: ignore[no-untyped-def]
    return list(
        db.session.execute(
            scoped(ConversationRequest, municipality).where(
                ConversationRequest.resident_id == resident.id
            )
        ).scalars()
    )


def resident_data(municipality, resident) -> PersonalData:  # type: ignore[no-untyped-def]
    records = []
    for r in _requests_of(municipality, resident):
        appt = r.appointment
        rec = {
            "aanvraag": r.id,
            "datum aanvraag": r.requested_on.isoformat(),
            "aangevraagd door": REQUESTERS.get(r.requester, r.requester),
            "binnengekomen via": CHANNELS.get(r.channel, r.channel),
            "soort zorg": ", ".join(r.care_kinds),
            "zorg via": RECEIVED_VIA.get(r.received_via, r.received_via),
            "gewenste vorm": FORMS.get(r.form, r.form),
            "adres plek": r.form_address or None,
            "individueel of groep": GROUPINGS.get(r.grouping, r.grouping),
            "vertrouwenspersoon": r.trusted_name or None,
            "relatie vertrouwenspersoon": r.trusted_relation or None,
            "behoeften": ", ".join(str(NEEDS.get(n, n)) for n in r.needs),
            "voorkeur dagen en tijden": r.preferred_times or None,
            "lid cliëntenraad": r.client_council_member,
            "status": r.status_label,
            "wil terugkoppeling": r.wants_feedback,
        }
        if appt is not None:
            rec["gesprek op"] = as_utc(appt.starts_at).isoformat()  # type: ignore[union-attr]
            rec["plaats"] = appt.place or FORMS.get(appt.form, appt.form)
            rec["raadsleden"] = ", ".join(m.member.name for m in appt.members)
            if appt.report is not None:
                rec["verslag: thema's"] = ", ".join(appt.report.themes)
                rec["verslag: wat belangrijk is"] = appt.report.important
                rec["verslag: citaten"] = appt.report.quotes
                rec["verslag: ideeën"] = "; ".join(
                    f"{i.text} (antwoord college: {i.answer or 'nog niet'})"
                    for i in appt.report.ideas
                )
        records.append(rec)
    return PersonalData(
        plugin=NAME, title=_("Raadsgesprekken"), records=records, special=SPECIAL_EXPORT_KEYS
    )


def _anonymise_request(
    r: ConversationRequest, names: list[str], now: datetime, *, wipe_report: bool
) -> bool:
    """Detach the resident and take names out of the conversation's free text."""
    report_changed = False
    appt = r.appointment
    if appt is not None:
        if appt.place_is_home:
            appt.place = ""
        appt.cancel_reason = scrub(appt.cancel_reason, names)
        report = appt.report
        if report is not None:
            alone = len(appt.requests) <= 1
            if wipe_report and alone:
                report.important = ""
            else:
                report.important = scrub(report.important, names)
            report.quotes = scrub(report.quotes, names) if report.quotes else ""
            for idea in report.ideas:
                idea.text = scrub(idea.text, names)
            report.anonymised_at = now
            report_changed = True
    for change in r.history:
        change.reason = scrub(change.reason, names) if change.reason else ""
    r.resident_id = None
    r.trusted_name = ""
    r.trusted_relation = ""
    r.form_address = ""
    r.preferred_times = ""
    r.anonymised_at = now
    return report_changed


def erase_resident(municipality, resident, reason: str) -> ErasureResult:  # type: ignore[no-untyped-def]
    result = ErasureResult(plugin=NAME)
    now = utcnow()
    requests = _requests_of(municipality, resident)
    reports = 0
    for r in requests:
        names = [resident.name, r.trusted_name]
        if resident.email:
            names.append(resident.email)
        if resident.phone:
            names.append(resident.phone)
        reports += _anonymise_request(r, names, now, wipe_report=True)
    db.session.flush()
    if requests:
        result.anonymised.append(f"{len(requests)} aanvraag/aanvragen losgekoppeld van de inwoner")
    if reports:
        result.anonymised.append(f"{reports} gespreksverslag(en) ontdaan van namen")
        result.kept.append(
            (
                _("thema's en geanonimiseerde ideeën"),
                _("Al doorgegeven aan het college; zonder naam niet herleidbaar."),
            )
        )
    return result


def processing_activities(municipality) -> list[ProcessingActivity]:  # type: ignore[no-untyped-def]
    from .models import CARE_CATEGORY
    from .retention import CATEGORIES, report_days

    days = report_days(municipality)
    return [
        ProcessingActivity(
            name=_("Raadsgesprekken met cliënten"),
            purpose=_(
                "Raadsleden spreken cliënten en mantelzorgers over zorg en ondersteuning en geven hun ideeën door aan het college (doorgeefluik)."
            ),
            legal_basis=_("Toestemming (AVG art. 6 lid 1 sub a)"),
            data_categories=(
                "naam",
                "contactgegevens",
                _("adres (tot het gesprek gevoerd is)"),
                _("soort zorg of ondersteuning"),
                _("behoeften (tolk, eenvoudige taal, toegankelijkheid)"),
                "vertrouwenspersoon",
                "gespreksverslag",
            ),
            data_subjects=("cliënten", "mantelzorgers", "vertrouwenspersonen"),
            retention=_(
                "Herleidbare inhoud van verslagen wordt %(days)s dagen na afronding "
                "geanonimiseerd; het huisadres wordt verwijderd zodra het gesprek gevoerd is.",
                days=days,
            ),
            retention_days=days,
            special_categories=(str(CARE_CATEGORY),),
            retention_categories=CATEGORIES,
        )
    ]
