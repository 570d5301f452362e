from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "areas"
    verbose_name = _("区域与人员")

    def ready(self) -> None:
        from . import page_cache

        page_cache.connect_model_signals()
