"""The monthly bulletin (issue 12, item 2): its figures are the stored figures of its run, worded as
bulletin.md asks, in Word and in PDF with the Chinese text extractable.

The data (tests/progress/conftest.py): the city's 2025 days are 58 good (AQI 80) from 1 January, then 30
lightly polluted (130) and 2 heavy (220) to 31 March, PM2.5 50 every day; 2024's first 91 days were all good,
PM2.5 55. So March 2025 has 31 days, none good, 2 heavy; 1-3月 has 58 good days of 90.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from pypdf import PdfReader

from progress import services
from progress.bulletin import bulletin_blocks, bulletin_figures
from progress.documents import Paragraph, render_docx, render_pdf
from targets import services as target_services
from tests.progress.conftest import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stored")]


@pytest.fixture
def run(plan):
    target_services.county_targets_ensure(plan=plan)
    (run,) = services.scores_recompute(years=[2025], today=TODAY)
    return run


def texts(blocks):
    return [b.text for b in blocks if isinstance(b, Paragraph)]


def test_the_march_bulletin_quotes_the_runs_figures_worded_as_a_bureau_does(run):
    figures = bulletin_figures(year=2025, month=3)
    assert figures.run == run
    month, to_month, allowance = texts(bulletin_blocks(figures))[1:4]
    # March: 0 of 31 days good against 31 of 31 in March 2024: 100.0 points fewer; 2 heavy days against 0.
    assert "优良天数 0 天，优良天数比例 0.0%，同比减少 100.0 个百分点" in month
    assert "重污染天数 2 天，同比增加 2 天" in month
    # PM2.5 50 against 55: (50 - 55) / 55 = -9.09 %, an improvement of 9.1 %.
    assert "PM2.5 50 µg/m³，同比改善 9.1%" in month
    assert "SO2 10 µg/m³，同比持平" in month
    # 1-3月: 58 of 90 days good = 64.4 %, 35.6 points below 2024's 100.0 %.
    assert to_month.startswith("2025年1-3月，全市")
    assert "优良天数 58 天，优良天数比例 64.4%，同比减少 35.6 个百分点" in to_month
    # The year's allowance as the home page shows it for the same run.
    assert allowance == "对照年度目标：全年剩余可超标天数 100 天；余下各日 PM2.5 平均浓度须控制在 41.3 µg/m³ 以内。"


def test_the_rankings_name_the_groups_and_the_last_three(run):
    blocks = bulletin_blocks(bulletin_figures(year=2025, month=3))
    lines = texts(blocks)
    # County A alone has stations: its March PM2.5 is 60 against 50 a year earlier, 20.0 % worse.
    assert (
        "PM2.5：最好的是东昌府区（60），最差的是东昌府区（60）；同比改善 0 个、持平 0 个、恶化 1 个；"
        "恶化幅度最大的是东昌府区（20.0%）。"
    ) in lines
    assert "主城四区2025年3月综合指数排名依次为：东昌府区。" in lines
    last_three = next(b for b in blocks if getattr(b, "header", None) == ["项目", "后三位（浓度或指数）"])
    assert ["PM2.5", "东昌府区（60）"] in last_three.rows


def test_a_month_without_complete_data_is_refused_with_a_clear_message(run, tmp_path):
    with pytest.raises(CommandError, match="2025年4月的监测数据不完整（数据截至 2025-03-31）"):
        call_command("bulletin", "--month", "2025-04", "--output", str(tmp_path / "b.docx"))
    with pytest.raises(CommandError, match="2019年1月没有监测数据"):
        call_command("bulletin", "--month", "2019-01", "--output", str(tmp_path / "b.docx"))
    with pytest.raises(CommandError, match=r"must end in \.docx or \.pdf"):
        call_command("bulletin", "--month", "2025-03", "--output", str(tmp_path / "b.txt"))
    with pytest.raises(CommandError, match="expected YYYY-MM"):
        call_command("bulletin", "--month", "2025-13", "--output", str(tmp_path / "b.pdf"))
    assert not list(tmp_path.iterdir())


def test_word_and_pdf_hold_the_chinese_text(run, tmp_path):
    call_command("bulletin", "--month", "2025-03", "--output", str(tmp_path / "b.docx"))
    call_command("bulletin", "--month", "2025-03", "--output", str(tmp_path / "b.pdf"))
    word = Document(tmp_path / "b.docx")
    paragraphs = [p.text for p in word.paragraphs]
    assert paragraphs[0] == "聊城市环境空气质量月度通报（2025年3月）"
    assert any("PM2.5 50 µg/m³，同比改善 9.1%" in p for p in paragraphs)
    assert word.tables[0].rows[0].cells[1].text == "单位"
    pdf = PdfReader(tmp_path / "b.pdf")
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in pdf.pages))
    assert "聊城市环境空气质量月度通报（2025年3月）" in text
    assert "优良天数比例64.4%，同比减少35.6个百分点" in text


def test_the_english_bulletin_says_the_same_in_english(run, tmp_path):
    call_command("bulletin", "--month", "2025-03", "--output", str(tmp_path / "b.docx"), "--lang", "en")
    paragraphs = [p.text for p in Document(tmp_path / "b.docx").paragraphs]
    assert paragraphs[0] == "Liaocheng monthly air quality bulletin (March 2025)"
    assert any("PM2.5 50 µg/m³, 9.1% better than a year earlier" in p for p in paragraphs)


def test_the_renderers_take_any_blocks():
    blocks = [Paragraph("聊城 µg/m³ <&>")]
    assert Document(io.BytesIO(render_docx(blocks))).paragraphs[-1].text == "聊城 µg/m³ <&>"
    assert "聊城" in PdfReader(io.BytesIO(render_pdf(blocks))).pages[0].extract_text()


def test_dust_fall_per_point_per_unit_and_for_the_city_against_7(run):
    """March 2025: 东昌府区's points 5.2 and 6.1 average 5.65, which GB/T 8170 rounds to 5.6 (a 5 rounds to
    the even digit); 临清市's one point 7.9; the city's three points 19.2 / 3 = 6.4, within 7. March 2024:
    东昌府区 6.0 and 6.0, so the city 6.0: 6.4 is 6.7 % worse, 东昌府区's 5.6 is 6.7 % better."""
    from monitoring.services_dustfall import dust_fall_import

    dust_fall_import(
        content=(
            "point_code,point_name,area_code,month,value\n"
            "DF01,一号点,371502,2025-03,5.2\nDF02,二号点,371502,2025-03,6.1\nDF03,临清点,371581,2025-03,7.9\n"
            "DF01,一号点,371502,2024-03,6.0\nDF02,二号点,371502,2024-03,6.0\n"
        ).encode()
    )
    blocks = bulletin_blocks(bulletin_figures(year=2025, month=3))
    assert (
        "2025年3月全市平均降尘量 6.4 吨/平方千米·月（3 个点位），达到不高于 7 吨/平方千米·月的要求，同比恶化 6.7%。"
        in texts(blocks)
    )
    units = next(
        b for b in blocks if getattr(b, "header", None) == ["排名", "县（市、区）", "平均降尘量", "点位数", "同比"]
    )
    assert units.rows == [["1", "东昌府区", "5.6", "2", "-6.7%"], ["2", "临清市", "7.9", "1", "—"]]
    headings = [b.text for b in blocks if getattr(b, "level", None) == 1]
    assert headings[3:] == ["四、降尘", "五、任务措施推进情况（截至2025-03-31）"]


