"""The core's own hook implementations: it declares its permissions and pages like any plugin."""

from __future__ import annotations

from flask import render_template
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import func

from .contract import (
    ConsentPurpose,
    NavItem,
    Permission,
    PersonalData,
    PluginInfo,
    ProcessingActivity,
    Widget,
)
from .extensions import db
from .hookspecs import hookimpl
from .residents.models import Consent, Resident
from .tenancy import scoped
from .web.i18n import N_


@hookimpl
def intranet_plugin_info() -> PluginInfo:
    return PluginInfo(
        name="core",
        title_nl="Kern",
        title_en="Core",
        description=_l("Gemeenten, inloggen, toegang, inwoners, audit en kalender."),
        origin="Intranet cliëntparticipatie",
        version="0.1.0",
    )


@hookimpl
def intranet_permissions() -> list[Permission]:
    return [
        Permission("core.dashboard", _l("Dashboard en kalender bekijken")),
        Permission(
            "core.residents.view", _l("Inwoners bekijken"), _l("Inclusief contactgegevens.")
        ),
        Permission("core.residents.edit", _l("Inwoners en toestemmingen registreren en wijzigen")),
        Permission("core.organisations.view", _l("Organisaties en hun contactpersonen bekijken")),
        Permission("core.organisations.edit", _l("Organisaties en contactpersonen registreren")),
        Permission(
            "core.reach.view",
            _l("Bereik bekijken"),
            _l("Aantallen deelnemers per bereikgroep; aantallen onder de 5 blijven verborgen."),
        ),
        Permission(
            "core.reach.manage", _l("Bereikgroepen en acties om groepen te bereiken beheren")
        ),
        Permission("core.audit.view", _l("Auditlog bekijken en exporteren")),
        Permission(
            "core.feedback.view",
            _l("Terugkoppeling bekijken"),
            _l(
                "Zien welke inbreng van deelnemers nog terugkoppeling nodig heeft, in alle plugins, "
                "en het maandoverzicht daarvan."
            ),
        ),
        Permission(
            "core.feedback.manage",
            _l("Termijnen voor terugkoppeling instellen"),
            _l("Binnen hoeveel werkdagen deelnemers horen wat er met hun inbreng is gedaan."),
        ),
        Permission("core.access.manage", _l("Rollen en toegang beheren")),
        Permission(
            "core.privacy.requests",
            _l("Inzage- en verwijderverzoeken afhandelen"),
            _l("Alles wat over één inwoner is vastgelegd inzien, exporteren en verwijderen."),
        ),
        Permission("core.privacy.register", _l("Verwerkingsregister en bewaartermijnen bekijken")),
        Permission(
            "core.privacy.retention",
            _l("Bewaartermijnen van de gemeente instellen"),
            _l(
                "Afwijken van de standaardtermijnen van de plugins; elke wijziging wordt vastgelegd."
            ),
        ),
        Permission(
            "core.privacy.special",
            _l("Bijzondere persoonsgegevens inzien"),
            _l("Bijvoorbeeld gegevens over gezondheid (GGZ). Elke inzage wordt vastgelegd."),
        ),
    ]


@hookimpl
def intranet_consent_purposes() -> list[ConsentPurpose]:
    return [
        ConsentPurpose(
            "core.contact",
            _l("Benaderd worden voor participatie"),
            _l(
                "De gemeente mag de inwoner benaderen voor gesprekken, meedenkgroepen en vragenlijsten."
            ),
        )
    ]


@hookimpl
def intranet_navigation() -> list[NavItem]:
    return [
        NavItem(_l("Start"), "core.dashboard", "core.dashboard", order=0),
        NavItem(_l("Kalender"), "core.calendar", "core.dashboard", order=10),
        NavItem(_l("Inwoners"), "residents.index", "core.residents.view", order=20),
        NavItem(_l("Terugkoppeling"), "feedback.index", "core.feedback.view", order=30),
        NavItem(_l("Organisaties"), "organisations.index", "core.organisations.view", order=25),
        NavItem(_l("Bereik"), "reach.index", "core.reach.view", order=860),
        NavItem(_l("Privacy"), "privacy.register", "core.privacy.register", order=880),
        NavItem(_l("Toegang"), "access.overview", "core.access.manage", order=890),
        NavItem(_l("Auditlog"), "audit.index", "core.audit.view", order=900),
    ]


