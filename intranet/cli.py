"""``flask --app wsgi intranet ...``: what IT teams and operators run on the server."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from .access import service as access
from .auth.cli import ldap_cli
from .extensions import db
from .municipalities import service as municipalities
from .web.i18n import N_

if TYPE_CHECKING:
    from . import IntranetState

intranet_cli = AppGroup("intranet", help="Beheer van het intranet cliëntparticipatie.")
municipality_cli = AppGroup("municipality", help="Gemeenten (tenants).")
plugins_cli = AppGroup("plugins", help="Plugins per gemeente aan- en uitzetten.")
roles_cli = AppGroup("roles", help="Rollen en directorygroepen.")
plugin_cli = AppGroup("plugin", help="Een nieuwe plugin maken.")
intranet_cli.add_command(municipality_cli)
intranet_cli.add_command(plugin_cli)
intranet_cli.add_command(plugins_cli)
intranet_cli.add_command(roles_cli)
intranet_cli.add_command(ldap_cli)


def _fail(message: str) -> None:
    db.session.rollback()
    raise click.ClickException(message)


def _municipality(slug: str):  # type: ignore[no-untyped-def]
    try:
        return municipalities.require(slug)
    except municipalities.MunicipalityError as exc:
        _fail(str(exc))


def _state() -> IntranetState:
    from flask import current_app

    return current_app.extensions["intranet"]


@municipality_cli.command("add")
@click.argument("slug")
@click.argument("name")
def municipality_add(slug: str, name: str) -> None:
    """Add a municipality, e.g. ``add zwolle "Gemeente Zwolle"``."""
    try:
        municipality = municipalities.add_municipality(slug, name)
    except municipalities.MunicipalityError as exc:
        _fail(str(exc))
    db.session.commit()
    click.echo(f"Gemeente {municipality.slug} ({municipality.name}) toegevoegd.")


@municipality_cli.command("list")
def municipality_list() -> None:
    for m in municipalities.all_municipalities():
        click.echo(f"{m.slug}\t{m.name}\t{'actief' if m.active else 'inactief'}")


@plugins_cli.command("list")
@click.option("--municipality", "slug", help="Toon de status in deze gemeente.")
def plugins_list(slug: str | None) -> None:
    """Installed plugins with version and status; plugins that failed to load with their error."""
    host = _state().plugins
    targets = [_municipality(slug)] if slug else municipalities.all_municipalities()
    states = {m.slug: municipalities.plugin_states(m) for m in targets}
    for name in host.plugin_names:
        info = host.infos[name]
        status = (
            ", ".join(f"{m}: {'aan' if s.get(name) else 'uit'}" for m, s in states.items())
            or "geen gemeenten"
        )
        click.echo(f"{name}\t{info.title_nl}\t{info.version}\t{status}")
    for name, failure in sorted(host.failures.items()):
        click.echo(f"{name}\tKON NIET LADEN\t-\t{failure.error}")


def _toggle(name: str, slug: str, enabled: bool) -> None:
    municipality = _municipality(slug)
    try:
        changed = municipalities.set_plugin_enabled(municipality, name, enabled)
    except municipalities.MunicipalityError as exc:
        _fail(str(exc))
    db.session.commit()
    word = "aangezet" if enabled else "uitgezet"
    if changed:
        click.echo(f"Plugin {name} {word} voor {municipality.slug}.")
    else:
        click.echo(
            f"Plugin {name} stond al {'aan' if enabled else 'uit'} voor {municipality.slug}."
        )


@plugins_cli.command("enable")
@click.argument("name")
@click.option("--municipality", "slug", required=True)
def plugins_enable(name: str, slug: str) -> None:
    _toggle(name, slug, True)


@plugins_cli.command("disable")
@click.argument("name")
@click.option("--municipality", "slug", required=True)
def plugins_disable(name: str, slug: str) -> None:
    """Switch off; the plugin's data is kept."""
    _toggle(name, slug, False)


def _reserved_names() -> set[str]:
    """Names a new plugin may not take: plugins, the core's blueprints and URL segments."""
    from flask import current_app

    from .plugin_manager import CORE

    host = _state().plugins
    names = {CORE, *host.infos, *host.failures, *current_app.blueprints}
    for rule in current_app.url_map.iter_rules():
        parts = [p for p in rule.rule.split("/") if p]
        if parts and parts[0] == "<municipality>":
            parts = parts[1:]
        if parts and not parts[0].startswith("<"):
            names.add(parts[0])
    return names


@plugin_cli.command("new")
@click.argument("name")
@click.option(
    "--directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Map waarin de projectmap intranet-NAME komt.",
)
def plugin_new(name: str, directory: Path) -> None:
    """Write a new plugin project (own pyproject, migration, page, catalog, test) to start from."""
    from .scaffold import ScaffoldError, new_plugin

    try:
        target = new_plugin(name, directory, _reserved_names())
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Plugin {name} aangemaakt in {target}.")
    click.echo("Volgende stappen:")
    click.echo(f"  pip install {target}")
    click.echo("  flask --app wsgi db upgrade")
    click.echo(f"  flask --app wsgi intranet plugins enable {name} --municipality SLUG")
    click.echo(f"  python -m pytest {target}")


