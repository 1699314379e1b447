"""League and town read models on the small constructed store (exact values, see tests/demo_stores.py)."""
from __future__ import annotations

import pandas as pd
import pytest

from queries.read_models import (Headline, group_league, groups, league_view, periods, rank_change_text,
                                 rank_trails, unit_history, unit_view, units_of)

Z = "zichuan-2022"


@pytest.mark.parametrize("prev, rank, prev_known, text", [
    # moved up, down, stayed
    (5, 4, True, "↑1"), (3, 6, True, "↓3"), (2, 2, True, "→"),
    # not ranked in the previous period; no previous period at all
    (None, 3, True, "新"), (float("nan"), 3, True, "新"), (None, 3, False, "—"),
])
def test_rank_change_text(prev, rank, prev_known, text):
    assert rank_change_text(prev, rank, prev_known) == text


def test_periods_groups_and_units(small):
    assert periods(small, Z) == ["2022Q1", "2022Q2"]
    assert groups(small, Z, "2022Q2") == [""]
    assert units_of(small, Z, "2022Q2", "") == ["A", "B", "C", "D", "E", "F"]
    assert list(group_league(small, Z, "2022Q2", None)["entity"]) == ["A", "B", "C", "D", "E", "F"]


def test_league_table_of_a_quarter_with_ties(small):
    view = league_view(small, Z, "2022Q2", "")
    expected = pd.DataFrame({
        "名次": [1, 1, 3, 4, 4, 6],
        "变化": ["→", "↑1", "→", "→", "↑1", "→"],
        "单位": ["A", "B", "C", "D", "E", "F"],
        "日常评估": [100.0, 100.0, 98.0, 97.0, 97.0, 93.5],
        "风采展示": [100.0] * 6,
        "总分": [100.0, 100.0, 98.6, 97.9, 97.9, 95.45],
        "等次": ["好", "好", "好", "好", "好", ""],
        "红旗": ["待定", "待定", "", "", "", ""],
        "名次走势": [[1, 1], [2, 1], [3, 3], [4, 4], [5, 4], [6, 6]],
    })
    pd.testing.assert_frame_equal(view.table, expected, check_dtype=False)
    assert (view.decimals, view.award_column, view.grade_column) == (2, "红旗", "等次")
    assert view.component_columns == ("日常评估", "风采展示")
    assert view.headline == Headline(
        n_units=6, leader="A", leader_final=100.0, median_final=98.25, award_name="担当作为流动红旗",
        flag_state="待定", flag_units=("A", "B"), flag_pending=True, grade_name="好",
        graded=("A", "B", "C", "D", "E"), quota=4, cutoff=97.9, first_out="F", first_out_rank=6,
        first_out_gap=2.45)


def test_first_quarter_has_no_rank_change_and_a_clear_flag(small):
    view = league_view(small, Z, "2022Q1", "")
    assert list(view.table["变化"]) == ["—"] * 6
    assert list(view.table["总分"]) == [100.0, 99.3, 98.6, 97.9, 97.2, 96.5]
    assert (view.headline.flag_state, view.headline.flag_units, view.headline.flag_pending) == ("红旗", ("A",), False)
    assert (view.headline.cutoff, view.headline.first_out, view.headline.first_out_gap) == (97.9, "E", 0.7)


def test_rank_trails_and_previous_ranks(small):
    trails, prev = rank_trails(small, Z, "2022Q2", "")
    assert trails == {"A": [1, 1], "B": [2, 1], "C": [3, 3], "D": [4, 4], "E": [5, 4], "F": [6, 6]}
    assert prev == {"A": 1, "B": 2, "C": 3, "D": 4, "E": 5, "F": 6}
    assert rank_trails(small, Z, "2022Q1", "") == ({e: [r] for e, r in prev.items()}, None)


def test_unit_view_losses_add_up_and_name_their_reason(small):
    u = unit_view(small, Z, "2022Q2", "F", "")
    assert (u.rank, u.n_units, u.final, u.grade, u.flag) == (6, 6, 95.45, "", "")
    assert u.components == (("日常评估", 93.5), ("风采展示", 100.0))
    assert (u.cutoff, u.gap_to_cutoff, u.gap_to_leader, u.leader) == (97.9, -2.45, -4.55, "A")
    # every row: lost = max − points; the one loss carries its reason
    assert (u.losses["失分"] == u.losses["满分"] - u.losses["得分"]).all()
    lost = u.losses[u.losses["失分"] > 0]
    assert lost[["编号", "满分", "得分", "失分", "原因"]].values.tolist() == [["2.1", 6.0, 0.0, 6.0, "帮办代办设施缺 6 项 −6"]]
    assert u.loss_totals.values.tolist() == [["日常评估", 100.0, 94.0, 6.0], ["风采展示", 100.0, 100.0, 0.0]]
    assert u.lost_chart.values.tolist() == [["2 基层服务帮办代办体系", "2.1 完善设施设备建设", 6.0, "帮办代办设施缺 6 项 −6"]]


def test_unit_view_ladders_and_events(small):
    u = unit_view(small, Z, "2022Q2", "F", "")
    assert u.ladders["编号"].tolist() == ["2.3", "3.1", "3.2", "3.3", "3.4", "4.2", "7"]
    assert u.ladders.iloc[0].tolist() == ["2.3", "强化帮办代办服务", 1, 6, 0.5, 8.0, 8.0]
    assert u.events[u.events["得分"] != 0].values.tolist() == [
        ["8.2", "加分：获得表彰", "加分", 1.5, 5.0, "省级 1次 +1.5，合计+1.5"],
        ["8.4", "减分：工作落实", "减分", -2.0, 10.0, "市级通报 1次 −2，合计−2"]]
    assert u.event_rows[["编号", "项目", "数值"]].values.tolist() == [["8.2", "省级", "1"], ["8.4", "市级通报", "1"]]


def test_unit_history_against_median_and_leader(small):
    expected = pd.DataFrame({"期间": ["2022Q1", "2022Q2"], "总分": [96.5, 95.45], "名次": [6, 6], "参评单位": [6, 6],
                             "等次": ["", ""], "红旗": ["", ""], "中位数": [98.25, 98.25], "第一名": [100.0, 100.0]})
    pd.testing.assert_frame_equal(unit_history(small, Z, "F"), expected, check_dtype=False)


def test_unknown_unit_gives_none(small):
    assert unit_view(small, Z, "2022Q2", "不存在", "") is None
