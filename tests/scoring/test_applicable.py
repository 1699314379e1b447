"""Deductions that apply to one type of site (scoring/rules/applicable.py), worked by hand from seed 001.

Seed 001 (附件4 人员配置): "综合窗口未明确具体人员专职从事窗口服务工作的，扣3分；社区综合窗口未执行AB岗工作制度的，扣2分。"
Reading (疑义16): a 村 station keeps the AB岗 2 points (not applicable); entering the finding for a 村 station is an
input error.
"""
from __future__ import annotations

import pytest

from scoring.engine import score
from scoring.problems import InputError
from tests.scoring.preset_helpers import points, preset_only, rows


@pytest.fixture(scope="module")
def staffing():
    return preset_only("liaoning-2024-station", "4.1")


def sheet(entity: str, kind: str, full_time: str, ab: str) -> list[tuple]:
    return [(entity, "4.1", "站点类型", kind), (entity, "4.1", "未明确专职窗口人员", full_time),
            (entity, "4.1", "社区未执行AB岗", ab)]


def test_ab_post_rule_applies_to_community_stations_only(staffing):
    obs = rows(sheet("甲村便民服务站", "村", "1", "0") + sheet("乙社区便民服务站", "社区", "1", "1")
               + sheet("丙社区便民服务站", "社区", "0", "否"), "2024", "海城市")
    detail = score(obs, staffing).detail
    assert points(detail, "4.1") == {
        # 村: 5 − 3 = 2 (AB岗 not applicable: keeps its 2 points)
        "甲村便民服务站": (2.0, 3.0, "未明确专职窗口人员 −3"),
        # 社区: 5 − 3 − 2 = 0
        "乙社区便民服务站": (0.0, 5.0, "未明确专职窗口人员 −3；社区未执行AB岗 −2"),
        "丙社区便民服务站": (5.0, 0.0, "")}


def test_an_ab_finding_for_a_village_station_is_an_input_error(staffing):
    obs = rows(sheet("甲村便民服务站", "村", "0", "1") + sheet("乙村便民服务站", "社区区", "0", "0"), "2024")
    with pytest.raises(InputError) as err:
        score(obs, staffing)
    assert [(p.where, p.message) for p in err.value.problems] == [
        ("第5行", "指标 4.1 的 站点类型 应为 村／社区 之一，实际为 “社区区” (unknown tier label)"),
        ("第4行", "甲村便民服务站 指标 4.1 的 社区未执行AB岗 只适用于社区，该单位的站点类型不是社区，应填 0 "
                 "(finding does not apply to this type of site)")]


def test_the_station_type_is_required(staffing):
    obs = rows([("甲村便民服务站", "4.1", "未明确专职窗口人员", "0"), ("甲村便民服务站", "4.1", "社区未执行AB岗", "0")],
               "2024")
    with pytest.raises(InputError) as err:
        score(obs, staffing)
    assert [p.message for p in err.value.problems] == ["缺少 人员配置 的细项 “站点类型”，不能按 0 分处理，请补录 (missing)"]


def test_describe_and_demo_fix(staffing):
    ind = staffing.indicator("4.1")
    assert ind.describe() == ("未明确专职窗口人员扣3分；社区未执行AB岗扣2分，扣完为止（满分5分）。"
                              "“社区未执行AB岗”仅适用于社区（站点类型：村／社区）。")
    demo = [{"item": "站点类型", "value": "社区"}, {"item": "未明确专职窗口人员", "value": "1"},
            {"item": "社区未执行AB岗", "value": "1"}]
    assert [r["value"] for r in ind.rule.demo_fix(demo, "红旗村便民服务站")] == ["村", "1", "0"]
