from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    """Progress sits at the top of the apps: it reads those below and hears their news through their hooks
    (``monitoring.hooks``, ``measures.hooks``), connected here, so no app below imports it."""

    name = "progress"
    verbose_name = _("目标进展")

    def ready(self) -> None:
        from measures import hooks as measures_hooks
        from monitoring import hooks as monitoring_hooks

        monitoring_hooks.results_changed.connect(_scores_recompute_for_years, dispatch_uid="progress-scores")
        measures_hooks.completion_changed.connect(_pages_refresh, dispatch_uid="progress-pages")
        measures_hooks.plan_loaded.connect(_plan_completed, dispatch_uid="progress-plan-loaded")


def _scores_recompute_for_years(sender: Any, *, years: list[int], **kwargs: Any) -> None:
    """Monitoring's results of these years changed: recompute their scores (a Celery task)."""
    from .tasks import scores_recompute_enqueue

    scores_recompute_enqueue(years=years)


def _pages_refresh(sender: Any, **kwargs: Any) -> None:
    """A review changed the counts the progress pages show: a new version of the public data."""
    from areas import page_cache

    page_cache.data_changed()


def _plan_completed(sender: Any, *, plan: Any, changed: bool, **kwargs: Any) -> None:
    """A plan file was loaded: empty baselines come from the stored figures of their year; when the load
    changed anything, the years of its period that have scores are scored again once it commits (the new
    plan may now govern them)."""
    from django.db import transaction

    from .models import ScoreRun
    from .services import baselines_from_stored_figures
    from .tasks import scores_recompute_enqueue

    baselines_from_stored_figures(plan=plan, user=None, overwrite=False)
    if not changed:
        return
    in_period = ScoreRun.objects.filter(year__gte=plan.start_year, year__lte=plan.end_year)
    years = sorted(set(in_period.values_list("year", flat=True)))
    if years:
        transaction.on_commit(lambda: scores_recompute_enqueue(years=years))
