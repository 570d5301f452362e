"""`python manage.py import_stations FILE.csv`: create or update stations by code (docs/interfaces.md §1)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from monitoring import services
from monitoring.file_import import import_file


def _import(content: bytes) -> str:
    result = services.stations_import(content=content)
    return f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged"


class Command(BaseCommand):
    help = (
        "Import the station registry from CSV (code,name,county_code,network,latitude,longitude; "
        "optional name_en); all or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV file, UTF-8 with or without BOM")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(import_file(options["file"], _import))
