"""The plan fixture, loaded the way `bootstrap` loads it, held against the plan text itself."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from measures.models import Department, Measure
from targets.models import Chapter, Indicator, Milestone, Plan, Section, Target

pytestmark = pytest.mark.django_db

PLAN_TEXT = (Path(settings.BASE_DIR) / "fixtures" / "plan_text.txt").read_text(encoding="utf-8")
SHARED_SEED = Path(settings.BASE_DIR).parent / "shared" / "seed" / "000_ccfb71ff49c42a5f.txt"
NUMERALS = "一二三四五六七八九十"


def squash(text: str) -> str:
    """The text with all whitespace removed, so line breaks and indentation do not matter."""
    return "".join(text.split())


def numeral(number: int) -> str:
    return NUMERALS[number - 1]


def headings_in_text() -> list[tuple[int, int | None, str]]:
    """(chapter, section or None, title) for every heading line of the plan text, in order."""
    headings: list[tuple[int, int | None, str]] = []
    chapter = 0
    for line in PLAN_TEXT.splitlines():
        line = line.strip()
        if match := re.fullmatch(r"([一二三四五六七八九十])、(\S+)", line):
            chapter = NUMERALS.index(match[1]) + 1
            headings.append((chapter, None, match[2]))
        elif match := re.fullmatch(r"（([一二三四五六七八九十])）(\S+)", line):
            headings.append((chapter, NUMERALS.index(match[1]) + 1, match[2]))
    return headings


def test_the_plan_text_in_the_repository_is_the_seed_text():
    if not SHARED_SEED.exists():
        pytest.skip(f"the shared seed is not on this machine ({SHARED_SEED})")
    assert SHARED_SEED.read_text(encoding="utf-8") == PLAN_TEXT


def test_plan_has_the_title_period_status_and_baseline_year_of_the_text(plan):
    assert plan.code == "liaocheng-air-2021-2025"
    assert plan.name == "聊城市“十四五”空气质量改善行动计划（2021-2025年）"
    assert PLAN_TEXT.splitlines()[0] == plan.name
    assert "（征求意见稿）" in PLAN_TEXT.splitlines()[1]
    assert plan.status == Plan.Status.DRAFT_FOR_COMMENTS
    assert (plan.start_year, plan.end_year, plan.baseline_year) == (2021, 2025, 2020)
    assert plan.area.code == "371500"
    assert plan.name_en


def test_chapters_and_sections_are_exactly_the_headings_of_the_text(plan):
    stored = [(c.number, None, c.title) for c in Chapter.objects.filter(plan=plan)]
    stored += [(s.chapter.number, s.number, s.title) for s in Section.objects.filter(chapter__plan=plan)]
    expected = headings_in_text()
    assert sorted(stored, key=lambda h: (h[0], h[1] or 0)) == expected
    assert [c.number for c in Chapter.objects.filter(plan=plan)] == list(range(1, 11))
    assert Section.objects.filter(chapter__plan=plan).count() == 32


def test_every_chapter_and_section_has_an_english_title(plan):
    assert not Chapter.objects.filter(plan=plan, title_en="").exists()
    assert not Section.objects.filter(chapter__plan=plan, title_en="").exists()


def test_every_measure_quotes_the_plan_text_verbatim(plan):
    text = squash(PLAN_TEXT)
    not_found = [m.code for m in Measure.objects.all() if squash(m.source_text) not in text]
    assert not_found == []


def test_every_measure_sits_in_the_section_whose_text_quotes_it(plan):
    """The source sentence appears between its section's heading and the next heading."""
    text = squash(PLAN_TEXT)
    headings = headings_in_text()
    starts = []
    position = 0
    for chapter, section, title in headings:
        marker = f"{numeral(chapter)}、{title}" if section is None else f"（{numeral(section)}）{title}"
        position = text.index(marker, position)
        starts.append(((chapter, section), position))
    misplaced = []
    for measure in Measure.objects.select_related("section__chapter"):
        key = (measure.section.chapter.number, measure.section.number)
        index = [k for k, _ in starts].index(key)
        begin = starts[index][1]
        end = starts[index + 1][1] if index + 1 < len(starts) else len(text)
        if squash(measure.source_text) not in text[begin:end]:
            misplaced.append(measure.code)
    assert misplaced == []


