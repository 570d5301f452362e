"""Closing a plan (收官): one service for the command `plan_close` and the staff page.

In one transaction: the plan is marked closed with the reason (targets), every assignment it leaves
unfinished gets the outcome the bureau chose (measures), and the published figures of its years become
its figures of record (progress). Any error refuses the whole close-out and stores nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as gettext_now

from measures.models import Assignment
from measures.services_closeout import OutcomeChoice, outcomes_record
from targets.models import Plan
from targets.services import plan_mark_closed

from .models import ScoreRun
from .services import baselines_from_stored_figures, figures_of_record_fix


@dataclass(frozen=True)
class ClosedPlan:
    plan: Plan
    outcomes: list[Assignment]
    figures_of_record: list[ScoreRun]
    successor_baselines: int
    """How many of the successor's baselines were set from the figures of record."""


@transaction.atomic
def plan_close(
    *,
    plan: Plan,
    reason: str,
    choices: Sequence[OutcomeChoice],
    successor: Plan | None,
    user: AbstractBaseUser | None,
) -> ClosedPlan:
    if successor is not None and successor.start_year <= plan.start_year:
        raise ValidationError(
            gettext_now("后续规划 %(successor)s 须在 %(plan)s 之后开始。")
            % {"successor": successor.code, "plan": plan.code}
        )
    closed = plan_mark_closed(plan=plan, user=user, reason=reason)
    outcomes = outcomes_record(plan=closed, choices=choices, successor=successor, user=user, reason=closed.close_reason)
    record = figures_of_record_fix(closed)
    # The successor starts from the predecessor's final year: its baselines are that year's figures of record.
    baselines = 0
    if successor is not None:
        baselines = baselines_from_stored_figures(plan=successor, user=user, overwrite=True)
    return ClosedPlan(plan=closed, outcomes=outcomes, figures_of_record=record, successor_baselines=baselines)
