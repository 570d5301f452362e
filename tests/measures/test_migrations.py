"""measures.0004 gives every stored measure, and every history record of one, the plan of its section."""

from __future__ import annotations

from tests.migrations import latest, migrate

BEFORE = [("measures", "0003_area_moved_to_areas")]


def test_stored_measures_and_their_history_get_their_sections_plan(migrating: None) -> None:
    old = migrate(BEFORE)
    old_measure = old.get_model("measures", "Measure")
    measures_before = sorted(old_measure.objects.values_list("pk", "code", "section_id", "title"))
    history_before = old.get_model("measures", "HistoricalMeasure").objects.count()
    assert len(measures_before) == 71
    assert history_before >= 71

    new = migrate(latest())
    measure = new.get_model("measures", "Measure")
    rows = list(
        measure.objects.values_list("pk", "code", "section_id", "title", "plan_id", "section__chapter__plan_id")
    )
    assert sorted(row[:4] for row in rows) == measures_before
    assert all(plan_id is not None and plan_id == section_plan for *_, plan_id, section_plan in rows)
    history = new.get_model("measures", "HistoricalMeasure").objects
    assert history.exclude(history_change_reason__startswith="数据更正").count() == history_before
    assert not history.filter(plan__isnull=True).exists()


BEFORE_PROJECT_PLAN = [("measures", "0005_assignment_outcome")]


def test_stored_key_projects_get_the_plan_of_their_completion_year_and_an_effective_date(migrating: None) -> None:
    """measures.0006-0008: every project keeps its row and history; a verified one took effect when verified."""
    old = migrate(BEFORE_PROJECT_PLAN)
    area = old.get_model("areas", "Area").objects.get(code="371502")
    user = old.get_model("auth", "User").objects.create(username="registrar")
    project = old.get_model("measures", "ReductionProject")
    common = {"area": area, "enterprise": "企业", "pollutant": "nox", "created_by": user, "expected_tonnes": 10}
    verified = project.objects.create(
        name="已核定", planned_completion="2024-06-30", verified_tonnes=9, verified_on="2024-08-01", **common
    )
    open_one = project.objects.create(name="在建", planned_completion="2025-12-31", **common)
    plan_id = old.get_model("targets", "Plan").objects.get(code="liaocheng-air-2021-2025").pk

    new = migrate(latest())
    rows = {p.pk: p for p in new.get_model("measures", "ReductionProject").objects.all()}
    assert set(rows) == {verified.pk, open_one.pk}
    assert (rows[verified.pk].plan_id, str(rows[verified.pk].effective_on)) == (plan_id, "2024-08-01")
    assert (rows[open_one.pk].plan_id, rows[open_one.pk].effective_on) == (plan_id, None)


BEFORE_SCOPE = [("measures", "0008_reduction_project_plan_required")]


def test_scope_thresholds_and_city_totals_stop_being_county_targets_and_nothing_is_lost(migrating: None) -> None:
    """measures.0009-0010 (issue 11): the stored plan as it was loaded before, with a form on a city total."""
    old = migrate(BEFORE_SCOPE)
    measure = old.get_model("measures", "Measure")
    assignment = old.get_model("measures", "Assignment")
    plan = old.get_model("targets", "Plan").objects.get(code="liaocheng-air-2021-2025")
    # The stored rows as the old fixture made them: thresholds as quantities, city figures copied to counties.
    measure.objects.filter(plan=plan, code="m04-02-06").update(quantity=35, unit="蒸吨/小时", comparison="at_most")
    for code, quantity in (("m04-02-06", 35), ("m04-01-01", 500), ("m05-02-07", 20)):
        assignment.objects.filter(measure__plan=plan, measure__code=code).update(target_quantity=quantity)
    assignment.objects.filter(measure__plan=plan, measure__code="m05-02-07", area=plan.area).delete()
    official = old.get_model("auth", "User").objects.create(username="dcf-official")
    renewables_dcf = assignment.objects.get(measure__plan=plan, measure__code="m04-01-01", area__code="371502")
    form = old.get_model("measures", "Submission").objects.create(
        assignment=renewables_dcf, work_status="in_progress", progress_value=40, narrative="光伏", created_by=official
    )
    assignments_before = set(assignment.objects.values_list("pk", "measure_id", "area_id"))

    new = migrate([("measures", "0010_scope_and_city_targets_corrected")])
    measure = new.get_model("measures", "Measure")
    assignment = new.get_model("measures", "Assignment")
    boilers = measure.objects.get(plan=plan.pk, code="m04-02-06")
    assert (boilers.quantity, boilers.unit, boilers.comparison) == (None, "", "")
    assert (boilers.scope_text, boilers.scope_threshold, boilers.scope_unit, boilers.scope_comparison) == (
        "35蒸吨/小时及以下燃煤锅炉",
        35,
        "蒸吨/小时",
        "at_most",
    )
    assert not assignment.objects.filter(measure=boilers, target_quantity__isnull=False).exists()
    renewables = assignment.objects.filter(measure__plan=plan.pk, measure__code="m04-01-01")
    assert measure.objects.get(plan=plan.pk, code="m04-01-01").target_basis == "city_total"
    assert set(renewables.values_list("target_quantity", flat=True)) == {None}
    nev = assignment.objects.filter(measure__plan=plan.pk, measure__code="m05-02-07")
    assert {(a.area_id == plan.area_id, a.target_quantity) for a in nev} == {(True, 20), (False, None)}

    # Nothing lost: every assignment is still there (one more, the city's), the form is untouched, and each
    # change has a history record with its reason.
    after = set(assignment.objects.values_list("pk", "measure_id", "area_id"))
    assert assignments_before < after
    assert len(after - assignments_before) == 1
    kept = new.get_model("measures", "Submission").objects.get(pk=form.pk)
    assert (kept.assignment_id, kept.progress_value, kept.narrative) == (renewables_dcf.pk, 40, "光伏")
    history = new.get_model("measures", "HistoricalAssignment").objects
    assert history.filter(id=renewables_dcf.pk, history_change_reason__contains="待市局分解").exists()
    assert history.filter(measure_id=boilers.pk, history_change_reason__contains="范围界限").count() == 11