def test_the_plan_has_well_over_thirty_measures_with_unique_slugs(plan):
    codes = list(Measure.objects.values_list("code", flat=True))
    assert len(codes) >= 45
    assert all(re.fullmatch(r"m\d{2}-\d{2}-\d{2}", code) for code in codes)


def test_measure_codes_follow_chapter_and_section(plan):
    for measure in Measure.objects.select_related("section__chapter"):
        assert measure.code.startswith(f"m{measure.section.chapter.number:02d}-{measure.section.number:02d}-")


def test_every_deadline_is_the_last_day_of_a_month_named_in_the_source(plan):
    for measure in Measure.objects.exclude(deadline=None):
        assert (measure.deadline + datetime.timedelta(days=1)).day == 1, measure.code
        assert f"{measure.deadline.year}年" in measure.source_text or "“十四五”" in measure.source_text, measure.code


def test_every_quantity_is_written_in_its_source_sentence(plan):
    for measure in Measure.objects.exclude(quantity=None):
        number = f"{measure.quantity.normalize():f}"
        assert number in measure.source_text or (number == "100" and "全部" in measure.source_text), measure.code


def test_measures_without_areas_apply_everywhere_and_the_others_name_theirs(plan):
    for measure in Measure.objects.prefetch_related("areas"):
        assert measure.applies_to_all_areas == (not measure.areas.all()), measure.code


def test_every_department_is_named_in_the_text_and_responsible_for_something(plan):
    for department in Department.objects.all():
        assert department.name in PLAN_TEXT or department.name.removesuffix("部门") in PLAN_TEXT
        assert department.measures.exists(), department.name
        assert department.name_en


def measure(fragment: str, title: str = "") -> Measure:
    """The one measure whose source sentence contains ``fragment`` (and whose title contains ``title``)."""
    found = [m for m in Measure.objects.prefetch_related("areas", "departments") if fragment in m.source_text]
    if title:
        found = [m for m in found if title in m.title]
    assert len(found) == 1, [m.code for m in found]
    return found[0]


D = datetime.date


