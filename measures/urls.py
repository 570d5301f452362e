from django.urls import path

from . import views, views_supervision

urlpatterns = [
    path("", views.measure_list, name="measure-list"),
    path("public/", views.measures_public, name="measures-public"),
    path("mine/", views.mine, name="measures-mine"),
    path("plans/upload/", views.plan_upload, name="measures-plan-upload"),
    path("board/", views.board, name="measures-board"),
    path("<int:pk>/shares/", views.measure_shares, name="measures-shares"),
    path("assignments/<int:pk>/", views.assignment_detail, name="measures-assignment"),
    path("assignments/<int:pk>/deadline/", views.assignment_deadline, name="measures-assignment-deadline"),
    path("submissions/<int:pk>/", views.submission_detail, name="measures-submission"),
    path("submissions/<int:pk>/<str:transition>/", views.submission_transition, name="measures-submission-transition"),
    path("evidence/<int:pk>/download/", views.evidence_download, name="measures-evidence-download"),
    path("audit/", views.audit_view, name="measures-audit"),
    path("periodic/", views.periodic, name="measures-periodic"),
    path("projects/", views.projects, name="measures-projects"),
    path("projects/<int:pk>/", views.project_detail, name="measures-project"),
    path("projects/<int:pk>/<str:transition>/", views.project_transition, name="measures-project-transition"),
    path("supervision/", views_supervision.supervision_list, name="measures-supervisions"),
    path("supervision/<int:pk>/", views_supervision.supervision_detail, name="measures-supervision"),
    path("supervision/<int:pk>/<str:step>/", views_supervision.supervision_step, name="measures-supervision-step"),
]
