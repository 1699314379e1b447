"""League read models on the small constructed store (exact values, see tests/demo_stores.py)."""
from __future__ import annotations

import pandas as pd
import pytest

from queries.league import Headline, group_league, groups, league, league_view, periods, rank_change_text, rank_trails
from queries.unit import units_of

Z = "zichuan-2022"


@pytest.mark.parametrize("change, prev_known, text", [
    # moved up (from 5th to 4th), down (3rd to 6th), stayed (2nd to 2nd): the league's rank_change
    (1, True, "↑1"), (-3, True, "↓3"), (0, True, "→"),
    # not ranked in the previous period; no previous period at all
    (None, True, "新"), (float("nan"), True, "新"), (None, False, "—"),
])
def test_rank_change_text(change, prev_known, text):
    assert rank_change_text(change, prev_known) == text


def test_periods_groups_and_units(small):
    assert periods(small, Z) == ["2022Q1", "2022Q2"]
    assert groups(small, Z, "2022Q2") == [""]
    assert units_of(small, Z, "2022Q2", "") == ["A", "B", "C", "D", "E", "F"]
    assert list(group_league(small, Z, "2022Q2", None)["entity"]) == ["A", "B", "C", "D", "E", "F"]


def test_league_table_of_a_quarter_with_ties(small):
    view = league_view(small, Z, "2022Q2", "")
    expected = pd.DataFrame({
        "名次": [1, 1, 3, 4, 4, 6],  # what a phone shows first: 名次, 单位, 总分, 等次 (and the flag)
        "单位": ["A", "B", "C", "D", "E", "F"],
        "总分": [100.0, 100.0, 98.6, 97.9, 97.9, 95.45],
        "等次": ["好", "好", "好", "好", "好", ""],
        "红旗": ["待定", "待定", "", "", "", ""],
        "变化": ["→", "↑1", "→", "→", "↑1", "→"],
        "日常评估": [100.0, 100.0, 98.0, 97.0, 97.0, 93.5],
        "风采展示": [100.0] * 6,
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
    trails = rank_trails(small, Z, "2022Q2", "")
    assert trails == {"A": [1, 1], "B": [2, 1], "C": [3, 3], "D": [4, 4], "E": [5, 4], "F": [6, 6]}
    prev = {"A": 1, "B": 2, "C": 3, "D": 4, "E": 5, "F": 6}
    # the previous ranks and the change come from the league itself (computed once, in its SQL)
    table = league(small, Z, "2022Q2")
    assert dict(zip(table["entity"], table["prev_rank"].astype(int))) == prev
    assert dict(zip(table["entity"], table["rank_change"].astype(int))) == {
        "A": 0, "B": 1, "C": 0, "D": 0, "E": 1, "F": 0}
    assert rank_trails(small, Z, "2022Q1", "") == {e: [r] for e, r in prev.items()}
    assert league(small, Z, "2022Q1")["prev_rank"].isna().all()
