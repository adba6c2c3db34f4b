"""Adding municipalities and switching plugins, shared by the CLI and the platform pages."""

from __future__ import annotations

import re
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import make_transient_to_detached

from ..audit.service import record
from ..caching import cached
from ..extensions import db
from ..timeutil import utcnow
from .models import Municipality, PluginState

SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9-]{1,39}\Z")
#: First path segments the core uses itself.
RESERVED_SLUGS = {"beheer", "static", "uitloggen", "inloggen", "health", "api", "publiek", "taal"}


class MunicipalityError(ValueError):
    """Input an operator can correct; the message says how."""


def validate_slug(slug: str) -> str:
    slug = slug.strip()
    if not SLUG_PATTERN.match(slug):
        raise MunicipalityError(
            _(
                "De korte naam bestaat uit 2 tot 40 kleine letters, cijfers of streepjes en "
                "begint met een letter, bijvoorbeeld 'zwolle'."
            )
        )
    if slug in RESERVED_SLUGS:
        raise MunicipalityError(
            _("'%(slug)s' is gereserveerd; kies een andere korte naam.", slug=slug)
        )
    return slug


def by_slug(slug: str) -> Municipality | None:
    return db.session.execute(
        select(Municipality).where(Municipality.slug == slug)
    ).scalar_one_or_none()


def active_by_slug(slug: str) -> Municipality | None:
    """The active municipality a URL names, without a query once this process has seen it.

    The cached copy is attached to the request's session without loading (``merge`` with
    ``load=False``), so it behaves like a row read in this request.
    """
    values = cached(("municipality", slug), lambda: _active_values(slug))
    if values is None:
        return None
    municipality = Municipality(**values)
    make_transient_to_detached(municipality)
    return db.session.merge(municipality, load=False)


def _active_values(slug: str) -> dict[str, Any] | None:
    row = db.session.execute(
        select(Municipality).where(Municipality.slug == slug, Municipality.active.is_(True))
    ).scalar_one_or_none()
    if row is None:
        return None
    return {c.key: getattr(row, c.key) for c in Municipality.__mapper__.column_attrs}


def require(slug: str) -> Municipality:
    municipality = by_slug(slug)
    if municipality is None:
        raise MunicipalityError(_("Gemeente '%(slug)s' bestaat niet.", slug=slug))
    return municipality


def all_municipalities() -> list[Municipality]:
    return list(db.session.execute(select(Municipality).order_by(Municipality.name)).scalars())


def add_municipality(slug: str, name: str) -> Municipality:
    slug = validate_slug(slug)
    name = name.strip()
    if not name or len(name) > 120:
        raise MunicipalityError(_("Geef de naam van de gemeente op (hoogstens 120 tekens)."))
    if by_slug(slug) is not None:
        raise MunicipalityError(_("Gemeente '%(slug)s' bestaat al.", slug=slug))
    municipality = Municipality(slug=slug, name=name)
    db.session.add(municipality)
    db.session.flush()
    from ..access.defaults import create_default_roles

    create_default_roles(municipality)
    record(
        "municipality.created",
        object_type="municipality",
        object_id=municipality.id,
        municipality=municipality,
        details={"slug": slug},
    )
    return municipality


def plugin_states(municipality: Municipality) -> dict[str, bool]:
    rows = db.session.execute(
        select(PluginState).where(PluginState.municipality_id == municipality.id)
    ).scalars()
    return {r.plugin_name: r.enabled for r in rows}


def set_plugin_enabled(
    municipality: Municipality, plugin_name: str, enabled: bool, actor: str | None = None
) -> bool:
    """Switch a plugin; returns False when it already was in that state. Data is always kept."""
    host = current_app.extensions["intranet"].plugins
    if not host.is_known(plugin_name):
        if plugin_name in host.failures:
            raise MunicipalityError(
                _(
                    "Plugin '%(plugin)s' kon niet worden geladen: %(error)s",
                    plugin=plugin_name,
                    error=host.failures[plugin_name].error,
                )
            )
        known = ", ".join(host.plugin_names) or _("geen")
        raise MunicipalityError(
            _(
                "Onbekende plugin '%(plugin)s'. Beschikbaar: %(known)s.",
                plugin=plugin_name,
                known=known,
            )
        )
    state = db.session.execute(
        select(PluginState).where(
            PluginState.municipality_id == municipality.id, PluginState.plugin_name == plugin_name
        )
    ).scalar_one_or_none()
    if state is not None and state.enabled == enabled:
        return False
    if state is None:
        state = PluginState(municipality_id=municipality.id, plugin_name=plugin_name)
        db.session.add(state)
    state.enabled = enabled
    state.changed_at = utcnow()
    state.changed_by = actor
    db.session.flush()
    host.forget_enabled()
    hook = "intranet_plugin_enabled" if enabled else "intranet_plugin_disabled"
    host.call_plugin(plugin_name, hook, municipality=municipality)
    record(
        "plugin.enabled" if enabled else "plugin.disabled",
        object_type="plugin",
        object_id=plugin_name,
        municipality=municipality,
        actor=actor,
    )
    return True
