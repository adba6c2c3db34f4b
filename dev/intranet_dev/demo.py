"""Demo data: two municipalities, roles mapped to the demo directory's groups, residents.

Idempotent: running it twice changes nothing the second time. Plugins add their own demo
data (and the roles their demo accounts need) through ``intranet_demo_data``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from flask import current_app

from intranet.access import service as access
from intranet.access.seed import demo_group_dn, demo_roles
from intranet.extensions import db
from intranet.municipalities import service as municipalities
from intranet.residents.models import Consent, Resident
from intranet.tenancy import scoped

__all__ = ["DEMO_MUNICIPALITIES", "demo_roles", "load_demo"]

DEMO_MUNICIPALITIES = {
    "zwolle": ("Gemeente Zwolle", ["raadsgesprekken", "adviescommissie"]),
    "zaanstad": ("Gemeente Zaanstad", ["meedenkgroepen", "adviescommissie"]),
}

#: role name -> directory groups (relative to the municipality's suffix)
DEMO_GROUP_ROLES = {
    "zwolle": {
        "medewerker": ["alle-medewerkers"],
        "inwonerregistratie": ["griffie"],
        "participatiecoordinator": ["griffie"],
        "bereik": ["griffie"],
    },
    "zaanstad": {
        "medewerker": ["alle-medewerkers"],
        "inwonerregistratie": ["participatie"],
        "participatiecoordinator": ["participatie", "adviescommissie-secretariaat"],
        "bereik": ["participatie"],
    },
}

DEMO_RESIDENTS = {
    "zwolle": [
        (
            "Anna de Jong",
            "client",
            "anna.dejong@example.org",
            "06 12345601",
            "Holtenbroek",
            "Kamperpoortenstraat 3, Zwolle",
        ),
        (
            "Bram Hendriks",
            "carer",
            "bram.hendriks@example.org",
            "06 12345602",
            "Stadshagen",
            "Werkeslagweg 10, Zwolle",
        ),
        (
            "Cor van Dijk",
            "client",
            None,
            "038 4210003",
            "Diezerpoort",
            "Assendorperstraat 77, Zwolle",
        ),
        ("Dewi Pranoto", "expert", "dewi.pranoto@example.org", None, "Assendorp", None),
        (
            "Els Kramer",
            "client",
            "els.kramer@example.org",
            "06 12345605",
            "Holtenbroek",
            "Rieteweg 2, Zwolle",
        ),
        ("Fatma Öztürk", "carer", None, "06 12345606", "Zwolle-Zuid", "Ittersumallee 14, Zwolle"),
        ("Gerrit Pol", "client", "gerrit.pol@example.org", None, "Berkum", None),
        ("Hanna Mulder", "other", "hanna.mulder@example.org", "06 12345608", "Westenholte", None),
    ],
    "zaanstad": [
        ("Ilse Bos", "client", "ilse.bos@example.org", "06 22345601", "Poelenburg", None),
        ("Jeroen Vos", "carer", "jeroen.vos@example.org", "06 22345602", "Kogerveld", None),
        (
            "Karima Amrani",
            "client",
            "karima.amrani@example.org",
            None,
            "Pelders- en Hoornseveld",
            None,
        ),
        ("Lucas Brouwer", "expert", "lucas.brouwer@example.org", "075 6123404", "Westzaan", None),
        ("Marieke Zwart", "client", None, "075 6123405", "Krommenie", "Rosariumlaan 8, Krommenie"),
        ("Nadia el Idrissi", "carer", "nadia.elidrissi@example.org", None, "Zaandam-Oost", None),
        ("Otto Smeets", "client", "otto.smeets@example.org", "06 22345607", "Wormerveer", None),
    ],
}


def _ensure_municipality(slug: str, name: str) -> tuple[object, bool]:
    municipality = municipalities.by_slug(slug)
    if municipality is not None:
        return municipality, False
    return municipalities.add_municipality(slug, name), True


def _ensure_residents(municipality, slug: str) -> list[Resident]:  # type: ignore[no-untyped-def]
    existing = {r.name: r for r in db.session.execute(scoped(Resident, municipality)).scalars()}
    residents = []
    for name, kind, email, phone, neighbourhood, address in DEMO_RESIDENTS[slug]:
        resident = existing.get(name)
        if resident is None:
            resident = Resident(
                municipality_id=municipality.id,
                name=name,
                kind=kind,
                email=email,
                phone=phone,
                neighbourhood=neighbourhood,
                address=address,
            )
            db.session.add(resident)
            db.session.flush()
            db.session.add(
                Consent(
                    municipality_id=municipality.id,
                    resident_id=resident.id,
                    purpose="core.contact",
                    scope="Gesprekken, meedenkgroepen en vragenlijsten in het sociaal domein.",
                    method="verbal",
                    given_on=date(2026, 1, 15),
                    recorded_by="demo",
                )
            )
        residents.append(resident)
    return residents


#: with ``outside_plugins``, plugins installed from outside (named in no list above) are
#: switched on here, with their demo data, so that `make demo` shows a plugin once installed
OUTSIDE_PLUGINS_IN = "zwolle"


def _demo_plugins(host, slug: str, plugins: list[str], outside: bool) -> list[str]:  # type: ignore[no-untyped-def]
    if not outside or slug != OUTSIDE_PLUGINS_IN:
        return plugins
    named = {p for _name, listed in DEMO_MUNICIPALITIES.values() for p in listed}
    return plugins + [p for p in host.plugin_names if p not in named]


#: the second shipped theme in one demo municipality, so the demo shows a theme per municipality
DEMO_THEMES = {"zaanstad": "gemeente"}


def load_demo(outside_plugins: bool = False) -> Iterator[str]:
    """Create the demo municipalities, roles, residents and plugin data (idempotent).

    ``outside_plugins`` (the ``intranet demo`` command): also switch on every installed plugin
    the lists above do not name, in Zwolle. The test fixture leaves it off, so test-only
    plugins stay off and each plugin's tests switch themselves on.
    """
    host = current_app.extensions["intranet"].plugins
    for slug, (name, listed) in DEMO_MUNICIPALITIES.items():
        plugins = _demo_plugins(host, slug, listed, outside_plugins)
        municipality, created = _ensure_municipality(slug, name)
        yield f"{name}: {'aangemaakt' if created else 'bestond al'}"
        for role_name, groups in DEMO_GROUP_ROLES[slug].items():
            role = access.role_by_name(municipality, role_name)
            for group in groups:
                access.map_group(municipality, demo_group_dn(slug, group), role)
        for plugin in plugins:
            if host.is_known(plugin):
                municipalities.set_plugin_enabled(municipality, plugin, True, actor="demo")
        residents = _ensure_residents(municipality, slug)
        db.session.flush()
        if created:
            from intranet.reach import demo as reach_demo

            reach_demo.load(municipality, residents)
            if slug in DEMO_THEMES:
                from intranet.themes import service as themes

                themes.set_theme(municipality, DEMO_THEMES[slug], actor="demo")
        for plugin in plugins:
            if host.is_known(plugin) and created:
                host.call_plugin(
                    plugin, "intranet_demo_data", municipality=municipality, residents=residents
                )
                yield f"  demo-gegevens van {plugin} geladen"
        db.session.commit()
    yield "Klaar."
