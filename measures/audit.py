"""The unified audit trail for bureau staff: who changed what, when and why.

Reads the django-simple-history tables of assignments, completion forms, evidence, key projects
and measures (this app) and of targets and yearly milestones (the targets app), and turns them
into one list of entries with the changed fields, newest first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Field, Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.exports import Table
from areas.localization import localized
from areas.models import Area
from targets.models import Milestone, Target

from .models import Assignment, Evidence, Measure, ReductionProject, Submission

# Bookkeeping fields that change with every save and say nothing by themselves.
IGNORED_FIELDS = {"updated_at", "version", "returned_snapshot", "approved_snapshot", "created_at", "uploaded_at", "id"}

ACTIONS = {"+": _("创建"), "~": _("修改"), "-": _("删除")}


@dataclass(frozen=True)
class AuditEntry:
    when: datetime
    who: str
    kind: str
    kind_label: str
    object_id: int
    label: str
    area: str
    action: str
    changes: list[str]
    reason: str
    area_code: str = ""


@dataclass(frozen=True)
class AuditFilters:
    kind: str = ""
    user: str = ""
    area: str = ""
    start: date | None = None
    end: date | None = None


def _label_assignment(row: Any, ctx: dict[str, Any]) -> tuple[str, int | None]:
    measure = ctx["measures"].get(row.measure_id)
    return f"{measure.code if measure else row.measure_id}", row.area_id


def _label_submission(row: Any, ctx: dict[str, Any]) -> tuple[str, int | None]:
    measure_id, area_id = ctx["assignments"].get(row.assignment_id, (None, None))
    measure = ctx["measures"].get(measure_id)
    return f"{measure.code if measure else '?'} {row.period}".strip(), area_id


def _label_evidence(row: Any, ctx: dict[str, Any]) -> tuple[str, int | None]:
    if row.submission_id:
        return row.original_name, ctx["submission_areas"].get(row.submission_id)
    return row.original_name, ctx["project_areas"].get(row.project_id)


def _label_project(row: Any, ctx: dict[str, Any]) -> tuple[str, int | None]:
    return row.name, row.area_id


def _label_measure(row: Any, ctx: dict[str, Any]) -> tuple[str, int | None]:
    return f"{row.code} {localized(row, 'title')}", None


def _label_target(row: Any, ctx: dict[str, Any]) -> tuple[str, int | None]:
    return f"{ctx['indicators'].get(row.indicator_id, row.indicator_id)} {row.target_year}", row.area_id


def _label_milestone(row: Any, ctx: dict[str, Any]) -> tuple[str, int | None]:
    label, area_id = ctx["targets"].get(row.target_id, (str(row.target_id), None))
    return f"{label} · {row.year}", area_id


Labeller = Callable[[Any, dict[str, Any]], tuple[str, int | None]]

SOURCES: dict[str, tuple[type[Model], Any, Labeller]] = {
    "assignment": (Assignment, _("任务分解"), _label_assignment),
    "submission": (Submission, _("完成情况填报"), _label_submission),
    "evidence": (Evidence, _("佐证材料"), _label_evidence),
    "project": (ReductionProject, _("重点减排工程"), _label_project),
    "measure": (Measure, _("任务措施"), _label_measure),
    "target": (Target, _("目标"), _label_target),
    "milestone": (Milestone, _("年度目标"), _label_milestone),
}


def _context() -> dict[str, Any]:
    from targets.models import Indicator

    indicators = {i.pk: i.localized_name for i in Indicator.objects.only("id", "name", "name_en")}
    return {
        "measures": {m.pk: m for m in Measure.objects.only("id", "code")},
        "assignments": {
            a["id"]: (a["measure_id"], a["area_id"]) for a in Assignment.objects.values("id", "measure_id", "area_id")
        },
        "submission_areas": dict(Submission.objects.values_list("id", "assignment__area_id")),
        "project_areas": dict(ReductionProject.objects.values_list("id", "area_id")),
        "indicators": indicators,
        "targets": {
            t["id"]: (f"{indicators.get(t['indicator_id'], t['indicator_id'])} {t['target_year']}", t["area_id"])
            for t in Target.objects.values("id", "indicator_id", "target_year", "area_id")
        },
        "areas": {a.pk: a for a in Area.objects.all()},
        "related": {},  # (model label, pk) -> what a changed reference shows, read once
    }


def _shown(field: Field[Any, Any], value: Any, ctx: dict[str, Any]) -> str:
    """A changed value as a reader knows it: a choice's label, a referenced object's name (a user's full
    name or login), a time in China time, yes / no; never a bare id or code."""
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation and field.related_model is not None:
        return _related_name(field.related_model, value, ctx)
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    return str(value)


def _related_name(model: Any, pk: Any, ctx: dict[str, Any]) -> str:
    key = (model._meta.label, pk)
    if key not in ctx["related"]:
        related = model._default_manager.filter(pk=pk).first()
        if related is None:
            ctx["related"][key] = f"#{pk}"
        elif hasattr(related, "get_username"):
            ctx["related"][key] = related.get_full_name() or related.get_username()
        elif hasattr(related, "localized_name"):
            ctx["related"][key] = related.localized_name
        else:
            ctx["related"][key] = str(related)
    return str(ctx["related"][key])


def _history_rows(kind: str, filters: AuditFilters) -> QuerySet[Any]:
    """A source's history rows with the filters SQL can apply (who, China-time day range)."""
    history = SOURCES[kind][0].history.model  # type: ignore[attr-defined]
    rows = history.objects.select_related("history_user")
    if filters.user:
        rows = rows.filter(history_user__username=filters.user)
    if filters.start:
        rows = rows.filter(history_date__gte=timezone.make_aware(datetime.combine(filters.start, time(0))))
    if filters.end:
        rows = rows.filter(
            history_date__lt=timezone.make_aware(datetime.combine(filters.end + timedelta(days=1), time(0)))
        )
    return rows


