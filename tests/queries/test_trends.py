"""Trend read models on the small constructed store (exact values, see tests/demo_stores.py)."""
from __future__ import annotations

import pandas as pd
import pytest

from queries.trends import category_means, lower_is_better, metric_long, metric_options, pivot, select
from scoring.rubric import load_rubric

Z = "zichuan-2022"


def test_metric_options_come_from_the_rubric():
    options = metric_options(load_rubric(Z))
    assert list(options)[:6] == ["final", "rank", "comp:daily", "comp:showcase", "bonus", "penalty"]
    assert options["comp:daily"] == "日常评估"
    assert options["cat:2:lost"] == "类别 2 基层服务帮办代办体系：失分"
    assert options["ind:2.1:points"] == "指标 2.1 完善设施设备建设：得分"
    # 2 totals + 2 components + bonus + penalty + 8 categories × 2 (points, lost) + the 加减分项 category (points
    # only: a bonus or a penalty has no max to lose from) + 17 indicators × 2 + 5 bonus/penalty indicators × 1
    assert len(options) == 6 + 17 + 39
    assert options["ind:8.1:points"] == "指标 8.1 加分：创新审批机制（加分）"
    assert options["ind:8.4:points"] == "指标 8.4 减分：工作落实（扣分，负数）"
    assert not any(k in options for k in ("cat:8:lost", "ind:8.1:lost", "ind:8.4:lost"))


@pytest.mark.parametrize("metric, period, values", [
    # totals, a component, the penalty shown as a positive deduction
    ("final", "2022Q2", [100.0, 100.0, 98.6, 97.9, 97.9, 95.45]),
    ("rank", "2022Q2", [1.0, 1.0, 3.0, 4.0, 4.0, 6.0]),
    ("comp:daily", "2022Q2", [100.0, 100.0, 98.0, 97.0, 97.0, 93.5]),
    ("penalty", "2022Q2", [0.0, 0.0, 0.0, 0.0, 0.0, 2.0]),
    # a category's points and an indicator's lost points
    ("cat:2:points", "2022Q2", [20.0, 20.0, 18.0, 17.0, 17.0, 14.0]),
    ("ind:2.1:lost", "2022Q1", [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]),
])
def test_metric_long(small, metric, period, values):
    long = metric_long(small, Z, metric, "")
    assert list(long.columns) == ["期间", "单位", "数值"]
    part = long[long["期间"] == period]
    assert part["单位"].tolist() == ["A", "B", "C", "D", "E", "F"]
    assert part["数值"].tolist() == values


def test_unknown_metric_is_an_error(small):
    with pytest.raises(KeyError, match="unknown trend metric"):
        metric_long(small, Z, "cat:2:median", "")


def test_select_and_pivot(small):
    long = metric_long(small, Z, "ind:2.1:lost", "")
    wide = pivot(select(long, ["B", "F", "A"], None), higher_is_better=False)
    expected = pd.DataFrame({"单位": ["A", "B", "F"], "2022Q1": [0.0, 1.0, 5.0], "2022Q2": [0.0, 0.0, 6.0]})
    pd.testing.assert_frame_equal(wide, expected)
    assert select(long, None, ["2022Q2"])["期间"].unique().tolist() == ["2022Q2"]
    assert pivot(long.iloc[0:0]).columns.tolist() == ["单位"]


def test_category_means(small):
    means = category_means(small, Z, "", ("A", "F"), ("2022Q2",))
    assert means.loc[means["类别"] == "2 基层服务帮办代办体系"].values.tolist() == [
        ["2022Q2", "2 基层服务帮办代办体系", 17.0, 20.0, 85.0]]
    assert means["类别"].tolist()[-1] == "风采展示"
    assert len(means) == 8  # seven scored categories + showcase; 加减分项 has no max


@pytest.mark.parametrize("metric, lower", [("rank", True), ("penalty", True), ("ind:2.1:lost", True),
                                           ("final", False), ("cat:1:points", False)])
def test_lower_is_better(metric, lower):
    assert lower_is_better(metric) is lower
