"""A town against the leader and the last 好 (points only), its lost points over the periods, and parts of a
score that reconcile on screen (the small store: see tests/demo_stores.py for its hand-checked values)."""
from __future__ import annotations

import pandas as pd

from queries.compare import comparison, lost_matrix
from queries.reconcile import rank_notes, score_parts
from queries.unit import unit_view
from scoring.rubric import load_rubric

Z = "zichuan-2022"


def test_f_against_the_leader_and_the_last_graded_unit_sorted_by_where_it_loses_most(small):
    """2022Q2: A leads (tied with B, A first by name); E is the last 好 (tied 4th with D, E after D by name).
    F lost 6 on 2.1 (A 0, E 3), was deducted 2 on 8.4 and earned 1.5 on 8.2."""
    view = comparison(small, Z, "2022Q2", "F", "")
    assert view.rivals == (("第一名", "A"), ("最后一个“好”", "E"))
    table = view.table
    assert table.columns.tolist() == ["编号", "指标", "类别", "类型", "满分", "F", "A", "E", "差距（比第一名）",
                                      "差距（比最后一个“好”）"]
    assert table.iloc[0].tolist() == ["2.1", "完善设施设备建设", "2 基层服务帮办代办体系", "基础指标", 6.0, 0.0, 6.0,
                                      3.0, -6.0, -3.0]
    assert table.iloc[1].tolist() == ["8.4", "减分：工作落实", "8 加减分项", "减分", 10.0, -2.0, 0.0, 0.0, -2.0, -2.0]
    assert table.iloc[-1].tolist() == ["8.2", "加分：获得表彰", "8 加减分项", "加分", 5.0, 1.5, 0.0, 0.0, 1.5, 1.5]
    assert (table.iloc[2:-1][["差距（比第一名）", "差距（比最后一个“好”）"]] == 0).all().all()


def test_the_comparison_reads_no_facts_or_reasons_of_other_units(small):
    """What a town account may see of the others: per-indicator points only."""
    view = comparison(small, Z, "2022Q2", "F", "")
    assert not {"原因", "reason", "备注", "note", "数值", "value"} & set(view.table.columns)


def test_the_leader_compares_with_the_last_graded_unit_only(small):
    view = comparison(small, Z, "2022Q1", "A", "")
    assert view.rivals == (("最后一个“好”", "D"),)


def test_lost_points_matrix_with_change_arrows(small):
    matrix = lost_matrix(small, Z, "F")
    assert matrix.periods == ("2022Q1", "2022Q2")
    shown = matrix.shown.set_index("指标")
    assert shown.loc["2.1 完善设施设备建设"].tolist() == ["5.00", "6.00 ↑"]
    assert shown.loc["8.4 减分：工作落实"].tolist() == ["0.00", "2.00 ↑"]
    assert shown.loc["1.1 镇（街道、开发区）便民服务中心标准化建设"].tolist() == ["0.00", "0.00 →"]
    assert shown.loc["合计（基础指标失分 + 减分）"].tolist() == ["5.00", "8.00 ↑"]
    assert shown.index[-1] == "风采展示" and matrix.n_indicators == len(shown) - 2
    numbers = matrix.numbers.set_index("编号")
    assert numbers.loc["2.1", ["2022Q1", "2022Q2"]].tolist() == [5.0, 6.0]


def test_score_parts_reconcile_base_plus_bonus_minus_penalty_is_daily(small):
    """The town page showed two different numbers called 日常评估 (96.88 and 88.88); now 基础分 + 加分 − 减分 =
    日常评估, each named."""
    view = unit_view(small, Z, "2022Q2", "F", "")
    parts = view.loss_totals.astype(object).fillna("")
    assert parts.values.tolist() == [
        ["基础分", 100.0, 94.0, 6.0], ["加分", "", 1.5, ""], ["减分", "", 2.0, ""],
        ["日常评估 = 基础分 + 加分 − 减分", "", 93.5, ""], ["风采展示", 100.0, 100.0, 0.0],
        ["总分 = 日常评估 × 70% + 风采展示 × 30%", "", 95.45, ""]]
    assert view.parts_notes == ()


def test_shown_parts_that_do_not_add_up_are_explained_with_four_decimals():
    """Shown to 2 decimals, ranked to 4: 88.885 shows 88.89 and 1.005 shows 1.01, which add to 89.90, yet the
    daily 89.89 shows 89.89; the page says so with the 4-decimal figures."""
    rubric = load_rubric(Z)
    detail = pd.DataFrame({"indicator": ["1.1", "8.1", "showcase"], "kind": ["base", "bonus", "score"],
                           "points": [88.885, 1.005, 100.0], "max": [100.0, 10.0, 100.0]})
    row = pd.Series({"daily": 89.89, "showcase": 100.0, "final": 92.923})
    parts, notes = score_parts(rubric, detail, row)
    assert parts["得分"].tolist() == [88.89, 1.01, 89.89, 100.0, 92.92]
    assert notes == ["日常评估：显示的各部分按 2 位小数四舍五入，相加为 89.90，与显示的 日常评估 89.89 不同；"
                     "按 4 位小数：基础分 88.8850 + 加分 1.0050 = 89.8900。"]


def test_same_shown_total_with_different_ranks_is_explained():
    league = pd.DataFrame({"entity": ["甲", "乙", "丙"], "rank": [1, 2, 3], "final": [92.3167, 92.3151, 90.0]})
    assert rank_notes(league, load_rubric(Z)) == [
        "甲（第 1 名）与 乙（第 2 名）显示的总分同为 92.32，按 4 位小数比较：92.3167 > 92.3151，所以名次不同。"]
