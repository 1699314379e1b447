"""Assessment phases (scoring/phases.py): self-check vs unified assessment, and what the recheck found rectified.

Seed 001 (五): "(一)自检评估。5月底前…开展自检评估…要积极整改发现的各类问题，力争在省市统一考核中取得好成绩。"
"(二)统一考核。…10月底前对上述场所上半年考核中发现问题整改情况进行复检复查". The worked example is
data/examples/liaoning-2024-center (海城市政务服务中心 in all three phases), computed by hand below.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scoring.engine import score
from scoring.phases import compare_self_check, demo_phase_rows, phase_period, rectification, \
    rectification_summary, sort_periods, split_period
from scoring.intake import read_path
from scoring.rubric import load_rubric
from scoring.validate import validate

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples" / "liaoning-2024-center" / "observations.csv"
UNIT = "海城市政务服务中心"


@pytest.fixture(scope="module")
def center():
    return load_rubric("liaoning-2024-center")


@pytest.fixture(scope="module")
def example(center):
    obs = read_path(EXAMPLE).obs
    return obs, score(obs, center)


def detail_of(scored, period: str) -> pd.DataFrame:
    d = scored.detail
    return d[(d["period"] == period) & (d["entity"] == UNIT)]


def obs_of(obs: pd.DataFrame, period: str) -> pd.DataFrame:
    return obs[(obs["period"] == period) & (obs["entity"] == UNIT)]


# -- periods ---------------------------------------------------------------------------------------------------

def test_phases_are_periods_named_by_suffix(center):
    assert [(p.id, p.role, p.suffix) for p in center.phases] == [
        ("自检", "self_check", "-自检"), ("统一考核", "record", ""), ("复检", "recheck", "-复检")]
    assert split_period(center, "2024-自检")[0] == "2024"
    assert split_period(center, "2024-自检")[1].role == "self_check"
    assert split_period(center, "2024")[1].role == "record"
    assert phase_period(center, "2024-复检", "self_check") == "2024-自检"
    assert phase_period(center, "2024", "recheck") == "2024-复检"
    assert phase_period(load_rubric("liaoning-2024-township"), "2024", "recheck") is None


def test_sort_periods_puts_phases_in_time_order(center):
    # plain sorting gives 2024, 2024-复检, 2024-自检; the phases happen 自检 (5月) → 统一考核 (6月) → 复检 (10月)
    assert sort_periods(center, ["2024-复检", "2024", "2024-自检", "2023"]) == ["2023", "2024-自检", "2024", "2024-复检"]


@pytest.mark.parametrize("rubric_id, period, ok", [
    ("liaoning-2024-center", "2024-自检", True), ("liaoning-2024-center", "2024-复检", True),
    ("liaoning-2024-center", "2024-整改", False),
    # township centers and stations have no recheck in the seed (only 市级 centers/subcenters and 县区级综合中心)
    ("liaoning-2024-township", "2024-自检", True), ("liaoning-2024-township", "2024-复检", False),
    ("rudong-2021", "2021-自检", False), ("rudong-2021", "2021", True)])
def test_phase_periods_validate_only_where_the_rubric_has_them(rubric_id, period, ok):
    rubric = load_rubric(rubric_id)
    obs = pd.DataFrame([{"period": period, "entity": "X", "indicator": "?", "item": "", "value": "", "ref": "",
                         "note": "", "group": ""}])
    _, problems = validate(obs, rubric)
    assert any("格式不对" in p.message for p in problems) is not ok


# -- self-check vs unified assessment, by hand --------------------------------------------------------------------

def test_compare_self_check_with_the_unified_assessment(center, example):
    _, scored = example
    table = compare_self_check(detail_of(scored, "2024-自检"), detail_of(scored, "2024"), center)
    assert len(table) == 24
    gaps = table[table["gap"] != 0][["indicator", "self_points", "record_points", "gap", "verdict"]]
    # 1.2: self 5 − 0.5 (1 事项) = 4.5; unified 5 − 2 − 1.5 = 1.5
    # 1.4: self 5 − 2 (1 超范围) = 3;   unified 5 − 4 − 3 → 0 (扣完为止)
    # 4.1: self 7 − 3 = 4;              unified 7 − 3 − 3 − 2 → 0
    assert gaps.to_dict("records") == [
        {"indicator": "1.2", "self_points": 4.5, "record_points": 1.5, "gap": 3.0, "verdict": "自评偏高"},
        {"indicator": "1.4", "self_points": 3.0, "record_points": 0.0, "gap": 3.0, "verdict": "自评偏高"},
        {"indicator": "4.1", "self_points": 4.0, "record_points": 0.0, "gap": 4.0, "verdict": "自评偏高"}]
    bonus = table[table["indicator"] == "7.1"].iloc[0]
    assert (bonus["self_points"], bonus["record_points"], bonus["verdict"]) == (5.0, 5.0, "")


def test_compare_self_check_marks_an_indicator_missing_from_the_self_check(center):
    rec = pd.DataFrame({"indicator": ["1.1", "1.2"], "points": [5.0, 3.0], "max": [5.0, 5.0], "reason": ["", "x"]})
    own = pd.DataFrame({"indicator": ["1.1"], "points": [4.0], "max": [5.0], "reason": ["y"]})
    table = compare_self_check(own, rec, center)
    assert table[["indicator", "gap", "verdict"]].fillna(-1).to_dict("records") == [
        {"indicator": "1.1", "gap": -1.0, "verdict": "自评偏低"}, {"indicator": "1.2", "gap": -1.0, "verdict": ""}]
    assert np.isnan(table["self_points"].iloc[1])


# -- what the recheck found rectified, by hand -----------------------------------------------------------------------

def test_rectification_of_the_example(center, example):
    obs, _ = example
    table = rectification(obs_of(obs, "2024"), obs_of(obs, "2024-复检"), center)
    assert table[["indicator", "item", "found", "recheck", "status", "points_found", "points_open"]].to_dict(
        "records") == [
        {"indicator": "1.2", "item": "未公布进驻负面清单", "found": 1.0, "recheck": 0.0, "status": "已整改",
         "points_found": 2.0, "points_open": 0.0},
        {"indicator": "1.2", "item": "未应进必进事项数", "found": 3.0, "recheck": 1.0, "status": "部分整改",
         "points_found": 1.5, "points_open": 0.5},
        {"indicator": "1.4", "item": "超范围审批事项数", "found": 2.0, "recheck": 0.0, "status": "已整改",
         "points_found": 4.0, "points_open": 0.0},
        {"indicator": "1.4", "item": "增加环节或材料事项数", "found": 3.0, "recheck": 0.0, "status": "已整改",
         "points_found": 3.0, "points_open": 0.0},
        {"indicator": "4.1", "item": "未设帮办代办机制", "found": 1.0, "recheck": 1.0, "status": "未整改",
         "points_found": 3.0, "points_open": 3.0},
        {"indicator": "4.1", "item": "未开展全年无休", "found": 1.0, "recheck": 0.0, "status": "已整改",
         "points_found": 3.0, "points_open": 0.0},
        {"indicator": "4.1", "item": "未提供代理办陪同办", "found": 1.0, "recheck": 0.0, "status": "已整改",
         "points_found": 2.0, "points_open": 0.0}]
    # 7 findings: 5 rectified, 1 partly, 1 open → 5/7 = 0.7143 (4 decimals)
    assert rectification_summary(table) == {"findings": 7, "rectified": 5, "partly": 1, "open": 1, "new": 0,
                                            "share": 0.7143}


def test_rectification_lists_new_findings_and_units_not_rechecked(center):
    record = pd.DataFrame({"indicator": ["1.5", "1.6"], "item": ["制度执行不到位件次", "自助终端沦为摆设"],
                           "value": ["2", "是"]})
    recheck = pd.DataFrame({"indicator": ["1.5"], "item": ["制度执行不到位件次"], "value": ["3"]})
    recheck_new = pd.DataFrame({"indicator": ["1.7"], "item": ["未一网通办事项数"], "value": ["2"]})
    table = rectification(record, recheck, center)
    assert table[["item", "status"]].to_dict("records") == [
        {"item": "制度执行不到位件次", "status": "未整改"}, {"item": "自助终端沦为摆设", "status": "未复检"}]
    assert rectification(record.iloc[0:0], recheck_new, center)[["item", "status"]].to_dict("records") == [
        {"item": "未一网通办事项数", "status": "复检新发现"}]
    assert rectification_summary(rectification(record.iloc[0:0], recheck_new, center))["findings"] == 0


# -- demo phases -------------------------------------------------------------------------------------------------

def test_demo_phase_rows_derive_a_rosier_self_check_and_a_recheck_of_the_phase_groups(center):
    subcenter = load_rubric("liaoning-2024-subcenter")
    ind = subcenter.indicator("1.4")
    rows = [{"period": "2024", "entity": e, "indicator": "1.4", "item": "制度执行不到位件次", "value": "4", "ref": "",
             "note": "", "group": g} for e, g in (("A", "市直"), ("B", "海城市"))]
    frame = demo_phase_rows(pd.DataFrame(rows), subcenter, seed=1)
    assert sorted(set(zip(frame["period"], frame["entity"]))) == [
        ("2024", "A"), ("2024", "B"), ("2024-复检", "A"), ("2024-自检", "A"), ("2024-自检", "B")]
    assert set(frame["value"]) <= {"4", "0"}
    assert ind.rule.items(ind)[0].name == "制度执行不到位件次"
    assert len(demo_phase_rows(pd.DataFrame(rows), load_rubric("rudong-2021"))) == 2  # no phases: unchanged


def test_phases_describe_themselves(center):
    assert [p.describe() for p in load_rubric("liaoning-2024-subcenter").phases] == [
        "自检评估（5月底前）：期间写作“年份-自检”（如 2024-自检），自检结果只与统一考核对照，不计入正式成绩。",
        "统一考核（6月中旬前）：期间即年份（如 2024），为正式成绩。",
        "复检复查（10月底前）：期间写作“年份-复检”（如 2024-复检），仅限 市直，复检整改情况，不改变正式成绩。"]
