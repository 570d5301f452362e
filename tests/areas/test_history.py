"""Stamped reasons shown in the reader's language (areas.history.reason_shown): the product's fixed labels are
translated, what a person typed is shown as typed."""

from __future__ import annotations

from django.utils import translation

from areas.history import reason_shown


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
