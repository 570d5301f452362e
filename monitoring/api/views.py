"""Station registry API: public, read-only."""

from __future__ import annotations

import django_filters
from rest_framework import permissions, viewsets

from monitoring import selectors
from monitoring.models import Station

from .serializers import StationSerializer


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
