"""A test-only plugin whose pages live in blueprints nested inside its top-level blueprints.

Flask names a nested blueprint ``outer.inner``; the plugin gate must look at ``outer`` (the
blueprint the plugin registered), or a switched-off plugin's nested pages stay reachable.
"""

from __future__ import annotations

from flask import Blueprint

from intranet.access.permissions import public, requires
from intranet.contract import Permission, PluginInfo
from intranet.hookspecs import hookimpl

NAME = "nested"

bp = Blueprint(NAME, __name__)
inner = Blueprint("inner", __name__)
public_bp = Blueprint(f"{NAME}_public", __name__)
public_inner = Blueprint("inner", __name__)


@inner.route("/dicht")
@requires("nested.view")
def closed_page():  # type: ignore[no-untyped-def]
    return "<!doctype html><title>dicht</title><p>Genest en besloten</p>"


@public_inner.route("/formulier")
@public
def public_form():  # type: ignore[no-untyped-def]
    return "<!doctype html><title>formulier</title><p>Genest publiek formulier</p>"


bp.register_blueprint(inner, url_prefix="/binnen")
public_bp.register_blueprint(public_inner, url_prefix="/binnen")


@hookimpl
def intranet_plugin_info() -> PluginInfo:
    return PluginInfo(
        NAME, "Genest", "Nested", "Test-plugin met geneste blueprints.", "tests", "1.0"
    )


@hookimpl
def intranet_blueprints():  # type: ignore[no-untyped-def]
    return [bp]


@hookimpl
def intranet_public_blueprints():  # type: ignore[no-untyped-def]
    return [public_bp]


@hookimpl
def intranet_permissions():  # type: ignore[no-untyped-def]
    return [Permission("nested.view", "Genest bekijken")]