BEFORE_DUE_DATES = [("measures", "0010_scope_and_city_targets_corrected")]


def test_undated_one_off_tasks_fall_due_at_the_plans_end_and_nothing_else_moves(migrating: None) -> None:
    """measures.0012 (issue 11): 推进单机容量30万千瓦以下煤电机组关停整合 has no date in the plan."""
    old = migrate(BEFORE_DUE_DATES)
    assignment = old.get_model("measures", "Assignment")
    plan = old.get_model("targets", "Plan").objects.get(code="liaocheng-air-2021-2025")
    undated = assignment.objects.filter(measure__plan=plan, measure__code__in=["m04-02-04", "m04-02-05", "m05-01-03"])
    undated.update(deadline=None, deadline_reason="")
    refined = undated.filter(measure__code="m05-01-03", area__code="371502")
    refined.update(deadline="2024-06-30", deadline_reason="市局要求提前")
    before = dict(assignment.objects.values_list("pk", "deadline"))

    new = migrate([("measures", "0012_undated_tasks_fall_due_at_plan_end")])
    after = {a.pk: a for a in new.get_model("measures", "Assignment").objects.all()}
    assert set(after) == set(before)
    moved = {pk for pk in before if after[pk].deadline != before[pk]}
    assert moved == set(undated.exclude(pk__in=refined.values("pk")).values_list("pk", flat=True))
    assert len(moved) == 32
    assert {(str(after[pk].deadline), after[pk].deadline_reason) for pk in moved} == {
        ("2025-12-31", "原文未定完成时限，按规划期末")
    }
    assert str(after[refined.get().pk].deadline) == "2024-06-30"
    history = new.get_model("measures", "HistoricalAssignment").objects
    assert history.filter(id__in=moved, history_change_reason__contains="按规划期末").count() == 32


def test_a_duty_without_a_due_date_loses_the_plan_end_reason_and_nothing_else_moves(migrating: None) -> None:
    """measures.0013: the reason written on recurring duties by mistake is cleared; dated ones keep theirs."""
    old = migrate([("measures", "0012_undated_tasks_fall_due_at_plan_end")])
    assignment = old.get_model("measures", "Assignment")
    plan = old.get_model("targets", "Plan").objects.get(code="liaocheng-air-2021-2025")
    recurring = assignment.objects.filter(measure__plan=plan, measure__report_period="year", deadline__isnull=True)
    recurring.update(deadline_reason="原文未定完成时限，按规划期末")
    wrong = set(recurring.values_list("pk", flat=True))
    before = set(assignment.objects.values_list("pk", "deadline", "deadline_reason"))

    new = migrate(latest())
    after = set(new.get_model("measures", "Assignment").objects.values_list("pk", "deadline", "deadline_reason"))
    assert len(wrong) > 100
    assert {row for row in before if row[0] not in wrong} <= after
    assert {row[2] for row in after if row[0] in wrong} == {""}
    dated = new.get_model("measures", "Assignment").objects.filter(deadline_reason="原文未定完成时限，按规划期末")
    assert dated.count() == 98


