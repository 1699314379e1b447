"""Grades and the red flag (scoring/ranking.py) on hand-made league frames, each test quoting seed 002."""
from __future__ import annotations

import pandas as pd
import pytest

from scoring.ranking import rank_league
from tests.conftest import PERIOD, SEED_002, quotes_not_in_seed, unquoted_tests


def league_frame(rows: list[tuple], period: str = PERIOD) -> pd.DataFrame:
    """A league frame as the engine's totals give it: (entity, daily, showcase, final[, group])."""
    return pd.DataFrame([{"period": period, "group": r[4] if len(r) > 4 else "", "entity": r[0], "daily": r[1],
                          "showcase": r[2], "final": r[3]} for r in rows])


def ranked(rows: list[tuple], rubric, decisions=None) -> list[tuple]:
    out = rank_league(league_frame(rows), rubric, decisions)
    return list(out[["entity", "rank", "grade", "flag"]].itertuples(index=False, name=None))


def test_grades_four_good_and_the_red_flag_to_rank_one(zichuan):
    """Seed 002 (三、结果运用): "根据日常评估和风采展示总分，评选出 4 个“好”等次，“好”等次中得分最高的授予“担当作为”流动红旗。" """
    rows = [("A", 90, 90, 90.0), ("B", 80, 80, 80.0), ("C", 95, 95, 95.0), ("D", 70, 70, 70.0),
            ("E", 85, 85, 85.0), ("F", 60, 60, 60.0)]
    assert ranked(rows, zichuan) == [
        ("C", 1, "好", "红旗"), ("A", 2, "好", ""), ("E", 3, "好", ""), ("B", 4, "好", ""),
        ("D", 5, "", ""), ("F", 6, "", "")]


def test_grades_tie_at_fourth_gives_five_good(zichuan):
    """Seed 002 (三、结果运用): "评选出 4 个“好”等次" — a tie at the 4th place gives five 好 (并列)."""
    rows = [("A", 90, 90, 90.0), ("B", 80, 80, 80.0), ("C", 95, 95, 95.0), ("D", 80, 80, 80.0),
            ("E", 85, 85, 85.0), ("F", 60, 60, 60.0)]
    assert ranked(rows, zichuan) == [
        ("C", 1, "好", "红旗"), ("A", 2, "好", ""), ("E", 3, "好", ""), ("B", 4, "好", ""), ("D", 4, "好", ""),
        ("F", 6, "", "")]


def test_grades_and_flags_are_per_group(zichuan):
    """Seed 002 (三、结果运用): "“好”等次中得分最高的授予“担当作为”流动红旗。" — each group is its own competition."""
    rows = [("A", 90, 90, 90.0, "东"), ("B", 80, 80, 80.0, "东"), ("C", 70, 70, 70.0, "西"),
            ("D", 60, 60, 60.0, "西")]
    assert ranked(rows, zichuan) == [
        ("A", 1, "好", "红旗"), ("B", 2, "好", ""), ("C", 1, "好", "红旗"), ("D", 2, "好", "")]


TIES_AT_ONE = [
    # equal final, higher daily wins (本地规则, first tie-breaker)
    ([("A", 92.4, 81.4, 89.1), ("B", 93.0, 80.0, 89.1), ("C", 80, 80, 80.0)],
     [("A", 1, "好", ""), ("B", 1, "好", "红旗"), ("C", 3, "好", "")]),
    # equal final and daily, higher showcase wins (second tie-breaker; finals equal after rounding to 4 places)
    ([("A", 90.0, 80.0001, 87.0), ("B", 90.0, 80.0, 87.0), ("C", 80, 80, 80.0)],
     [("A", 1, "好", "红旗"), ("B", 1, "好", ""), ("C", 3, "好", "")]),
    # equal on everything: both pending
    ([("A", 90.0, 80.0, 87.0), ("B", 90.0, 80.0, 87.0), ("C", 80, 80, 80.0)],
     [("A", 1, "好", "待定"), ("B", 1, "好", "待定"), ("C", 3, "好", "")]),
    # three-way tie, one loses on daily, the other two stay pending
    ([("A", 90.0, 80.0, 87.0), ("B", 90.0, 80.0, 87.0), ("C", 89.0, 82.3333, 87.0)],
     [("A", 1, "好", "待定"), ("B", 1, "好", "待定"), ("C", 1, "好", "")]),
]


@pytest.mark.parametrize(("rows", "expected"), TIES_AT_ONE)
def test_red_flag_tie_at_rank_one(zichuan, rows, expected):
    """Seed 002 (三、结果运用): "“好”等次中得分最高的授予“担当作为”流动红旗。" — one flag; a tie at rank 1 is broken by
    higher daily then showcase (a local rule); if still tied every tied unit is 待定."""
    assert ranked(rows, zichuan) == expected


def test_full_tie_award_notes_say_what_happened(zichuan):
    """Seed 002 (三、结果运用): "“好”等次中得分最高的授予“担当作为”流动红旗。" — the pending note names the tied units."""
    out = rank_league(league_frame([("A", 90.0, 80.0, 87.0), ("B", 90.0, 80.0, 87.0), ("C", 80, 80, 80.0)]), zichuan)
    note = "A、B 总分并列第一；仍并列：A、B 均标为待定，请办公室决定"
    assert list(out["award_note"]) == [note, note, ""]


DECISIONS = [
    # the office picks B: B gets the flag, A nothing
    ({(PERIOD, ""): "B"}, [("A", 1, "好", ""), ("B", 1, "好", "红旗"), ("C", 3, "好", "")]),
    # a decision for a unit that is not among the tied ones changes nothing
    ({(PERIOD, ""): "C"}, [("A", 1, "好", "待定"), ("B", 1, "好", "待定"), ("C", 3, "好", "")]),
    # a decision for another period changes nothing
    ({("2022Q3", ""): "B"}, [("A", 1, "好", "待定"), ("B", 1, "好", "待定"), ("C", 3, "好", "")]),
]


@pytest.mark.parametrize(("decisions", "expected"), DECISIONS)
def test_office_decision_resolves_pending_flag(zichuan, decisions, expected):
    """Seed 002 (三、结果运用): "“好”等次中得分最高的授予“担当作为”流动红旗。" — 待定 until the office decides."""
    rows = [("A", 90.0, 80.0, 87.0), ("B", 90.0, 80.0, 87.0), ("C", 80, 80, 80.0)]
    assert ranked(rows, zichuan, decisions) == expected


def test_decision_is_recorded_in_the_award_note(zichuan):
    """Seed 002 (三、结果运用): "“好”等次中得分最高的授予“担当作为”流动红旗。" """
    out = rank_league(league_frame([("A", 90.0, 80.0, 87.0), ("B", 90.0, 80.0, 87.0)]), zichuan, {(PERIOD, ""): "A"})
    note = "A、B 总分并列第一；仍并列，由办公室决定授予 A"
    assert list(out[["entity", "flag", "award_note"]].itertuples(index=False, name=None)) == [
        ("A", "红旗", note), ("B", "", note)]



def test_every_ranking_test_quotes_the_seed():
    assert unquoted_tests(globals()) == []


@pytest.mark.skipif(not SEED_002.exists(), reason="the copy of seed 002 is missing from tests/fixtures/seeds")
def test_ranking_quotes_are_verbatim_from_the_seed():
    assert quotes_not_in_seed(globals()) == []
