"""Access administration for one municipality: roles, group mappings, manual grants, the review."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import current_user
from sqlalchemy import distinct, func, or_, select

from ..audit.service import record
from ..auth.models import Employee
from ..extensions import db
from ..tenancy import current_municipality, get_scoped_or_404, scoped
from ..timeutil import utcnow
from ..web.csv_export import csv_response
from ..web.formatting import AMSTERDAM, local_date
from ..web.listing import Column, Filter, Listing, clean_arg, like_pattern
from ..web.pages import form_page
from . import service
from .forms import GrantForm, GroupMappingForm, RoleForm
from .holders import role_holders
from .models import (
    SOURCE_GROUP,
    SOURCE_MANUAL,
    GroupRoleMapping,
    Role,
    RoleAssignment,
    RolePermission,
)
from .permissions import requires

bp = Blueprint("access", __name__, url_prefix="/<municipality>/toegang")
MANAGE = "core.access.manage"


def _permission_groups(municipality) -> list[tuple[str, list[tuple[str, str, str]]]]:  # type: ignore[no-untyped-def]
    """Permissions of the core and the enabled plugins, grouped by plugin, with Dutch labels."""
    state = current_app.extensions["intranet"]
    enabled = state.plugins.enabled_names(municipality)
    groups: dict[str, list[tuple[str, str, str]]] = {}
    for code, (plugin, perm) in sorted(state.permissions.items()):
        if plugin in enabled:
            groups.setdefault(plugin, []).append((code, perm.label, perm.description))
    titles = {n: i.title for n, i in state.plugins.infos.items()}
    return [
        (titles.get(p, p), perms)
        for p, perms in sorted(groups.items(), key=lambda kv: (kv[0] != "core", kv[0]))
    ]


def _role_form(municipality, role: Role | None = None) -> RoleForm:  # type: ignore[no-untyped-def]
    form = RoleForm(obj=role)
    groups = _permission_groups(municipality)
    form.permissions.choices = [(code, label) for _t, perms in groups for code, label, _d in perms]
    if role is not None and request.method == "GET":
        form.permissions.data = sorted(role.permission_codes)
    return form


def _overview_listing(municipality) -> Listing:  # type: ignore[no-untyped-def]
    """Employees with their roles; the role filter's choices are this municipality's roles,
    so the list is declared per request (it costs nothing)."""
    roles = service.roles_of(municipality)

    def holding(stmt, role_name: str, source: str):  # type: ignore[no-untyped-def]
        # one assignment must match both filters, as the yearly review reads them
        wanted = scoped(RoleAssignment, municipality).with_only_columns(RoleAssignment.employee_id)
        if role_name:
            wanted = wanted.join(Role, Role.id == RoleAssignment.role_id).where(
                Role.name == role_name
            )
        if source:
            wanted = wanted.where(RoleAssignment.source == source)
        return stmt.where(Employee.id.in_(wanted))

    def by_name(stmt, value: str):  # type: ignore[no-untyped-def]
        pattern = like_pattern(value)
        return stmt.where(
            or_(Employee.display_name.ilike(pattern), Employee.username.ilike(pattern))
        )

    role_choices = [(r.name, r.title) for r in roles]
    source_choices = list(service.SOURCE_LABELS.items())
    chosen_role = clean_arg(request.args.get("rol"))
    chosen_role = chosen_role if chosen_role in dict(role_choices) else ""
    chosen_source = clean_arg(request.args.get("bron"))
    chosen_source = chosen_source if chosen_source in service.SOURCE_LABELS else ""
    return Listing(
        "access.overview",
        columns=[
            Column("naam", lazy_gettext("Medewerker"), Employee.display_name),
            Column("gebruikersnaam", lazy_gettext("Gebruikersnaam"), Employee.username),
            Column("status", lazy_gettext("Status"), Employee.active, first="af"),
        ],
        default_sort="naam",
        filters=[
            Filter(
                "medewerker",
                lazy_gettext("Medewerker"),
                by_name,
                hint=lazy_gettext("Naam of gebruikersnaam"),
            ),
            Filter(
                "rol",
                lazy_gettext("Rol"),
                lambda s, v: holding(s, v, chosen_source),
                choices=role_choices,
            ),
            Filter(
                "bron",
                lazy_gettext("Bron"),
                lambda s, v: holding(s, chosen_role, v),
                choices=source_choices,
            ),
        ],
        per_page=50,
        tiebreak=Employee.id,
    )


@bp.route("/")
@requires(MANAGE)
def overview():  # type: ignore[no-untyped-def]
    """Who has what, and why: the yearly access review, sorted, filtered and paged in the URL."""
    municipality = current_municipality()
    listing = _overview_listing(municipality).run(scoped(Employee, municipality))
    role_filter, source_filter = listing.values["rol"], listing.values["bron"]
    by_employee: dict[int, list[RoleAssignment]] = {e.id: [] for e in listing.items}
    if by_employee:
        for a in db.session.execute(
            scoped(RoleAssignment, municipality).where(
                RoleAssignment.employee_id.in_(list(by_employee))
            )
        ).scalars():
            if (not role_filter or a.role.name == role_filter) and (
                not source_filter or a.source == source_filter
            ):
                by_employee[a.employee_id].append(a)
    rows = [(e, sorted(by_employee[e.id], key=lambda a: a.role.name)) for e in listing.items]
    return render_template(
        "access/overview.html",
        rows=rows,
        listing=listing,
        source_labels=service.SOURCE_LABELS,
    )


def _filtered_rows(municipality, role_filter: str, source_filter: str, name_filter: str):  # type: ignore[no-untyped-def]
    rows = []
    for employee, assignments in service.access_overview(municipality):
        if (
            name_filter
            and name_filter not in employee.display_name.lower()
            and name_filter not in employee.username.lower()
        ):
            continue
        shown = [
            a
            for a in assignments
            if (not role_filter or a.role.name == role_filter)
            and (not source_filter or a.source == source_filter)
        ]
        if (role_filter or source_filter) and not shown:
            continue
        rows.append((employee, shown))
    return rows


@bp.route("/export.csv")
@requires(MANAGE)
def export():  # type: ignore[no-untyped-def]
    municipality = current_municipality()
    rows = _filtered_rows(
        municipality,
        (request.args.get("rol") or "").strip(),
        request.args.get("bron") or "",
        (request.args.get("medewerker") or "").strip().lower(),
    )
    record("access.exported", object_type="access", municipality=municipality)
    db.session.commit()
    lines = []
    for employee, assignments in rows:
        for a in assignments or [None]:
            lines.append(
                (
                    employee.username,
                    employee.display_name,
                    "actief" if employee.active else "geblokkeerd",
                    a.role.name if a else "",
                    service.SOURCE_LABELS.get(a.source, "") if a else "",
                    (a.group_dn or "") if a else "",
                    a.reason if a else "",
                    a.granted_by if a else "",
                    a.granted_at.date().isoformat() if a and a.granted_at else "",
                    local_date(a.expires_at).isoformat() if a and a.expires_at else "",
                )
            )
    return csv_response(
        [
            _("gebruikersnaam"),
            _("naam"),
            _("status"),
            _("rol"),
            _("bron"),
            _("groep"),
            _("reden"),
            _("toegekend door"),
            _("toegekend op"),
            _("geldig tot"),
        ],
        lines,
        f"toegang-{municipality.slug}.csv",
    )


@bp.route("/rollen/", methods=["GET", "POST"])
@requires(MANAGE)
def roles():  # type: ignore[no-untyped-def]
    municipality = current_municipality()
    form = _role_form(municipality)
    if form.validate_on_submit():
        try:
            role = service.create_role(
                municipality,
                form.name.data,
                form.title.data.strip(),
                form.permissions.data or [],
                form.description.data or "",
            )
        except service.AccessError as exc:
            form.name.errors = [str(exc)]
        else:
            db.session.commit()
            flash(_("De rol %(name)s is aangemaakt.", name=role.title), "success")
            return redirect(url_for(".roles"))
    labels = _labels()
    # only the permissions of what is switched on here can be filtered on
    listing = _roles_listing(form.permissions.choices).run(scoped(Role, municipality))
    return form_page(
        "access/roles.html",
        listing=listing,
        holder_counts=_holder_counts([r.id for r in listing.items]),
        form=form,
        permission_groups=_permission_groups(municipality),
        labels=labels,
    )


def _in_force():  # type: ignore[no-untyped-def]
    """An assignment that has not expired (a person may hold a role through several)."""
    return or_(RoleAssignment.expires_at.is_(None), RoleAssignment.expires_at > utcnow())


def _holder_count():  # type: ignore[no-untyped-def]
    """Employees holding the role now (any source), as a correlated count to sort on."""
    return (
        select(func.count(distinct(RoleAssignment.employee_id)))
        .where(RoleAssignment.role_id == Role.id, _in_force())
        .correlate(Role)
        .scalar_subquery()
    )


def _roles_listing(permissions: list[tuple[str, str]]) -> Listing:
    """The roles, sorted, searched and filtered on a permission, in the URL like every list."""

    def by_text(stmt, value: str):  # type: ignore[no-untyped-def]
        pattern = like_pattern(value)
        return stmt.where(or_(Role.title.ilike(pattern), Role.name.ilike(pattern)))

    def granting(stmt, code: str):  # type: ignore[no-untyped-def]
        return stmt.where(
            Role.id.in_(select(RolePermission.role_id).where(RolePermission.code == code))
        )

    return Listing(
        "access.roles",
        columns=[
            Column("rol", lazy_gettext("Rol"), Role.title),
            Column("code", lazy_gettext("Code"), Role.name),
            Column("houders", lazy_gettext("Toegewezen aan"), _holder_count(), first="af"),
        ],
        default_sort="rol",
        filters=[
            Filter("zoek", lazy_gettext("Rol"), by_text, hint=lazy_gettext("Naam of code")),
            Filter(
                "recht",
                lazy_gettext("Recht"),
                granting,
                choices=sorted(permissions, key=lambda item: str(item[1])),
            ),
        ],
        per_page=25,
        tiebreak=Role.id,
    )


def _holder_counts(role_ids: list[int]) -> dict[int, int]:
    """How many employees hold each role on the page now, in one query."""
    if not role_ids:
        return {}
    rows = db.session.execute(
        select(RoleAssignment.role_id, func.count(distinct(RoleAssignment.employee_id)))
        .where(RoleAssignment.role_id.in_(role_ids), _in_force())
        .group_by(RoleAssignment.role_id)
    )
    return {role_id: count for role_id, count in rows}


def _labels() -> dict[str, str]:
    return {
        code: perm.label
        for code, (_p, perm) in current_app.extensions["intranet"].permissions.items()
    }


@bp.route("/rollen/<int:role_id>", methods=["GET", "POST"])
@requires(MANAGE)
def role(role_id: int):  # type: ignore[no-untyped-def]
    municipality = current_municipality()
    role = get_scoped_or_404(Role, role_id)
    form = _role_form(municipality, role)
    if form.validate_on_submit():
        # Permissions of plugins that are switched off here are not on the form; keep them.
        hidden = role.permission_codes - {c for c, _l in form.permissions.choices}
        try:
            service.update_role(
                municipality,
                role,
                name=form.name.data,
                title=form.title.data.strip(),
                description=form.description.data or "",
                permissions=set(form.permissions.data or []) | hidden,
            )
        except service.AccessError as exc:
            form.name.errors = [str(exc)]
        else:
            db.session.commit()
            flash(_("De rol %(name)s is opgeslagen.", name=role.title), "success")
            return redirect(url_for(".roles"))
    labels = _labels()
    return form_page(
        "access/role.html",
        role=role,
        form=form,
        permission_groups=_permission_groups(municipality),
        role_permissions=sorted(labels.get(c, c) for c in role.permission_codes),
        holders=role_holders(municipality, role),
    )


@bp.route("/rollen/<int:role_id>/verwijderen", methods=["POST"])
@requires(MANAGE)
def delete_role(role_id: int):  # type: ignore[no-untyped-def]
    municipality = current_municipality()
    role = get_scoped_or_404(Role, role_id)
    title = role.title
    service.delete_role(municipality, role)
    db.session.commit()
    flash(_("De rol %(name)s is verwijderd.", name=title), "success")
    return redirect(url_for(".roles"))


@bp.route("/groepen", methods=["GET", "POST"])
@requires(MANAGE)
def groups():  # type: ignore[no-untyped-def]
    municipality = current_municipality()
    form = GroupMappingForm()
    form.role_id.choices = [(r.id, r.title) for r in service.roles_of(municipality)]
    if form.validate_on_submit():
        role = get_scoped_or_404(Role, form.role_id.data)
        try:
            service.map_group(municipality, form.group_dn.data, role)
        except service.AccessError as exc:
            form.group_dn.errors = [str(exc)]
        else:
            db.session.commit()
            flash(
                _("De koppeling is opgeslagen; leden krijgen de rol bij hun volgende aanmelding."),
                "success",
            )
            return redirect(url_for(".groups"))
    mappings = (
        db.session.execute(
            scoped(GroupRoleMapping, municipality).order_by(GroupRoleMapping.group_dn)
        )
        .scalars()
        .all()
    )
    settings = current_app.extensions["intranet"].deployment.for_municipality(municipality.slug)
    if request.method == "GET" and request.args.get("groep"):
        form.group_dn.data = request.args["groep"][:500]
    search = _group_search(municipality, settings)
    return form_page(
        "access/groups.html",
        form=form,
        mappings=mappings,
        config_mappings=settings.group_roles,
        search=search,
    )


def _group_search(municipality, settings) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The group picker: the municipality's directory searched on the server (no JavaScript),
    so nobody has to type a DN."""
    from ..auth.directory import DirectoryUnavailable, directory_for

    text = (request.args.get("zoek") or "").strip()[:100]
    out: dict[str, Any] = {
        "text": text,
        "asked": "zoek" in request.args,
        "groups": [],
        "down": False,
    }
    if not out["asked"] or settings.directory is None:
        return out
    try:
        out["groups"] = directory_for(municipality.slug, settings.directory).search_groups(text)
    except DirectoryUnavailable:
        out["down"] = True
    return out


