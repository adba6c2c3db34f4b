"""PluginHost calls hooks the way pluggy defines them, and still knows who returned what.

Test plugins here use ``tryfirst``, ``trylast``, a new-style ``wrapper=True`` and an old-style
``hookwrapper=True`` implementation; the host must honour each as pluggy does, keep the
per-plugin attribution of results, and reach only the plugins enabled in a municipality.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
from flask import g

from intranet.contract import Permission, PluginInfo
from intranet.extensions import db
from intranet.hookspecs import hookimpl
from intranet.municipalities import service
from intranet.municipalities.models import PluginState
from intranet.plugin_manager import CORE, PluginHost

SEEN: list[Any] = []


def _plugin(name: str, **hooks: Any) -> ModuleType:
    @hookimpl
    def intranet_plugin_info() -> PluginInfo:
        return PluginInfo(name, name.title(), name.title(), "", "tests", "1.0")

    module = ModuleType(f"intranet_test_{name}")
    module.intranet_plugin_info = intranet_plugin_info  # type: ignore[attr-defined]
    for hook, function in hooks.items():
        setattr(module, hook, function)
    return module


def _perm(code: str) -> list[Permission]:
    return [Permission(code, code, "")]


def _plain(name: str, **opts: Any) -> ModuleType:
    @hookimpl(**opts)
    def intranet_permissions() -> list[Permission]:
        return _perm(f"{name}.view")

    @hookimpl(**opts)
    def intranet_navigation(municipality, employee) -> list[str]:  # type: ignore[no-untyped-def]
        return [f"{name}@{municipality.slug}"]

    return _plugin(
        name, intranet_permissions=intranet_permissions, intranet_navigation=intranet_navigation
    )


def _wrapping(name: str) -> ModuleType:
    @hookimpl(wrapper=True)
    def intranet_permissions():  # type: ignore[no-untyped-def]
        SEEN.append(("before", name))
        result = yield
        SEEN.append(("after", name, [r[0].code for r in result]))
        return [*result, _perm(f"{name}.added")]

    @hookimpl(wrapper=True)
    def intranet_navigation(municipality, employee):  # type: ignore[no-untyped-def]
        result = yield
        return [*result, [f"{name}-wrapped@{municipality.slug}"]]

    return _plugin(
        name, intranet_permissions=intranet_permissions, intranet_navigation=intranet_navigation
    )


@pytest.fixture
def host() -> PluginHost:
    SEEN.clear()
    host = PluginHost()
    # registered in an order that differs from both the name order and the call order
    host.register("zulu", _wrapping("zulu"))
    host.register("charlie", _plain("charlie", trylast=True))
    host.register("bravo", _plain("bravo"))
    host.register("alpha", _plain("alpha"))
    host.register("delta", _plain("delta", tryfirst=True))
    assert not host.failures
    return host


def test_hook_order_honours_tryfirst_and_trylast_and_names_each_plugin(host: PluginHost) -> None:
    results = host.call_all("intranet_permissions")
    # delta is tryfirst, charlie trylast; the rest by name; the wrapper's addition comes last
    assert [(r.plugin, r.value[0].code) for r in results] == [
        ("delta", "delta.view"),
        ("alpha", "alpha.view"),
        ("bravo", "bravo.view"),
        ("charlie", "charlie.view"),
        ("zulu", "zulu.added"),
    ]


def test_wrapper_runs_around_the_other_implementations_once(host: PluginHost) -> None:
    host.call_all("intranet_permissions")
    assert SEEN == [
        ("before", "zulu"),
        ("after", "zulu", ["delta.view", "alpha.view", "bravo.view", "charlie.view"]),
    ]


def test_hookimpls_lists_the_run_order(host: PluginHost) -> None:
    order = [i.plugin_name for i in host.hookimpls("intranet_permissions")]
    assert order == ["zulu", "delta", "alpha", "bravo", "charlie"]
    assert [i.plugin_name for i in host.hookimpls("intranet_permissions", ["alpha", "zulu"])] == [
        "zulu",
        "alpha",
    ]


def test_a_wrapper_that_replaces_results_is_named_for_what_it_made(ctx) -> None:  # type: ignore[no-untyped-def]
    @hookimpl(wrapper=True)
    def intranet_permissions():  # type: ignore[no-untyped-def]
        result = yield
        return [r for r in result if r[0].code != "alpha.view"] + [_perm("filter.own")]

    host = PluginHost()
    host.register("alpha", _plain("alpha"))
    host.register("bravo", _plain("bravo"))
    host.register("filter", _plugin("filter", intranet_permissions=intranet_permissions))
    results = host.call_all("intranet_permissions")
    assert [(r.plugin, r.value[0].code) for r in results] == [
        ("bravo", "bravo.view"),
        ("filter", "filter.own"),
    ]


def test_old_style_hookwrapper_is_honoured(ctx) -> None:  # type: ignore[no-untyped-def]
    @hookimpl(hookwrapper=True)
    def intranet_permissions():  # type: ignore[no-untyped-def]
        outcome = yield
        outcome.force_result([*outcome.get_result(), _perm("old.added")])

    host = PluginHost()
    host.register("alpha", _plain("alpha"))
    host.register("old", _plugin("old", intranet_permissions=intranet_permissions))
    results = host.call_all("intranet_permissions")
    assert [(r.plugin, r.value[0].code) for r in results] == [
        ("alpha", "alpha.view"),
        ("old", "old.added"),
    ]


def test_firstresult_hook_stops_at_the_first_answer_in_pluggy_order(ctx) -> None:  # type: ignore[no-untyped-def]
    host = PluginHost()
    host.register("alpha", _plain("alpha"))
    results = host.call_plugin("alpha", "intranet_plugin_info")
    assert [(r.plugin, r.value.name) for r in results] == [("alpha", "alpha")]


@pytest.fixture
def hookstad(ctx, host: PluginHost):  # type: ignore[no-untyped-def]
    """A municipality where alpha, charlie and the wrapper zulu are on (bravo, delta off)."""
    municipality = service.add_municipality("hookstad", "Gemeente Hookstad")
    for name in ("alpha", "charlie", "zulu"):
        db.session.add(PluginState(municipality_id=municipality.id, plugin_name=name, enabled=True))
    db.session.add(PluginState(municipality_id=municipality.id, plugin_name="bravo"))
    db.session.flush()
    yield municipality
    db.session.rollback()


def test_call_for_reaches_only_enabled_plugins_with_their_wrappers(hookstad, host) -> None:  # type: ignore[no-untyped-def]
    results = host.call_for(hookstad, "intranet_navigation", employee=None)
    assert [(r.plugin, r.value) for r in results] == [
        ("alpha", ["alpha@hookstad"]),
        ("charlie", ["charlie@hookstad"]),
        ("zulu", ["zulu-wrapped@hookstad"]),
    ]
    assert CORE not in [r.plugin for r in results]  # the core implements no navigation here


def test_call_for_page_keeps_the_other_plugins_when_one_fails(hookstad, host, app) -> None:  # type: ignore[no-untyped-def]
    @hookimpl(tryfirst=True)
    def intranet_navigation(municipality, employee):  # type: ignore[no-untyped-def]
        raise RuntimeError("fails on purpose")

    host.register("echo", _plugin("echo", intranet_navigation=intranet_navigation))
    db.session.add(PluginState(municipality_id=hookstad.id, plugin_name="echo", enabled=True))
    db.session.flush()
    with app.test_request_context("/"):
        results = host.call_for_page(hookstad, "intranet_navigation", employee=None)
        assert g.plugin_notices == ["Echo"]
    assert [r.plugin for r in results] == ["alpha", "charlie", "zulu"]
    with pytest.raises(RuntimeError, match="fails on purpose"):
        host.call_for(hookstad, "intranet_navigation", employee=None)


def test_call_for_page_survives_a_failing_wrapper(hookstad, app) -> None:  # type: ignore[no-untyped-def]
    @hookimpl(wrapper=True)
    def intranet_navigation(municipality, employee):  # type: ignore[no-untyped-def]
        yield
        raise RuntimeError("wrapper fails on purpose")

    host = PluginHost()
    host.register("alpha", _plain("alpha"))
    host.register("zulu", _plugin("zulu", intranet_navigation=intranet_navigation))
    with app.test_request_context("/"):
        assert host.call_for_page(hookstad, "intranet_navigation", employee=None) == []
        assert g.plugin_notices == ["Zulu"]


def test_the_app_host_still_names_the_core_and_plugins(demo) -> None:  # type: ignore[no-untyped-def]
    with demo.app_context():
        host = demo.extensions["intranet"].plugins
        plugins = [r.plugin for r in host.call_all("intranet_permissions")]
    assert plugins[0] == CORE
    assert {"raadsgesprekken", "meedenkgroepen", "adviescommissie"} <= set(plugins)
