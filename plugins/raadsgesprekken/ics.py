"""iCalendar invitations for council members (RFC 5545, METHOD:REQUEST / CANCEL).

The UID stays the same for an appointment; SEQUENCE goes up with each change, so a calendar
program replaces the earlier invitation on a reschedule and removes it on a cancellation.
The invitation holds no resident's name: only the form, the place and a link.
"""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar, Event, vCalAddress, vText

from intranet.plugin_api import _, as_utc

from .models import ConversationAppointment, CouncilMember


def uid(appointment: ConversationAppointment, host: str) -> str:
    return f"raadsgesprek-{appointment.municipality_id}-{appointment.id}@{host}"


def invitation(
    appointment: ConversationAppointment,
    member: CouncilMember,
    *,
    host: str,
    organiser_email: str,
    place: str,
    url: str | None = None,
) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Intranet cliëntparticipatie//Raadsgesprekken//NL")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if appointment.cancelled else "REQUEST")
    event = Event()
    event.add("uid", uid(appointment, host))
    event.add("sequence", appointment.sequence)
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", as_utc(appointment.starts_at))
    event.add("dtend", as_utc(appointment.ends_at))
    event.add("summary", _("Raadsgesprek (%(form)s)", form=appointment.form_label.lower()))
    if place:
        event.add("location", place)
    description = _("Gesprek met een inwoner over zorg en ondersteuning.")
    if url:
        description += "\n" + _("Details op het intranet: %(url)s", url=url)
        event.add("url", url)
    event.add("description", description)
    event.add("status", "CANCELLED" if appointment.cancelled else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{organiser_email}")
    organizer.params["cn"] = vText(_("Griffie"))
    event["organizer"] = organizer
    if member.email:
        attendee = vCalAddress(f"mailto:{member.email}")
        attendee.params["cn"] = vText(member.name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee, encode=0)
    cal.add_component(event)
    return cal.to_ical()