@bp.route("/groepen/<int:mapping_id>/verwijderen", methods=["POST"])
@requires(MANAGE)
def delete_mapping(mapping_id: int):  # type: ignore[no-untyped-def]
    municipality = current_municipality()
    service.unmap_group(municipality, get_scoped_or_404(GroupRoleMapping, mapping_id))
    db.session.commit()
    flash(
        _("De koppeling is verwijderd; dit geldt bij de volgende aanmelding van de leden."),
        "success",
    )
    return redirect(url_for(".groups"))


@bp.route("/medewerkers/<int:employee_id>", methods=["GET", "POST"])
@requires(MANAGE)
def employee(employee_id: int):  # type: ignore[no-untyped-def]
    municipality = current_municipality()
    person = get_scoped_or_404(Employee, employee_id)
    form = GrantForm()
    form.role_id.choices = [(r.id, r.title) for r in service.roles_of(municipality)]
    if form.validate_on_submit():
        role = get_scoped_or_404(Role, form.role_id.data)
        expires = (
            datetime.combine(form.expires_on.data, time.max, tzinfo=AMSTERDAM)
            if form.expires_on.data
            else None
        )
        service.grant_manual(
            municipality, person, role, form.reason.data.strip(), current_user.username, expires
        )
        db.session.commit()
        flash(
            _(
                "%(person)s heeft de rol %(role)s gekregen.",
                person=person.display_name,
                role=role.title,
            ),
            "success",
        )
        return redirect(url_for(".employee", employee_id=person.id))
    assignments = (
        db.session.execute(
            scoped(RoleAssignment, municipality).where(RoleAssignment.employee_id == person.id)
        )
        .scalars()
        .all()
    )
    return form_page(
        "access/employee.html",
        person=person,
        assignments=assignments,
        form=form,
        source_labels=service.SOURCE_LABELS,
        SOURCE_GROUP=SOURCE_GROUP,
        SOURCE_MANUAL=SOURCE_MANUAL,
    )


