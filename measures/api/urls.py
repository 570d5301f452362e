from rest_framework.routers import SimpleRouter

from .views import AssignmentViewSet, PlanViewSet, ReductionProjectViewSet, SubmissionViewSet

router = SimpleRouter()
router.register("plans", PlanViewSet, basename="api-plan")
router.register("assignments", AssignmentViewSet, basename="api-assignment")
router.register("submissions", SubmissionViewSet, basename="api-submission")
router.register("reduction-projects", ReductionProjectViewSet, basename="api-reduction-project")

urlpatterns = router.urls
