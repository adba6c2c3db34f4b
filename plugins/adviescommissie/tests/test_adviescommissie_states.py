"""The status flow as a pure state machine: every pair of statuses, every permission."""

from __future__ import annotations

import itertools

import pytest

from plugins.adviescommissie import states
from plugins.adviescommissie.states import Facts, TransitionError

ALL = list(states.STATUSES)
MANAGE, RESPOND = states.MANAGE, states.RESPOND
EVERYONE = {MANAGE, RESPOND, "adviescommissie.member", "adviescommissie.view"}
READY = Facts(has_advice_text=True, recommendations=3, unanswered_recommendations=0)

#: the whole table, written out: (from, to) -> permission
EXPECTED = {
    ("received", "in_progress"): MANAGE,
    ("in_progress", "adopted"): MANAGE,
    ("adopted", "in_progress"): MANAGE,
    ("adopted", "sent"): MANAGE,
    ("sent", "response_received"): RESPOND,
    ("response_received", "closed"): MANAGE,
}


@pytest.mark.parametrize(("source", "target"), list(itertools.product(ALL, ALL)))
def test_every_pair_of_statuses(source: str, target: str) -> None:
    permission = EXPECTED.get((source, target))
    if permission is None:
        assert states.transition(source, target) is None
        with pytest.raises(TransitionError, match="kan het dossier niet naar"):
            states.check(source, target, EVERYONE, READY)
        return
    assert states.check(source, target, {permission}, READY).permission == permission
    others = EVERYONE - {permission}
    with pytest.raises(PermissionError):
        states.check(source, target, others, READY)


def test_unknown_status_is_refused() -> None:
    with pytest.raises(TransitionError):
        states.check("received", "deleted", EVERYONE, READY)


def test_allowed_targets_depend_on_permissions() -> None:
    assert [t.target for t in states.allowed_targets("adopted", {MANAGE})] == [
        "in_progress",
        "sent",
    ]
    assert states.allowed_targets("adopted", {RESPOND}) == []
    assert [t.target for t in states.allowed_targets("sent", {RESPOND})] == ["response_received"]
    assert states.allowed_targets("sent", {MANAGE, "adviescommissie.member"}) == []
    assert states.allowed_targets("closed", EVERYONE) == []


def test_initial_status_solicited_and_unsolicited() -> None:
    assert states.initial_status(True) == "received"
    assert states.initial_status(False) == "in_progress"


def test_adopting_needs_text_and_a_recommendation() -> None:
    with pytest.raises(TransitionError, match="tekst"):
        states.check("in_progress", "adopted", {MANAGE}, Facts(recommendations=2))
    with pytest.raises(TransitionError, match="aanbeveling"):
        states.check("in_progress", "adopted", {MANAGE}, Facts(has_advice_text=True))
    assert states.check("in_progress", "adopted", {MANAGE}, READY)


def test_response_needs_every_recommendation_answered() -> None:
    facts = Facts(has_advice_text=True, recommendations=3, unanswered_recommendations=1)
    with pytest.raises(TransitionError, match="nog 1 open"):
        states.check("sent", "response_received", {RESPOND}, facts)
    assert states.check("sent", "response_received", {RESPOND}, READY)


def test_permission_is_checked_before_preconditions() -> None:
    with pytest.raises(PermissionError):
        states.check("in_progress", "adopted", {RESPOND}, Facts())


def test_every_status_reachable_from_the_start() -> None:
    reached, todo = {"received"}, ["received"]
    while todo:
        for t in states.allowed_targets(todo.pop(), EVERYONE):
            if t.target not in reached:
                reached.add(t.target)
                todo.append(t.target)
    assert reached == set(ALL)
    assert {(t.source, t.target): t.permission for t in states.TRANSITIONS} == EXPECTED
