from django.urls import path

from . import views_public

urlpatterns = [
    path("", views_public.latest_air, name="latest-air"),
    path("latest.<str:fmt>", views_public.latest_air, name="latest-air-export"),
]
