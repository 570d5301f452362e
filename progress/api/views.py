"""The progress API (docs/interfaces.md §4): reads stored runs only."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from areas import selectors as area_selectors
from progress import selectors
from targets import selectors as plan_selectors

from . import serializers


class ProgressView(APIView):
    """Progress against the plan for the city and each county."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="progress",
        summary="Progress against the plan (year to date)",
        description=(
            "For the city and each county, for each target that applies: actual year to date, the yearly "
            "milestone (or target), the same period last year, the status and the remaining allowance. "
            "Figures are strings exactly as the pages show them. The public sees published figures; bureau "
            "staff see the latest computation; a county official sees the latest for their own county. "
            "Formulas and thresholds: /methodology/."
        ),
        parameters=[
            OpenApiParameter(
                "year",
                OpenApiTypes.INT,
                description="Calendar year; default: the latest with figures (of the plan, when given).",
            ),
            OpenApiParameter(
                "plan",
                OpenApiTypes.STR,
                description="A plan's code. Default: the plan governing the year. A year that plan does not "
                "govern answers 404.",
            ),
        ],
        responses={200: serializers.ProgressSerializer},
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("year")
        year: int | None = None
        if raw:
            try:
                year = int(raw)
            except ValueError:
                return Response({"year": [f"“{raw}” is not a year (use YYYY, e.g. 2025)."]}, status=400)
        plan_code = request.query_params.get("plan")
        plan = plan_selectors.plan_by_code(plan_code) if plan_code else None
        if plan_code and plan is None:
            return Response({"plan": [f"No plan has the code “{plan_code}”."]}, status=400)
        areas = area_selectors.ranked_areas()
        visible = selectors.visible_runs(request.user, year=year, areas=areas, plan=plan)
        if visible is None:
            raise Http404(f"No progress figures for {year}.")
        shown_run = visible.shown
        if plan is not None and shown_run.plan_id != plan.pk:
            governing = shown_run.plan.code if shown_run.plan else "no plan"
            raise Http404(f"{year} is not measured against {plan.code} (it is measured against {governing}).")
        indicators = plan_selectors.indicators_by_code()
        shown = selectors.visible_progress(visible, areas)
        groups_by_run = {progress.run.pk: selectors.group_rankings(progress.run) for progress, _entry in shown}
        areas_out = [
            {
                "code": progress.area.code,
                "name": progress.area.name,
                "name_en": progress.area.name_en,
                "kind": progress.area.kind,
                "indicators": [
                    serializers.indicator_progress(indicators[row.indicator.code], row.snapshot)
                    for row in progress.rows
                ],
                "ranking": serializers.ranking_entry(entry),
                "group_rankings": [
                    serializers.group_ranking_entry(place.entry, ranked=place.ranked)
                    for place in groups_by_run[progress.run.pk].get(progress.area.pk, [])
                ],
            }
            for progress, entry in shown
        ]
        data = {
            "year": shown_run.year,
            "plan": shown_run.plan,
            "as_of": shown_run.as_of,
            "flavour": shown_run.flavour,
            "dust_deducted": shown_run.dust_deducted,
            "edition": shown_run.rules,
            "composite_limits": shown_run.composite_limits_name,
            "last_year_restated": shown_run.last_year_restated,
            "computed_at": shown_run.computed_at,
            "data_updated_at": shown_run.data_updated_at,
            "published": shown_run.published_at is not None,
            "areas": areas_out,
        }
        return Response(serializers.ProgressSerializer(data).data)
