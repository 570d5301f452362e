from django.urls import path

from . import views

app_name = "targets"

urlpatterns = [
    path("targets/", views.target_list, name="list"),
    path("targets/counties/", views.county_targets_create, name="county-create"),
    path("targets/<int:pk>/", views.target_edit, name="edit"),
]
