"""Retention: how long the plugin keeps what (retention categories each municipality may
set for itself on ``/<municipality>/privacy/bewaartermijnen``), and the run that applies them."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update

from intranet.plugin_api import RetentionCategory, RetentionReport, _l, db, retention_days, scoped

from . import models as m

NAME = "meedenkgroepen"
MEMBERSHIP_RETENTION_DAYS = 2 * 365
PANEL_RETENTION_DAYS = 365
INVITATION_RETENTION_DAYS = 365

MEMBERSHIPS = RetentionCategory(
    "lidmaatschappen",
    _l("Lidmaatschappen van meedenkgroepen, na afmelding"),
    MEMBERSHIP_RETENTION_DAYS,
)
TRAJECTORY_PARTICIPANTS = RetentionCategory(
    "trajectdeelnemers",
    _l("Inwoners in de deelnemersgroepen van een traject, na afronding van het traject"),
    MEMBERSHIP_RETENTION_DAYS,
)
PANEL_MEMBERS = RetentionCategory(
    "panelleden", _l("Panelleden, na afmelding"), PANEL_RETENTION_DAYS
)
INVITATIONS = RetentionCategory(
    "uitnodigingen",
    _l("Uitnodigingen, na sluiting van de vragenlijst (daarna zonder persoon)"),
    INVITATION_RETENTION_DAYS,
)


def retention_run(municipality, now: datetime, dry_run: bool) -> RetentionReport:  # type: ignore[no-untyped-def]
    report = RetentionReport(plugin=NAME)
    mid = municipality.id
    today = now.date()
    membership_days = retention_days(municipality, NAME, MEMBERSHIPS.key, MEMBERSHIPS.default_days)
    panel_days = retention_days(municipality, NAME, PANEL_MEMBERS.key, PANEL_MEMBERS.default_days)
    invitation_days = retention_days(municipality, NAME, INVITATIONS.key, INVITATIONS.default_days)
    memberships = (
        db.session.execute(
            scoped(m.Membership, municipality).where(
                m.Membership.left_on.is_not(None),
                m.Membership.left_on < today - timedelta(days=membership_days),
            )
        )
        .scalars()
        .all()
    )
    members = (
        db.session.execute(
            scoped(m.PanelMember, municipality).where(
                m.PanelMember.left_at.is_not(None),
                m.PanelMember.left_at < now - timedelta(days=panel_days),
            )
        )
        .scalars()
        .all()
    )
    participant_days = retention_days(
        municipality, NAME, TRAJECTORY_PARTICIPANTS.key, TRAJECTORY_PARTICIPANTS.default_days
    )
    # only residents: an organisation in a group is no personal data
    participants = (
        db.session.execute(
            scoped(m.TrajectoryParticipant, municipality)
            .join(m.Trajectory, m.Trajectory.id == m.TrajectoryParticipant.trajectory_id)
            .where(
                m.TrajectoryParticipant.resident_id.is_not(None),
                m.Trajectory.closed_at.is_not(None),
                m.Trajectory.closed_at < now - timedelta(days=participant_days),
            )
        )
        .scalars()
        .all()
    )
    closed_ids = [
        q.id
        for q in db.session.execute(
            scoped(m.Questionnaire, municipality).where(
                m.Questionnaire.closes_on < today - timedelta(days=invitation_days)
            )
        ).scalars()
    ]
    invitations = (
        db.session.execute(
            scoped(m.Invitation, municipality).where(
                m.Invitation.questionnaire_id.in_(closed_ids or [0]),
                m.Invitation.resident_id.is_not(None),
            )
        )
        .scalars()
        .all()
    )
    report.deleted = {
        "lidmaatschappen": len(memberships),
        "panelleden": len(members),
        "trajectdeelnemers": len(participants),
    }
    report.anonymised = {"uitnodigingen": len(invitations)}
    if not dry_run:
        for row in [*memberships, *participants]:
            db.session.delete(row)
        member_ids = [pm.id for pm in members]
        if member_ids:
            db.session.execute(
                update(m.Invitation)
                .where(m.Invitation.municipality_id == mid, m.Invitation.member_id.in_(member_ids))
                .values(member_id=None)
            )
        for row in members:
            db.session.delete(row)
        for inv in invitations:
            inv.resident_id = None
            inv.member_id = None
    return report
