"""The engine's composite (scoring/engine.py): showcase, daily = Σ base + bonus − penalty, the 70/30 final and
exact comparison, each test quoting seed 002."""
from __future__ import annotations

import pytest

from scoring.engine import score
from scoring.problems import InputError, Problem
from tests.conftest import SEED_002, by_entity, fact, frame, quotes_not_in_seed, unit, unquoted_tests, zichuan_only


def errors(code: str, rows: list[dict]) -> list[Problem]:
    with pytest.raises(InputError) as exc:
        score(frame(rows), zichuan_only(code))
    return exc.value.problems


def test_showcase_is_a_direct_score_from_0_to_100(zichuan):
    """Seed 002 (三、结果运用): "得分由日常评估和风采展示两部分构成，其中日常评估占 70%，风采展示占 30%。" """
    rows = (unit("A镇", {("showcase", ""): "100"}) + unit("B镇", {("showcase", ""): "81.4"})
            + unit("C镇", {("showcase", ""): "0"}))
    result = score(frame(rows), zichuan)
    assert by_entity(result.detail, "showcase", ("points", "max", "lost", "reason")) == {
        "A镇": (100.0, 100.0, 0.0, ""),
        "B镇": (81.4, 100.0, 18.6, "得81.4分 −18.6"),
        "C镇": (0.0, 100.0, 100.0, "得0分 −100"),
    }
    assert errors("showcase", [fact("A镇", "showcase", "", "-1")]) == [
        Problem("第2行", "指标 showcase 的 得分 应在 0–100 之间，实际为 “-1” (out of range 0–100)")]


def test_composite_daily_is_base_plus_bonus_minus_penalty_not_floored(zichuan):
    """Seed 002 (三、结果运用): "得分由日常评估和风采展示两部分构成，其中日常评估占 70%，风采展示占 30%。"
    日常评估 = Σ 一至七项 + 加分 − 减分, not floored at 0; final = 0.7 × daily + 0.3 × showcase."""
    worst = {("1.1", ""): "基础型", ("1.2", "基础型全覆盖"): "0", ("1.2", "标杆型站点数"): "0",
             ("1.3", "缺项数"): "4", ("2.1", "缺项数"): "6", ("2.2", "酌情扣分"): "4",
             **{(c, "名次"): "3" for c in ("2.3", "3.1", "3.2", "3.3", "3.4", "4.2", "7")},
             ("4.1", "未设自助服务区"): "1", ("4.1", "设备故障次数"): "3", ("5.1", "问题次数"): "5",
             ("5.2", "制度不健全"): "1", ("5.2", "未建台账"): "1", ("5.2", "落实不到位次数"): "3",
             ("6", "第1月"): "0", ("6", "第2月"): "0", ("6", "第3月"): "0", ("showcase", ""): "50"}
    rows = (
        unit("A镇", {("showcase", ""): "100"})
        + [fact("A镇", "8.1", "国家级", "2"), fact("A镇", "8.2", "国家级", "2"), fact("A镇", "8.3", "国家级", "1")]
        + unit("B镇", {("5.1", "问题次数"): "2", ("showcase", ""): "90"})
        + [fact("B镇", "8.2", "市级", "1"), fact("B镇", "8.4", "市级通报", "1"), fact("B镇", "8.5", "酌情扣分", "3")]
        + unit("C镇", worst)
        + [fact("C镇", "8.4", "省级通报", "4"), fact("C镇", "8.5", "酌情扣分", "5"), fact("C镇", "8.5", "酌情扣分", "4.5"),
           fact("C镇", "8.5", "酌情扣分", "3")]
    )
    league = score(frame(rows), zichuan).league
    cols = ["entity", "base", "bonus", "penalty", "daily", "showcase", "final", "rank", "grade", "flag"]
    assert league[cols].to_dict("records") == [
        # 100 + 20 bonus: daily 120 (no cap on daily); 0.7 × 120 + 0.3 × 100 = 114
        {"entity": "A镇", "base": 100.0, "bonus": 20.0, "penalty": 0.0, "daily": 120.0, "showcase": 100.0,
         "final": 114.0, "rank": 1, "grade": "好", "flag": "红旗"},
        # 98 + 1 − 5 = 94; 0.7 × 94 + 0.3 × 90 = 92.8
        {"entity": "B镇", "base": 98.0, "bonus": 1.0, "penalty": -5.0, "daily": 94.0, "showcase": 90.0,
         "final": 92.8, "rank": 2, "grade": "好", "flag": ""},
        # last place (3rd of 3) on every ladder: 2.3 7 + 3.1 7 + 3.2–3.4 3.6 × 3 + 4.2 4.4 + 7 9 = 38.2, plus 2.2's
        # 2 points; penalties 12 (8.4) and 12.5 (8.5) each capped at 10: daily 40.2 − 20 = 20.2, not floored;
        # 0.7 × 20.2 + 0.3 × 50 = 29.14
        {"entity": "C镇", "base": 40.2, "bonus": 0.0, "penalty": -20.0, "daily": 20.2, "showcase": 50.0,
         "final": 29.14, "rank": 3, "grade": "好", "flag": ""},
    ]


