"""Synthetic hourly station data with realistic seasons, daily cycles and pollution episodes.

Used for the demo data of ``bootstrap --demo`` and for the benchmark in ``bench/``; never for real
figures. Values are rounded as CNEMC publishes them (µg/m³ integers, CO mg/m³ one decimal) and follow
the time convention of HJ 663-2013 (a stamp marks the end of its averaging hour, China time).

Plain numpy/pandas, no Django: deterministic for a given seed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from .china_time import CHINA_TZ_NAME

POLLUTANTS = ("pm25", "pm10", "so2", "no2", "o3", "co")


@dataclass(frozen=True)
class SyntheticClimate:
    """Knobs of the synthetic climate, in the units of the pollutant."""

    pm25_annual_mean: float = 42.0
    yearly_improvement: float = 0.04  # fraction by which particles fall each year after the reference year
    reference_year: int = 2020
    winter_episodes_per_year: int = 6
    dust_days_per_year: int = 2
    missing_hour_share: float = 0.01


def hour_stamps(start: date, end: date) -> pd.DatetimeIndex:
    """Stamps for natural days start..end inclusive: start 01:00 … (end + 1 day) 00:00, China time."""
    first = pd.Timestamp(start, tz=CHINA_TZ_NAME) + pd.Timedelta(hours=1)
    last = pd.Timestamp(end + timedelta(days=1), tz=CHINA_TZ_NAME)
    return pd.date_range(first, last, freq="h")


def _smooth_noise(rng: np.random.Generator, n: int, *, persistence: float, scale: float) -> np.ndarray:
    """AR(1) noise with the given hour-to-hour persistence, standard deviation ~scale."""
    shocks = rng.normal(0.0, scale * np.sqrt(1 - persistence**2), n)
    out = np.empty(n)
    level = rng.normal(0.0, scale)
    for i in range(n):  # a simple recursion; n is one station's hours (< 100k)
        level = persistence * level + shocks[i]
        out[i] = level
    return out


def _episode_profile(
    rng: np.random.Generator, stamps: pd.DatetimeIndex, *, per_year: int, months: tuple[int, ...], strength: float
) -> np.ndarray:
    """Multiplicative bumps lasting a few days, placed in the given months of each year."""
    factor = np.ones(len(stamps))
    hours_since_start = ((stamps - stamps[0]) / pd.Timedelta(hours=1)).to_numpy()
    for year in sorted(set(stamps.year)):
        candidates = np.flatnonzero((stamps.year == year) & np.isin(stamps.month, months))
        if len(candidates) == 0:
            continue
        for centre in rng.choice(candidates, size=min(per_year, len(candidates)), replace=False):
            half_width = rng.uniform(24, 72)
            bump = (
                strength
                * rng.uniform(0.6, 1.4)
                * np.exp(-0.5 * ((hours_since_start - hours_since_start[centre]) / half_width) ** 2)
            )
            factor += bump
    return factor


def synthetic_hourly_wide(
    station_codes: Sequence[str],
    *,
    start: date,
    end: date,
    seed: int = 2025,
    climate: SyntheticClimate | None = None,
) -> pd.DataFrame:
    """One row per station and hour with columns station, time and the six pollutants (NaN = missing)."""
    climate = climate or SyntheticClimate()
    rng = np.random.default_rng(seed)
    stamps = hour_stamps(start, end)
    n = len(stamps)
    day_of_year = stamps.dayofyear.to_numpy()
    hour = stamps.hour.to_numpy()
    winter = np.cos(2 * np.pi * (day_of_year - 15) / 365.25)  # +1 mid-January, -1 mid-July
    summer = np.cos(2 * np.pi * (day_of_year - 175) / 365.25)  # +1 late June
    years_on = np.clip(stamps.year.to_numpy() - climate.reference_year, 0, None)
    trend = (1 - climate.yearly_improvement) ** years_on
    # Shared regional weather: every station sees the same episodes, plus its own local noise.
    haze = _episode_profile(rng, stamps, per_year=climate.winter_episodes_per_year, months=(11, 12, 1, 2), strength=1.6)
    dust = _episode_profile(rng, stamps, per_year=climate.dust_days_per_year, months=(3, 4, 5), strength=3.0)
    regional = _smooth_noise(rng, n, persistence=0.97, scale=0.35)
    rush = np.exp(-0.5 * ((hour - 8) / 1.5) ** 2) + np.exp(-0.5 * ((hour - 19) / 2.0) ** 2)
    afternoon = np.exp(-0.5 * ((hour - 15) / 3.0) ** 2)

    frames = []
    for index, code in enumerate(station_codes):
        local_rng = np.random.default_rng(seed * 1000 + index)
        site = local_rng.uniform(0.85, 1.15)
        local = _smooth_noise(local_rng, n, persistence=0.9, scale=0.15)
        weather = np.exp(regional + local)
        pm25 = climate.pm25_annual_mean * site * trend * (1 + 0.55 * winter) * haze * weather * (1 + 0.15 * rush)
        pm10 = pm25 * local_rng.uniform(1.6, 1.9) * dust
        no2 = 32 * site * (1 + 0.3 * winter) * (0.75 + 0.6 * rush) * np.exp(0.6 * local + 0.3 * regional)
        so2 = 11 * site * (1 + 0.5 * winter) * np.exp(0.5 * local + 0.3 * regional)
        co = 0.85 * site * (1 + 0.45 * winter) * np.exp(0.4 * regional + 0.3 * local) * (0.9 + 0.2 * rush)
        o3 = (12 + 150 * (0.5 + 0.5 * summer) * afternoon + 30 * (0.5 + 0.5 * summer)) * np.exp(
            0.3 * local - 0.25 * regional
        )
        values = {
            "pm25": np.round(pm25),
            "pm10": np.round(pm10),
            "so2": np.maximum(np.round(so2), 2),
            "no2": np.maximum(np.round(no2), 3),
            "o3": np.maximum(np.round(o3), 2),
            "co": np.maximum(np.round(co, 1), 0.1),
        }
        frame = pd.DataFrame({"station": code, "time": stamps} | values)
        missing = local_rng.random((n, len(POLLUTANTS))) < climate.missing_hour_share
        frame.loc[:, list(POLLUTANTS)] = frame[list(POLLUTANTS)].mask(missing)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def synthetic_hourly_long(
    station_codes: Sequence[str], *, start: date, end: date, seed: int = 2025, climate: SyntheticClimate | None = None
) -> pd.DataFrame:
    """The same data in the long layout: station, time, pollutant, value (missing hours have no row)."""
    wide = synthetic_hourly_wide(station_codes, start=start, end=end, seed=seed, climate=climate)
    long = wide.melt(id_vars=["station", "time"], value_vars=list(POLLUTANTS), var_name="pollutant", value_name="value")
    return long.dropna(subset=["value"]).reset_index(drop=True)
