"""Read-only API shapes of the measures workflow (writes go through the pages and services)."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from rest_framework import serializers

from targets.models import Plan, Target

from ..models import Assignment, Evidence, ReductionProject, Submission
from ..services import plain_number


class PlanTargetSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.code")
    area = serializers.CharField(source="area.code")
    value = serializers.SerializerMethodField()

    class Meta:
        model = Target
        fields = ("indicator", "area", "target_year", "value")

    def get_value(self, target: Target) -> str:
        return plain_number(Decimal(target.value)) or ""


class PlanSerializer(serializers.ModelSerializer):
    measures = serializers.IntegerField(source="measure_count", read_only=True, help_text="the plan's own measures")
    assignments = serializers.IntegerField(
        source="assignment_count", read_only=True, help_text="assignments of the plan's measures"
    )
    targets = PlanTargetSerializer(many=True, read_only=True)

    class Meta:
        model = Plan
        fields = ("code", "name", "name_en", "start_year", "end_year", "status", "measures", "assignments", "targets")


class AssignmentSerializer(serializers.ModelSerializer):
    measure_code = serializers.CharField(source="measure.code")
    measure_title = serializers.CharField(source="measure.title")
    area_code = serializers.CharField(source="area.code")
    department = serializers.SlugRelatedField(
        slug_field="name", read_only=True, help_text="the department that reports it city-wide; null: the area does"
    )
    unit = serializers.CharField(source="measure.unit")
    target_basis = serializers.CharField(
        source="measure.target_basis",
        help_text="each_area | city_total | city_rate | city_statistic: why target_quantity may be null",
    )

    class Meta:
        model = Assignment
        fields = (
            "id",
            "measure_code",
            "measure_title",
            "area_code",
            "department",
            "deadline",
            "deadline_reason",
            "target_quantity",
            "unit",
            "target_basis",
        )


class EvidenceSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ("id", "original_name", "content_type", "size", "sha256", "uploaded_at", "download_url")

    def get_download_url(self, obj: Evidence) -> str:
        """The permission-checked download view: the same role rule as this API."""
        return reverse("measures:evidence-download", args=[obj.pk])


class SubmissionSerializer(serializers.ModelSerializer):
    assignment = serializers.PrimaryKeyRelatedField(read_only=True)
    area_code = serializers.CharField(source="assignment.area.code")
    department = serializers.SlugRelatedField(
        source="assignment.department",
        slug_field="name",
        read_only=True,
        help_text="the reporting department of its assignment; null: the area reports",
    )
    measure_code = serializers.CharField(source="assignment.measure.code")
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Submission
        fields = (
            "id",
            "assignment",
            "area_code",
            "department",
            "measure_code",
            "period",
            "state",
            "version",
            "work_status",
            "progress_value",
            "narrative",
            "completed_on",
            "return_reason",
            "submitted_at",
            "reviewed_at",
            "evidence",
        )


class ReductionProjectSerializer(serializers.ModelSerializer):
    area_code = serializers.CharField(source="area.code")
    plan_code = serializers.CharField(source="plan.code")

    class Meta:
        model = ReductionProject
        fields = (
            "id",
            "area_code",
            "name",
            "enterprise",
            "pollutant",
            "expected_tonnes",
            "planned_completion",
            "verified_tonnes",
            "verified_on",
            "effective_on",
            "plan_code",
            "state",
        )
