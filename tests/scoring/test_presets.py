"""Every preset rubric loads, round-trips, matches its seed's structure, explains itself and has valid demo data.

Seeds: 001 Liaoning (Anshan) 2024 (four annexes), 003 Haikou 2023 (monthly 105-point table), 004 Rudong 2021.
The option-level clauses used by these presets are worked here too: Rudong's 0.05 tiers, 0.002 rank ladders
and per-case 0.002 deductions, Haikou's per-section caps, Liaoning's per-item floors.
"""
from __future__ import annotations

import re

import numpy as np
import pytest

from cli.main import main as flagboard
from cli.store_cmds import demo_frame
from scoring.engine import score
from scoring.exact import round4
from scoring.rubric import Rubric, load_rubric, parse_rubric, preset_ids
from scoring.validate import validate
from tests.scoring.preset_helpers import points, preset_only, rows

PRESETS = ["haikou-2023", "liaoning-2024-center", "liaoning-2024-station", "liaoning-2024-subcenter",
           "liaoning-2024-township", "rudong-2021"]
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module", params=PRESETS)
def preset(request) -> Rubric:
    return load_rubric(request.param)


def test_every_preset_is_listed_with_its_name(capsys):
    assert set(PRESETS) <= set(preset_ids())
    assert flagboard(["rubrics"]) == 0
    listed = {line.split("\t")[0]: line.split("\t")[1] for line in capsys.readouterr().out.splitlines()}
    assert {k: listed[k] for k in PRESETS} == {
        "haikou-2023": "海口市政府服务中心外包单位服务质量月度考核（2023—2025）",
        "liaoning-2024-center": "鞍山市2024年综合政务服务中心标准化建设考核（附件1）",
        "liaoning-2024-station": "鞍山市2024年便民服务站标准化建设考核（附件4）",
        "liaoning-2024-subcenter": "鞍山市2024年专业分中心标准化建设考核（附件2）",
        "liaoning-2024-township": "鞍山市2024年便民服务中心标准化建设考核（附件3）",
        "rudong-2021": "如东县2021年度镇区、街道政务服务考核"}


def test_preset_round_trips(preset):
    data = preset.model_dump()
    for cat, raw in zip(preset.categories, data["categories"]):
        for ind, rind in zip(cat.indicators, raw["indicators"]):
            rind["rule"] = {"type": ind.rule.type, **ind.rule.model_dump()}  # the field is typed as the base Rule
    assert parse_rubric(data, "round-trip") == preset


def test_every_indicator_explains_itself_in_chinese(preset):
    for ind in preset.indicators:
        assert CJK.search(ind.describe()), ind.code
        assert ind.clause, ind.code


def test_category_points_add_up(preset):
    for cat in preset.categories:
        if cat.max is not None:
            assert round4(sum(i.max for i in cat.indicators if i.kind == "base")) == cat.max, cat.code


# -- structure against the seeds -------------------------------------------------------------------------------------

@pytest.mark.parametrize("rubric_id, areas, items, base_total, bonus_cap", [
    # 「制定市县两级综合政务服务中心6个方面24项具体考核指标，总分100分（附件1）；制定市县两级专业分中心6个方面20项具体考核指标，
    #   总分100分（附件2）；制定乡镇（街道）便民服务中心、村（社区）便民服务站5个方面20项具体考核指标，总分100分（附件3、4）。」
    # 24 and 20 count the 加分项 row (疑义1): 23 + 1 and 19 + 1
    ("liaoning-2024-center", 6, 24, 100, 5), ("liaoning-2024-subcenter", 6, 20, 100, 5),
    ("liaoning-2024-township", 5, 20, 100, 0), ("liaoning-2024-station", 5, 20, 100, 0),
    # Haikou: 「合计 … 105」 = six sections of 100 + 加减分项 5; Rudong: 1分 + 0.5分
    ("haikou-2023", 7, 10, 100, 5), ("rudong-2021", 2, 28, 1.5, 0.05)])
def test_structure_matches_the_seed(rubric_id, areas, items, base_total, bonus_cap):
    r = load_rubric(rubric_id)
    assert len(r.categories) - (1 if rubric_id in ("liaoning-2024-center", "liaoning-2024-subcenter") else 0) == areas
    assert len(r.indicators) == items
    assert round4(sum(i.max for i in r.indicators if i.kind == "base")) == base_total
    assert round4(sum(i.rule.max_points(i) for i in r.indicators if i.kind == "bonus")) == bonus_cap


