"""Stamped reasons shown in the reader's language (areas.history.reason_shown): the product's fixed labels are
translated, what a person typed is shown as typed."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import translation

from areas.history import reason_shown
from measures.models import Assignment, Measure
from measures.services import assignment_refine_deadline


def test_a_fixed_label_is_translated_and_typed_words_are_kept() -> None:
    with translation.override("en"):
        assert reason_shown("上传佐证材料") == "Evidence uploaded"
        assert reason_shown("调整完成时限：项目延期至年底") == "Deadline changed: 项目延期至年底"
        assert reason_shown("退回：证明材料不全") == "Return: 证明材料不全"
        assert reason_shown("一段没有标签的说明") == "一段没有标签的说明"
        assert reason_shown(None) == ""
    with translation.override("zh-hans"):
        assert reason_shown("调整完成时限：项目延期至年底") == "调整完成时限：项目延期至年底"


def test_a_stored_failure_message_is_shown_in_the_readers_language() -> None:
    with translation.override("en"):
        assert (
            reason_shown("处理出错，未保存任何数据：bad header") == "Processing failed; no data were saved: bad header"
        )


def test_a_reason_the_product_writes_is_stored_in_the_source_language_whatever_the_actors(
    plan: Any, bureau: Any
) -> None:
    assignment = Assignment.objects.filter(measure__report_period=Measure.ReportPeriod.ONCE).first()
    with translation.override("en"):
        assignment_refine_deadline(assignment=assignment, deadline=date(2025, 12, 31), reason="项目延期", user=bureau)
    stored = assignment.history.first().history_change_reason
    assert stored == "调整完成时限：项目延期"
    with translation.override("zh-hans"):
        assert reason_shown(stored) == "调整完成时限：项目延期"
    with translation.override("en"):
        assert reason_shown(stored) == "Deadline changed: 项目延期"


def test_a_reason_stored_in_english_before_is_shown_in_chinese_to_a_chinese_reader() -> None:
    with translation.override("zh-hans"):
        assert reason_shown("Evidence uploaded") == "上传佐证材料"
        assert reason_shown("Deadline changed: 项目延期至年底") == "调整完成时限：项目延期至年底"
        assert reason_shown("Return: 证明材料不全") == "退回：证明材料不全"
        assert reason_shown("Typed in English by a person") == "Typed in English by a person"
    with translation.override("en"):
        assert reason_shown("Deadline changed: 项目延期至年底") == "Deadline changed: 项目延期至年底"


def test_the_reasons_the_plan_loader_and_the_county_split_write_read_in_english(plan: Any) -> None:
    from targets.models import Target

    with translation.override("en"):
        loaded = Target.objects.filter(plan=plan).first().history.last().history_change_reason
        assert reason_shown(loaded) == "Plan file loaded"
        assert reason_shown("分解到县（市、区）") == "Split to the counties"
        undated = Assignment.objects.filter(deadline_reason="原文未定完成时限，按规划期末").first()
        assert undated is not None
        assert reason_shown(undated.deadline_reason) == "The plan text gives no deadline: the end of the plan period"
