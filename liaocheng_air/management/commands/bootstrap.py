"""`python manage.py bootstrap [--demo]`: load the areas, the plan, county targets, assignments and the
national stations; with --demo also demo users, synthetic monitoring data, demo completion forms and the
progress figures computed from them.

Idempotent: running it again changes nothing, and never overwrites what staff have edited (baselines,
custom milestones, refined deadlines).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from areas.services import areas_load
from measures.plan_loader import plan_load
from monitoring.services import stations_load_national
from progress import services as progress_services
from progress.models import ScoreRun
from targets import demo
from targets.models import Indicator, Target
from targets.selectors import current_plan


class Command(BaseCommand):
    help = "Load the areas and the action plan; with --demo also demo users and synthetic monitoring data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo", action="store_true", help="also load demo users and synthetic data")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"areas and ranking groups: {areas_load()} created or updated")
        self.stdout.write(plan_load().summary())
        plan = current_plan()
        if plan is None:
            raise CommandError("The plan fixture did not load a plan; see fixtures/plan.json.")
        stations = stations_load_national()
        self.stdout.write(f"stations: {stations.created} created, {stations.updated} updated")
        if options["demo"]:
            self._load_demo()

    def _load_demo(self) -> None:
        """Demo users, synthetic hours through the real pipeline, baselines from the 2020 figures,
        demo completion forms, progress figures, the demo banner, and the logins."""
        from measures.demo import DEMO_DEPARTMENT_LOGIN, demo_department_load
        from measures.demo import load_demo as measures_demo_load
        from monitoring.demo import demo_monitoring_load

        users = demo.demo_users_load()
        started = time.monotonic()
        monitoring = demo_monitoring_load(progress=lambda line: self.stdout.write(f"  {line}"))
        self.stdout.write(
            f"demo monitoring: {monitoring.stations_created} stations created, {len(monitoring.files)} file(s) "
            f"ingested ({monitoring.values_stored} values) in {time.monotonic() - started:.0f} s"
        )
        baselines = 0
        missing_baselines = Target.objects.filter(
            indicator__source=Indicator.Source.MONITORING, baseline_value__isnull=True
        ).select_related("indicator", "area", "plan")
        not_taken: list[str] = []
        for target in missing_baselines:
            # A demo whose hours do not cover the baseline year (a shortened demo) leaves those baselines
            # empty, as a real deployment would, instead of stopping half-way through the demo.
            try:
                progress_services.target_baseline_from_figures(target=target, user=users[demo.DEMO_BUREAU_USERNAME])
            except ValidationError as error:
                not_taken.append("；".join(error.messages))
            else:
                baselines += 1
        self.stdout.write(f"baselines taken from the baseline-year figures: {baselines}")
        if not_taken:
            self.stdout.write(f"baselines left empty: {len(not_taken)} (e.g. {not_taken[0]})")
        officials = {login.area_code: users[login.username] for login in demo.DEMO_LOGINS if login.area_code}
        created = measures_demo_load(officials=officials, reviewer=users[demo.DEMO_BUREAU_USERNAME])
        created += demo_department_load(reviewer=users[demo.DEMO_BUREAU_USERNAME])
        self.stdout.write(f"demo completion forms and projects: {created} created")
        if monitoring.values_stored or baselines or created or not ScoreRun.objects.exists():
            runs = progress_services.scores_recompute()
            self.stdout.write(f"progress figures computed for {len(runs)} year(s)")
        demo.demo_dataset_mark("演示数据：合成的小时监测数据（monitoring.synthetic）、演示站点、演示填报记录和演示用户")
        self.stdout.write("demo logins (username / password):")
        for login in (*demo.DEMO_LOGINS, DEMO_DEPARTMENT_LOGIN):
            self.stdout.write(f"  {login.username} / {login.password}  ({login.role})")
