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
