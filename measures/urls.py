from django.urls import path

from . import views

urlpatterns = [
    path("", views.measure_list, name="measure-list"),
]
