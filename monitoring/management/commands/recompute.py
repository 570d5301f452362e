"""`python manage.py recompute [--year Y]`: rebuild the stored daily and period results.

With a Celery worker the work is queued as tasks (stations, areas, periods) and the command returns; in the
embedded default (eager Celery) it runs to the end here.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from monitoring import services, tasks


class Command(BaseCommand):
    help = "Recompute the stored air-quality results (station and area days, months, years)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="only this calendar year (default: every year with data)")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options.get("year")
        if year is not None and not 1980 <= year <= 2100:
            raise CommandError(f"--year {year} is not a plausible year (1980-2100)")
        plan = services.results_recompute(year=year, dispatch=tasks.results_plan_enqueue)
        if plan.empty:
            self.stdout.write("recompute: no observations" + (f" in {year}" if year else "") + "; nothing to do")
            return
        self.stdout.write(
            f"recompute: {len(plan.station_units)} station task(s), {len(plan.area_units)} area task(s), "
            f"{len(plan.period_units)} period task(s) for {', '.join(map(str, plan.years))}"
        )
