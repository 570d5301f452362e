"""Changes on last year across 2026-03-01 compare like with like (issue 13, aqi-rules §7): last year is
recomputed under the rules in force on the same days this year, and its official figure is kept beside."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pandas as pd
import pytest

from monitoring.aqi import edition_for
from monitoring.statistics import rescore_daily
from progress import services
from progress.models import ProgressSnapshot, RankingEntry
from tests.progress.conftest import CITY, COUNTY_A, install_daily_results

CLEAN = {"pm10": 60, "so2": 10, "no2": 30, "co": 1.0, "o3_8h": 100, "o3_1h": 120}


def quarter(area: str, year: int, *, march_pm25: int) -> list[dict]:
    """1 January - 31 March: PM2.5 30 µg/m³ in January and February, ``march_pm25`` in March."""
    first = date(year, 1, 1)
    rows = []
    for offset in range(90):
        day = first + timedelta(days=offset)
        rows.append({"area": area, "date": day, **CLEAN, "pm25": march_pm25 if day.month == 3 else 30})
    return rows


def stored_as_computed(rows: list[dict]) -> pd.DataFrame:
    """Daily results as monitoring stores them: each day scored under the edition in force on it."""
    frame = pd.DataFrame(rows).assign(aqi=None, category=None, primary_pollutants=None, valid=False, edition="")
    in_force = frame["date"].map(lambda day: edition_for(day) == "2026").to_numpy()
    return rescore_daily(frame, in_force).assign(flavour="reviewed")


@pytest.fixture
def across_the_switch(monkeypatch, plan):
    """The city and county A: the same concentrations in the first quarters of 2025 and 2026; March at
    PM2.5 70 µg/m³, good (AQI 94) under HJ 633-2012 and lightly polluted (110) under HJ 633-2026."""
    data = stored_as_computed(
        [
            *quarter(CITY, 2025, march_pm25=70),
            *quarter(CITY, 2026, march_pm25=70),
            *quarter(COUNTY_A, 2025, march_pm25=70),
            *quarter(COUNTY_A, 2026, march_pm25=40),
        ]
    )
    return install_daily_results(monkeypatch, data=data)


def figure(run, area: str, code: str) -> ProgressSnapshot:
    return ProgressSnapshot.objects.get(run=run, area__code=area, indicator=code, month=0, cumulative=False)


def test_the_good_day_ratio_is_compared_with_last_year_under_this_years_rules(across_the_switch):
    (run,) = services.scores_recompute(years=[2026], today=date(2026, 4, 1))
    assert (run.editions, run.composite_limits, run.last_year_restated) == ("2012+2026", "GB3095-2026-I", True)
    good = figure(run, CITY, "good_day_ratio")
    # 2026: 59 good days (January, February) of 90 = 65.6 %. 2025 as published: 90 of 90 = 100.0 %; under
    # this year's rules (March scored by HJ 633-2026): 59 of 90 = 65.6 %. The rules alone moved it 34.4 points.
    assert (good.actual, good.last_year, good.last_year_official) == (
        Decimal("65.6"),
        Decimal("65.6"),
        Decimal("100.0"),
    )
    assert good.change_points == 0  # 持平, not "34.4 points worse"


def test_the_composite_index_of_last_year_divides_by_this_years_limits(across_the_switch):
    (run,) = services.scores_recompute(years=[2026], today=date(2026, 4, 1))
    index = figure(run, CITY, "composite_index")
    # PM2.5 Q1 mean (59·30 + 31·70) / 90 = 43.78 → 44; CO P95 1.0; O3 P90 100.
    # GB 3095-2026 phase one: 10/60 + 30/40 + 60/70 + 44/30 + 1.0/4 + 100/160 = 4.1155 → 4.12;
    # GB 3095-2012 (as published for 2025): … + 44/35 … = 3.9060 → 3.91.
    assert (index.actual, index.last_year, index.last_year_official) == (
        Decimal("4.12"),
        Decimal("4.12"),
        Decimal("3.91"),
    )
    assert index.change_percent == 0


def test_the_ranking_by_improvement_compares_like_with_like(across_the_switch):
    (run,) = services.scores_recompute(years=[2026], today=date(2026, 4, 1))
    county = RankingEntry.objects.get(run=run, area__code=COUNTY_A, month=0, cumulative=False, group=None)
    # County A, 2026: PM2.5 (59·30 + 31·40) / 90 = 33.44 → 33: 10/60 + 30/40 + 60/70 + 33/30 + 1/4 + 100/160
    # = 3.748 → 3.75; 2025 under the same limits 4.12: (4.12 − 3.75) / 4.12 = 8.98 % → 9.0 % better.
    # Against the official 3.91 it would read 4.1 %.
    assert (county.composite_index, county.improvement) == (Decimal("3.75"), Decimal("9.0"))
    assert not county.worse_than_last_year


def test_years_before_the_switch_compare_with_the_official_figures(across_the_switch):
    (run,) = services.scores_recompute(years=[2025], today=date(2025, 4, 1))
    assert (run.editions, run.composite_limits, run.last_year_restated) == ("2012", "GB3095-2012", False)
    good = figure(run, CITY, "good_day_ratio")
    assert good.last_year is None
    assert good.last_year_official is None


def test_pages_the_api_and_the_export_label_the_comparison(client, across_the_switch):
    from django.urls import reverse

    services.scores_recompute(years=[2026], today=date(2026, 4, 1))
    html = client.get(reverse("progress:home")).content.decode()
    assert 'data-editions="2012+2026"' in html
    assert 'data-composite-limits="GB3095-2026-I"' in html
    assert 'data-comparison="like-for-like"' in html
    assert "按今年标准；当时发布 100.0" in html  # the good-day ratio: 65.6 like for like, 100.0 as published
    data = client.get("/api/v1/progress/", {"year": 2026}).json()
    assert data["edition"] == "HJ 633-2012 ≤ 2026-02-28, HJ 633-2026 ≥ 2026-03-01"
    assert (data["composite_limits"], data["last_year_restated"]) == ("GB 3095-2026 (I)", True)
    city = next(area for area in data["areas"] if area["code"] == CITY)
    good = next(item for item in city["indicators"] if item["indicator"] == "good_day_ratio")
    assert (good["same_period_last_year"], good["same_period_last_year_official"], good["change_points"]) == (
        "65.6",
        "100.0",
        "+0.0",
    )


def test_the_bulletin_gives_the_like_for_like_change_and_the_published_figure(across_the_switch):
    from progress.bulletin import bulletin_blocks, bulletin_figures
    from progress.documents import Paragraph

    services.scores_recompute(years=[2026], today=date(2026, 4, 1))
    blocks = bulletin_blocks(bulletin_figures(year=2026, month=3))
    text = "\n".join(b.text for b in blocks if isinstance(b, Paragraph))
    assert "同口径比较" in text  # the data note says how the changes were made
    # February was scored under the 2012 rules, March under the 2026 ones: no month-on-month comparison.
    assert "3月起执行 GB 3095-2026、HJ 633-2026，与2月的评价标准不同，本期不作环比。" in text
    # 1-3月: 59 good days of 90 (65.6 %), level with 2025 under this year's rules; 100.0 % as published.
    assert "优良天数比例 65.6%，同比持平（去年同期按今年标准为 65.6%，当时发布 100.0%）" in text
    # The composite index: 4.12 like for like, 3.91 as published.
    assert "（去年同期按今年标准为 4.12，当时发布 3.91）" in text
    # The ranking by improvement, like for like: county A 3.75 against 4.12, 9.0 % better.
    assert (
        "主城四区2026年1-3月综合指数同比改善率排名依次为：东昌府区（9.0%）。（改善率按同口径计算：去年同期按今年标准重算。）"
    ) in text


def test_the_exports_label_the_rules_and_the_basis(client, across_the_switch):
    from django.urls import reverse

    services.scores_recompute(years=[2026], today=date(2026, 4, 1))
    ranking = client.get(reverse("progress:ranking-export", args=["csv"]), {"year": 2026}).content.decode("utf-8-sig")
    header, first = ranking.splitlines()[1:3]  # after the title line
    assert header.endswith("综合指数所用限值,改善率口径")
    assert first.endswith("GB 3095-2026 (I),同口径：去年同期按今年标准重算")
    january = client.get(reverse("progress:ranking-export", args=["csv"]), {"year": 2026, "month": 1}).content.decode(
        "utf-8-sig"
    )
    assert ",GB 3095-2012," in january  # January 2026 ends before the switch: its index divides by 35
    progress = client.get(reverse("progress:export", args=["csv"]), {"year": 2026}).content.decode("utf-8-sig")
    assert "去年同期（当时标准）,评价标准,综合指数所用限值" in progress
    assert '"HJ 633-2012 ≤ 2026-02-28, HJ 633-2026 ≥ 2026-03-01",GB 3095-2026 (I)' in progress


def test_a_concentrations_change_on_the_card_has_its_sign_arrow_and_colour(client, across_the_switch):
    from django.urls import reverse

    services.scores_recompute(years=[2026], today=date(2026, 4, 1))
    html = client.get(reverse("progress:county", args=[COUNTY_A])).content.decode()
    # County A's PM2.5: 33 against 44 a year earlier, (33 − 44) / 44 = −25.0 %: lower is better.
    assert '<span class="change better" data-figure="change_percent">(同比 -25.0% ↓)</span>' in html
