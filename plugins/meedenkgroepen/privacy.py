"""GDPR: what the plugin holds on a resident (access request), erasure, and the lines for
the register of processing activities. The retention run is in ``retention.py``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, update

from intranet.plugin_api import (
    ErasureResult,
    PersonalData,
    ProcessingActivity,
    _,
    db,
    scoped,
)

from . import models as m
from .retention import (
    INVITATION_RETENTION_DAYS,
    INVITATIONS,
    MEMBERSHIP_RETENTION_DAYS,
    MEMBERSHIPS,
    NAME,
    PANEL_MEMBERS,
    PANEL_RETENTION_DAYS,
    TRAJECTORY_PARTICIPANTS,
)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def resident_data(municipality, resident) -> PersonalData:  # type: ignore[no-untyped-def]
    records: list[dict[str, Any]] = []
    for ms in db.session.execute(
        scoped(m.Membership, municipality).where(m.Membership.resident_id == resident.id)
    ).scalars():
        records.append(
            {
                "soort": _("lid van meedenkgroep"),
                "meedenkgroep": ms.group.theme,
                "aangemeld op": _iso(ms.signed_up_on),
                "hoe aangemeld": ms.channel_label,
                "motivatie": ms.motivation,
                "wil opbrengsten ontvangen": ms.wants_minutes,
                "afgemeld op": _iso(ms.left_on),
            }
        )
    for a in db.session.execute(
        scoped(m.Attendance, municipality).where(m.Attendance.resident_id == resident.id)
    ).scalars():
        records.append(
            {
                "soort": _("aanwezig bij bijeenkomst"),
                "meedenkgroep": a.meeting.group.theme,
                "datum": _iso(a.meeting.starts_at),
            }
        )
    for tp in db.session.execute(
        scoped(m.TrajectoryParticipant, municipality).where(
            m.TrajectoryParticipant.resident_id == resident.id
        )
    ).scalars():
        records.append(
            {
                "soort": _("deelnemer aan een traject"),
                "traject": db.session.get(m.Trajectory, tp.trajectory_id).topic,  # type: ignore[union-attr]
                "groep deelnemers": tp.group.name,
                "vastgelegd op": _iso(tp.added_at),
            }
        )
    for pm in db.session.execute(
        scoped(m.PanelMember, municipality).where(m.PanelMember.resident_id == resident.id)
    ).scalars():
        records.append(
            {
                "soort": _("lid van panel"),
                "panel": pm.panel.name,
                "thema's": ", ".join(pm.themes or []),
                "aangemeld op": _iso(pm.joined_on),
                "afgemeld op": _iso(pm.left_at),
            }
        )
    for inv in db.session.execute(
        scoped(m.Invitation, municipality).where(m.Invitation.resident_id == resident.id)
    ).scalars():
        records.append(
            {
                "soort": _("uitnodiging voor vragenlijst"),
                "vragenlijst": inv.questionnaire.title,
                "status": inv.status_label,
                "verzonden op": _iso(inv.sent_at),
                "herinnering op": _iso(inv.reminded_at),
                "ingevuld": inv.answered_at is not None,
                "toelichting": _(
                    "Antwoorden worden los van de persoon bewaard en zijn niet naar u te herleiden."
                ),
            }
        )
    for p in db.session.execute(
        scoped(m.GroupProposal, municipality).where(m.GroupProposal.resident_id == resident.id)
    ).scalars():
        records.append(
            {
                "soort": _("voorstel voor een nieuwe meedenkgroep"),
                "thema": p.theme,
                "ontvangen op": _iso(p.received_on),
                "besluit": p.decision_label,
                "reden": p.decision_reason,
            }
        )
    for fm in db.session.execute(
        scoped(m.FeedbackMail, municipality).where(m.FeedbackMail.resident_id == resident.id)
    ).scalars():
        records.append(
            {
                "soort": f"e-mail ({fm.kind})",
                "status": fm.status_label,
                "verzonden op": _iso(fm.sent_at),
            }
        )
    return PersonalData(
        plugin=NAME, title=_("Meedenkgroepen en panels"), records=records, special=["motivatie"]
    )


def erase_resident(municipality, resident, reason: str) -> ErasureResult:  # type: ignore[no-untyped-def]
    mid, rid = municipality.id, resident.id
    result = ErasureResult(plugin=NAME)
    counts = {
        "lidmaatschappen van meedenkgroepen": db.session.execute(
            delete(m.Membership).where(
                m.Membership.municipality_id == mid, m.Membership.resident_id == rid
            )
        ).rowcount,
        "deelname aan trajecten": db.session.execute(
            delete(m.TrajectoryParticipant).where(
                m.TrajectoryParticipant.municipality_id == mid,
                m.TrajectoryParticipant.resident_id == rid,
            )
        ).rowcount,
        "aanwezigheid bij bijeenkomsten": db.session.execute(
            delete(m.Attendance).where(
                m.Attendance.municipality_id == mid, m.Attendance.resident_id == rid
            )
        ).rowcount,
    }
    member_ids = [
        pm.id
        for pm in db.session.execute(
            scoped(m.PanelMember, municipality).where(m.PanelMember.resident_id == rid)
        ).scalars()
    ]
    if member_ids:
        db.session.execute(
            update(m.Invitation)
            .where(m.Invitation.municipality_id == mid, m.Invitation.member_id.in_(member_ids))
            .values(member_id=None)
        )
    counts["panellidmaatschappen"] = db.session.execute(
        delete(m.PanelMember).where(
            m.PanelMember.municipality_id == mid, m.PanelMember.resident_id == rid
        )
    ).rowcount
    result.erased = [f"{k} ({n})" for k, n in counts.items() if n]
    anonymised = {
        "uitnodigingen voor vragenlijsten": db.session.execute(
            update(m.Invitation)
            .where(m.Invitation.municipality_id == mid, m.Invitation.resident_id == rid)
            .values(resident_id=None, member_id=None)
        ).rowcount,
        "verstuurde opbrengsten en terugkoppeling": db.session.execute(
            update(m.FeedbackMail)
            .where(m.FeedbackMail.municipality_id == mid, m.FeedbackMail.resident_id == rid)
            .values(resident_id=None)
        ).rowcount,
        "voorstellen voor nieuwe groepen": db.session.execute(
            update(m.GroupProposal)
            .where(m.GroupProposal.municipality_id == mid, m.GroupProposal.resident_id == rid)
            .values(resident_id=None)
        ).rowcount,
    }
    result.anonymised = [f"{k} ({n})" for k, n in anonymised.items() if n]
    result.kept = [
        (
            _("antwoorden op vragenlijsten"),
            _(
                "Worden zonder koppeling aan de persoon bewaard; ze zijn niet naar de inwoner te herleiden."
            ),
        )
    ]
    return result


def processing_activities() -> list[ProcessingActivity]:
    return [
        ProcessingActivity(
            name=_("Meedenkgroepen"),
            purpose=_(
                "Inwoners die hulp krijgen en hun naasten laten meedenken over beleid, en hen de opbrengsten en terugkoppeling mailen."
            ),
            legal_basis=_("Toestemming (AVG art. 6 lid 1 sub a)"),
            data_categories=(
                _("aanmelding en motivatie"),
                _("aanwezigheid"),
                _("deelname aan een traject (groep deelnemers)"),
                _("e-mailadres (uit het inwonersregister)"),
            ),
            data_subjects=("cliënten", "mantelzorgers", "ervaringsdeskundigen"),
            special_categories=(str(m.MOTIVATION_CATEGORY),),
            retention=_("Tot %(years)s jaar na afmelding.", years=MEMBERSHIP_RETENTION_DAYS // 365),
            retention_days=MEMBERSHIP_RETENTION_DAYS,
            retention_categories=(MEMBERSHIPS, TRAJECTORY_PARTICIPANTS),
        ),
        ProcessingActivity(
            name=_("Vragenlijstpanels"),
            purpose=_(
                "Panelleden een paar keer per jaar een vragenlijst mailen over de thema's die zij kozen."
            ),
            legal_basis=_("Toestemming (AVG art. 6 lid 1 sub a)"),
            data_categories=(
                _("panellidmaatschap en thema's"),
                _("uitnodigingen en of er is geantwoord"),
            ),
            data_subjects=("panelleden",),
            retention=_(
                "Lidmaatschap tot %(members)s dagen na afmelding; uitnodigingen worden %(invitations)s "
                "dagen na sluiting van de vragenlijst losgekoppeld van de persoon.",
                members=PANEL_RETENTION_DAYS,
                invitations=INVITATION_RETENTION_DAYS,
            ),
            retention_days=INVITATION_RETENTION_DAYS,
            retention_categories=(
                PANEL_MEMBERS,
                INVITATIONS,
            ),
        ),
        ProcessingActivity(
            name=_("Antwoorden op vragenlijsten"),
            purpose=_("Beleid toetsen aan wat inwoners vinden."),
            legal_basis=_("Toestemming (AVG art. 6 lid 1 sub a)"),
            data_categories=(_("antwoorden, zonder koppeling aan de persoon"),),
            data_subjects=("panelleden",),
            retention=_(
                "Zolang nodig voor het beleid; de antwoorden zijn niet naar een persoon te herleiden."
            ),
        ),
    ]