@pytest.mark.parametrize(
    ("fragment", "title", "expected"),
    [
        (
            "压减煤炭消费量56万吨",
            "2021",
            {"kind": "quantity", "deadline": D(2021, 12, 31), "quantity": 56, "unit": "万吨"},
        ),
        (
            "压减煤炭消费量56万吨",
            "2022",
            {"kind": "quantity", "deadline": D(2022, 12, 31), "quantity": 55, "unit": "万吨"},
        ),
        (
            "临清市大唐建材",
            "",
            {"kind": "milestone", "deadline": D(2022, 12, 31), "quantity": 2, "unit": "台", "areas": ["371581"]},
        ),
        ("自2021年7月1日起", "", {"kind": "prohibition", "start_date": D(2021, 7, 1), "deadline": None}),
        ("淘汰国三及以下排放标准柴油货车", "", {"kind": "milestone", "deadline": D(2023, 12, 31)}),
        ("淘汰国四及以下排放标准营运柴油货车", "", {"kind": "milestone", "deadline": D(2025, 12, 31)}),
        ("将主城区划定为", "", {"kind": "milestone", "deadline": D(2021, 12, 31)}),
        (
            "可再生能源装机规模达到500万千瓦左右",
            "",
            {"deadline": D(2025, 12, 31), "quantity": 500, "unit": "万千瓦", "comparison": "about"},
        ),
        ("新增和更新公交车辆新能源占比100%", "公交", {"quantity": 100, "unit": "%", "comparison": "at_least"}),
        ("新增和更新公交车辆新能源占比100%", "出租车", {"quantity": 80, "unit": "%", "comparison": "at_least"}),
        ("新车销量占比达20%左右", "", {"deadline": D(2025, 12, 31), "quantity": 20, "comparison": "about"}),
        ("到2022年，将禁止使用高排放非道路移动机械", "", {"deadline": D(2022, 12, 31)}),
        ("实时定位监控装置", "", {"deadline": D(2023, 12, 31)}),
        ("使用15年以上的非道路移动机械", "", {"deadline": D(2025, 12, 31)}),
        ("汽车整车制造底漆", "整车", {"deadline": D(2025, 12, 31), "quantity": 100, "unit": "%"}),
        ("汽车整车制造底漆", "木质家具", {"deadline": D(2025, 12, 31), "quantity": 80}),
        ("汽车整车制造底漆", "钢结构", {"deadline": D(2025, 12, 31), "quantity": 50, "unit": "%"}),
        ("简单低效VOCs治理设施清理整顿", "", {"kind": "milestone", "deadline": D(2022, 6, 30)}),
        ("无组织排放情况", "", {"kind": "milestone", "deadline": D(2022, 6, 30)}),
        ("年销售汽油量大于3000吨", "", {"deadline": D(2025, 12, 31), "quantity": None, "scope_threshold": 3000}),
        ("统一的LDAR信息管理平台", "", {"deadline": D(2023, 12, 31)}),
        ("每年臭氧污染高发季前", "", {"kind": "recurring", "report_period": "year", "deadline": None}),
        ("2022年9月底前完成重污染天气应急预案制修订", "", {"kind": "milestone", "deadline": D(2022, 9, 30)}),
        ("基本完成产业集群升级改造", "", {"deadline": D(2023, 12, 31)}),
        ("敷衍式治理工艺，2023年年底前基本完成", "", {"deadline": D(2023, 12, 31)}),
        ("燃气锅炉实施低氮燃烧改造", "燃气锅炉", {"deadline": D(2025, 12, 31)}),
        ("农村取暖、养殖业及农副产品加工业", "", {"deadline": D(2025, 12, 31)}),
        (
            "全市平均降尘量不得高于7吨",
            "",
            {"kind": "recurring", "report_period": "month", "quantity": 7, "comparison": "at_most"},
        ),
        ("秸秆综合利用率稳定在95%左右", "", {"quantity": 95, "comparison": "about", "report_period": "year"}),
        ("覆盖率不低于工业污染源排放量的65%", "", {"quantity": 65, "comparison": "at_least", "report_period": "year"}),
        ("当年12月底前完成与国家联网", "", {"kind": "recurring", "report_period": "year"}),
        (
            "禁止新建35蒸吨/小时及以下燃煤锅炉",
            "",
            {"kind": "prohibition", "quantity": None, "scope_threshold": 35, "scope_unit": "蒸吨/小时"},
        ),
        ("新建涉大宗货物年运输量150万吨以上", "", {"quantity": None, "scope_comparison": "at_least"}),
        ("20公里供热半径", "", {"quantity": None, "scope_threshold": 20, "scope_unit": "公里"}),
        ("10公里供热半径", "", {"quantity": None, "scope_threshold": 10, "scope_unit": "公里"}),
        ("进行中期评估和终期评估", "中期", {"deadline": D(2023, 12, 31), "departments": ["市生态环境局"]}),
        ("进行中期评估和终期评估", "终期", {"deadline": D(2025, 12, 31), "departments": ["市生态环境局"]}),
        ("每日发布空气质量预报信息", "", {"kind": "recurring", "deadline": None}),
        ("信发集团物流基地", "", {"kind": "milestone"}),
        ("日均使用货车超过10辆", "", {"quantity": None, "scope_threshold": 10, "scope_comparison": "more_than"}),
        ("公安机关交通管理部门不予办理迁入手续", "", {"kind": "prohibition", "departments": ["公安机关交通管理部门"]}),
    ],
)
def test_a_dated_or_quantified_measure_of_the_text_is_stored_as_the_text_says(plan, fragment, title, expected):
    found = measure(fragment, title)
    for name, value in expected.items():
        if name == "areas":
            assert sorted(a.code for a in found.areas.all()) == value
            assert not found.applies_to_all_areas
        elif name == "departments":
            assert sorted(d.name for d in found.departments.all()) == value
        elif name in ("quantity", "scope_threshold"):
            assert getattr(found, name) == (None if value is None else Decimal(value)), (found.code, name)
        else:
            assert getattr(found, name) == value, (found.code, name)


