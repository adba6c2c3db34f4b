"""Loading plugins from entry points and calling their hooks per municipality.

Like pretix, plugins are installed once for the whole deployment and switched on per
tenant; unlike a global pluggy call, :meth:`PluginHost.call_for` reaches only the plugins
enabled in the municipality at hand (plus the core, which is always on).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any

import pluggy
from flask import g, has_request_context
from sqlalchemy import select

from . import hookspecs
from .caching import cached
from .contract import PluginInfo

if TYPE_CHECKING:
    from .municipalities.models import Municipality

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "intranet.plugins"
CORE = "core"


@dataclass(frozen=True)
class LoadFailure:
    name: str
    error: str


@dataclass(frozen=True)
class HookResult:
    plugin: str
    value: Any


class PluginHost:
    """Owns the pluggy manager, the loaded plugins' identities and their load failures."""

    def __init__(self) -> None:
        self.pm = pluggy.PluginManager(hookspecs.PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self.failures: dict[str, LoadFailure] = {}
        self.infos: dict[str, PluginInfo] = {}

    # -- loading -------------------------------------------------------------------------
    def register(self, name: str, module: object) -> None:
        """Register one plugin module; a plugin without valid identity counts as failed."""
        try:
            self.pm.register(module, name=name)
            info = self.pm.subset_hook_caller(
                "intranet_plugin_info", remove_plugins=self._others(name)
            )()
            if not isinstance(info, PluginInfo):
                raise TypeError("intranet_plugin_info() must return a PluginInfo")
            if info.name != name:
                raise ValueError(f"plugin calls itself '{info.name}', entry point says '{name}'")
        except Exception as exc:
            if self.pm.has_plugin(name):
                self.pm.unregister(name=name)
            self.failures[name] = LoadFailure(name, f"{type(exc).__name__}: {exc}")
            log.exception("plugin %s failed to load", name)
            return
        self.infos[name] = info

    def load_entry_points(self, group: str = ENTRY_POINT_GROUP) -> None:
        for ep in sorted(entry_points(group=group), key=lambda e: e.name):
            if ep.name in self.infos or ep.name in self.failures:
                continue
            try:
                module = ep.load()
            except Exception as exc:
                self.failures[ep.name] = LoadFailure(ep.name, f"{type(exc).__name__}: {exc}")
                log.exception("plugin %s failed to import", ep.name)
                continue
            self.register(ep.name, module)

    def _others(self, name: str) -> list[object]:
        return [p for n, p in self.pm.list_name_plugin() if n != name]

    @property
    def plugin_names(self) -> list[str]:
        """Installed, loadable plugins (the core excluded)."""
        return sorted(n for n in self.infos if n != CORE)

    def is_known(self, name: str) -> bool:
        return name in self.infos and name != CORE

    # -- enablement ----------------------------------------------------------------------
    def enabled_names(self, municipality: Municipality) -> frozenset[str]:
        """Plugins switched on for the municipality (per request, and per process by version)."""
        cache: dict[int, frozenset[str]] | None = None
        if has_request_context():
            cache = g.setdefault("_enabled_plugins", {})
            if municipality.id in cache:
                return cache[municipality.id]
        names = cached(
            ("enabled_plugins", municipality.id), lambda: self._load_enabled(municipality.id)
        )
        if cache is not None:
            cache[municipality.id] = names
        return names

    def _load_enabled(self, municipality_id: int) -> frozenset[str]:
        from .extensions import db
        from .municipalities.models import PluginState

        rows = db.session.execute(
            select(PluginState.plugin_name).where(
                PluginState.municipality_id == municipality_id, PluginState.enabled.is_(True)
            )
        ).scalars()
        return frozenset(n for n in rows if n in self.infos) | {CORE}

    def forget_enabled(self) -> None:
        if has_request_context():
            g.pop("_enabled_plugins", None)

    # -- calling -------------------------------------------------------------------------
    def _impls(self, hook_name: str, names: Iterable[str] | None) -> list[Any]:
        hook = getattr(self.pm.hook, hook_name)
        allowed = None if names is None else set(names)
        # pluggy returns implementations in reverse registration order; keep a stable order.
        impls = [i for i in hook.get_hookimpls() if allowed is None or i.plugin_name in allowed]
        return sorted(impls, key=lambda i: (i.plugin_name != CORE, i.plugin_name))

    @staticmethod
    def _invoke(impl: Any, kwargs: dict[str, Any]) -> Any:
        return impl.function(*[kwargs[a] for a in impl.argnames])

    def call_all(self, hook_name: str, **kwargs: Any) -> list[HookResult]:
        """Call every loaded plugin: for deployment-wide hooks (blueprints, permissions)."""
        return [
            HookResult(i.plugin_name, self._invoke(i, kwargs)) for i in self._impls(hook_name, None)
        ]

    def call_for(
        self, municipality: Municipality, hook_name: str, **kwargs: Any
    ) -> list[HookResult]:
        """Call only the plugins enabled in the municipality; errors propagate."""
        kwargs.setdefault("municipality", municipality)
        names = self.enabled_names(municipality)
        return [
            HookResult(i.plugin_name, self._invoke(i, kwargs))
            for i in self._impls(hook_name, names)
        ]

    def call_for_page(
        self, municipality: Municipality, hook_name: str, **kwargs: Any
    ) -> list[HookResult]:
        """Like :meth:`call_for`, but a failing plugin becomes a notice on the page, not a 500."""
        kwargs.setdefault("municipality", municipality)
        results = []
        for impl in self._impls(hook_name, self.enabled_names(municipality)):
            try:
                results.append(HookResult(impl.plugin_name, self._invoke(impl, kwargs)))
            except Exception:
                log.exception("plugin %s failed in %s", impl.plugin_name, hook_name)
                if has_request_context():
                    title = self.infos.get(impl.plugin_name)
                    g.setdefault("plugin_notices", []).append(
                        title.title_nl if title else impl.plugin_name
                    )
        return results

    def call_plugin(self, name: str, hook_name: str, **kwargs: Any) -> list[HookResult]:
        """Call one plugin's implementation (enabled/disabled callbacks, demo data)."""
        return [
            HookResult(i.plugin_name, self._invoke(i, kwargs))
            for i in self._impls(hook_name, [name])
        ]


def flatten(results: Iterable[HookResult]) -> list[Any]:
    """Hooks return lists (or None); join them into one list."""
    out: list[Any] = []
    for r in results:
        if r.value is None:
            continue
        if isinstance(r.value, list | tuple):
            out.extend(r.value)
        else:
            out.append(r.value)
    return out