def test_stored_duties_get_the_due_rules_the_plan_file_states_and_a_rule_already_set_stays(migrating: None) -> None:
    """measures.0014-0015: monthly duties by the 5th working day, yearly ones by 31 December, the ozone-season
    spot check by 30 April; one-off work gets no rule; a measure keeps its row and gains a history record."""
    old = migrate([("measures", "0013_undated_duties_lose_the_plan_end_reason")])
    measure = old.get_model("measures", "Measure")
    before = set(measure.objects.values_list("pk", "code", "report_period"))
    history_before = old.get_model("measures", "HistoricalMeasure").objects.count()

    new = migrate([("measures", "0014_recurring_duty_due_rules")])
    set_by_bureau = new.get_model("measures", "Measure").objects.get(code="m07-01-02")
    set_by_bureau.monthly_due_working_day = 3
    set_by_bureau.save()

    new = migrate(latest())
    rows = {
        m.code: m for m in new.get_model("measures", "Measure").objects.filter(plan__code="liaocheng-air-2021-2025")
    }
    assert {(m.pk, m.code, m.report_period) for m in rows.values()} == before
    rules = {code: (m.monthly_due_working_day, m.yearly_due_month, m.yearly_due_day) for code, m in rows.items()}
    assert rules["m06-01-08"] == (None, 4, 30)
    assert rules["m07-01-01"] == (5, None, None)
    assert rules["m07-01-02"] == (3, None, None)
    assert rules["m09-01-02"] == (None, 12, 31)
    assert {rules[code] for code, m in rows.items() if m.report_period == "once"} == {(None, None, None)}
    changed = sum(1 for m in rows.values() if m.report_period != "once") - 1
    history = new.get_model("measures", "HistoricalMeasure").objects
    assert history.exclude(history_change_reason__contains="责任区域").count() == history_before + changed
    assert history.filter(history_change_reason__contains="报送截止日").count() == changed


def test_measures_move_to_the_areas_the_plan_names_and_no_filed_form_is_lost(migrating: None) -> None:
    """measures.0016: the 主城区 lorry ban leaves the outlying counties for 东昌府区 and the zones; the LDAR
    platform and the daily forecasts go to the city; the emergency plan gains the city. A county's form on
    a measure it loses stays with its assignment."""
    old = migrate([("measures", "0015_recurring_duties_get_due_rules")])
    assignment = old.get_model("measures", "Assignment")
    submission = old.get_model("measures", "Submission")
    # The registry as it stood: the four measures assigned to every county and to nobody else.
    counties = list(old.get_model("areas", "Area").objects.filter(kind="county"))
    for measure in old.get_model("measures", "Measure").objects.filter(
        plan__code="liaocheng-air-2021-2025", code__in=["m05-02-08", "m06-01-07", "m10-03-01", "m02-02-01"]
    ):
        measure.applies_to_all_areas = True
        measure.save()
        measure.areas.clear()
        assignment.objects.filter(measure=measure).delete()
        for county in counties:
            assignment.objects.create(measure=measure, area=county, deadline=measure.deadline)
    user = old.get_model("auth", "User").objects.create(username="linqing-official")
    linqing_ban = assignment.objects.get(measure__code="m05-02-08", area__code="371581")
    filed = submission.objects.create(assignment=linqing_ban, created_by=user, narrative="已核查")
    submissions_before = set(submission.objects.values_list("pk", "assignment_id"))

    new = migrate(latest())
    assignment = new.get_model("measures", "Assignment")

    def areas_of(code: str) -> set[str]:
        return set(assignment.objects.filter(measure__code=code).values_list("area__code", flat=True))

    assert areas_of("m05-02-08") == {"371502", "LC-ETDZ", "LC-HTZ", "LC-JBSC", "371581"}
    assert areas_of("m06-01-07") == {"371500"}
    assert areas_of("m10-03-01") == {"371500"}
    assert areas_of("m02-02-01") == {
        "371500",
        "371502",
        "371503",
        "371521",
        "371522",
        "371524",
        "371525",
        "371526",
        "371581",
    }
    assert set(new.get_model("measures", "Submission").objects.values_list("pk", "assignment_id")) == submissions_before
    assert new.get_model("measures", "Submission").objects.get(pk=filed.pk).assignment_id == linqing_ban.pk
    zone = assignment.objects.get(measure__code="m05-02-08", area__code="LC-ETDZ")
    assert str(zone.deadline) == "2021-12-31"
    city_forecast = assignment.objects.get(measure__code="m10-03-01", area__code="371500")
    assert city_forecast.deadline is None
    measure = new.get_model("measures", "Measure").objects.get(code="m05-02-08")
    assert not measure.applies_to_all_areas
    assert {a.code for a in measure.areas.all()} == {"371502", "LC-ETDZ", "LC-HTZ", "LC-JBSC"}
    history = new.get_model("measures", "HistoricalAssignment").objects
    assert history.filter(id=linqing_ban.pk, history_change_reason__contains="保留待市局处理").exists()
    removed = history.filter(history_type="-", history_change_reason__contains="责任区域按原文")
    # 6 outlying counties lose the ban (临清市 keeps its filed one), 8 counties lose the platform and forecasts.
    assert removed.count() == 6 + 8 + 8
    added = history.filter(history_type="+", history_change_reason__contains="责任区域按原文")
    assert added.count() == 3 + 1 + 1 + 1