# Issue 11: a threshold that says what a measure covers is its scope, never a quantity to reach.
SCOPES: dict[str, tuple[str, int | None, str, str]] = {
    "m04-02-04": ("单机容量30万千瓦以下煤电机组", 30, "万千瓦", "at_most"),
    "m04-02-05": (
        "30万千瓦及以上热电联产电厂供热半径15公里范围内的燃煤锅炉和落后燃煤小热电机组（含自备电厂）",
        15,
        "公里",
        "at_most",
    ),
    "m04-02-06": ("35蒸吨/小时及以下燃煤锅炉", 35, "蒸吨/小时", "at_most"),
    "m04-03-01": ("20公里供热半径内", 20, "公里", "at_most"),
    "m04-03-02": ("10公里供热半径内", 10, "公里", "at_most"),
    "m05-01-01": ("大宗货物年运输量150万吨以上的大型工矿企业以及大型物流园区", 150, "万吨/年", "at_least"),
    "m05-01-02": ("新建涉大宗货物年运输量150万吨以上的项目", 150, "万吨/年", "at_least"),
    "m05-04-01": ("日均使用货车超过10辆的重点企业", 10, "辆/日", "more_than"),
    "m06-01-06": ("储油库和年销售汽油量大于3000吨的加油站", 3000, "吨/年", "more_than"),
    # Scopes without a number: which boilers, sites, stockpiles and firms the measure covers.
    "m06-02-04": ("生物质锅炉氮氧化物排放浓度无法稳定达标的", None, "", ""),
    "m07-01-03": ("规模以上工地", None, "", ""),
    "m07-01-04": ("大型煤炭、矿石等物料堆场", None, "", ""),
    "m07-03-02": ("恶臭投诉集中的工业园区、重点企业", None, "", ""),
}


def test_scope_thresholds_are_scope_quoted_from_the_measures_own_sentence_and_never_a_quantity(plan):
    scoped = Measure.objects.filter(plan=plan).exclude(scope_text="")
    assert {m.code for m in scoped} == set(SCOPES)
    for found in scoped:
        text, threshold, unit, comparison = SCOPES[found.code]
        assert text in found.source_text, found.code
        assert (found.scope_text, found.scope_threshold, found.scope_unit, found.scope_comparison) == (
            text,
            None if threshold is None else Decimal(threshold),
            unit,
            comparison,
        )
        assert (found.quantity, found.unit, found.comparison) == (None, "", ""), found.code


# Issue 11: how each quantity binds the areas, read from the sentence (全市 / a total / a share of sales).
BASES = {
    "m04-01-01": ("city_total", "可再生能源装机规模达到500万千瓦左右"),
    "m04-02-01": ("city_total", "2021年和2022年分别压减煤炭消费量56万吨和55万吨"),
    "m04-02-02": ("city_total", "2021年和2022年分别压减煤炭消费量56万吨和55万吨"),
    "m05-02-06": ("city_rate", "新增和更新出租车清洁能源和新能源占比80%"),
    "m06-01-02": ("city_rate", "木质家具制造、汽车零部件、工程机械使用比例达到80%"),
    "m06-01-03": ("city_rate", "钢结构使用比例达到50%"),
    "m07-01-01": ("city_rate", "全市平均降尘量不得高于7吨/月·平方公里"),
    "m07-02-01": ("city_rate", "全市秸秆综合利用率稳定在95%左右"),
    "m09-01-01": ("city_rate", "覆盖率不低于工业污染源排放量的65%"),
    "m05-02-07": ("city_statistic", "新能源汽车新车销量占比达20%左右"),
}


def test_city_totals_rates_and_statistics_are_marked_as_the_sentence_says(plan):
    quantified = Measure.objects.filter(plan=plan, quantity__isnull=False)
    for found in quantified:
        basis, sentence = BASES.get(found.code, ("each_area", ""))
        assert found.target_basis == basis, found.code
        assert sentence in found.source_text, found.code
    assert {m.code for m in quantified if m.target_basis != "each_area"} == set(BASES)


def test_a_county_is_given_its_own_target_never_the_city_total(plan):
    from measures.models import Assignment

    renewables = Assignment.objects.filter(measure__plan=plan, measure__code="m04-01-01")
    assert renewables.count() == 11  # 8 counties and 3 zones
    assert set(renewables.values_list("target_quantity", flat=True)) == {None}
    nev = Assignment.objects.filter(measure__plan=plan, measure__code="m05-02-07")
    assert {(a.area.code, a.target_quantity) for a in nev if a.target_quantity is not None} == {("371500", Decimal(20))}
    buses = Assignment.objects.filter(measure__plan=plan, measure__code="m05-02-05")
    assert set(buses.values_list("target_quantity", flat=True)) == {Decimal(100)}
    assert (
        not Assignment.objects.filter(measure__plan=plan)
        .exclude(measure__scope_text="")
        .exclude(target_quantity=None)
        .exists()
    )


