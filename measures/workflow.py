"""The review state machine of completion forms and key-project reports, and field diffs.

Pure Python (no Django): the services apply these rules and record each transition.

    draft ──submit──▶ submitted ──approve──▶ approved ──reopen (reason)──▶ draft
      ▲                   │
      │               return (reason)
      │                   ▼
      └──(edit)──── returned ──submit──▶ submitted
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class State(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"


class Transition(enum.StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    REOPEN = "reopen"


@dataclass(frozen=True)
class TransitionRule:
    name: Transition
    sources: frozenset[State]
    target: State
    needs_reason: bool
    by_reviewer: bool
    """True: bureau staff only; False: the area's officials."""


RULES: tuple[TransitionRule, ...] = (
    TransitionRule(Transition.SUBMIT, frozenset({State.DRAFT, State.RETURNED}), State.SUBMITTED, False, False),
    TransitionRule(Transition.APPROVE, frozenset({State.SUBMITTED}), State.APPROVED, False, True),
    TransitionRule(Transition.RETURN, frozenset({State.SUBMITTED}), State.RETURNED, True, True),
    TransitionRule(Transition.REOPEN, frozenset({State.APPROVED}), State.DRAFT, True, True),
)
RULES_BY_NAME: dict[Transition, TransitionRule] = {rule.name: rule for rule in RULES}

EDITABLE_STATES: frozenset[State] = frozenset({State.DRAFT, State.RETURNED})


class InvalidTransition(ValueError):
    """A transition that the current state does not allow, or a missing mandatory reason."""


def apply_transition(current: str, transition: Transition, *, reason: str = "") -> TransitionRule:
    """Check that ``transition`` may leave ``current``; returns the rule (its target is the new state)."""
    rule = RULES_BY_NAME[transition]
    state = State(current)
    if state not in rule.sources:
        allowed = "、".join(sorted(s.value for s in rule.sources))
        raise InvalidTransition(f"cannot {transition.value} a record in state '{state.value}' (only from: {allowed})")
    if rule.needs_reason and not reason.strip():
        raise InvalidTransition(f"{transition.value} needs a reason")
    return rule


def allowed_transitions(current: str) -> list[Transition]:
    state = State(current)
    return [rule.name for rule in RULES if state in rule.sources]


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any


def snapshot_diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[FieldChange]:
    """Fields whose value differs between two snapshots, in ``after``'s key order then ``before``'s."""
    keys = list(after) + [k for k in before if k not in after]
    return [
        FieldChange(field=key, before=before.get(key), after=after.get(key))
        for key in keys
        if before.get(key) != after.get(key)
    ]