@bp.route(
    "/medewerkers/<int:employee_id>/toekenningen/<int:assignment_id>/intrekken", methods=["POST"]
)
@requires(MANAGE)
def revoke(employee_id: int, assignment_id: int):  # type: ignore[no-untyped-def]
    municipality = current_municipality()
    person = get_scoped_or_404(Employee, employee_id)
    assignment = get_scoped_or_404(RoleAssignment, assignment_id)
    if assignment.employee_id != person.id:
        abort(404)
    if assignment.source != SOURCE_MANUAL:
        flash(
            _(
                "Een rol uit een directorygroep trekt u in door de groep of de koppeling aan te passen."
            ),
            "error",
        )
        return redirect(url_for(".employee", employee_id=person.id))
    service.revoke(municipality, assignment)
    db.session.commit()
    flash(_("De toekenning is ingetrokken."), "success")
    return redirect(url_for(".employee", employee_id=person.id))


@bp.route("/medewerkers/<int:employee_id>/status", methods=["POST"])
@requires(MANAGE)
def set_status(employee_id: int):  # type: ignore[no-untyped-def]
    municipality = current_municipality()
    person = get_scoped_or_404(Employee, employee_id)
    active = request.form.get("actief") == "ja"
    if person.id == current_user.id and not active:
        flash(_("U kunt uzelf niet blokkeren."), "error")
        return redirect(url_for(".employee", employee_id=person.id))
    service.set_employee_active(municipality, person, active)
    db.session.commit()
    flash(
        _("%(name)s is weer toegelaten.", name=person.display_name)
        if active
        else _("%(name)s is geblokkeerd; alle sessies zijn beëindigd.", name=person.display_name),
        "success",
    )
    return redirect(url_for(".employee", employee_id=person.id))
