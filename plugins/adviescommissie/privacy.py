"""Personal data of committee members (who are residents too): access, erasure, retention."""

from __future__ import annotations

from typing import Any

from intranet.plugin_api import (
    ErasureResult,
    PersonalData,
    ProcessingActivity,
    _,
    _l,
    db,
    dutch_date,
    record,
    scoped,
)

from .models import MEMBER_ROLES, CommitteeAttendance, CommitteeMeeting, CommitteeMember
from .retention import MEMBER_RETENTION_DAYS, MEMBERS

NAME = "adviescommissie"
#: a member's record is kept two years after the term ended (accountability of advice given)


def _memberships(municipality: Any, resident: Any) -> list[CommitteeMember]:
    return list(
        db.session.execute(
            scoped(CommitteeMember, municipality).where(CommitteeMember.resident_id == resident.id)
        ).scalars()
    )


#: "ervaringsdeskundige GGZ": a member's expertise can reveal health (AVG art. 9), so it is
#: shown only with core.privacy.special, each read audited, and withheld from exports
EXPERTISE_CATEGORY = _l("gegevens over gezondheid (ervaringsdeskundigheid)")
SPECIAL_EXPORT_KEYS = ["deskundigheid"]


def resident_data(municipality: Any, resident: Any) -> PersonalData:
    records = []
    for member in _memberships(municipality, resident):
        records.append(
            {
                "rol": MEMBER_ROLES.get(member.role, member.role),
                "deskundigheid": member.expertise,
                "begin termijn": member.term_start.isoformat(),
                "einde termijn": member.term_end.isoformat() if member.term_end else None,
            }
        )
        rows = db.session.execute(
            scoped(CommitteeAttendance, municipality)
            .join(CommitteeMeeting, CommitteeMeeting.id == CommitteeAttendance.meeting_id)
            .where(CommitteeAttendance.member_id == member.id)
            .order_by(CommitteeMeeting.starts_at)
        ).scalars()
        for a in rows:
            records.append(
                {"vergadering": dutch_date(a.meeting.starts_at), "aanwezigheid": a.status_label}
            )
    return PersonalData(
        plugin=NAME, title=_("Adviescommissie"), records=records, special=SPECIAL_EXPORT_KEYS
    )


def delete_member(municipality: Any, member: CommitteeMember) -> int:
    attendance = list(
        db.session.execute(
            scoped(CommitteeAttendance, municipality).where(
                CommitteeAttendance.member_id == member.id
            )
        ).scalars()
    )
    for row in attendance:
        db.session.delete(row)
    db.session.delete(member)
    return len(attendance)


def erase_resident(municipality: Any, resident: Any, reason: str) -> ErasureResult:
    """Remove the membership(s) and attendance; advice files hold no resident data."""
    result = ErasureResult(plugin=NAME)
    memberships = _memberships(municipality, resident)
    attendance = 0
    for member in memberships:
        attendance += delete_member(municipality, member)
    db.session.flush()
    if memberships:
        result.erased.append(f"{len(memberships)} lidmaatschap(pen) van de adviescommissie")
    if attendance:
        result.erased.append(f"{attendance} aanwezigheidsregistratie(s)")
    result.kept.append(
        (
            _("vastgestelde adviezen en vergaderverslagen"),
            _(
                "Archiefwet: adviezen en verslagen zijn archiefbescheiden; zij verwijzen niet naar "
                "het inwonersregister."
            ),
        )
    )
    record(
        "adviescommissie.resident_erased",
        object_type="resident",
        object_id=resident.id,
        municipality=municipality,
        details={"memberships": len(memberships), "attendance": attendance},
    )
    return result


def processing_activities() -> list[ProcessingActivity]:
    return [
        ProcessingActivity(
            name=_("Leden van de adviescommissie sociaal domein"),
            purpose=_(
                "De samenstelling, zittingstermijnen, vergaderingen en aanwezigheid van de "
                "adviescommissie bijhouden."
            ),
            legal_basis=_(
                "Wettelijke taak: cliëntenparticipatie (Wmo 2015 art. 2.1.3, "
                "Participatiewet art. 47) (AVG art. 6 lid 1 sub e)"
            ),
            data_categories=(
                _("naam (via inwonersregister)"),
                "rol",
                "deskundigheid",
                "zittingstermijn",
                "aanwezigheid",
            ),
            data_subjects=(_("leden van de adviescommissie"),),
            special_categories=(str(EXPERTISE_CATEGORY),),
            retention=_(
                "Tot %(years)s jaar na het einde van de zittingstermijn.",
                years=MEMBER_RETENTION_DAYS // 365,
            ),
            retention_days=MEMBER_RETENTION_DAYS,
            retention_categories=(MEMBERS,),
        ),
        ProcessingActivity(
            name=_("Adviesregister adviescommissie"),
            purpose=_(
                "Gevraagde en ongevraagde adviezen, de reacties van de gemeente en de toets "
                "aan de afgesproken waarden vastleggen en verantwoorden."
            ),
            legal_basis=_("Wettelijke taak (AVG art. 6 lid 1 sub e)"),
            data_categories=(
                _("naam en afdeling van de contactpersoon bij de gemeente"),
                _("gebruikersnaam medewerker"),
            ),
            data_subjects=("medewerkers",),
            retention=_("Volgens de archiefselectielijst van de gemeente."),
        ),
    ]
