from django.apps import AppConfig


class LiaochengAirConfig(AppConfig):
    name = "liaocheng_air"
    verbose_name = "Liaocheng air"

    def ready(self) -> None:
        from areas import page_cache

        from . import tasks

        page_cache.public_data_changed.connect(tasks.public_pages_warm_after_change, dispatch_uid="public-pages-warm")
