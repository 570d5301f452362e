"""China Standard Time and the natural day of HJ 663-2013: the one place the product defines them.

Hourly values are stamped at the end of their hour. A natural day D is made of the values stamped
D 01:00 … D 23:00 and D+1 00:00, its 24:00 (HJ 663-2013 §3 and Appendix A, Table A.1): the day of a value
is the date of its stamp minus one hour, in China time. Pure: no Django.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
import pandas as pd

# By name for pandas and SQL (pandas converts a named zone vectorised, a ZoneInfo value by value).
CHINA_TZ_NAME: Final = "Asia/Shanghai"
CHINA_TZ: Final = ZoneInfo(CHINA_TZ_NAME)


def natural_day_of(moment: datetime) -> date:
    """The natural day an hourly value stamped ``moment`` belongs to."""
    return (moment.astimezone(CHINA_TZ) - timedelta(hours=1)).date()


def natural_day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """(exclusive start, inclusive end) of the stamps of natural days first..last: D 01:00 … (D+1) 00:00."""
    start = datetime.combine(first, time(0), tzinfo=CHINA_TZ)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=CHINA_TZ)
    return start, end


def china_wall_times(stamps: pd.Series) -> npt.NDArray[np.datetime64]:
    """Time-zone-aware stamps as China wall-clock times (datetime64[ns], no zone)."""
    local: npt.NDArray[np.datetime64] = (
        stamps.dt.tz_convert(CHINA_TZ_NAME).dt.tz_localize(None).to_numpy(dtype="datetime64[ns]")
    )
    return local


def natural_days(stamps: pd.Series) -> npt.NDArray[np.datetime64]:
    """The natural day (datetime64[D]) of each time-zone-aware stamp."""
    days: npt.NDArray[np.datetime64] = (china_wall_times(stamps) - np.timedelta64(1, "h")).astype("datetime64[D]")
    return days
