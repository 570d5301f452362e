from django.urls import path

from . import views

urlpatterns = [
    path("ingest/", views.ingest_upload, name="monitoring-upload"),
    path("ingest/runs/", views.ingest_run_list, name="monitoring-run-list"),
    path("ingest/runs/<int:pk>/", views.ingest_run_detail, name="monitoring-run-detail"),
    path("ingest/runs/<int:pk>/progress/", views.ingest_run_progress, name="monitoring-run-progress"),
    path("ingest/runs/<int:pk>/rejected.csv", views.ingest_run_rejected_csv, name="monitoring-run-rejected"),
    path("quality/", views.data_quality, name="monitoring-quality"),
    path("dust/", views.dust_days, name="monitoring-dust-days"),
    path("dust-fall/", views.dust_fall, name="monitoring-dust-fall"),
    path("assessment/", views.assessment_stations, name="monitoring-assessment-stations"),
    path("assessment/<str:code>/", views.assessment_stations_edit, name="monitoring-assessment-stations-edit"),
]