@roles_cli.command("list")
@click.option("--municipality", "slug", required=True)
def roles_list(slug: str) -> None:
    municipality = _municipality(slug)
    for role in access.roles_of(municipality):
        click.echo(f"{role.name}\t{role.title}\t{', '.join(sorted(role.permission_codes))}")


@roles_cli.command("create")
@click.argument("name")
@click.option("--municipality", "slug", required=True)
@click.option("--title", required=True)
@click.option("--permission", "permissions", multiple=True)
@click.option("--description", default="")
def roles_create(
    name: str, slug: str, title: str, permissions: tuple[str, ...], description: str
) -> None:
    municipality = _municipality(slug)
    try:
        access.create_role(municipality, name, title, permissions, description)
    except access.AccessError as exc:
        _fail(str(exc))
    db.session.commit()
    click.echo(f"Rol {name} aangemaakt in {slug}.")


@roles_cli.command("grant")
@click.argument("role_name")
@click.argument("permissions", nargs=-1, required=True)
@click.option("--municipality", "slug", required=True)
def roles_grant(role_name: str, permissions: tuple[str, ...], slug: str) -> None:
    """Add permissions to a role."""
    municipality = _municipality(slug)
    try:
        access.grant_permissions(
            municipality, access.role_by_name(municipality, role_name), permissions
        )
    except access.AccessError as exc:
        _fail(str(exc))
    db.session.commit()
    click.echo(f"Rol {role_name} heeft nu ook: {', '.join(permissions)}.")


@roles_cli.command("map")
@click.argument("group_dn")
@click.argument("role_name")
@click.option("--municipality", "slug", required=True)
def roles_map(group_dn: str, role_name: str, slug: str) -> None:
    """Members of directory group GROUP_DN get ROLE at their next sign-in."""
    municipality = _municipality(slug)
    try:
        access.map_group(municipality, group_dn, access.role_by_name(municipality, role_name))
    except access.AccessError as exc:
        _fail(str(exc))
    db.session.commit()
    click.echo(f"Leden van {group_dn} krijgen de rol {role_name} in {slug}.")


@roles_cli.command("permissions")
def roles_permissions() -> None:
    """Every permission code declared by the core and the installed plugins."""
    for code, (plugin, perm) in sorted(_state().permissions.items()):
        click.echo(f"{code}\t{plugin}\t{perm.label}")


privacy_cli = AppGroup("privacy", help="Inzage- en verwijderverzoeken (AVG).")
retention_cli = AppGroup("retention", help="Bewaartermijnen toepassen.")
intranet_cli.add_command(privacy_cli)
intranet_cli.add_command(retention_cli)


@privacy_cli.command("export")
@click.argument("resident_id", type=int)
@click.option("--municipality", "slug", required=True)
@click.option(
    "--format", "fmt", type=click.Choice(["json", "html", "pdf"]), default="json", show_default=True
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="Bestand; standaard het scherm (json/html).",
)
@click.option("--special/--no-special", default=False, help="Bijzondere persoonsgegevens opnemen.")
def privacy_export(
    resident_id: int, slug: str, fmt: str, output: str | None, special: bool
) -> None:
    """Everything the core and the plugins hold about one resident (an access request)."""
    import json

    from flask import current_app

    from .audit.service import record
    from .privacy import documents
    from .privacy import service as privacy
    from .residents.models import Resident
    from .tenancy import scoped

    municipality = _municipality(slug)
    resident = db.session.execute(
        scoped(Resident, municipality).where(Resident.id == resident_id)
    ).scalar_one_or_none()
    if resident is None:
        _fail(f"Inwoner {resident_id} bestaat niet in {municipality.name}.")
    data = privacy.personal_data(municipality, resident, include_special=special)
    record(
        "privacy.access_request",
        object_type="resident",
        object_id=resident.id,
        municipality=municipality,
        details={"special_included": special, "via": "cli"},
    )
    db.session.commit()
    with current_app.test_request_context():
        if fmt == "json":
            body: bytes = json.dumps(privacy.as_json(data), ensure_ascii=False, indent=2).encode()
        elif fmt == "html":
            body = documents.access_request_html(data, resident.name, standalone=True).encode()
        else:
            body = documents.access_request_pdf(data, resident.name)
    if output:
        with open(output, "wb") as fh:
            fh.write(body)
        click.echo(f"Geschreven naar {output}.")
    elif fmt == "pdf":
        _fail("Geef --output op voor een PDF.")
    else:
        click.echo(body.decode())


