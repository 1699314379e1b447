"""Display helpers: half-up rounding to the rubric's decimals, period labels, ordering, names from the rubric."""
from __future__ import annotations

import numpy as np
import pytest

from queries.display import (category_heading, category_names, final_formula, ordered, period_label, round_to,
                             rounded)
from scoring.rubric import load_rubric


@pytest.mark.parametrize("value, decimals, shown", [
    # half-up, also where the binary float sits just below the half (70.905 is 70.90499999…)
    (70.905, 2, 70.91), (74.505, 2, 74.51), (96.0217, 2, 96.02), (-2.125, 2, -2.13),
    # more decimals for rubrics with tiny points (Rudong shows 4)
    (0.04736842, 4, 0.0474), (1.50445, 4, 1.5045), (3.0, 4, 3.0),
])
def test_round_to_is_half_up(value, decimals, shown):
    assert float(round_to(value, decimals)) == shown
    assert rounded(value, decimals) == shown


def test_rounded_keeps_missing_values_missing():
    assert rounded(None) is None
    assert rounded(float("nan")) is None
    assert list(round_to(np.array([1.005, 2.675]), 2)) == [1.01, 2.68]


@pytest.mark.parametrize("period, kind, label", [
    ("2022Q4", "quarter", "2022年第4季度"), ("2023-05", "month", "2023年5月"), ("2024", "year", "2024年度"),
    ("2024-自检", "year", "2024-自检"),  # a phase keeps its name
])
def test_period_label(period, kind, label):
    assert period_label(period, kind) == label


def test_periods_in_time_order_with_phases():
    liaoning = load_rubric("liaoning-2024-center")
    assert ordered(liaoning, ["2024-复检", "2024", "2024-自检"]) == ["2024-自检", "2024", "2024-复检"]
    assert ordered(load_rubric("zichuan-2022"), ["2023Q1", "2022Q4"]) == ["2022Q4", "2023Q1"]


def test_names_come_from_the_rubric():
    zichuan = load_rubric("zichuan-2022")
    assert final_formula(zichuan) == "日常评估 × 70% + 风采展示 × 30%"
    assert category_heading("showcase", "风采展示") == "风采展示"
    names = category_names(zichuan)
    assert names["1"] == "1 基层服务场所标准化建设"
    assert names["showcase"] == "风采展示"
