from django.urls import path

from areas.page_cache import public_page

from .views import ProgressView

urlpatterns = [
    path("progress/", public_page(negotiated=True)(ProgressView.as_view()), name="progress"),
]