def test_zones_get_the_measures_every_county_has_and_nothing_else_changes(migrating: None) -> None:
    """measures.0017: the three zones are assessment units; stored assignments stay as they are."""
    old = migrate([("measures", "0016_measures_go_to_the_areas_the_plan_names")])
    assignment = old.get_model("measures", "Assignment")
    zones = ["LC-ETDZ", "LC-HTZ", "LC-JBSC"]
    # The registry as it stood: no zone held a measure every county holds.
    assignment.objects.filter(area__code__in=zones, measure__applies_to_all_areas=True).delete()
    before = set(assignment.objects.values_list("pk", "measure_id", "area_id", "deadline", "target_quantity"))
    all_areas = old.get_model("measures", "Measure").objects.filter(applies_to_all_areas=True).count()

    new = migrate([("measures", "0017_zones_are_assessment_units")])
    assignment = new.get_model("measures", "Assignment")
    after = set(assignment.objects.values_list("pk", "measure_id", "area_id", "deadline", "target_quantity"))
    assert before <= after
    added = assignment.objects.exclude(pk__in=[row[0] for row in before])
    assert added.count() == 3 * all_areas
    assert set(added.values_list("area__code", flat=True)) == set(zones)
    county = {(a.measure_id, a.deadline, a.target_quantity) for a in assignment.objects.filter(area__code="371581")}
    zone = {(a.measure_id, a.deadline, a.target_quantity) for a in added.filter(area__code="LC-HTZ")}
    assert zone <= county
    history = new.get_model("measures", "HistoricalAssignment").objects
    assert history.filter(history_change_reason__contains="功能区作为考核单位").count() == 3 * all_areas


def test_departments_get_their_city_wide_reports_and_nothing_else_changes(migrating: None) -> None:
    """measures.0021: the departments the plan charges report city-wide; stored assignments stay."""
    old = migrate([("measures", "0020_department_reporters")])
    assignment = old.get_model("measures", "Assignment")
    measure = old.get_model("measures", "Measure")
    assert not assignment.objects.filter(department__isnull=False).exists()
    assert not measure.reporting_departments.through.objects.exists()
    county = assignment.objects.get(measure__code="m05-02-02", area__code="371502")
    official = old.get_model("auth", "User").objects.create(username="dcf-official")
    form = old.get_model("measures", "Submission").objects.create(
        assignment=county, period="2024", work_status="in_progress", narrative="迁入审查", created_by=official
    )
    before = set(assignment.objects.values_list("pk", "measure_id", "area_id", "deadline", "target_quantity"))

    new = migrate([("measures", "0021_departments_report_city_wide")])
    assignment = new.get_model("measures", "Assignment")
    after = set(assignment.objects.values_list("pk", "measure_id", "area_id", "deadline", "target_quantity"))
    assert before <= after
    added = assignment.objects.exclude(pk__in=[row[0] for row in before])
    assert sorted(added.values_list("measure__code", "department__name")) == sorted(
        [("m05-02-02", "公安机关交通管理部门")]
        + [
            (code, name)
            for code in ("m05-03-01", "m05-03-02")
            for name in ("自然资源部门", "住房城乡建设部门", "交通运输部门", "水利部门")
        ]
    )
    assert set(added.values_list("area__code", "target_quantity")) == {("371500", None)}
    lorries = new.get_model("measures", "Measure").objects.get(code="m05-02-02")
    assert [d.name for d in lorries.reporting_departments.all()] == ["公安机关交通管理部门"]
    kept = new.get_model("measures", "Submission").objects.get(pk=form.pk)
    assert (kept.assignment_id, kept.narrative) == (county.pk, "迁入审查")
    history = new.get_model("measures", "HistoricalAssignment").objects
    assert history.filter(history_change_reason__contains="部门作为填报单位").count() == 9

    # Back: the department assignments go (they hold no form) and the links with them.
    back = migrate([("measures", "0020_department_reporters")])
    assert not back.get_model("measures", "Assignment").objects.filter(department__isnull=False).exists()
