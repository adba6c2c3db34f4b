"""Intranet for client participation in the social domain: the Flask core.

``create_app`` builds the app: settings, extensions, the plugin host with every installed
plugin, the core's blueprints and each plugin's blueprints under ``/<municipality>/<plugin>/``.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import migrating
from .config import (
    DeploymentSettings,
    check_job_timing,
    check_production_settings,
    check_rate_limit_storage,
    default_settings,
    engine_options,
    load_deployment_settings,
    plugin_settings_from_environment,
    settings_from_environment,
)
from .contract import Permission
from .extensions import (
    babel,
    csrf,
    db,
    drop_connections_after_fork,
    limiter,
    login_manager,
    migrate,
)
from .plugin_manager import CORE, PluginHost, flatten

__all__ = ["create_app"]


@dataclass
class IntranetState:
    """What the core keeps on ``app.extensions['intranet']``."""

    plugins: PluginHost
    deployment: DeploymentSettings
    #: permission code -> (plugin name, Permission)
    permissions: dict[str, tuple[str, Permission]] = field(default_factory=dict)
    #: consent purpose code -> (plugin name, ConsentPurpose)
    consent_purposes: dict[str, tuple[str, Any]] = field(default_factory=dict)
    #: blueprint name -> plugin name, for the plugin gate
    blueprint_plugins: dict[str, str] = field(default_factory=dict)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(default_settings(app.instance_path))
    app.config.update(settings_from_environment())
    if config:
        app.config.update(config)
    check_production_settings(app.config)
    check_job_timing(app.config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.urandom(32).hex()  # development only: sessions end on restart
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=app.config["LOG_LEVEL"])

    if app.config["PROXY_COUNT"]:
        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config)
    db.init_app(app)
    with app.app_context():
        drop_connections_after_fork(db.engines.values())
    migrate.init_app(app, db, directory=str(migrating.MIGRATIONS_DIR), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.session_protection = "strong"
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"] or "memory://")
    if app.config["RATELIMIT_STORAGE_URI"].startswith(("redis://", "rediss://")):
        # a Redis that hangs must not hang the sign-in; one that is down falls back to
        # counting in this process's memory until it is back (Flask-Limiter checks)
        app.config.setdefault(
            "RATELIMIT_STORAGE_OPTIONS", {"socket_timeout": 2, "socket_connect_timeout": 2}
        )
        app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    check_rate_limit_storage(app.config)
    limiter.init_app(app)

    from .web import i18n

    babel.init_app(app, locale_selector=i18n.select_locale)
    app.before_request(i18n.share_wtforms_catalog)

    state = IntranetState(
        plugins=_load_plugins(app),
        deployment=load_deployment_settings(app.config.get("DEPLOYMENT_CONFIG")),
    )
    app.extensions["intranet"] = state
    # Alembic finds each installed plugin's migrations through the loaded plugins.
    migrating.register(migrate)
    _plugin_translations(app, state)
    _plugin_settings_from_environment(app, state)
    _collect_permissions(state)

    _import_models()
    _register_core(app)
    _register_plugin_blueprints(app, state)

    from . import cli

    cli.register(app, state)
    return app


def _load_plugins(app: Flask) -> PluginHost:
    from . import core_plugin

    host = PluginHost()
    host.register(CORE, core_plugin)
    for name, module in app.config.get("EXTRA_PLUGINS", []):
        host.register(name, module)
    host.load_entry_points()
    return host


def _plugin_translations(app: Flask, state: IntranetState) -> None:
    """A plugin's ``translations/`` folder (beside its entry point's module) joins Babel's.

    The core's catalog comes last, so a plugin cannot change the core's own wording.
    """
    folders = []
    #: plugin name -> the languages its catalog has (for the language of a page's content)
    catalogs: dict[str, set[str]] = {}
    for name, module in state.plugins.pm.list_name_plugin():
        folder = migrating.plugin_package_dir(module) if name != CORE else None
        if folder is not None and (folder / "translations").is_dir():
            folders.append(str(folder / "translations"))
            catalogs[name] = {
                p.name for p in (folder / "translations").iterdir() if (p / "LC_MESSAGES").is_dir()
            }
    app.extensions["intranet_catalogs"] = catalogs
    babel_config = app.extensions["babel"]
    babel_config.translation_directories[:0] = sorted(folders)


def _plugin_settings_from_environment(app: Flask, state: IntranetState) -> None:
    """``INTRANET_<PLUGIN>_<KEY>`` sets the plugin's ``<PLUGIN>_<KEY>`` unless already set."""
    for key, value in plugin_settings_from_environment(state.plugins.plugin_names).items():
        app.config.setdefault(key, value)


