"""Which days' particles leave the dust-deducted series of a station or an area (扣沙; docs/aqi-rules.md §6).

The bureau marks a dust-affected day for the whole city or for one assessment unit (a county or a zone). A
city-wide mark applies to every station and area; a unit's mark applies to that unit's own series and to the
stations that lie in it, and not to the city's series nor to another unit's. Plain Python: the selector reads
the marks, this module decides whom they touch.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Scope = Literal["station", "area"]


@dataclass(frozen=True)
class DustMarks:
    """The marks of one span of days."""

    citywide: frozenset[date] = frozenset()
    by_area: Mapping[str, frozenset[date]] = field(default_factory=dict)
    """Area code -> the days marked for that unit alone."""
    area_of_station: Mapping[str, str] = field(default_factory=dict)
    """Station code -> the code of the area it lies in (its unit's marks apply to it)."""

    def days_for(self, scope: Scope, code: str) -> frozenset[date]:
        """The dust days of one station's or area's dust-deducted series."""
        area = self.area_of_station.get(code) if scope == "station" else code
        if area is None:
            return self.citywide
        return self.citywide | self.by_area.get(area, frozenset())

    def for_statistics(self, scope: Scope, codes: Iterable[str]) -> Mapping[str, frozenset[date]] | frozenset[date]:
        """The ``dust_days`` that ``statistics.period_statistics_frame`` takes for these stations or areas: the
        city-wide days alone when no unit has marks of its own (one mask for every entity), else each code's."""
        if not self.by_area:
            return self.citywide
        return {str(code): self.days_for(scope, str(code)) for code in codes}
