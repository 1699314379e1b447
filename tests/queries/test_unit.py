"""Read models of one unit (the town page) on the small constructed store (exact values, see
tests/demo_stores.py)."""
from __future__ import annotations

import pandas as pd

from queries.unit import unit_history, unit_view

Z = "zichuan-2022"


def test_unit_view_losses_add_up_and_name_their_reason(small):
    u = unit_view(small, Z, "2022Q2", "F", "")
    assert (u.rank, u.n_units, u.final, u.grade, u.flag) == (6, 6, 95.45, "", "")
    assert u.components == (("日常评估", 93.5), ("风采展示", 100.0))
    assert (u.cutoff, u.gap_to_cutoff, u.gap_to_leader, u.leader) == (97.9, -2.45, -4.55, "A")
    # every row: lost = max − points; the one loss carries its reason
    assert (u.losses["失分"] == u.losses["满分"] - u.losses["得分"]).all()
    lost = u.losses[u.losses["失分"] > 0]
    assert lost[["编号", "满分", "得分", "失分", "原因"]].values.tolist() == [["2.1", 6.0, 0.0, 6.0, "帮办代办设施缺 6 项 −6"]]
    # 基础分 + 加分 − 减分 = 日常评估, then the final by its formula (blank where a part has no max)
    assert u.loss_totals.astype(object).fillna("").values.tolist() == [
        ["基础分", 100.0, 94.0, 6.0], ["加分", "", 1.5, ""], ["减分", "", 2.0, ""],
        ["日常评估 = 基础分 + 加分 − 减分", "", 93.5, ""], ["风采展示", 100.0, 100.0, 0.0],
        ["总分 = 日常评估 × 70% + 风采展示 × 30%", "", 95.45, ""]]
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