def test_non_road_machinery_measures_name_the_five_supervising_departments(plan):
    expected = sorted(["生态环境部门", "自然资源部门", "住房城乡建设部门", "交通运输部门", "水利部门"])
    for fragment in ("到2022年，将禁止使用高排放非道路移动机械", "实时定位监控装置"):
        assert sorted(d.name for d in measure(fragment).departments.all()) == expected


CITY_AND_COUNTIES = ["371500", "371502", "371503", "371521", "371522", "371524", "371525", "371526", "371581"]


def test_measures_limited_to_some_areas_name_the_areas_their_sentences_do(plan):
    limited = {
        m.code: sorted(a.code for a in m.areas.all()) for m in Measure.objects.filter(applies_to_all_areas=False)
    }
    assert limited == {
        "m02-02-01": ["371500", *CITY_AND_COUNTIES[1:]],  # 明确各级政府部门责任分工: the city's part too
        "m03-02-01": ["371581"],
        "m05-02-08": ["371502", "LC-ETDZ", "LC-HTZ", "LC-JBSC"],  # 主城区: 东昌府区 and the three zones
        "m06-01-07": ["371500"],  # 统一的LDAR信息管理平台
        "m10-03-01": ["371500"],  # 每日发布空气质量预报信息: the bureau's
        "m09-02-01": CITY_AND_COUNTIES,  # 市、县两级生态环境部门
        "m09-03-01": ["371500"],
        "m10-01-02": ["371500"],
        "m10-02-01": ["371500"],
        "m10-02-02": ["371500"],
        "m10-02-03": ["371500"],
    }


def test_indicators_are_named_after_the_statistics_fields(plan):
    rows = {i.code: (i.unit, i.direction, i.decimals, i.source) for i in Indicator.objects.all()}
    assert rows == {
        "good_day_ratio": ("%", "at_least", 1, "monitoring"),
        "pm25": ("µg/m³", "at_most", 0, "monitoring"),
        "heavy_day_ratio": ("%", "at_most", 1, "monitoring"),
        "nox_reduction": ("t", "at_least", 0, "reduction_projects"),
        "vocs_reduction": ("t", "at_least", 0, "reduction_projects"),
    }


def test_the_five_2025_targets_and_the_2035_outlook_come_from_the_text(plan):
    targets = {
        (t.indicator.code, t.target_year): t
        for t in Target.objects.filter(plan=plan, area__code="371500").select_related("indicator")
    }
    values = {key: t.value for key, t in targets.items()}
    assert values == {
        ("good_day_ratio", 2025): Decimal("63.7"),
        ("pm25", 2025): Decimal("43"),
        ("heavy_day_ratio", 2025): Decimal("1.2"),
        ("nox_reduction", 2025): Decimal("8500"),
        ("vocs_reduction", 2025): Decimal("6200"),
        ("pm25", 2035): Decimal("35"),
    }
    for target in targets.values():
        assert squash(target.source_text) in squash(PLAN_TEXT)
        assert target.baseline_year == 2020
    assert "0.85万吨" in targets["nox_reduction", 2025].source_text
    assert "0.62万吨" in targets["vocs_reduction", 2025].source_text
    assert "35微克/立方米以内" in targets["pm25", 2035].source_text
    assert targets["pm25", 2035].is_outlook
    assert not targets["pm25", 2025].is_outlook


def test_baselines_are_unknown_for_monitoring_and_zero_for_cumulative_reductions(plan):
    baselines = {
        t.indicator.code: t.baseline_value for t in Target.objects.filter(target_year=2025, area__code="371500")
    }
    assert baselines == {
        "good_day_ratio": None,
        "pm25": None,
        "heavy_day_ratio": None,
        "nox_reduction": Decimal("0"),
        "vocs_reduction": Decimal("0"),
    }


