"""Reads of the plan's measures."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from targets.models import Chapter, Plan

from .models import Measure


@dataclass(frozen=True)
class ChapterCount:
    chapter: Chapter
    measures: int


def measure_counts_by_chapter(plan: Plan) -> list[ChapterCount]:
    chapters = plan.chapters.annotate(measure_count=Count("sections__measures")).order_by("number")
    return [ChapterCount(chapter=c, measures=c.measure_count) for c in chapters]


def plan_measures(plan: Plan) -> QuerySet[Measure]:
    return (
        Measure.objects.filter(section__chapter__plan=plan)
        .select_related("section__chapter")
        .prefetch_related("departments", Prefetch("areas"))
        .order_by("section__chapter__number", "section__number", "sort_order", "code")
    )
