"""Audit events in plain Dutch: what happened and who did it, instead of internal codes.

The log keeps its codes (``access.group_roles_synced``); the page shows a sentence. Known
core events have their own label; a plugin's event is read as "<plugin>: <thing> <verb>",
with the plugin's title and a Dutch word for each part, and falls back to its code.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..extensions import db

#: the actor written by the sign-in's directory synchronisation (no one is signed in yet)
DIRECTORY_ACTOR = "directory"

CORE_LABELS = {
    "access.employee_disabled": _l("Medewerker geblokkeerd"),
    "access.employee_enabled": _l("Medewerker weer toegelaten"),
    "access.exported": _l("Toegangsoverzicht geëxporteerd"),
    "access.granted": _l("Rol met de hand toegekend"),
    "access.group_mapped": _l("Directorygroep aan een rol gekoppeld"),
    "access.group_roles_synced": _l("Rollen bijgewerkt uit de directorygroepen"),
    "access.group_unmapped": _l("Directorygroep losgekoppeld van een rol"),
    "access.revoked": _l("Rol ingetrokken"),
    "access.role_changed": _l("Rol gewijzigd"),
    "access.role_created": _l("Rol aangemaakt"),
    "access.role_deleted": _l("Rol verwijderd"),
    "audit.exported": _l("Auditlog geëxporteerd"),
    "auth.login": _l("Aangemeld"),
    "auth.logout": _l("Afgemeld"),
    "auth.session_ended": _l("Sessie beëindigd"),
    "auth.sso_refused": _l("Aanmelden via single sign-on geweigerd"),
    "auth.rate_limited": _l("Te vaak geprobeerd aan te melden"),
    "consent.given": _l("Toestemming vastgelegd"),
    "consent.withdrawn": _l("Toestemming ingetrokken"),
    "municipality.created": _l("Gemeente aangemaakt"),
    "municipality.theme_changed": _l("Thema (huisstijl en logo) van de gemeente gewijzigd"),
    "permission.denied": _l("Toegang geweigerd"),
    "plugin.disabled": _l("Onderdeel uitgeschakeld"),
    "plugin.enabled": _l("Onderdeel ingeschakeld"),
    "privacy.access_request": _l("Inzageverzoek beantwoord"),
    "privacy.access_log_viewed": _l("Inzagelog bekeken"),
    "privacy.erased": _l("Gegevens van een inwoner gewist"),
    "privacy.retention_changed": _l("Bewaartermijn gewijzigd"),
    "privacy.retention_dry_run": _l("Proefrun bewaartermijnen"),
    "privacy.retention_run": _l("Bewaartermijnen toegepast"),
    "privacy.special_read": _l("Bijzondere persoonsgegevens ingezien"),
    "resident.created": _l("Inwoner geregistreerd"),
    "resident.updated": _l("Inwonergegevens gewijzigd"),
    "resident.viewed": _l("Inwoner bekeken"),
    "calendar.feed.fetched": _l("Persoonlijke agenda-koppeling opgehaald"),
    "calendar.feed.renewed": _l("Persoonlijke agenda-koppeling vernieuwd"),
    "calendar.feed.revoked": _l("Persoonlijke agenda-koppeling ingetrokken"),
    "feedback.overview.exported": _l("Overzicht van de terugkoppeling geëxporteerd"),
    "feedback.terms.changed": _l("Termijnen voor terugkoppeling gewijzigd"),
    "organisation.changed": _l("Organisatie gewijzigd"),
    "organisation.contact_added": _l("Contactpersoon van een organisatie toegevoegd"),
    "organisation.contact_removed": _l("Contactpersoon van een organisatie verwijderd"),
    "organisation.created": _l("Organisatie geregistreerd"),
    "organisation.deleted": _l("Organisatie verwijderd"),
    "organisation.list": _l("Lijst van organisaties bekeken"),
    "organisation.viewed": _l("Organisatie bekeken"),
    "reach.action_recorded": _l("Actie om inwoners te bereiken vastgelegd"),
    "reach.exported": _l("Overzicht van het bereik geëxporteerd"),
    "reach.group_assigned": _l("Inwoner aan een doelgroep toegewezen"),
    "reach.group_changed": _l("Doelgroep gewijzigd"),
    "reach.group_created": _l("Doelgroep aangemaakt"),
    "reach.group_removed": _l("Inwoner uit een doelgroep gehaald"),
    "reach.viewed": _l("Overzicht van het bereik bekeken"),
    "resident.changed": _l("Inwonergegevens gewijzigd"),
    "resident.list": _l("Lijst van inwoners bekeken"),
}

#: parts of plugin event codes, in Dutch (and through the catalog in the reader's language:
#: "<thing> <verb>" reads the same way in English, "gesprek verplaatst", "appointment moved")
WORDS = {
    "agenda": _l("agenda"),
    "appointment": _l("gesprek"),
    "attendance": _l("aanwezigheid"),
    "bulk": _l("meerdere"),
    "consultation": _l("raadpleging"),
    "contribution": _l("bijdrage"),
    "contributions": _l("bijdragen"),
    "day": _l("gespreksdag"),
    "feedback": _l("terugkoppeling"),
    "from": _l("uit"),
    "group": _l("groep"),
    "idea": _l("idee"),
    "input": _l("inbreng"),
    "interim": _l("tussentijds"),
    "invitations": _l("uitnodigingen"),
    "letter": _l("brief"),
    "list": _l("keuzelijst"),
    "meeting": _l("bijeenkomst"),
    "member": _l("lid"),
    "members": _l("leden"),
    "milestone": _l("mijlpaal"),
    "moment": _l("moment"),
    "next": _l("volgende"),
    "outcome": _l("uitkomst"),
    "outcomes": _l("uitkomsten"),
    "panel": _l("panel"),
    "participant": _l("deelnemer"),
    "participants": _l("deelnemers"),
    "persona": _l("persona"),
    "proposal": _l("voorstel"),
    "question": _l("vraag"),
    "questionnaire": _l("vragenlijst"),
    "recommendation": _l("aanbeveling"),
    "report": _l("verslag"),
    "request": _l("aanvraag"),
    "resident": _l("inwoner"),
    "response": _l("reactie"),
    "result": _l("resultaat"),
    "results": _l("resultaten"),
    "schedule": _l("ingepland"),
    "session": _l("sessie"),
    "set": _l("vragenset"),
    "settings": _l("instellingen"),
    "slot": _l("tijdvak"),
    "stakeholder": _l("belanghebbende"),
    "starter": _l("basis"),
    "step": _l("stap"),
    "steps": _l("stappen"),
    "summary": _l("samenvatting"),
    "trajectory": _l("traject"),
    "value": _l("waarde"),
    "version": _l("versie"),
    "workshop": _l("werksessie"),
    "workstream": _l("werkspoor"),
}
VERBS = {
    "added": _l("toegevoegd"),
    "advice_text": _l("adviestekst opgeslagen"),
    "answered": _l("beantwoord"),
    "assessed": _l("beoordeeld"),
    "cancelled": _l("geannuleerd"),
    "changed": _l("gewijzigd"),
    "closed": _l("afgerond"),
    "created": _l("aangemaakt"),
    "decided": _l("besloten"),
    "deleted": _l("verwijderd"),
    "entered": _l("ingevoerd"),
    "erased": _l("gewist"),
    "explained": _l("toegelicht"),
    "exported": _l("geëxporteerd"),
    "followup": _l("vervolgnotitie opgeslagen"),
    "held": _l("gevoerd"),
    "left": _l("vertrokken"),
    "list": _l("lijst bekeken"),
    "listed": _l("bekeken"),
    "logged": _l("vastgelegd"),
    "mailed": _l("gemaild"),
    "moved": _l("verplaatst"),
    "participation": _l("koppeling aan een participatietraject gewijzigd"),
    "printed": _l("afgedrukt"),
    "received": _l("ontvangen"),
    "reminded": _l("herinnerd"),
    "removed": _l("verwijderd"),
    "saved": _l("opgeslagen"),
    "send_requested": _l("verzending gevraagd"),
    "sent": _l("verstuurd"),
    "status": _l("status gewijzigd"),
    "toggled": _l("aan- of uitgezet"),
    "used": _l("gebruikt"),
    "viewed": _l("bekeken"),
    "written": _l("geschreven"),
}


def action_label(action: str) -> str:
    """A sentence for an event code, in the reader's language; the code itself if nothing fits."""
    if action in CORE_LABELS:
        return str(CORE_LABELS[action])
    plugin, _, rest = action.partition(".")
    infos = current_app.extensions["intranet"].plugins.infos
    if plugin not in infos or not rest:
        return action
    parts = rest.replace("_", ".").split(".") if rest not in VERBS else [rest]
    # a verb may itself hold an underscore (send_requested): try the whole tail first
    for cut in range(len(parts)):
        verb = "_".join(parts[cut:])
        if verb in VERBS:
            things = [str(WORDS.get(p, p)) for p in parts[:cut]]
            sentence = " ".join([*things, str(VERBS[verb])]).strip()
            return f"{infos[plugin].title}: {sentence[:1].upper()}{sentence[1:]}"
    things = " ".join(str(WORDS.get(p, p)) for p in parts)
    return f"{infos[plugin].title}: {things[:1].upper()}{things[1:]}"


def actor_names(municipality_id: int, usernames: Iterable[str | None]) -> dict[str, str]:
    """Each actor's display name, in one query: "Mirjam Bakker (griffier)"."""
    from ..auth.models import Employee

    names: dict[str, str] = {
        DIRECTORY_ACTOR: str(_l("Koppeling met de directory (bij aanmelden)")),
        "anoniem": str(_l("Niet aangemeld")),
    }
    wanted = {u for u in usernames if u and u not in names}
    for u in [u for u in wanted if u.startswith("cli")]:
        names[u] = str(_l("Beheer op de server (%(who)s)", who=u.partition(":")[2] or "cli"))
    wanted = {u for u in wanted if not u.startswith("cli")}
    if wanted:
        rows = db.session.execute(
            select(Employee.username, Employee.display_name).where(
                Employee.municipality_id == municipality_id, Employee.username.in_(wanted)
            )
        ).all()
        for username, display in rows:
            names[username] = f"{display} ({username})" if display else username
    return names
