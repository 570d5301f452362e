"""`python manage.py import_dustfall FILE.csv`: the monthly dust-fall values of the monitoring points
(interfaces.md §6: point_code,point_name,area_code,month,value); all or nothing."""

from __future__ import annotations

from monitoring import services_dustfall
from monitoring.file_import import ImportFileCommand


class Command(ImportFileCommand):
    help = "Import monthly dust-fall values (point_code,point_name,area_code,month,value); all or nothing."

    def import_content(self, content: bytes) -> str:
        result = services_dustfall.dust_fall_import(content=content)
        return (
            f"{result.points_created} point(s) created; values {result.created} created, "
            f"{result.updated} updated, {result.unchanged} unchanged"
        )
