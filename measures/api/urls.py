from rest_framework.routers import SimpleRouter

from .views import AssignmentViewSet, ReductionProjectViewSet, SubmissionViewSet

router = SimpleRouter()
router.register("assignments", AssignmentViewSet, basename="api-assignment")
router.register("submissions", SubmissionViewSet, basename="api-submission")
router.register("reduction-projects", ReductionProjectViewSet, basename="api-reduction-project")

urlpatterns = router.urls
