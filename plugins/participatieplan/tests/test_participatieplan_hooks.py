"""The plugin from outside: its own distribution and entry point, imports of the core only
through intranet.plugin_api, no core file that names it; and its hooks as the core calls
them (identity, permissions, navigation, dashboard widget, calendar, targets, demo roles)."""

from __future__ import annotations

import ast
import subprocess
import sys
from datetime import timedelta
from importlib.metadata import distribution
from pathlib import Path

import intranet_participatieplan
from intranet_participatieplan.models import Milestone, Moment, Workstream
from participatieplan_fixtures import EDITOR, OUTSIDER, READER, first, zwolle

from intranet.extensions import db
from intranet.testing.helpers import signed_in
from intranet.timeutil import local_today

PACKAGE = Path(intranet_participatieplan.__file__).resolve().parent
REPO = PACKAGE.parent.parent.parent


def test_installed_as_its_own_distribution_with_an_entry_point() -> None:
    dist = distribution("intranet-participatieplan")
    points = [ep for ep in dist.entry_points if ep.group == "intranet.plugins"]
    assert [(ep.name, ep.value) for ep in points] == [
        ("participatieplan", "intranet_participatieplan.plugin")
    ]
    assert "plugins.participatieplan" not in (
        distribution("intranet-participatie").read_text("top_level.txt") or ""
    )


def test_listed_by_the_plugins_command(app) -> None:  # type: ignore[no-untyped-def]
    host = app.extensions["intranet"].plugins
    assert "participatieplan" in host.plugin_names
    assert host.infos["participatieplan"].title_nl == "Participatieplan"


def test_imports_the_core_only_through_plugin_api() -> None:
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                if name == "intranet" or name.startswith("intranet."):
                    assert name == "intranet.plugin_api", f"{path}: imports {name}"
                assert not name.startswith("plugins"), f"{path}: imports another plugin ({name})"


