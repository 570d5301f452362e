from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import StationViewSet, annual_view, daily_view

router = SimpleRouter()
router.register("stations", StationViewSet, basename="station")

# Computed statistics (docs/interfaces.md §3): stations/{code}, counties/{county_code}, city.
statistics_urls = [
    path("stations/<str:code>/daily/", daily_view("station"), name="station-daily"),
    path("stations/<str:code>/annual/<int:year>/", annual_view("station"), name="station-annual"),
    path("counties/<str:code>/daily/", daily_view("county"), name="county-daily"),
    path("counties/<str:code>/annual/<int:year>/", annual_view("county"), name="county-annual"),
    path("city/daily/", daily_view("city"), name="city-daily"),
    path("city/annual/<int:year>/", annual_view("city"), name="city-annual"),
]

urlpatterns = [*statistics_urls, *router.urls]
