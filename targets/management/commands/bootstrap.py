"""`python manage.py bootstrap [--demo]`: load areas and the plan; with --demo, demo users and data.

Idempotent: running it again changes nothing, and never overwrites what staff have edited
(baselines, custom milestones).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from targets import services


class Command(BaseCommand):
    help = "Load the areas and the action plan; with --demo also demo users and synthetic monitoring data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo", action="store_true", help="also load demo users and synthetic data")

    def handle(self, *args: Any, **options: Any) -> None:
        changed = services.areas_load()
        self.stdout.write(f"areas: {changed} created or updated")
        result = services.plan_load()
        self.stdout.write(result.summary())
        from measures.services import assignments_generate
        from targets.selectors import current_plan

        plan = current_plan()
        self.stdout.write(f"assignments: {assignments_generate(plan) if plan else 0} created")
        from monitoring.services import stations_load_national

        stations = stations_load_national()
        self.stdout.write(f"stations: {stations.created} created, {stations.updated} updated")
        if options["demo"]:
            self._load_demo()

    def _load_demo(self) -> None:
        """Demo users, synthetic monitoring data through the real ingest pipeline, the demo banner, logins."""
        import time

        from monitoring.demo import demo_monitoring_load
        from targets.demo import DEMO_LOGINS, demo_dataset_mark, demo_users_load

        demo_users_load()
        started = time.monotonic()
        monitoring = demo_monitoring_load(progress=lambda line: self.stdout.write(f"  {line}"))
        self.stdout.write(
            f"demo monitoring: {monitoring.stations_created} stations created, {len(monitoring.files)} file(s) "
            f"ingested ({monitoring.values_stored} values) in {time.monotonic() - started:.0f} s"
        )
        demo_dataset_mark("演示数据：合成的小时监测数据（monitoring.synthetic）、演示站点和演示用户")
        self.stdout.write("demo logins (username / password):")
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.username} / {login.password}  ({login.role})")
