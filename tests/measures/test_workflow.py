"""The named transitions of the review state machine."""

from __future__ import annotations

import pytest

from measures.workflow import (
    InvalidTransition,
    State,
    Transition,
    allowed_transitions,
    apply_transition,
    snapshot_diff,
)


@pytest.mark.parametrize(
    ("current", "transition", "target"),
    [
        (State.DRAFT, Transition.SUBMIT, State.SUBMITTED),
        (State.RETURNED, Transition.SUBMIT, State.SUBMITTED),
        (State.SUBMITTED, Transition.APPROVE, State.APPROVED),
        (State.SUBMITTED, Transition.RETURN, State.RETURNED),
        (State.APPROVED, Transition.REOPEN, State.DRAFT),
    ],
)
def test_allowed_transitions_reach_their_target(current, transition, target):
    assert apply_transition(current, transition, reason="因为").target is target


@pytest.mark.parametrize(
    ("current", "transition"),
    [
        (State.DRAFT, Transition.APPROVE),
        (State.APPROVED, Transition.SUBMIT),
        (State.APPROVED, Transition.RETURN),
        (State.RETURNED, Transition.APPROVE),
        (State.DRAFT, Transition.REOPEN),
    ],
)
def test_invalid_transitions_raise(current, transition):
    with pytest.raises(InvalidTransition, match="cannot"):
        apply_transition(current, transition, reason="x")


@pytest.mark.parametrize("transition", [Transition.RETURN, Transition.REOPEN])
def test_return_and_reopen_need_a_reason(transition):
    source = State.SUBMITTED if transition is Transition.RETURN else State.APPROVED
    with pytest.raises(InvalidTransition, match="needs a reason"):
        apply_transition(source, transition, reason="   ")


def test_allowed_transitions_list_per_state():
    assert allowed_transitions("submitted") == [Transition.APPROVE, Transition.RETURN]
    assert allowed_transitions("approved") == [Transition.REOPEN]


def test_snapshot_diff_lists_only_changed_fields():
    changes = snapshot_diff({"a": 1, "b": "x", "gone": 1}, {"a": 2, "b": "x", "new": 3})
    assert [(c.field, c.before, c.after) for c in changes] == [("a", 1, 2), ("new", None, 3), ("gone", 1, None)]
