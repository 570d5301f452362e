from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("ingest/", views.ingest_upload, name="upload"),
    path("ingest/runs/", views.ingest_run_list, name="run-list"),
    path("ingest/runs/<int:pk>/", views.ingest_run_detail, name="run-detail"),
    path("ingest/runs/<int:pk>/progress/", views.ingest_run_progress, name="run-progress"),
    path("ingest/runs/<int:pk>/rejected.csv", views.ingest_run_rejected_csv, name="run-rejected"),
    path("quality/", views.data_quality, name="quality"),
    path("dust/", views.dust_days, name="dust-days"),
    path("dust-fall/", views.dust_fall, name="dust-fall"),
    path("stations/", views.station_registry, name="stations"),
    path("assessment/", views.assessment_stations, name="assessment-stations"),
    path("assessment/<str:code>/", views.assessment_stations_edit, name="assessment-stations-edit"),
]