@hookimpl
def intranet_dashboard_widgets(municipality, employee) -> list[Widget]:  # type: ignore[no-untyped-def]
    from .access.permissions import effective_permissions

    permissions = effective_permissions(employee, municipality)
    widgets = []
    if "core.residents.view" in permissions:
        total = db.session.execute(
            scoped(Resident, municipality).with_only_columns(
                func.count(), maintain_column_froms=True
            )
        ).scalar_one()
        html = render_template("widgets/residents.html", total=total)
        widgets.append(Widget(_l("Inwoners"), Markup(html), order=90))  # noqa: S704 - Jinja escaped
    if "core.feedback.view" in permissions:
        from .feedback import service as feedback

        rows = feedback.owed(feedback.contributions(municipality, owed_only=True))
        html = render_template(
            "widgets/feedback.html", total=len(rows), counts=feedback.counts(rows)
        )
        widgets.append(Widget(_l("Terugkoppeling"), Markup(html), order=20))  # noqa: S704 - Jinja escaped
    return widgets


@hookimpl
def intranet_resident_data(municipality, resident) -> PersonalData:  # type: ignore[no-untyped-def]
    consents = db.session.execute(
        scoped(Consent, municipality).where(Consent.resident_id == resident.id)
    ).scalars()
    return PersonalData(
        plugin="core",
        title=_l("Inwonersregister"),
        records=[
            {
                N_("naam"): resident.name,
                N_("e-mail"): resident.email,
                N_("telefoon"): resident.phone,
                N_("adres"): resident.address,
                N_("soort"): resident.kind_label,
                N_("wijk"): resident.neighbourhood,
                N_("notities"): resident.notes,
            }
        ]
        + [
            {
                N_("toestemming"): c.purpose_label,
                N_("reikwijdte"): c.scope,
                N_("hoe gegeven"): c.method_label,
                N_("gegeven op"): c.given_on.isoformat(),
                N_("ingetrokken op"): c.withdrawn_on.isoformat() if c.withdrawn_on else None,
            }
            for c in consents
        ]
        + _organisation_records(resident)
        + _reach_records(municipality, resident),
        special=["bijzondere bereikgroep"],
    )


def _organisation_records(resident) -> list[dict]:  # type: ignore[no-untyped-def]
    """The organisations the resident is a contact person for (AVG art. 15)."""
    from .organisations.views import organisations_of

    return [
        {N_("contactpersoon van"): c.organisation.name, "rol": c.role or None}
        for c in organisations_of(resident.id)
    ]


def _reach_records(municipality, resident) -> list[dict]:  # type: ignore[no-untyped-def]
    from .reach.views import resident_reach_records

    return resident_reach_records(resident.id, municipality.id)


@hookimpl
def intranet_processing_activities() -> list[ProcessingActivity]:
    return [
        ProcessingActivity(
            name=_l("Inwonersregister cliëntparticipatie"),
            purpose=_l(
                "Inwoners betrekken bij beleid in het sociaal domein en hun toestemmingen vastleggen."
            ),
            legal_basis=_l("Toestemming (AVG art. 6 lid 1 sub a)"),
            data_categories=("naam", "contactgegevens", "wijk", "soort deelnemer", "toestemmingen"),
            data_subjects=("cliënten", "mantelzorgers", "ervaringsdeskundigen", "inwoners"),
            retention=_l("Tot intrekking van de toestemming of een verwijderverzoek."),
        ),
        ProcessingActivity(
            name=_l("Auditlog"),
            purpose=_l(
                "Verantwoorden wie welke persoonsgegevens heeft ingezien of gewijzigd (BIO)."
            ),
            legal_basis=_l("Wettelijke verplichting (AVG art. 5 lid 2, art. 32)"),
            data_categories=("gebruikersnaam medewerker", "IP-adres", "handeling"),
            data_subjects=("medewerkers",),
            retention=_l("Bewaard volgens de archiefselectielijst van de gemeente."),
        ),
    ]
