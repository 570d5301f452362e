from __future__ import annotations

from rest_framework import serializers

from monitoring.models import Station


class StationSerializer(serializers.ModelSerializer):
    county_code = serializers.CharField(source="area.code", read_only=True)
    county_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = Station
        fields = (
            "code",
            "name",
            "county_code",
            "county_name",
            "network",
            "latitude",
            "longitude",
            "active_from",
            "active_until",
        )
        read_only_fields = fields