def test_haikou_table_has_every_one_of_its_105_lines():
    r = load_rubric("haikou-2023")
    deductions = sum(len(i.rule.deductions) for i in r.indicators if i.rule.type == "deduct")
    bonus_lines = len(r.indicator("7A").rule.levels) - 2  # 7.10 国家/省/市 is one line with three levels
    penalty_lines = len(r.indicator("7B").rule.levels)
    assert (deductions, bonus_lines, penalty_lines) == (89, 14, 2)
    assert deductions + bonus_lines + penalty_lines == 105
    assert {i.code: i.max for i in r.indicators} == {"1": 10, "2": 10, "3A": 30, "3B": 5, "3C": 15, "4": 10, "5": 10,
                                                      "6": 10, "7A": 5, "7B": 5}


def test_liaoning_amounts_follow_the_annexes():
    center, sub = load_rubric("liaoning-2024-center"), load_rubric("liaoning-2024-subcenter")
    amounts = lambda r, code: [(d.item, d.amount, d.kind) for d in r.indicator(code).rule.deductions]  # noqa: E731
    # 「未公开容缺受理和告知承诺事项清单的，扣1分。 未同步修改办事指南…扣1分。」 (附件1) vs 「…扣3分。 …扣2分。」 (附件2)
    assert amounts(center, "2.2") == [("未公开容缺承诺清单", 1, "flag"), ("指南未标注容缺承诺要件", 1, "flag")]
    assert amounts(sub, "2.2") == [("未公开容缺承诺清单", 3, "flag"), ("指南未标注容缺承诺要件", 2, "flag")]
    # 「存在超范围审批的，每个事项扣2分。 额外增加或变相增加办理环节或申请材料的，每个事项扣1分，扣完为止。」
    assert amounts(center, "1.4") == [("超范围审批事项数", 2, "count"), ("增加环节或材料事项数", 1, "count")]
    assert center.indicator("7.1").rule.levels == {"国家级推广": 5, "省级推广": 3, "省级试点": 1}
    assert [i.max for i in center.indicators if i.code == "4.1"] == [7]  # over-deducts 3+3+2 = 8 (疑义3)


# -- option-level worked examples --------------------------------------------------------------------------------------

def test_rudong_rank_ladder_steps_0002_and_floors_from_the_26th_place():
    # 「按认领率高低进行排名，第一名得0.05分，其余按名次依次扣减0.002分」: place k → max(0, 0.05 − 0.002 (k − 1))
    rubric = preset_only("rudong-2021", "1.4.1")
    facts = [(f"镇{k:02d}", "1.4.1", "认领率", str(100 - k)) for k in range(1, 31)]
    detail = score(rows(facts, "2021"), rubric).detail
    got = {e: p for e, (p, _, _) in points(detail, "1.4.1").items()}
    assert [got[f"镇{k:02d}"] for k in (1, 2, 3, 10, 25, 26, 27, 30)] == [0.05, 0.048, 0.046, 0.032, 0.002, 0.0, 0.0,
                                                                          0.0]


def test_rudong_ranks_ties_by_competition():
    rubric = preset_only("rudong-2021", "1.4.1")
    facts = [("甲", "1.4.1", "认领率", "100"), ("乙", "1.4.1", "认领率", "100"), ("丙", "1.4.1", "认领率", "99.5")]
    detail = score(rows(facts, "2021"), rubric).detail
    assert points(detail, "1.4.1") == {"甲": (0.05, 0.0, ""), "乙": (0.05, 0.0, ""), "丙": (0.046, 0.004, "第3名 −0.004")}


