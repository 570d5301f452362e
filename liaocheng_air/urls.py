"""Top-level URL map. Each app owns its pages (``<app>/urls.py``, in the app's namespace: ``progress:home``,
``measures:board``) and its API routes (``<app>/api/urls.py``, gathered in the ``api`` namespace with the
schema: ``api:plan-list``, ``api:schema``). The site's own routes have namespaces too: ``accounts:login``,
``i18n:set-language``. A name is always written with its namespace."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import JavaScriptCatalog, set_language
from drf_spectacular.views import SpectacularSwaggerSplitView

from . import views

i18n_urls = [
    # Exempt from CSRF checks: another site can at most switch a visitor's language, and the switch needs
    # no token on the pages, which can then be kept whole for every visitor (areas/page_cache.py).
    path("i18n/setlang/", csrf_exempt(set_language), name="set-language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="catalog"),
]
api_urls = [
    path("schema/", views.SchemaView.as_view(), name="schema"),
    # The split view serves its start-up script as a file of its own: no inline script (CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("v1/", include("progress.api.urls")),
    path("v1/", include("measures.api.urls")),
    path("v1/", include("monitoring.api.urls")),
]
account_urls = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("landing/", views.after_login, name="landing"),
]

urlpatterns = [
    path("", include((i18n_urls, "i18n"))),
    path("api/", include((api_urls, "api"))),
    path("admin/", admin.site.urls),
    path("accounts/", include((account_urls, "accounts"))),
    path("", include("progress.urls")),
    path("", include("targets.urls")),
    path("measures/", include("measures.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("air/", include("monitoring.public_urls")),
]

admin.site.site_header = _("聊城市空气质量改善行动计划跟踪")
admin.site.site_title = _("聊城空气质量")