def test_no_core_file_names_the_plugin() -> None:
    out = subprocess.run(
        [
            "git",
            "grep",
            "-il",
            "participatieplan",
            "--",
            "intranet",
            "migrations",
            "setup.cfg",
            "pyproject.toml",
            "wsgi.py",
            "tests",
            "docs",
            "deploy",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.stdout.strip() == "", f"core files name the plugin:\n{out.stdout}"


def test_the_translation_catalog_is_compiled_and_current() -> None:
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    po_path = PACKAGE / "translations" / "en" / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as f:
        po = read_po(f)
    with (po_path.with_suffix(".mo")).open("rb") as f:
        mo = read_mo(f)

    def key(value):  # type: ignore[no-untyped-def]
        # a plural message's id and string are several texts (a tuple, or a list from a .mo)
        return value if isinstance(value, str) else tuple(value)

    translated = {key(m.id): key(m.string) for m in po if m.id and m.string}
    assert translated, "no translations"
    assert {key(m.id): key(m.string) for m in mo if m.id and m.string} == translated


def test_pages_translate_to_english(plan) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(plan, "zwolle", EDITOR)
    assert client.get("/taal/en?next=/zwolle/").status_code in (302, 303)
    body = client.get("/zwolle/participatieplan/").get_data(as_text=True)
    assert "Milestones late" in body and "Mijlpalen te laat" not in body
    public = plan.test_client()
    public.get("/taal/en?next=/zwolle/")
    assert "How we involve you in the reform agenda" in public.get(
        "/publiek/zwolle/participatieplan/"
    ).get_data(as_text=True)


def test_navigation_widget_and_calendar(plan) -> None:  # type: ignore[no-untyped-def]
    editor = signed_in(plan, "zwolle", EDITOR)
    dashboard = editor.get("/zwolle/").get_data(as_text=True)
    assert 'href="/zwolle/participatieplan/"' in dashboard  # navigation
    assert "Participatiemomenten binnenkort" in dashboard  # widget
    assert "Informatieavond sociale basis in de wijk" in dashboard  # a moment coming up
    assert "Uitgangspunten inkoop besproken met zorgaanbieders" in dashboard  # a milestone late
    assert "Werkatelier ‘de vraag achter de vraag’" in dashboard  # an outcome not reported back
    outsider = signed_in(plan, "zwolle", OUTSIDER).get("/zwolle/").get_data(as_text=True)
    assert "participatieplan" not in outsider and "Participatiemomenten binnenkort" not in outsider
    assert "Participatiemomenten binnenkort" in signed_in(plan, "zwolle", READER).get(
        "/zwolle/"
    ).get_data(as_text=True)

    coming = local_today() + timedelta(days=21)
    calendar = editor.get(f"/zwolle/kalender?jaar={coming.year}&maand={coming.month}").get_data(
        as_text=True
    )
    assert "Participatiemoment: Informatieavond sociale basis in de wijk" in calendar
    host = plan.extensions["intranet"].plugins
    with plan.app_context():
        items = [
            i
            for r in host.call_for(
                zwolle(),
                "intranet_calendar_items",
                start=local_today() - timedelta(days=400),
                end=local_today() + timedelta(days=400),
            )
            if r.plugin == "participatieplan"
            for i in r.value
        ]
        titles = {i.title for i in items}
        assert "Werkatelier: Denken vanuit de inwoner" in titles
        assert any(t.startswith("Mijlpaal: ") for t in titles)
        assert all(not t.endswith("nog niet delen") for t in titles)
        assert len({i.uid for i in items}) == len(items)


def test_workstreams_are_participation_targets_with_a_status(plan) -> None:  # type: ignore[no-untyped-def]
    from intranet.plugin_api import participation_target_status, participation_targets

    workstream_id = first(plan, Workstream, title="Sociale basis")
    with plan.app_context():
        targets = [t for t in participation_targets(zwolle()) if t.plugin == "participatieplan"]
        assert f"workstream:{workstream_id}" in {t.key for t in targets}
        status = participation_target_status(
            zwolle(), "participatieplan", f"workstream:{workstream_id}"
        )
        assert status is not None and status.status == "Loopt"
        assert "1 participatiemoment gehouden" in status.outcome
        assert participation_target_status(zwolle(), "participatieplan", "workstream:abc") is None
        assert participation_target_status(zwolle(), "participatieplan", "group:1") is None


def test_the_demo_command_switches_it_on_in_zwolle(demo) -> None:  # type: ignore[no-untyped-def]
    """`intranet demo` (load_demo with outside plugins) switches the plugin on in Zwolle only;
    the test fixture leaves it off."""
    from intranet_dev.demo import _demo_plugins

    host = demo.extensions["intranet"].plugins
    assert "participatieplan" in _demo_plugins(host, "zwolle", ["raadsgesprekken"], True)
    assert "participatieplan" not in _demo_plugins(host, "zaanstad", ["meedenkgroepen"], True)
    assert "participatieplan" not in _demo_plugins(host, "zwolle", ["raadsgesprekken"], False)
    with demo.app_context():
        assert "participatieplan" not in host.enabled_names(zwolle())


def test_demo_data_from_the_seeds(plan) -> None:  # type: ignore[no-untyped-def]
    with plan.app_context():
        moments = db.session.query(Moment).all()
        parties = {p for m in moments for p in m.parties}
        assert {"zorgaanbieders", "vrijwilligers"} <= parties  # seed 001
        assert db.session.query(Milestone).count() >= 4
    body = (
        signed_in(plan, "zwolle", READER)
        .get(
            "/zwolle/participatieplan/agenda/"
            + str(
                first(
                    plan, __import__("intranet_participatieplan.models", fromlist=["Agenda"]).Agenda
                )
            )
        )
        .get_data(as_text=True)
    )
    assert "250 miljoen euro" in body and "Klaas Sloots" in body


def test_cli_lists_the_plugin(deployment_config, tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {
        "INTRANET_ENV": "development",
        "INTRANET_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "PATH": "/usr/bin:/bin",
    }
    upgrade = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert upgrade.returncode == 0, upgrade.stderr
    listed = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "intranet", "plugins", "list"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert listed.returncode == 0, listed.stderr
    assert "participatieplan" in listed.stdout