def test_rudong_per_case_deductions_of_0002_are_exact():
    # 「不达要求，每发现一例扣0.002分。」 0.05 − 0.002 n for n = 0 … 25, then 0: every value exact at 4 decimals
    rubric = preset_only("rudong-2021", "1.4.2")
    facts = [(f"镇{n:02d}", "1.4.2", "问题事项数", str(n)) for n in range(0, 31)]
    detail = score(rows(facts, "2021"), rubric).detail
    got = {e: p for e, (p, _, _) in points(detail, "1.4.2").items()}
    want = {f"镇{n:02d}": max(0, 500 - 20 * n) / 10_000 for n in range(0, 31)}
    assert got == want
    assert got["镇07"] == 0.036 and got["镇07"] != 0.05 - 0.002 * 7  # the float 0.036000000000000004 is rounded away


def test_rudong_tiers_are_all_or_nothing():
    # 「2.建立、使用市县认可的电子交易平台系统(0.15分)；」 达标 0.15, 未达标 0 (A1, A13)
    rubric = preset_only("rudong-2021", "2.3.2", "1.5.1")
    facts = [("甲", "2.3.2", "", "达标"), ("甲", "1.5.1", "", "未达标"), ("乙", "2.3.2", "", "未达标"),
             ("乙", "1.5.1", "", "达标")]
    lg = score(rows(facts, "2021"), rubric).league
    assert dict(zip(lg["entity"], lg["final"])) == {"甲": 0.15, "乙": 0.1}


def test_haikou_bonus_and_penalty_are_capped_separately_then_netted():
    # 「注：上述扣分及加分以各考核项目分值为上限。」 A3: +8 → +5, −10 → −5, net 0
    rubric = preset_only("haikou-2023", "7A", "7B")
    facts = [("V", "7A", "创新成效件数", "4"), ("V", "7B", "曝光件数", "2")]
    lg = score(rows(facts, "2023-05"), rubric).league
    assert (lg["bonus"].iloc[0], lg["penalty"].iloc[0], lg["final"].iloc[0]) == (5.0, -5.0, 0.0)


def test_display_decimals_follow_the_scheme(preset):
    assert preset.display_decimals == (4 if preset.id == "rudong-2021" else 2)


# -- demo data -------------------------------------------------------------------------------------------------------

def test_demo_data_validates_without_a_warning(preset):
    frame = demo_frame(preset, seed=7)
    _, problems = validate(frame, preset)
    assert problems == []
    assert frame["note"].eq("演示数据").all()


@pytest.mark.parametrize("rubric_id, kind, units, periods", [
    ("liaoning-2024-center", "center", 8, ["2024", "2024-复检", "2024-自检"]),
    ("liaoning-2024-subcenter", "subcenter", 19, ["2024", "2024-复检", "2024-自检"]),
    ("liaoning-2024-township", "township", 25, ["2024", "2024-自检"]),
    ("liaoning-2024-station", "station", 37, ["2024", "2024-自检"]),
    ("haikou-2023", "vendor", 1, None), ("rudong-2021", "town", 17, ["2021"])])
def test_demo_covers_the_roster_of_its_kind_and_its_phases(rubric_id, kind, units, periods):
    rubric = load_rubric(rubric_id)
    frame = demo_frame(rubric, seed=7)
    assert rubric.entity_kind == kind
    assert frame["entity"].nunique() == units
    if periods is None:  # Haikou: every month of the three contract years
        periods = [m for w in rubric.windows for m in w.months()]
        assert len(periods) == 36
    assert sorted(frame["period"].unique()) == sorted(periods)


def test_demo_recheck_covers_only_the_phase_groups():
    frame = demo_frame(load_rubric("liaoning-2024-subcenter"), seed=7)
    assert set(frame.loc[frame["period"] == "2024-复检", "group"]) == {"市直"}


def test_demo_station_types_follow_the_station_names():
    frame = demo_frame(load_rubric("liaoning-2024-station"), seed=7)
    kinds = frame[frame["item"] == "站点类型"]
    assert all(k in e for e, k in zip(kinds["entity"], kinds["value"]))
    ab = frame[(frame["item"] == "社区未执行AB岗") & frame["entity"].str.contains("村便民")]
    assert set(ab["value"]) == {"0"}


def test_demo_scores_are_plausible(preset):
    lg = score(demo_frame(preset, seed=7), preset).league
    full = sum(i.rule.max_points(i) for i in preset.indicators if i.kind in ("base", "bonus"))  # 105, 100, 1.55
    share = lg["final"].to_numpy(dtype="float64") / full
    assert 0.5 < float(np.median(share)) < 0.99
