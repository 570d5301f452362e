from django.urls import path

from . import views

app_name = "progress"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("plan/", views.plan_overview, name="plan"),
    path("methodology/", views.methodology, name="methodology"),
    path("attainment/", views.attainment, name="attainment"),
    path("plans/<slug:code>/close/", views.plan_close, name="plan-close"),
    path("counties/<str:code>/", views.county_detail, name="county"),
    path(
        "targets/<int:pk>/baseline-from-figures/",
        views.target_baseline_from_figures,
        name="target-baseline-from-figures",
    ),
    path("progress/publications/", views.publications, name="publications"),
    path("progress/documents/", views.documents, name="documents"),
    path("progress/documents/<int:pk>/publish/", views.document_publish, name="document-publish"),
    path("documents/", views.documents_public, name="documents-public"),
    path("documents/<int:pk>.<str:fmt>", views.document_download, name="document-download"),
    path("progress/runs/<int:pk>/publish/", views.score_run_publish, name="score-run-publish"),
    path("progress/export.<str:fmt>", views.progress_export, name="export"),
    path("progress/ranking.<str:fmt>", views.ranking_export, name="ranking-export"),
]