def test_every_2025_target_has_a_milestone_for_each_plan_year(plan):
    for target in Target.objects.filter(target_year=2025, area__code="371500"):
        assert list(target.milestones.values_list("year", flat=True)) == [2021, 2022, 2023, 2024, 2025]
    assert not Milestone.objects.filter(target__target_year=2035).exists()


def test_milestones_are_unknown_until_the_baseline_is_known(plan):
    pm25 = Target.objects.get(indicator__code="pm25", target_year=2025, area__code="371500")
    assert list(pm25.milestones.values_list("value", flat=True)) == [None] * 5
    nox = Target.objects.get(indicator__code="nox_reduction", area__code="371500")
    assert list(nox.milestones.values_list("value", flat=True)) == [
        Decimal(v) for v in ("1700", "3400", "5100", "6800", "8500")
    ]
    assert not Milestone.objects.filter(is_custom=True).exists()


def test_every_one_off_task_falls_due_and_an_undated_one_at_the_plans_end(plan):
    """Issue 11: "完成" without a date falls due at the end of the plan's period, saying so."""
    from measures.models import Assignment

    one_off = Assignment.objects.filter(measure__plan=plan, measure__report_period="once")
    assert not one_off.filter(deadline__isnull=True).exists()
    undated = one_off.filter(measure__deadline__isnull=True)
    assert sorted({a.measure.code for a in undated}) == [
        "m02-01-03",
        "m04-02-04",
        "m04-02-05",
        "m05-01-03",
        "m06-02-04",
        "m07-01-04",
        "m07-02-03",
        "m07-03-02",
        "m09-02-01",
        "m10-02-03",
    ]
    assert {(a.deadline, a.deadline_reason) for a in undated} == {(D(2025, 12, 31), "原文未定完成时限，按规划期末")}
    # A recurring duty or prohibition has no due date of its own, and so no reason for one.
    periodic = Assignment.objects.filter(measure__plan=plan).exclude(measure__report_period="once")
    assert set(periodic.values_list("deadline_reason", flat=True)) == {""}


# Issue 11, item 6: measures a review found missing, each with the kind of work the sentence asks for.
ADDED = {
    "编制涉VOCs排放源清单": ("m02-01-03", "milestone", "once"),
    "加强应急减排清单标准化管理，做到涉气企业全覆盖": ("m02-02-02", "recurring", "year"),
    "全面实施汽车排放检测与维护（I/M）制度和汽车排放召回制度": ("m05-02-09", "recurring", "year"),
    "持续开展非道路移动机械编码登记、定位管控": ("m05-03-04", "recurring", "year"),
    "生物质锅炉氮氧化物排放浓度无法稳定达标的，加装高效脱硝设施": ("m06-02-04", "milestone", "once"),
    "规模以上工地安装在线监测和视频监控设施": ("m07-01-03", "recurring", "year"),
    "物料堆场全面完成围挡、苫盖、自动喷淋等抑尘设施建设": ("m07-01-04", "milestone", "once"),
    "建立秸秆资源台账系统和定期调度机制": ("m07-02-03", "milestone", "once"),
    "安装运行电子鼻等在线监测预警系统": ("m07-03-02", "milestone", "once"),
    "全面配备便携式氢火焰离子检测仪、手持式光离子化检测仪": ("m09-02-01", "milestone", "once"),
    "按照要求动态更新大气污染源排放清单": ("m09-03-01", "recurring", "year"),
    "定期调度，推动各项任务按期落实，并及时向市政府报告": ("m10-01-02", "recurring", "year"),
    "要制定本规划实施细则和年度计划": ("m10-01-01", "recurring", "year"),
}


@pytest.mark.parametrize(("fragment", "expected"), ADDED.items())
def test_the_measures_a_review_found_missing_are_in_the_registry(plan, fragment, expected):
    found = [m for m in Measure.objects.filter(plan=plan) if fragment in m.source_text]
    assert [(m.code, m.kind, m.report_period) for m in found] == [expected]


def test_the_evaluations_are_published_by_the_bureau_at_the_plans_end(plan):
    published = Measure.objects.get(plan=plan, code="m10-02-03")
    assert "评估结果向市政府报告，向社会公布" in published.source_text
    assert [d.name for d in published.departments.all()] == ["市生态环境局"]
    assert published.assignments.get().deadline == D(2025, 12, 31)
