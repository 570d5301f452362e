"""The outcome of every assignment a plan leaves unfinished when it closes (收官; docs/plans.md).

The bureau chooses one outcome for each: carried over (结转) to a named measure of the successor plan,
where the same area gets (or keeps) an assignment that links back; completed late; or not completed, with
a reason. ``progress.closeout.plan_close`` calls this inside the one transaction that closes the plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from areas.history import history_stamp
from areas.limits import REASON_MAX_CHARS
from areas.models import Area
from targets.models import Plan

from .models import Assignment, Measure, Outcome
from .selectors import assignment_rows
from .services import User


@dataclass(frozen=True)
class OutcomeChoice:
    """The bureau's outcome for one unfinished assignment, named by measure code and area code (and, for a
    department's city-wide report, the department's name)."""

    measure: str
    area: str
    outcome: str
    carried_to: str = ""
    """For a carry-over: the code of the successor plan's measure that takes the work on."""
    reason: str = ""
    place: str = ""
    """Where the choice came from, for error messages (a CSV line, a form row); default: measure · area."""
    department: str = ""

    @property
    def key(self) -> AssignmentKey:
        return (self.measure.strip(), self.area.strip(), self.department.strip())


# An assignment by measure code, area code and reporting department name ("" when the area reports).
AssignmentKey = tuple[str, str, str]


def assignment_key(assignment: Assignment) -> AssignmentKey:
    department = assignment.department.name if assignment.department_id else ""  # type: ignore[union-attr]
    return (assignment.measure.code, assignment.area.code, department)


def _place(key: AssignmentKey) -> str:
    return " · ".join(part for part in key if part)


def unfinished_assignments(plan: Plan) -> list[Assignment]:
    """The plan's assignments without an approved completion form, in board order."""
    rows = assignment_rows(
        Assignment.objects.filter(measure__plan=plan).select_related("measure", "area", "department")
    )
    return [row.assignment for row in rows if not row.is_done]


def outcomes_record(
    *, plan: Plan, choices: Sequence[OutcomeChoice], successor: Plan | None, user: User | None, reason: str
) -> list[Assignment]:
    """Record an outcome for every unfinished assignment of ``plan``; refuse all of them, with every error's
    place, if any choice is wrong or any unfinished assignment has none. Runs in the caller's transaction."""
    unfinished = {assignment_key(a): a for a in unfinished_assignments(plan)}
    done = {
        (measure, area, department or "")
        for measure, area, department in Assignment.objects.filter(measure__plan=plan).values_list(
            "measure__code", "area__code", "department__name"
        )
    }
    successor_measures = (
        {m.code: m for m in Measure.objects.filter(plan=successor).select_related("plan")} if successor else {}
    )
    areas = {a.code: a for a in Area.objects.all()}
    errors: list[str] = []
    chosen: dict[AssignmentKey, OutcomeChoice] = {}
    for choice in choices:
        key = choice.key
        place = choice.place or _place(key)
        if key in chosen:
            errors.append(gettext_now("%(place)s：同一任务有两个收官结论。") % {"place": place})
            continue
        if key not in unfinished:
            if key in done:
                why = gettext_now("该任务已审核通过，不需要收官结论。")
            elif key[1] not in areas:
                why = gettext_now("没有代码为 %(code)s 的区域。") % {"code": key[1]}
            else:
                why = gettext_now("本规划没有该措施在该区域的任务。")
            errors.append(f"{place}：{why}")
            continue
        chosen[key] = choice
        if choice.outcome not in Outcome.values:
            errors.append(
                gettext_now("%(place)s：收官结论“%(value)s”无效，应为 %(allowed)s。")
                % {"place": place, "value": choice.outcome, "allowed": "、".join(Outcome.values)}
            )
        elif choice.outcome == Outcome.CARRIED_OVER:
            if successor is None:
                errors.append(gettext_now("%(place)s：结转须指定后续规划。") % {"place": place})
            elif choice.carried_to.strip() not in successor_measures:
                errors.append(
                    gettext_now("%(place)s：后续规划 %(plan)s 中没有代码为“%(code)s”的措施。")
                    % {"place": place, "plan": successor.code, "code": choice.carried_to.strip()}
                )
        elif choice.outcome == Outcome.NOT_COMPLETED and not choice.reason.strip():
            errors.append(gettext_now("%(place)s：未完成的任务必须说明原因。") % {"place": place})
        if len(choice.reason.strip()) > REASON_MAX_CHARS:
            errors.append(
                gettext_now("%(place)s：说明不能超过 %(limit)s 个字（现有 %(length)s 个字）。")
                % {"place": place, "limit": REASON_MAX_CHARS, "length": len(choice.reason.strip())}
            )
    for key in unfinished.keys() - chosen.keys():
        errors.append(gettext_now("%(place)s：未完成的任务缺少收官结论。") % {"place": _place(key)})
    if errors:
        raise ValidationError(errors)

    carried = [c for c in chosen.values() if c.outcome == Outcome.CARRIED_OVER]
    targets = _successor_assignments(carried, unfinished, successor_measures, reason)
    taken = dict(
        Assignment.objects.filter(carried_over_to__in=[t.pk for t in targets.values()]).values_list(
            "carried_over_to", "pk"
        )
    )
    for key, target in targets.items():
        if taken.setdefault(target.pk, unfinished[key].pk) != unfinished[key].pk:
            place = chosen[key].place or _place(key)
            errors.append(
                gettext_now("%(place)s：后续规划的任务 %(target)s 已由其他任务结转而来。")
                % {"place": place, "target": str(target)}
            )
    if errors:
        raise ValidationError(errors)
    # Every choice was checked above (outcome, reason, one successor assignment per carry-over): one update.
    recorded = []
    for key, choice in chosen.items():
        assignment = unfinished[key]
        assignment.outcome = choice.outcome
        assignment.outcome_reason = choice.reason.strip()
        assignment.carried_over_to = targets.get(key)
        history_stamp(assignment, user, gettext_noop("规划收官：%(reason)s") % {"reason": reason})
        recorded.append(assignment)
    bulk_update_with_history(recorded, Assignment, ["outcome", "outcome_reason", "carried_over_to"])
    return recorded


def _successor_assignments(
    carried: list[OutcomeChoice],
    unfinished: dict[AssignmentKey, Assignment],
    successor_measures: dict[str, Measure],
    reason: str,
) -> dict[AssignmentKey, Assignment]:
    """The successor's assignment for each carried-over one: the same area's (and department's), created
    when missing."""
    wanted = {c.key: successor_measures[c.carried_to.strip()] for c in carried}

    def successors() -> dict[tuple[int, int, int | None], Assignment]:
        held = Assignment.objects.filter(measure__in={m.pk for m in wanted.values()}).select_related("measure")
        return {(a.measure_id, a.area_id, a.department_id): a for a in held}

    def successor_key(key: AssignmentKey, measure: Measure) -> tuple[int, int, int | None]:
        return (measure.pk, unfinished[key].area_id, unfinished[key].department_id)

    existing = successors()
    new = [
        measure.new_assignment(unfinished[key].area, unfinished[key].department)
        for key, measure in wanted.items()
        if successor_key(key, measure) not in existing
    ]
    if new:
        bulk_create_with_history(
            new, Assignment, default_change_reason=gettext_noop("由上一规划结转：%(reason)s") % {"reason": reason}
        )
        existing = successors()
    return {key: existing[successor_key(key, measure)] for key, measure in wanted.items()}
