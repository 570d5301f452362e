from django.apps import AppConfig


class LiaochengAirConfig(AppConfig):
    name = "liaocheng_air"
    verbose_name = "Liaocheng air"

    def ready(self) -> None:
        from areas import exports, page_cache

        from . import tasks
        from .demo_mark import demo_export_mark

        page_cache.public_data_changed.connect(tasks.public_pages_warm_after_change, dispatch_uid="public-pages-warm")
        exports.title_mark_register(demo_export_mark)
