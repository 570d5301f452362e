"""Read-only API of the plans and the measures workflow. The plans are public; the workflow is scoped by role
exactly like the pages: anonymous requests get 403, another county's (or department's) records are simply
not in the queryset (404).
"""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import permissions, viewsets

from targets.models import Plan

from .. import selectors
from ..models import Assignment, ReductionProject, Submission
from .serializers import AssignmentSerializer, PlanSerializer, ReductionProjectSerializer, SubmissionSerializer


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Every action plan with its period, status, targets and the counts of its own measures and assignments
    (public: no login). ``/api/v1/plans/<code>/`` is one plan."""

    serializer_class = PlanSerializer
    permission_classes = (permissions.AllowAny,)
    lookup_field = "code"
    filterset_fields = ("status",)

    def get_queryset(self) -> QuerySet[Plan]:
        return selectors.plans_with_counts()


class AssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AssignmentSerializer
    permission_classes = (permissions.IsAuthenticated,)
    filterset_fields = ("area__code", "measure__code", "department__name")

    def get_queryset(self) -> QuerySet[Assignment]:
        return selectors.visible_assignments(self.request.user).order_by("pk")


class SubmissionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SubmissionSerializer
    permission_classes = (permissions.IsAuthenticated,)
    filterset_fields = ("state", "period", "assignment")

    def get_queryset(self) -> QuerySet[Submission]:
        return selectors.visible_submissions(self.request.user).prefetch_related("evidence").order_by("pk")


class ReductionProjectViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ReductionProjectSerializer
    permission_classes = (permissions.IsAuthenticated,)
    filterset_fields = ("state", "pollutant")

    def get_queryset(self) -> QuerySet[ReductionProject]:
        return selectors.visible_projects(self.request.user).order_by("pk")
