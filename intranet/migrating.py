"""Alembic across the core and the installed plugins: one ``flask db upgrade`` for all of them.

The core's history lives in ``migrations/versions``. Every plugin ships its own Alembic branch in
``migrations/versions/`` beside the module its ``intranet.plugins`` entry point names (the
package folder), with ``branch_labels = ("<plugin>",)`` and ``depends_on`` the core revision that
creates the tables it points at. A plugin without that folder has no tables. Installing a plugin
and running ``flask db upgrade`` creates its tables; switching it off in a municipality never
drops them.

Until the plugins had their own branches the history was one line, ``0001_core`` to
``0007_resident_name_index`` with the three built-in plugins as ``0004``-``0006``.
:func:`adopt_linear_history` rewrites such a database's ``alembic_version`` to the branched
layout (the tables are already there), so the upgrade neither loses nor recreates anything.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from flask import current_app
from sqlalchemy import Column, MetaData, String, Table, inspect, select, text

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy.engine import Connection

    from .plugin_manager import PluginHost

#: Alembic's logger: ``flask db upgrade`` shows its INFO lines
log = logging.getLogger("alembic.env")

#: the core's own migrations folder (``script_location``)
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"

#: Recorded revisions of plugins that are not installed (their tables are kept).
PARKED_TABLE = Table(
    "alembic_version_parked",
    MetaData(),
    Column("version_num", String(32), primary_key=True),
)

#: The one linear history before plugins had branches, oldest first.
LINEAR_HISTORY = (
    "0001_core",
    "0002_jobs",
    "0003_privacy",
    "0004_raadsgesprekken",
    "0005_adviescommissie",
    "0006_meedenkgroepen",
    "0007_resident_name_index",
)
#: Revisions of that history that stayed in the core; the others moved to their plugin.
CORE_REVISIONS = ("0001_core", "0002_jobs", "0003_privacy", "0007_resident_name_index")


def plugin_package_dir(module: object) -> Path | None:
    """The folder of the package an entry point's module belongs to.

    ``plugins.raadsgesprekken.plugin`` gives ``plugins/raadsgesprekken``; an entry point that
    names a package (``intranet_foo``) gives that package's own folder.
    """
    file = getattr(module, "__file__", None)
    return Path(file).resolve().parent if file else None


def plugin_version_locations(host: PluginHost) -> dict[str, Path]:
    """Plugin name -> its ``migrations/versions`` folder, for every loaded plugin that has one."""
    from .plugin_manager import CORE

    found: dict[str, Path] = {}
    for name, module in host.pm.list_name_plugin():
        if name == CORE or name not in host.infos:
            continue
        folder = plugin_package_dir(module)
        if folder is not None and (folder / "migrations" / "versions").is_dir():
            found[name] = folder / "migrations" / "versions"
    return dict(sorted(found.items()))


def version_locations(host: PluginHost) -> list[Path]:
    """The core's versions folder first, then each installed plugin's (each folder once)."""
    folders = [MIGRATIONS_DIR / "versions"]
    for folder in plugin_version_locations(host).values():
        if folder not in folders:
            folders.append(folder)
    return folders


def configure_alembic(config: Config) -> Config:
    """Flask-Migrate ``configure`` callback: point Alembic at the core's and plugins' folders."""
    host = current_app.extensions["intranet"].plugins
    # ``os`` splits on os.pathsep; the newer name first, the older for Alembic < 1.16.
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_path_separator", "os")
    config.set_main_option(
        "version_locations",
        _escape(os.pathsep.join(str(p) for p in version_locations(host))),
    )
    return config


def _escape(value: str) -> str:
    """ConfigParser interpolates ``%``; a folder name may contain one."""
    return value.replace("%", "%%")


def upgrade_means_every_head() -> None:
    """Make ``flask db upgrade`` (and ``upgrade head``) go to every branch's head.

    Alembic's ``head`` refuses to choose when the core and plugins each have a head; what an
    operator means by a plain ``db upgrade`` is all of them (``heads``). Flask-Migrate's ``db``
    group is registered through its ``flask.commands`` entry point, before the app loads, so the
    ``upgrade`` command's ``revision`` argument is adjusted here rather than replaced. The
    arguments are parsed after ``create_app`` ran (the group loads the app first), so this
    takes effect for the command being run.
    """
    try:
        from flask_migrate.cli import db as db_group
    except ImportError:  # pragma: no cover - Flask-Migrate is a dependency
        return
    command = db_group.commands.get("upgrade")
    if command is None:  # pragma: no cover
        return
    for param in command.params:
        if param.name == "revision" and not getattr(param, "_intranet_every_head", False):
            param.default = "heads"
            param.callback = _head_is_heads
            param._intranet_every_head = True  # type: ignore[attr-defined]


def _head_is_heads(_ctx: click.Context, _param: click.Parameter, value: Any) -> Any:
    return "heads" if value in (None, "head") else value


def adopt_linear_history(connection: Connection) -> list[str]:
    """Rewrite a pre-branch ``alembic_version`` to the branched layout; return the new rows.

    A database at ``0007_resident_name_index`` in the old line has every built-in plugin's
    tables; in the branched graph that revision no longer implies them, so Alembic would try to
    create them again. The rows become the heads of what was applied: the latest core revision
    plus each applied plugin revision this installation knows (a plugin that is not installed
    anymore keeps its tables, unrecorded). Nothing happens for a database already branched,
    empty, or at a revision outside the old line.
    """
    if "alembic_version" not in inspect(connection).get_table_names():
        return []
    rows = [r[0] for r in connection.execute(text("SELECT version_num FROM alembic_version"))]
    if len(rows) != 1 or rows[0] not in LINEAR_HISTORY[3:]:
        return []
    applied = LINEAR_HISTORY[: LINEAR_HISTORY.index(rows[0]) + 1]
    core = [r for r in applied if r in CORE_REVISIONS]
    # Only what is really there: a branched database whose core alone was upgraded to 0007
    # (``db upgrade 0007_resident_name_index``) has no plugin tables to adopt.
    tables = set(inspect(connection).get_table_names())
    plugin_revisions = [
        r
        for r in applied
        if r not in CORE_REVISIONS and any(t.startswith(f"{r.split('_', 1)[1]}_") for t in tables)
    ]
    heads = [core[-1], *plugin_revisions]
    if heads == rows:
        return []
    connection.execute(text("DELETE FROM alembic_version"))
    for revision in heads:
        connection.execute(
            text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": revision}
        )
    log.info("linear migration history moved to per-plugin branches: %s", ", ".join(heads))
    return heads


def park_unknown_revisions(
    connection: Connection, script: ScriptDirectory
) -> tuple[list[str], list[str]]:
    """Keep revisions of uninstalled plugins aside; restore them once the plugin is back.

    Returns (restored, parked). Without this, ``flask db upgrade`` (the service's start-up step)
    stops with "Can't locate revision" after a plugin is uninstalled; with it, the plugin's
    tables and rows simply wait, and reinstalling continues from the recorded revision instead
    of creating its tables a second time.
    """
    names = set(inspect(connection).get_table_names())
    restored: list[str] = []
    parked: list[str] = []
    if PARKED_TABLE.name in names and "alembic_version" in names:
        for revision in connection.execute(select(PARKED_TABLE.c.version_num)).scalars().all():
            if _known(script, revision):
                connection.execute(
                    PARKED_TABLE.delete().where(PARKED_TABLE.c.version_num == revision)
                )
                connection.execute(
                    text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": revision}
                )
                restored.append(revision)
    if "alembic_version" in names:
        rows = [r[0] for r in connection.execute(text("SELECT version_num FROM alembic_version"))]
        parked = [r for r in rows if not _known(script, r)]
        if parked:
            PARKED_TABLE.create(connection, checkfirst=True)
            for revision in parked:
                connection.execute(
                    text("DELETE FROM alembic_version WHERE version_num = :v"), {"v": revision}
                )
                connection.execute(PARKED_TABLE.insert().values(version_num=revision))
    if restored:
        log.info("revisions of reinstalled plugins restored: %s", ", ".join(restored))
    if parked:
        log.info("revisions of plugins that are not installed kept aside: %s", ", ".join(parked))
    return restored, parked


def _known(script: ScriptDirectory, revision: str) -> bool:
    from alembic.util import CommandError

    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def register(migrate: Any) -> None:
    """Hook the callbacks into Flask-Migrate once (``create_app`` calls this for every app)."""
    if configure_alembic not in migrate.configure_callbacks:
        migrate.configure(configure_alembic)
    upgrade_means_every_head()
