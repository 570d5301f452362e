from django.urls import path

from . import views_public

app_name = "air"

urlpatterns = [
    path("", views_public.latest_air, name="latest"),
    path("latest.<str:fmt>", views_public.latest_air, name="latest-export"),
]
