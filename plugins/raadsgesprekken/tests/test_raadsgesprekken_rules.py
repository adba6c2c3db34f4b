"""The scheduling rules and the anonymiser as pure functions (no database, no requests)."""

from __future__ import annotations

from datetime import UTC, datetime

from plugins.raadsgesprekken.anonymise import scrub
from plugins.raadsgesprekken.rules import Booking, SlotFacts, can_move, conflicts, pair_warning

NAMES = {1: "Mirjam Bakker", 2: "Ahmed El Amrani", 3: "Gerda Visser"}


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, 11, hour, minute, tzinfo=UTC)


def check(**kw):  # type: ignore[no-untyped-def]
    kw.setdefault("member_names", NAMES)
    kw.setdefault("bookings", [])
    return [(p.field, p.message) for p in conflicts(**kw)]


SLOT = SlotFacts(1, at(9), at(10), capacity=1, available_member_ids=frozenset({1, 2}))


def test_a_free_appointment_without_conflicts_is_allowed() -> None:
    assert check(starts_at=at(9), ends_at=at(10), member_ids=[1, 2]) == []


def test_end_must_follow_start_and_a_member_is_needed() -> None:
    problems = check(starts_at=at(10), ends_at=at(10), member_ids=[])
    assert ("ends", "Het einde van het gesprek moet na het begin liggen.") in problems
    assert ("members", "Kies minstens één raadslid.") in problems


def test_a_double_booked_member_is_refused_by_name() -> None:
    booked = [Booking(7, at(9, 30), at(10, 30), frozenset({2}))]
    problems = check(starts_at=at(10), ends_at=at(11), member_ids=[1, 2], bookings=booked)
    assert problems == [("members", "Ahmed El Amrani heeft op dat moment al een ander gesprek.")]
    # touching intervals do not overlap
    assert check(starts_at=at(10, 30), ends_at=at(11), member_ids=[2], bookings=booked) == []
    # the appointment itself does not conflict with itself (reschedule)
    assert (
        check(starts_at=at(10), ends_at=at(11), member_ids=[2], bookings=booked, exclude_id=7) == []
    )


def test_a_full_slot_is_refused() -> None:
    booked = [Booking(7, at(9), at(10), frozenset({3}), slot_id=1)]
    problems = check(starts_at=at(9), ends_at=at(10), member_ids=[1], bookings=booked, slot=SLOT)
    assert problems == [
        (
            "slot_id",
            "Dit tijdvak is vol: er kan 1 gesprek tegelijk en er zijn er al 1 ingepland.",
        )
    ]


def test_a_member_not_available_in_the_slot_is_refused() -> None:
    problems = check(starts_at=at(9), ends_at=at(10), member_ids=[1, 3], slot=SLOT)
    assert problems == [("members", "Gerda Visser is in dit tijdvak niet beschikbaar.")]


def test_an_appointment_outside_its_slot_is_refused() -> None:
    problems = check(starts_at=at(9, 30), ends_at=at(10, 30), member_ids=[1], slot=SLOT)
    assert ("slot_id", "Het gesprek valt buiten het gekozen tijdvak.") in problems


def test_a_free_appointment_on_a_conversation_day_needs_availability() -> None:
    problems = check(starts_at=at(9), ends_at=at(9, 30), member_ids=[1, 3], day_slots=[SLOT])
    assert problems == [
        ("members", "Gerda Visser is op deze gespreksdag op dat moment niet beschikbaar.")
    ]
    # outside every slot on that day, nobody is available
    assert len(check(starts_at=at(15), ends_at=at(16), member_ids=[1], day_slots=[SLOT])) == 1


def test_status_transitions() -> None:
    assert can_move("aangevraagd", "ingepland")
    assert can_move("ingepland", "gevoerd")
    assert can_move("gevoerd", "verslag gemaakt")
    assert can_move("verslag gemaakt", "afgerond")
    assert can_move("ingepland", "geannuleerd")
    assert can_move("geannuleerd", "ingepland")
    assert not can_move("aangevraagd", "gevoerd")
    assert not can_move("afgerond", "ingepland")
    assert not can_move("gevoerd", "geannuleerd")


def test_pair_warning() -> None:
    assert pair_warning(1)
    assert pair_warning(2) is None


def test_scrub_takes_names_out() -> None:
    text = "Anna zei: mijn zoon Kees de Jong helpt mij. Mevrouw De Jong wil meer hulp."
    out = scrub(text, ["Anna de Jong", "Kees de Jong"])
    assert "Anna" not in out and "Kees" not in out and "Jong" not in out
    assert "[naam]" in out and "helpt mij" in out
