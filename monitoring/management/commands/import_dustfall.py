"""`python manage.py import_dustfall FILE.csv`: the monthly dust-fall values of the monitoring points
(docs/interfaces.md §6: point_code,point_name,area_code,month,value); all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from monitoring import services_dustfall
from monitoring.file_import import import_file


def _import(content: bytes) -> str:
    result = services_dustfall.dust_fall_import(content=content)
    return (
        f"{result.points_created} point(s) created; values {result.created} created, "
        f"{result.updated} updated, {result.unchanged} unchanged"
    )


class Command(BaseCommand):
    help = "Import monthly dust-fall values (point_code,point_name,area_code,month,value); all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV file, UTF-8 with or without BOM")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(import_file(options["file"], _import))
