from rest_framework.routers import SimpleRouter

from .views import StationViewSet

router = SimpleRouter()
router.register("stations", StationViewSet, basename="station")

urlpatterns = router.urls
