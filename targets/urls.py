from django.urls import path

from . import views

urlpatterns = [
    path("targets/", views.target_list, name="target-list"),
    path("targets/counties/", views.county_targets_create, name="county-targets-create"),
    path("targets/<int:pk>/", views.target_edit, name="target-edit"),
]
