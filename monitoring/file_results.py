"""Results an ingest computes from its own rows: new whole days, while the rows are copied in.

When a file brings new hours and no stored observation of its stations lies inside the natural days they
belong to (``upsert.write`` checks this under the table lock), the file holds every hour of those days. Then
the stored results that depend only on those hours are computed from the file in memory, on the client's core,
while PostgreSQL stores the rows on its own, and written in the same transaction. The recompute enqueued after
commit (``results.plan_for_run``) leaves out what was done here. Stages, each needing the one before:

1. **station days** of the file's stations: always, for whole days;
2. **area days** of the areas the file's stations assess: when no other member station of those areas has
   stored observations or stored daily values on those days (the file then holds every member's day);
3. **months and years** of those stations and areas: when none of those stations has stored hours or stored
   daily values elsewhere in those years, nor those areas stored daily values (the file's days are then the
   whole year so far).

``plan`` runs under the lock and reads the registry and what is stored; ``compute`` uses no database
connection; ``store`` writes after the ``COPY``. Everything else falls to the recompute, which gives the same
figures from the stored rows (tests/monitoring/test_upsert_paths.py compares them).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from django.utils import timezone

from areas.models import Area

from . import results, selectors, upsert
from .china_time import natural_day_bounds, natural_day_of
from .dust import DustMarks
from .locks import results_lock
from .models import AreaDay, AreaPeriod, IngestRun, Observation, Station, StationDay, StationPeriod


@dataclass
class FileResults:
    """The stages an ingest computes itself (``IngestRun.ResultsStored``) and what they need from storage."""

    stage: IngestRun.ResultsStored
    station_codes: dict[int, str]
    areas: dict[str, tuple[int, list[Station]]] = field(default_factory=dict)  # code -> (id, members)
    years: dict[int, tuple[date, DustMarks]] = field(default_factory=dict)  # year -> (through, dust marks)
    payloads: list[upsert.RowsPayload] = field(default_factory=list)
    file_stations: list[str] = field(default_factory=list)  # the codes of the stations in the file
    day_years: list[int] = field(default_factory=list)  # the years of its natural days

    @classmethod
    def plan(cls, frame: pd.DataFrame) -> FileResults:
        """Under the observation table lock: which stages the file's rows (``upsert.prepare``'s frame) complete."""
        stations = {s.pk: s for s in Station.objects.select_related("area")}
        plan = cls(stage=IngestRun.ResultsStored.STATION_DAYS, station_codes={pk: s.code for pk, s in stations.items()})
        mine = [stations[int(pk)] for pk in frame["station_id"].unique() if int(pk) in stations]
        first = natural_day_of(frame["time"].min())
        last = natural_day_of(frame["time"].max())
        codes = {s.code for s in mine}
        plan.file_stations = sorted(codes)
        plan.day_years = list(range(first.year, last.year + 1))
        areas_of = selectors.assessment_areas_by_station([s.code for s in mine])
        areas = sorted({area for codes_of in areas_of.values() for area in codes_of})
        members = {area: selectors.assessment_stations(area) for area in areas}
        others = {s.pk for stations_of in members.values() for s in stations_of if s.code not in codes}
        everyone = {*others, *(s.pk for s in mine)}
        start, end = natural_day_bounds(first, last)
        if (
            Observation.objects.filter(station_id__in=others, time__gt=start, time__lte=end).exists()
            or StationDay.objects.filter(station_id__in=everyone, date__range=(first, last)).exists()
        ):
            return plan
        area_ids = dict(Area.objects.filter(code__in=areas).values_list("code", "id"))
        plan.areas = {code: (area_ids[code], members[code]) for code in areas if code in area_ids}
        plan.stage = IngestRun.ResultsStored.AREA_DAYS
        years = range(first.year, last.year + 1)
        years_start, years_end = natural_day_bounds(date(first.year, 1, 1), date(last.year, 12, 31))
        if (
            # Hours stored elsewhere in those years are, or will be, daily values the file does not hold (a
            # recompute may still be on its way); the observation lock makes this check hold until commit.
            Observation.objects.filter(station_id__in=everyone, time__gt=years_start, time__lte=years_end).exists()
            or StationDay.objects.filter(station__in=mine, date__year__in=years).exists()
            or AreaDay.objects.filter(area_id__in=area_ids.values(), date__year__in=years).exists()
        ):
            return plan
        today = timezone.localdate()
        for year in years:
            year_end = date(year, 12, 31)
            if year_end < today:
                through = year_end
            else:  # a year to date runs to the last station day of any station, stored or from the file
                stored = results.through_date(year, today=today)
                through = max(day for day in (stored, min(last, year_end)) if day is not None)
            plan.years[year] = (through, selectors.dust_marks(date(year, 1, 1), through))
        plan.stage = IngestRun.ResultsStored.ALL
        return plan

    def compute(self, frame: pd.DataFrame) -> None:
        """While the rows are copied in: the planned stages from the frame, converted for writing."""
        columns = {"station" if name == "station_id" else name: frame[name] for name in frame.columns}
        hourly = selectors.hourly_frame(pd.DataFrame(columns, copy=False), station_codes=self.station_codes)
        daily = results.station_days_compute(hourly)
        station_ids = {code: pk for pk, code in self.station_codes.items()}
        self.payloads.append(results.station_days_payload(daily, station_ids=station_ids))
        if self.stage < IngestRun.ResultsStored.AREA_DAYS:
            return
        now = timezone.now()
        area_parts = []
        for code, (area_id, members) in self.areas.items():
            member_codes = {s.code for s in members}
            days = sorted(set(daily.loc[daily["station"].isin(member_codes), "date"]))
            for part in results.area_days_rows(code, members, daily, days):
                area_parts.append(part.assign(area_id=area_id, computed_at=now))
        area_daily = pd.concat(area_parts, ignore_index=True) if area_parts else pd.DataFrame()
        if area_parts:
            self.payloads.append(
                upsert.rows_payload(
                    AreaDay, area_daily, key=("area", "date"), update=(*results.DAILY_FIELDS, "stations")
                )
            )
        if self.stage < IngestRun.ResultsStored.ALL:
            return
        area_ids = {code: area_id for code, (area_id, _) in self.areas.items()}
        for year, (through, dust) in self.years.items():
            for key, days, ids, model in (
                ("station", daily, station_ids, StationPeriod),
                ("area", area_daily, area_ids, AreaPeriod),
            ):
                if days.empty:
                    continue
                in_year = days[(days["date"] >= date(year, 1, 1)) & (days["date"] <= through)]
                months_of: dict[tuple[int, ...], list[str]] = defaultdict(list)
                for code, group in in_year.groupby(key)["date"]:
                    months_of[tuple(sorted({d.month for d in group}))].append(str(code))
                for months, codes in months_of.items():
                    rows = results.period_rows(
                        in_year[in_year[key].isin(codes)],
                        key=key,
                        ids=ids,
                        periods=results.period_plan(year, months, through),
                        dust=dust,
                    )
                    if not rows.empty:
                        self.payloads.append(
                            upsert.rows_payload(
                                model, rows, key=(key, *results.PERIOD_KEY), update=results.PERIOD_FIELDS
                            )
                        )

    def store(self) -> int:
        """After the ``COPY``, in its transaction: write what ``compute`` made; returns the rows. The results it
        writes are locked first (``monitoring.locks``): a recompute that is writing them finishes before."""
        codes, years = self.file_stations, list(self.years)
        results_lock("station-days", codes, self.day_years)
        if self.stage >= IngestRun.ResultsStored.AREA_DAYS:
            results_lock("area-days", list(self.areas), self.day_years)
        if self.stage >= IngestRun.ResultsStored.ALL:
            results_lock("station-periods", codes, years)
            results_lock("area-periods", list(self.areas), years)
        return sum(upsert.rows_write(payload) for payload in self.payloads)
