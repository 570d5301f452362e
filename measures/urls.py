from django.urls import path

from . import views, views_supervision

app_name = "measures"

urlpatterns = [
    path("", views.measure_list, name="list"),
    path("public/", views.measures_public, name="public"),
    path("mine/", views.mine, name="mine"),
    path("plans/upload/", views.plan_upload, name="plan-upload"),
    path("board/", views.board, name="board"),
    path("<int:pk>/shares/", views.measure_shares, name="shares"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path("assignments/<int:pk>/deadline/", views.assignment_deadline, name="assignment-deadline"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission"),
    path("submissions/<int:pk>/<str:transition>/", views.submission_transition, name="submission-transition"),
    path("evidence/<int:pk>/download/", views.evidence_download, name="evidence-download"),
    path("audit/", views.audit_view, name="audit"),
    path("periodic/", views.periodic, name="periodic"),
    path("projects/", views.projects, name="projects"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
    path("projects/<int:pk>/<str:transition>/", views.project_transition, name="project-transition"),
    path("supervision/", views_supervision.supervision_list, name="supervisions"),
    path("supervision/<int:pk>/", views_supervision.supervision_detail, name="supervision"),
    path("supervision/<int:pk>/<str:step>/", views_supervision.supervision_step, name="supervision-step"),
]
