"""The plan evaluation (issue 12, item 3): as of the end of a year, from stored figures; refused when the
year is outside the plan or has no whole-year figures."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from progress import services

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stored")]
PLAN = "liaocheng-air-2021-2025"


def test_the_final_evaluation_lists_each_target_the_units_the_work_and_the_reductions(plan, tmp_path):
    services.scores_recompute(years=[2025], today=date(2026, 4, 1))
    call_command("evaluation", "--plan", PLAN, "--year", "2025", "--output", str(tmp_path / "e.docx"))
    document = Document(tmp_path / "e.docx")
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "《聊城市“十四五”空气质量改善行动计划（2021-2025年）》终期评估报告（截至2025年底）"
    assert [t for t in texts if t[:2] in ("一、", "二、", "三、", "四、")] == [
        "一、全市目标完成情况",
        "二、各县（市、区）完成情况（2025年）",
        "三、重点任务完成情况（截至2025年底）",
        "四、重点工程减排量（经核定）",
    ]
    targets = document.tables[0]
    header = [c.text for c in targets.rows[0].cells]
    assert header[:2] == ["指标", "基准（2020）"]
    assert header[-2:] == ["2025 年目标", "2025 年完成情况"]
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in targets.rows[1:]}
    assert rows["优良天数比例"][-2] == "63.7"
    # 2025 holds only its first quarter: the good-day ratio is over the valid days (58 / 90 = 64.4 %, 0.7
    # above 63.7); an annual PM2.5 mean needs 324 valid days (GB 3095-2012 Table 4), so there is none.
    assert rows["优良天数比例"][-1] == "达到（+0.7）"
    assert rows["PM2.5浓度"][-3:] == ["—", "43", "—"]
    assert "2035 年远期目标：PM2.5浓度 35，2025 年为 —。" in texts
    reductions = document.tables[-1]
    assert [c.text for c in reductions.rows[0].cells] == [
        "截至年份",
        "NOx 累计（吨；目标 8500）",
        "VOCs 累计（吨；目标 6200）",
    ]


def test_a_year_outside_the_plan_or_without_whole_year_figures_is_refused(plan, tmp_path):
    out = str(tmp_path / "e.pdf")
    with pytest.raises(CommandError, match="2026 年不在规划期（2021-2025）内"):
        call_command("evaluation", "--plan", PLAN, "--year", "2026", "--output", out)
    with pytest.raises(CommandError, match="2023 年没有全年的进展数据"):
        call_command("evaluation", "--plan", PLAN, "--year", "2023", "--output", out)
    with pytest.raises(CommandError, match="no plan has the code"):
        call_command("evaluation", "--plan", "nope", "--year", "2023", "--output", out)
    assert not list(tmp_path.iterdir())