def _collect_permissions(state: IntranetState) -> None:
    for result in state.plugins.call_all("intranet_permissions"):
        for perm in result.value or []:
            if not perm.code.startswith(f"{result.plugin}."):
                raise RuntimeError(
                    f"plugin {result.plugin}: permission '{perm.code}' must start with "
                    f"'{result.plugin}.'"
                )
            state.permissions[perm.code] = (result.plugin, perm)
    for result in state.plugins.call_all("intranet_consent_purposes"):
        for purpose in result.value or []:
            if not purpose.code.startswith(f"{result.plugin}."):
                raise RuntimeError(
                    f"plugin {result.plugin}: consent purpose '{purpose.code}' must start with "
                    f"'{result.plugin}.'"
                )
            state.consent_purposes[purpose.code] = (result.plugin, purpose)


def _import_models() -> None:
    from . import caching as _caching  # noqa: F401
    from .access import models as _access  # noqa: F401
    from .audit import models as _audit  # noqa: F401
    from .auth import models as _auth  # noqa: F401
    from .dashboard import models as _dashboard  # noqa: F401
    from .feedback import models as _feedback  # noqa: F401
    from .jobs import models as _jobs  # noqa: F401
    from .municipalities import models as _municipalities  # noqa: F401
    from .organisations import models as _organisations  # noqa: F401
    from .privacy import models as _privacy  # noqa: F401
    from .reach import models as _reach  # noqa: F401
    from .residents import models as _residents  # noqa: F401
    from .themes import models as _themes  # noqa: F401


def _register_core(app: Flask) -> None:
    from .access.views import bp as access_bp
    from .audit.views import bp as audit_bp
    from .auth.views import bp as auth_bp
    from .dashboard import feed as _feed  # noqa: F401  (its routes are on the core blueprint)
    from .dashboard.views import bp as dashboard_bp
    from .feedback.views import bp as feedback_bp
    from .organisations.views import bp as organisations_bp
    from .platform.views import bp as platform_bp
    from .privacy import special
    from .privacy.views import bp as privacy_bp
    from .reach.views import bp as reach_bp
    from .residents.views import bp as residents_bp
    from .themes import views as themes
    from .web import errors, form_errors, guards, headers, htmx, i18n, layout, session_cookie
    from .web import input as input_guard

    for bp in (
        platform_bp,
        auth_bp,
        dashboard_bp,
        residents_bp,
        audit_bp,
        access_bp,
        privacy_bp,
        feedback_bp,
    ):
        app.register_blueprint(bp)
    for bp in (organisations_bp, reach_bp):
        app.register_blueprint(bp)
    session_cookie.init_app(app)
    input_guard.init_app(app)  # first: before the municipality is looked up
    guards.init_app(app)
    errors.init_app(app)
    headers.init_app(app)
    layout.init_app(app)
    special.init_app(app)
    form_errors.init_app(app)
    themes.init_app(app)
    htmx.init_app(app)
    i18n.init_app(app)


def _register_plugin_blueprints(app: Flask, state: IntranetState) -> None:
    for result in state.plugins.call_all("intranet_blueprints"):
        if result.plugin == CORE:
            continue
        for bp in flatten([result]):
            app.register_blueprint(bp, url_prefix=f"/<municipality>/{result.plugin}")
            state.blueprint_plugins[bp.name] = result.plugin
    for result in state.plugins.call_all("intranet_public_blueprints"):
        for bp in flatten([result]):
            app.register_blueprint(bp, url_prefix=f"/publiek/<municipality>/{result.plugin}")
            state.blueprint_plugins[bp.name] = result.plugin