def test_the_ranking_by_improvement_names_ties_together():
    from decimal import Decimal

    from areas.models import Area
    from progress.bulletin import GroupTable, _improvement_sentence
    from progress.models import RankingEntry

    def entry(name, rank, improvement):
        return RankingEntry(area=Area(name=name), improvement_rank=rank, improvement=Decimal(improvement))

    entries = [entry("临清市", 1, "12.3"), entry("冠县", 2, "8.0"), entry("莘县", 2, "8.0"), entry("茌平区", 4, "-1.5")]
    table = GroupTable(group=None, month=entries, to_month=[])
    assert _improvement_sentence(table, entries, "2025年3月", like_for_like=False) == (
        "全部考核单位2025年3月综合指数同比改善率排名依次为：临清市（12.3%），冠县、莘县（并列，8.0%），茌平区（-1.5%）。"
    )
    assert _improvement_sentence(table, [], "2025年3月", like_for_like=False) == ""


def test_the_month_is_set_beside_the_month_before(run):
    from progress.bulletin import since_last_month_sentences

    figures = bulletin_figures(year=2025, month=3)
    # February 2025: 27 good days of 28 (96.4 %); March: none of 31 (0.0 %). The concentrations do not move:
    # 10/60 + 30/40 + 80/70 + 50/35 + 1.0/4 + 100/160 = 4.363 → 4.36 both months.
    assert since_last_month_sentences(figures) == [
        "与2月相比，全市综合指数由 4.36 变为 4.36（持平），"
        "PM2.5由 50 变为 50 µg/m³（持平），优良天数比例由 96.4% 变为 0.0%（恶化 96.4 个百分点）。",
        "全部考核单位综合指数排名与上月相同。",
    ]
    assert since_last_month_sentences(bulletin_figures(year=2025, month=1)) == []


def test_the_bulletin_charts_the_citys_months_in_word_and_pdf(run, tmp_path):
    import io

    from docx import Document as WordDocument
    from pypdf import PdfReader

    from progress.documents import ImageBlock

    blocks = bulletin_blocks(bulletin_figures(year=2025, month=3))
    charts = [b for b in blocks if isinstance(b, ImageBlock)]
    assert [c.caption for c in charts] == [
        "图1 全市各月优良天数比例（%）：蓝色为2025年，灰色为2024年同月",
        "图2 全市各月PM2.5（µg/m³）：蓝色为2025年，灰色为2024年同月",
    ]
    assert all(c.png.startswith(b"\x89PNG\r\n\x1a\n") for c in charts)
    call_command("bulletin", "--month", "2025-03", "--output", str(tmp_path / "b.docx"))
    call_command("bulletin", "--month", "2025-03", "--output", str(tmp_path / "b.pdf"))
    word = WordDocument(str(tmp_path / "b.docx"))
    assert len(word.inline_shapes) == 2
    assert "图2 全市各月PM2.5（µg/m³）" in "\n".join(p.text for p in word.paragraphs)
    pdf = PdfReader(io.BytesIO((tmp_path / "b.pdf").read_bytes()))
    assert sum(len(page.images) for page in pdf.pages) == 2