def _entry(kind: str, row: Any, before: Any, ctx: dict[str, Any]) -> AuditEntry:
    model, kind_label, labeller = SOURCES[kind]
    label, area_id = labeller(row, ctx)
    area = ctx["areas"].get(area_id)
    changes = []
    if before is not None:
        for field in model._meta.concrete_fields:
            if field.attname in IGNORED_FIELDS or field.name in IGNORED_FIELDS:
                continue
            old, new = getattr(before, field.attname), getattr(row, field.attname)
            if old != new:
                changes.append(f"{field.verbose_name}: {_shown(field, old, ctx)} → {_shown(field, new, ctx)}")
    return AuditEntry(
        when=row.history_date,
        who=row.history_user.get_username() if row.history_user else "",
        kind=kind,
        kind_label=str(kind_label),
        object_id=row.id,
        label=label,
        area=area.localized_name if area else "",
        action=str(ACTIONS.get(row.history_type, row.history_type)),
        changes=changes,
        reason=row.history_change_reason or "",
        area_code=area.code if area else "",
    )


def _previous_rows(kind: str, rows: list[Any]) -> dict[int, Any]:
    """history_id -> the record's history row before it (one query for all the rows given)."""
    if not rows:
        return {}
    history = SOURCES[kind][0].history.model  # type: ignore[attr-defined]
    wanted = {row.history_id for row in rows}
    last: dict[int, Any] = {}
    before: dict[int, Any] = {}
    earlier = history.objects.filter(id__in={row.id for row in rows}, history_id__lte=max(wanted))
    for row in earlier.order_by("id", "history_date", "history_id"):
        if row.history_id in wanted:
            before[row.history_id] = last.get(row.id)
        last[row.id] = row
    return before


def _kinds(filters: AuditFilters) -> list[str]:
    return [filters.kind] if filters.kind in SOURCES else list(SOURCES)


def _newest_first(entry_or_row: Any) -> tuple[datetime, int]:
    return (entry_or_row.history_date, entry_or_row.history_id)


class AuditPages:
    """The audit entries newest first, read a page at a time (a ``Paginator`` asks for the count and one
    slice): each source's newest rows up to the page's end, merged, with only their predecessors read for the
    changes. With an area filter (an entry's area comes from its record) every row is read, as before."""

    def __init__(self, filters: AuditFilters) -> None:
        self.filters = filters
        self._ctx: dict[str, Any] | None = None
        self._all: list[AuditEntry] | None = None

    @property
    def ctx(self) -> dict[str, Any]:
        if self._ctx is None:
            self._ctx = _context()
        return self._ctx

    def _every_entry(self) -> list[AuditEntry]:
        if self._all is None:
            self._all = audit_entries(self.filters)
        return self._all

    def count(self) -> int:
        if self.filters.area:
            return len(self._every_entry())
        return sum(_history_rows(kind, self.filters).count() for kind in _kinds(self.filters))

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[AuditEntry]:
        if self.filters.area:
            return self._every_entry()[index]
        stop = index.stop or 0
        newest: list[tuple[str, Any]] = []
        for kind in _kinds(self.filters):
            newest += [
                (kind, row) for row in _history_rows(kind, self.filters).order_by("-history_date", "-history_id")[:stop]
            ]
        newest.sort(key=lambda item: _newest_first(item[1]), reverse=True)
        shown = newest[index]
        entries = []
        for kind in _kinds(self.filters):
            own = [row for k, row in shown if k == kind]
            before = _previous_rows(kind, own)
            entries += [_entry(kind, row, before.get(row.history_id), self.ctx) for row in own]
        entries.sort(key=lambda e: e.when, reverse=True)
        return entries


def audit_entries(filters: AuditFilters) -> list[AuditEntry]:
    """Every audit entry, newest first, filtered (the exports; the page reads ``AuditPages``)."""
    ctx = _context()
    entries: list[AuditEntry] = []
    for kind in _kinds(filters):
        previous: dict[int, Any] = {}
        for row in _history_rows(kind, filters).order_by("id", "history_date", "history_id"):
            before = previous.get(row.id)
            previous[row.id] = row
            entry = _entry(kind, row, before, ctx)
            if filters.area and entry.area_code != filters.area:
                continue
            entries.append(entry)
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


EXPORT_HEADER = [_("时间"), _("操作人"), _("对象类型"), _("对象"), _("区域"), _("操作"), _("改动"), _("理由")]


def _export_rows(entries: list[AuditEntry]) -> Iterable[list[str]]:
    for e in entries:
        yield [
            timezone.localtime(e.when).strftime("%Y-%m-%d %H:%M:%S"),
            e.who,
            e.kind_label,
            e.label,
            e.area,
            e.action,
            "；".join(e.changes),
            e.reason,
        ]


def audit_table(entries: list[AuditEntry]) -> Table:
    """The audit entries as a table to download (areas.exports)."""
    return Table(
        header=[str(h) for h in EXPORT_HEADER], rows=list(_export_rows(entries)), sheet_name=str(_("审计记录"))
    )
