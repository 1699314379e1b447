"""Selection read models on the small store: candidates, the decision in words, pending → decided, history."""
from __future__ import annotations

import pandas as pd

from queries.notice import notice_facts
from queries.selection import annual_view, flag_history, selection_view, streaks
from queries.store import Store
from tests.demo_stores import small_store

Z = "zichuan-2022"


def test_pending_tie_and_the_tie_at_the_cutoff_in_words(small):
    view = selection_view(small, Z, "2022Q2", "")
    assert view.candidates["单位"].tolist() == ["A", "B", "C", "D", "E"]
    assert view.steps == (
        "本期 6 个单位参评，按总分（日常评估 × 70% + 风采展示 × 30%）由高到低排名，并列者名次相同，其后名次顺延（如 1、1、3）。",
        "名次在前 4 名的单位评为“好”：A、B、C、D、E。",
        "第 4 名并列（D、E，总分均为 97.90），均评为“好”，本期共 5 个“好”（并列，多于 4 个）。",
        "评选规则（原文）：根据日常评估和风采展示总分，评选出 4 个“好”等次，“好”等次中得分最高的授予“担当作为”流动红旗。",
        "A、B 总分并列第一",
        "仍并列：A、B 均标为待定，请办公室决定",
    )
    assert view.local_rule == "本地规则：总分并列第一时，依次比较日常评估、风采展示得分（原文未规定）"
    assert (view.pending, view.decision, view.mark, view.pending_mark) == (("A", "B"), None, "红旗", "待定")


def test_clear_winner_in_words(small):
    view = selection_view(small, Z, "2022Q1", "")
    assert view.steps[-1] == "总分第一：A（100.00 分），获“好”等次，授予担当作为流动红旗。"
    assert view.pending == ()


def test_recorded_decision_resolves_the_pending_flag(tmp_path):
    path = small_store(tmp_path / "write.duckdb")
    with Store(path) as store:
        store.record_decision(Z, "2022Q2", "", "B", who="王主任", why="主任办公会研究决定")
        view = selection_view(store, Z, "2022Q2", "")
        history = flag_history(store, Z, "")
    assert view.pending == ()
    assert view.candidates[["单位", "红旗"]].values.tolist()[:2] == [["A", ""], ["B", "红旗"]]
    assert {k: view.decision[k] for k in ("entity", "who", "why")} == {"entity": "B", "who": "王主任",
                                                                      "why": "主任办公会研究决定"}
    assert "仍并列，由办公室决定授予 B" in view.steps
    assert history.values.tolist() == [["2022Q1", "A", 100.0, "红旗", 1], ["2022Q2", "B", 100.0, "办公室决定", 1]]


def test_flag_history_and_streaks(small):
    history = flag_history(small, Z, "")
    assert history.values.tolist() == [["2022Q1", "A", 100.0, "红旗", 1], ["2022Q2", "A、B", 100.0, "待定", 0]]
    assert streaks(history).values.tolist() == [["A", 1, 1, 0, "2022Q1"]]


def test_streaks_count_consecutive_periods():
    history = pd.DataFrame([("Q1", "甲", 1.0, "红旗", 1), ("Q2", "甲", 1.0, "红旗", 2), ("Q3", "乙", 1.0, "红旗", 1),
                            ("Q4", "甲", 1.0, "红旗", 1), ("Q5", "甲", 1.0, "红旗", 2), ("Q6", "甲", 1.0, "红旗", 3)],
                           columns=["期间", "红旗单位", "总分", "状态", "连续期数"])
    assert streaks(history).values.tolist() == [["甲", 5, 3, 3, "Q6"], ["乙", 1, 1, 0, "Q3"]]


def test_annual_view(small):
    annual = annual_view(small, Z, "")
    assert annual.columns.tolist() == ["年度", "年度名次", "单位", "平均总分", "评估期数", "好次数", "红旗次数"]
    assert annual.values.tolist() == [
        ["2022", 1, "A", 100.0, 2, 2, 1], ["2022", 2, "B", 99.65, 2, 2, 0], ["2022", 3, "C", 98.6, 2, 2, 0],
        ["2022", 4, "D", 97.9, 2, 2, 0], ["2022", 5, "E", 97.55, 2, 1, 0], ["2022", 6, "F", 95.98, 2, 0, 0]]


def test_notice_facts(small):
    facts = notice_facts(small, Z, "2022Q2", "")
    assert {k: facts[k] for k in ("period_words", "grade_name", "graded", "flag_state", "flag_units", "cutoff",
                                  "is_demo", "decimals")} == {
        "period_words": "2022年第2季度", "grade_name": "好", "graded": ["A", "B", "C", "D", "E"],
        "flag_state": "待定", "flag_units": ["A", "B"], "cutoff": 97.9, "is_demo": False, "decimals": 2}
    assert facts["table"].columns.tolist() == ["名次", "单位", "日常评估", "风采展示", "总分", "等次", "红旗"]


def test_annual_view_averages_the_phase_of_record_only(tmp_path):
    """Liaoning: 自检 is the unit's own reading, 统一考核 the score of record; the year is never their average."""
    from cli.main import main as flagboard
    from queries.league import league

    db = str(tmp_path / "liaoning.duckdb")
    assert flagboard(["demo", "--rubric", "liaoning-2024-center", "--db", db]) == 0
    with Store(db, read_only=True) as store:
        scheme = "liaoning-2024-center"
        annual = annual_view(store, scheme, "市级")
        record = league(store, scheme, "2024")
        record = record[record["grp"] == "市级"].set_index("entity")["final"].round(2)
        assert annual.columns.tolist() == ["年度", "年度名次", "单位", "平均总分", "评估期数"]  # no 红旗次数: no flag
        assert set(annual["评估期数"]) == {1}
        assert dict(zip(annual["单位"], annual["平均总分"])) == record.to_dict()


def test_annual_rank_is_competition_ranking_even_under_a_dense_tie_method(tmp_path):
    """DESIGN: "Grades count the units strictly ahead (competition rank), whatever tie method a ladder uses": with
    tie_method dense, A and B tied for the year's best mean are both 1st and C is 3rd (not 2nd)."""
    from scoring.rubric import parse_rubric
    from tests.conftest import frame, unit, zichuan_data

    dense = parse_rubric({**zichuan_data(), "tie_method": "dense"}, "zichuan-dense")
    rows = unit("A") + unit("B") + unit("C", {("2.1", "缺项数"): "1"})
    with Store(tmp_path / "dense.duckdb") as store:
        store.import_observations(dense, frame(rows), who="测试", source="dense.csv")
        annual = annual_view(store, Z, "")
    assert annual[["单位", "年度名次"]].values.tolist() == [["A", 1], ["B", 1], ["C", 3]]