def test_exact_final_tie_ranks_equal_and_flag_goes_to_higher_daily(zichuan):
    """Seed 002 (三、结果运用): "得分由日常评估和风采展示两部分构成，其中日常评估占 70%，风采展示占 30%。"
    0.7 × 92.4 + 0.3 × 81.4 = 0.7 × 93 + 0.3 × 80 = 89.1 on paper, so the program must rank them 1, 1; the
    flag then goes to the higher daily score (本地规则)."""
    rows = (
        # daily 93: 标准型 −4, 3 findings −3
        unit("A镇", {("1.1", ""): "标准型", ("5.1", "问题次数"): "3", ("showcase", ""): "80"})
        # daily 92.4: 标准型 −4, 3.2 at place 4 −0.6, 3 findings −3
        + unit("B镇", {("1.1", ""): "标准型", ("3.2", "名次"): "4", ("5.1", "问题次数"): "3", ("showcase", ""): "81.4"})
        + unit("C镇", {("1.1", ""): "标准型", ("5.1", "问题次数"): "4", ("showcase", ""): "80"})
        # a fourth unit, so that B镇's 4th place on 3.2 is a place that exists (名次 ≤ the units ranked)
        + unit("D镇", {("1.1", ""): "基础型", ("showcase", ""): "60"})
    )
    league = score(frame(rows), zichuan).league
    assert league[["entity", "daily", "showcase", "final", "rank", "grade", "flag"]].to_dict("records") == [
        {"entity": "A镇", "daily": 93.0, "showcase": 80.0, "final": 89.1, "rank": 1, "grade": "好", "flag": "红旗"},
        {"entity": "B镇", "daily": 92.4, "showcase": 81.4, "final": 89.1, "rank": 1, "grade": "好", "flag": ""},
        {"entity": "C镇", "daily": 92.0, "showcase": 80.0, "final": 88.4, "rank": 3, "grade": "好", "flag": ""},
        {"entity": "D镇", "daily": 90.0, "showcase": 60.0, "final": 81.0, "rank": 4, "grade": "好", "flag": ""},
    ]
    assert list(league["award_note"]) == [
        "A镇、B镇 总分并列第一；比较日常评估：A镇较高；"
        "按本地规则：总分并列第一时，依次比较日常评估、风采展示得分（原文未规定），红旗授予 A镇",
        "A镇、B镇 总分并列第一；比较日常评估：A镇较高；"
        "按本地规则：总分并列第一时，依次比较日常评估、风采展示得分（原文未规定），红旗授予 A镇",
        "",
        "",
    ]



def test_every_engine_test_quotes_the_seed():
    assert unquoted_tests(globals()) == []


@pytest.mark.skipif(not SEED_002.exists(), reason="the copy of seed 002 is missing from tests/fixtures/seeds")
def test_engine_quotes_are_verbatim_from_the_seed():
    assert quotes_not_in_seed(globals()) == []
