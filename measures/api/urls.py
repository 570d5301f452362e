from rest_framework.routers import SimpleRouter

from .views import AssignmentViewSet, PlanViewSet, ReductionProjectViewSet, SubmissionViewSet

router = SimpleRouter()
router.register("plans", PlanViewSet, basename="plan")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("submissions", SubmissionViewSet, basename="submission")
router.register("reduction-projects", ReductionProjectViewSet, basename="reduction-project")

urlpatterns = router.urls
