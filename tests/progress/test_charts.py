"""The progress charts (progress/charts.py, no Django): axes say what they measure, the AQI calendar names
its months and weekdays and its cells say the category."""

from __future__ import annotations

from datetime import date

from progress import charts

CALENDAR = charts.CalendarLabels(
    title="每日空气质量级别",
    weekdays=["周一", "周二", "周三", "周四", "周五", "周六", "周日"],
    months=[f"{m}月" for m in range(1, 13)],
    categories=["优", "良", "轻度污染", "中度污染", "重度污染", "严重污染"],
    no_valid_day="无有效数据",
)


def test_the_monthly_and_yearly_charts_carry_their_units_on_the_axes() -> None:
    labels = charts.Labels(title="PM2.5", actual="2025", milestone="", last_year="2024", unit="µg/m³", x_title="月份")
    monthly = charts.monthly_chart(months=[1, 2], this_year=[50.0, 40.0], last_year=[55.0, None], labels=labels)
    assert monthly["layout"]["yaxis"]["title"]["text"] == "µg/m³"
    assert monthly["layout"]["xaxis"]["title"]["text"] == "月份"
    yearly = charts.trajectory_chart(years=[2024, 2025], actual=[45.0, 43.0], milestones=[46.0, 43.0], labels=labels)
    assert yearly["layout"]["yaxis"]["title"]["text"] == "µg/m³"


def test_the_calendar_names_months_weekdays_and_each_days_category() -> None:
    # 2025-01-01 is a Wednesday: the first week column holds Monday 30 Dec - Sunday 5 Jan.
    chart = charts.calendar_chart(
        year=2025, days=[date(2025, 1, 1), date(2025, 2, 3)], categories=[2, None], aqis=[75, None], labels=CALENDAR
    )
    layout = chart["layout"]
    assert list(layout["yaxis"]["ticktext"]) == CALENDAR.weekdays
    assert list(layout["xaxis"]["ticktext"]) == CALENDAR.months
    assert list(layout["xaxis"]["tickvals"])[:3] == [0, 4, 8]  # 1 Jan in week 0, 1 Feb in week 4, 1 Mar in week 8
    text = list(chart["data"][0]["text"])
    assert text[0] == "2025-01-01 AQI 75 良"
    assert text[33] == "2025-02-03 AQI — 无有效数据"


def test_the_month_the_figures_stop_inside_is_drawn_as_partial() -> None:
    labels = charts.Labels(title="PM2.5", actual="2026", milestone="", last_year="2025", unit="µg/m³", x_title="月份")
    chart = charts.monthly_chart(
        months=[11, 12],
        this_year=[50.0, 60.0],
        last_year=[55.0, 58.0],
        labels=labels,
        partial_month=12,
        partial_label="至 2026-12-06，月份未完",
    )
    this_year = chart["data"][0]
    assert list(this_year["marker"]["symbol"]) == ["circle", "circle-open"]
    assert list(this_year["text"]) == ["", "至 2026-12-06，月份未完"]
