"""`python manage.py import_stations FILE.csv`: create or update stations by code (interfaces.md §1)."""

from __future__ import annotations

from monitoring import services
from monitoring.file_import import ImportFileCommand


class Command(ImportFileCommand):
    help = "Import the station registry from CSV (code,name,county_code,network,latitude,longitude); all or nothing."

    def import_content(self, content: bytes) -> str:
        result = services.stations_import(content=content)
        return f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged"
