"""Loading plugins from entry points and calling their hooks per municipality.

Like pretix, plugins are installed once for the whole deployment and switched on per
tenant; unlike a global pluggy call, :meth:`PluginHost.call_for` reaches only the plugins
enabled in the municipality at hand (plus the core, which is always on).
"""

from __future__ import annotations

import copy
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
    from pluggy import HookImpl

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
    def title_of(self, name: str) -> str:
        """A plugin's title for people; its name when it is not (or no longer) installed."""
        info = self.infos.get(name)
        return info.title if info else name

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
    def hookimpls(self, hook_name: str, names: Iterable[str] | None = None) -> list[HookImpl]:
        """The implementations of a hook (of the plugins in ``names``, or all), in the order
        they run: wrappers first (outermost first), then the others, as pluggy orders them."""
        return list(reversed(self._ordered(hook_name, names)))

    def _ordered(self, hook_name: str, names: Iterable[str] | None) -> list[HookImpl]:
        # pluggy's own layout of ``HookCaller._hookimpls`` (its ``_multicall`` runs it from the
        # end): trylast, plain, tryfirst; then the same three tiers for wrappers. Within a tier
        # pluggy goes by registration order, which depends on load order; here it is the core
        # first, then plugins by name, so results come in a stable order.
        hook = getattr(self.pm.hook, hook_name)
        allowed = None if names is None else set(names)
        impls = [i for i in hook.get_hookimpls() if allowed is None or i.plugin_name in allowed]
        impls.sort(key=lambda i: (i.plugin_name != CORE, i.plugin_name), reverse=True)

        def tier(i: HookImpl) -> tuple[bool, int]:
            return (i.wrapper or i.hookwrapper, 0 if i.trylast else 2 if i.tryfirst else 1)

        return sorted(impls, key=tier)  # stable: keeps the name order inside each tier

    def _call(
        self,
        hook_name: str,
        names: Iterable[str] | None,
        kwargs: dict[str, Any],
        on_error: Any = None,
    ) -> list[HookResult]:
        """Run the hook through pluggy's own caller, and note which plugin returned what.

        Each implementation is wrapped so that its return value is recorded with its plugin
        name; pluggy then runs them with its semantics (order, ``firstresult``, ``wrapper`` and
        ``hookwrapper``). A value a wrapper added or replaced counts as that wrapper's plugin.
        With ``on_error``, an implementation that raises is reported to it and counts as
        having returned nothing, so the other plugins still run.
        """
        spec = getattr(self.pm.hook, hook_name).spec
        firstresult = bool(spec and spec.opts.get("firstresult"))
        produced: list[tuple[str, Any]] = []
        wrapped: list[tuple[str, Any]] = []
        impls = [_tagged(i, produced, wrapped, on_error) for i in self._ordered(hook_name, names)]
        outcome = self.pm._hookexec(hook_name, impls, kwargs, firstresult)
        values = [] if outcome is None else [outcome] if firstresult else list(outcome)
        return _attribute(values, produced, wrapped, impls)

    def call_all(self, hook_name: str, **kwargs: Any) -> list[HookResult]:
        """Call every loaded plugin: for deployment-wide hooks (blueprints, permissions) and
        for those that reach installed plugins whether enabled or not (resident data)."""
        return self._call(hook_name, None, kwargs)

    def call_for(
        self, municipality: Municipality, hook_name: str, **kwargs: Any
    ) -> list[HookResult]:
        """Call only the plugins enabled in the municipality; errors propagate."""
        kwargs.setdefault("municipality", municipality)
        return self._call(hook_name, self.enabled_names(municipality), kwargs)

    def call_for_page(
        self, municipality: Municipality, hook_name: str, **kwargs: Any
    ) -> list[HookResult]:
        """Like :meth:`call_for`, but a failing plugin becomes a notice on the page, not a 500."""
        kwargs.setdefault("municipality", municipality)

        def notice(plugin: str) -> None:
            log.exception("plugin %s failed in %s", plugin, hook_name)
            if has_request_context():
                g.setdefault("plugin_notices", []).append(self.title_of(plugin))

        names = self.enabled_names(municipality)
        try:
            return self._call(hook_name, names, kwargs, notice)
        except Exception:  # a wrapper failed: this hook's part of the page is lost, not the page
            log.exception("a wrapper failed in %s", hook_name)
            for impl in self.hookimpls(hook_name, names):
                if (impl.wrapper or impl.hookwrapper) and has_request_context():
                    g.setdefault("plugin_notices", []).append(self.title_of(impl.plugin_name))
            return []

    def call_plugin(self, name: str, hook_name: str, **kwargs: Any) -> list[HookResult]:
        """Call one plugin's implementation (enabled/disabled callbacks, demo data)."""
        return self._call(hook_name, [name], kwargs)


def _tagged(
    impl: HookImpl,
    produced: list[tuple[str, Any]],
    wrapped: list[tuple[str, Any]],
    on_error: Any,
) -> HookImpl:
    """A copy of ``impl`` whose function records what it returns (see ``PluginHost._call``)."""
    function, plugin = impl.function, impl.plugin_name
    tagged = copy.copy(impl)
    if impl.wrapper:

        def run(*args: Any, **kw: Any) -> Any:
            result = yield from function(*args, **kw)
            wrapped.append((plugin, result))
            return result

    elif impl.hookwrapper:
        run = function  # old style: what it forces shows up as unattributed below

    else:

        def run(*args: Any, **kw: Any) -> Any:
            try:
                value = function(*args, **kw)
            except Exception:
                if on_error is None:
                    raise
                on_error(plugin)
                return None
            if value is not None:
                produced.append((plugin, value))
            return value

    object.__setattr__(tagged, "function", run)
    return tagged


def _attribute(
    values: list[Any],
    produced: list[tuple[str, Any]],
    wrapped: list[tuple[str, Any]],
    impls: list[HookImpl],
) -> list[HookResult]:
    """Pair each final value with the plugin that returned it, matching by identity."""
    owners: dict[int, list[str]] = {}
    for plugin, value in produced:
        owners.setdefault(id(value), []).append(plugin)
    for plugin, result in wrapped:  # innermost wrapper first
        for value in result if isinstance(result, list) else [result]:
            if id(value) not in owners:
                owners[id(value)] = [plugin]
    fallback = next((i.plugin_name for i in reversed(impls) if i.wrapper or i.hookwrapper), CORE)
    out = []
    for value in values:
        claims = owners.get(id(value))
        out.append(HookResult(claims.pop(0) if claims else fallback, value))
    return out


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
