"""The one table of figure names covers every figure scoring knows, in both languages."""

from __future__ import annotations

from django.utils import translation

from progress import scoring
from progress.figure_names import FIGURE_NAMES, figure_heading, figure_name


def test_every_figure_has_a_name_and_no_name_is_left_over() -> None:
    assert set(FIGURE_NAMES) == {figure.code for figure in scoring.FIGURES}


def test_a_concentration_is_called_one_where_it_stands_without_its_value() -> None:
    with translation.override("zh-hans"):
        assert figure_name("pm25") == "PM2.5"
        assert figure_heading("pm25") == "PM2.5 浓度"
        assert figure_heading("co_p95") == "CO 浓度"
        assert figure_heading("good_day_ratio") == "优良天数比例"
        assert figure_heading("composite_index") == "综合指数"
    with translation.override("en"):
        assert figure_heading("pm10") == "PM10 concentration"
        assert figure_heading("heavy_day_ratio") == "Heavy-pollution-day ratio"