@retention_cli.command("run")
@click.option("--municipality", "slug", help="Alleen deze gemeente.")
@click.option("--dry-run", is_flag=True, help="Alleen tellen wat zou worden verwijderd.")
def retention_run(slug: str | None, dry_run: bool) -> None:
    """Delete or anonymise what has passed its retention period, in every municipality."""
    from .privacy import service as privacy
    from .tenancy import tenant_scope
    from .timeutil import utcnow

    targets = [_municipality(slug)] if slug else municipalities.all_municipalities()
    for municipality in targets:
        with tenant_scope(municipality):
            reports = privacy.run_retention(municipality, utcnow(), dry_run)
        for report in reports:
            word = "zou verwijderen" if dry_run else "verwijderd"
            for category, n in sorted(report.deleted.items()):
                click.echo(f"{municipality.slug}\t{report.plugin}\t{category}\t{word}: {n}")
            for category, n in sorted(report.anonymised.items()):
                click.echo(
                    f"{municipality.slug}\t{report.plugin}\t{category}\t{'zou anonimiseren' if dry_run else 'geanonimiseerd'}: {n}"
                )
        db.session.commit()


@retention_cli.command("schedule")
def retention_schedule() -> None:
    """Queue a retention run as a background job (for a systemd timer or cron)."""
    from .jobs import enqueue

    job = enqueue("intranet.privacy.jobs:retention_job", title=N_("Bewaartermijnen toepassen"))
    click.echo(f"Taak {job.id} in de wachtrij.")


audit_cli = AppGroup("audit", help="Het auditlog.")
intranet_cli.add_command(audit_cli)


@audit_cli.command("verify")
@click.option("--municipality", "slug", help="Alleen de keten van deze gemeente.")
def audit_verify(slug: str | None) -> None:
    """Check the hash chain of every municipality's audit events; report the first broken link."""
    from .audit.chain import chains, verify_chain
    from .municipalities.models import Municipality

    names = {m.id: m.slug for m in db.session.execute(select(Municipality)).scalars()}
    targets = [_municipality(slug).id] if slug else list(chains(db.session))
    broken = False
    for municipality_id in targets:
        label = names.get(municipality_id, "platform") if municipality_id else "platform"
        report = verify_chain(db.session, municipality_id)
        if report.broken is None:
            click.echo(f"{label}	in orde	{report.events} gebeurtenissen")
            continue
        broken = True
        link = report.broken
        click.echo(
            f"{label}	GEBROKEN bij gebeurtenis {link.event_id} ({link.time.isoformat()}, "
            f"{link.action}) na {report.events} goede: {link.reason}",
            err=True,
        )
    db.session.rollback()
    if broken:
        raise SystemExit(1)


@intranet_cli.command("jobs")
@click.option("--limit", default=20, show_default=True)
@click.option(
    "--recover",
    is_flag=True,
    help="first mend jobs lost on the way: interrupted when their process died, "
    "handed to the queue again when it lost them",
)
def jobs_list(limit: int, recover: bool) -> None:
    """Recent background jobs with their progress."""
    from sqlalchemy import select

    from .jobs.models import Job

    if recover:
        _report_recovery()
    for job in db.session.execute(select(Job).order_by(Job.id.desc()).limit(limit)).scalars():
        click.echo(
            f"{job.id}\t{job.status_label}\t{job.done}/{job.total} (mislukt: {job.failed})\t"
            f"{job.title_text}\t{job.message_text}"
        )


@intranet_cli.command("worker")
def worker() -> None:
    """Run an RQ worker for the 'intranet' queue (needs INTRANET_REDIS_URL)."""
    from flask import current_app
    from redis import Redis
    from rq import Queue, Worker

    url = current_app.config.get("REDIS_URL")
    if not url:
        _fail("INTRANET_REDIS_URL is niet ingesteld; zonder Redis draaien taken in het webproces.")
    connection = Redis.from_url(url)
    # Jobs whose worker died, or that a restarted Redis lost, are mended before work starts.
    _report_recovery()
    db.session.remove()  # the worker's jobs build their own app; nothing stays open here
    Worker([Queue("intranet", connection=connection)], connection=connection).work()


def _report_recovery() -> None:
    from .jobs.recovery import recover_stalled_jobs

    failed, requeued = recover_stalled_jobs()
    click.echo(
        f"Verloren taken als mislukt gemarkeerd: {failed}; opnieuw in de wachtrij gezet: {requeued}"
    )


@intranet_cli.command("demo")
def demo() -> None:
    """Load the demo municipalities, roles and data (idempotent; needs the dev package);
    plugins installed from outside are switched on in Zwolle."""
    try:
        from intranet_dev.demo import load_demo
    except ImportError:
        _fail(
            "De demo hoort bij het ontwikkelpakket: installeer het met "
            "'pip install -e ./dev' (make setup doet dat)."
        )

    for line in load_demo(outside_plugins=True):
        click.echo(line)


def register(app: Flask, state: IntranetState) -> None:
    state.plugins.call_all("intranet_register_commands", cli=intranet_cli)
    app.cli.add_command(intranet_cli)
