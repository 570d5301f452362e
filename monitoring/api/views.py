"""Station registry API: public, read-only."""

from __future__ import annotations

from typing import Any

import django_filters
from django.utils.translation import gettext as gettext_now
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from areas.models import Area
from areas.page_cache import public_page
from monitoring import formats, selectors, standards
from monitoring.models import Station
from monitoring.statistics import VALUE_COLUMNS

from .serializers import (
    AnnualQuerySerializer,
    AnnualResultSerializer,
    DailyQuerySerializer,
    DailyResultSerializer,
    StationSerializer,
)
from .throttles import ExpensiveQueryThrottle


class StationFilter(django_filters.FilterSet):
    county_code = django_filters.CharFilter(field_name="area__code", help_text="County code, e.g. 371502")
    network = django_filters.ChoiceFilter(choices=Station.Network.choices)

    class Meta:
        model = Station
        fields = ("county_code", "network")


class StationViewSet(viewsets.ReadOnlyModelViewSet):
    """Monitoring stations (code as CNEMC writes it, county, network, location, active period)."""

    serializer_class = StationSerializer
    permission_classes = (permissions.AllowAny,)
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"
    filterset_class = StationFilter

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.station_list()


# --- Computed statistics (docs/interfaces.md §3): stations/{code}, counties/{county_code}, city ---------------

SCOPE_PARAMETER = {
    "station": OpenApiParameter("code", str, OpenApiParameter.PATH, description="Station code, e.g. 1625A"),
    "county": OpenApiParameter("code", str, OpenApiParameter.PATH, description="County code, e.g. 371502"),
}


def _scope_code(scope: str, code: str | None) -> str:
    """The station or area code of the URL; 404 when it is unknown."""
    if scope == "station":
        if not Station.objects.filter(code=code).exists():
            raise NotFound(gettext_now("未登记的站点编码“%(code)s”。") % {"code": code})
        return str(code)
    if scope == "county":
        if not Area.objects.filter(code=code, kind__in=Area.ASSESSMENT_UNIT_KINDS).exists():
            raise NotFound(gettext_now("未知的县（市、区）代码“%(code)s”。") % {"code": code})
        return str(code)
    if not Area.objects.filter(code=selectors.CITY_CODE).exists():
        raise NotFound(gettext_now("尚未载入市级区域。"))
    return selectors.CITY_CODE


class DailyResultsView(APIView):
    """Daily values and AQI per natural day, read from the stored results (no login needed)."""

    permission_classes = (permissions.AllowAny,)
    throttle_classes = (ExpensiveQueryThrottle,)
    scope = "city"

    def get(self, request: Request, code: str | None = None) -> Response:
        key = _scope_code(self.scope, code)
        query = DailyQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, end = query.validated_data["start"], query.validated_data["end"]
        deducted = query.validated_data["dust"] == "deducted"
        dust = selectors.dust_marks(start, end).days_for(selectors.dust_scope(self.scope), key)
        rows = selectors.scope_daily(scope=self.scope, code=key, start=start, end=end)
        items = []
        for row in rows:
            item = {
                **{name: getattr(row, name) for name in DAILY_RESULT_FIELDS},
                "flavour": selectors.FLAVOUR_NAMES[row.flavour],
                "dust_day": row.date in dust,
                "dust_deducted": deducted and row.date in dust,
                "rules": standards.rules_label(row.date, row.date),
            }
            if item["dust_deducted"]:  # the deducted series leaves the particles of a dust day out (aqi-rules §6)
                item |= {"pm10": None, "pm25": None}
            items.append(item)
        return Response(DailyResultSerializer(items, many=True).data)


class AnnualResultsView(APIView):
    """Statistics of a year, or of the year to date while it is in progress (no login needed)."""

    permission_classes = (permissions.AllowAny,)
    throttle_classes = (ExpensiveQueryThrottle,)
    scope = "city"

    def get(self, request: Request, year: int, code: str | None = None) -> Response:
        key = _scope_code(self.scope, code)
        if not formats.FIRST_YEAR <= year <= formats.LAST_YEAR:  # the years an observation can have
            raise NotFound(gettext_now("%(year)d 年没有计算结果（没有该年度的监测数据）。") % {"year": year})
        query = AnnualQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        deducted = query.validated_data["dust"] == "deducted"
        rules = query.validated_data["rules"]
        if rules == "in_force":
            row = selectors.scope_period(scope=self.scope, code=key, year=year, dust_deducted=deducted)
            figures = None
            if row is not None:
                stored = (*ANNUAL_RESULT_FIELDS, "end", "flavour", "composite_limits")
                figures = {name: getattr(row, name) for name in stored}
                figures["rules"] = standards.rules_label(row.start, row.end)
        else:
            figures = selectors.scope_period_under_rules(
                scope=self.scope, code=key, year=year, dust_deducted=deducted, edition=rules
            )
        if figures is None:
            raise NotFound(gettext_now("%(year)d 年没有计算结果（没有该年度的监测数据）。") % {"year": year})
        data = {name: figures[name] for name in (*ANNUAL_RESULT_FIELDS, "rules")}
        data |= {
            "year": year,
            "through": figures["end"],
            "flavour": selectors.FLAVOUR_NAMES[figures["flavour"]],
            "composite_limits": standards.limit_set(figures["composite_limits"]).label,
        }
        return Response(AnnualResultSerializer(data).data)


DAILY_RESULT_FIELDS = ("date", "aqi", "category", "primary_pollutants", "valid", *VALUE_COLUMNS, "edition")
ANNUAL_RESULT_FIELDS = (
    "start",
    "complete",
    "valid_days",
    "good_days",
    "heavy_days",
    "good_day_ratio",
    "heavy_day_ratio",
    "pm25",
    "pm10",
    "so2",
    "no2",
    "co_p95",
    "o3_8h_p90",
    "so2_p98",
    "no2_p98",
    "pm10_p95",
    "pm25_p95",
    "composite_index",
    "edition",
    "dust_deducted",
)


def _scoped_view(base: type[APIView], scope: str, kind: str, response: Any, query: type) -> Any:
    """A subclass of ``base`` for one scope with its own documented ``get`` (one operation per scope)."""

    def get(self: APIView, request: Request, *args: Any, **kwargs: Any) -> Response:
        return base.get(self, request, *args, **kwargs)  # type: ignore[attr-defined, no-any-return]

    documented = extend_schema(
        parameters=[*([SCOPE_PARAMETER[scope]] if scope in SCOPE_PARAMETER else []), query],
        responses={200: response},
        operation_id=f"{scope}_{kind}_results",
        tags=["statistics"],
    )(get)
    view = type(f"{scope.title()}{base.__name__}", (base,), {"scope": scope, "get": documented}).as_view()
    return public_page(negotiated=True)(view)


def daily_view(scope: str) -> Any:
    return _scoped_view(DailyResultsView, scope, "daily", DailyResultSerializer(many=True), DailyQuerySerializer)


def annual_view(scope: str) -> Any:
    return _scoped_view(AnnualResultsView, scope, "annual", AnnualResultSerializer, AnnualQuerySerializer)
