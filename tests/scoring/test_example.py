"""The shared example quarter (Zichuan 2022Q2, 13 towns) scores to its published league table."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scoring.engine import score
from scoring.problems import Problem
from scoring.intake import read_path
from tests.conftest import FIXTURES

EXAMPLE = FIXTURES / "zichuan-2022Q2"


@pytest.fixture(scope="module")
def result(zichuan):
    return score(read_path(EXAMPLE / "observations.csv").obs, zichuan)


@pytest.fixture(scope="module")
def expected() -> pd.DataFrame:
    return pd.read_csv(EXAMPLE / "league.csv", dtype={"grade": str, "flag": str}, keep_default_na=False)


def test_example_gives_the_league_table(result, expected):
    got = result.league
    # same units in the same order, with the same ranks, grades and flags
    for col in ["period", "entity", "rank", "grade", "flag"]:
        assert list(got[col]) == list(expected[col]), col
    # the numbers agree to the 2 decimals people see
    for col in ["daily", "showcase", "final"]:
        assert np.abs(got[col].to_numpy() - expected[col].to_numpy()).max() < 0.005, col


def test_example_warns_about_possible_double_entries(result):
    assert result.warnings == [
        Problem("第113行", "2022Q2 淄川经济开发区 指标 8.1 有与前面完全相同的 区局=1 行，已按两次计入；"
                          "请核对是否重复录入 (possible double entry)", "warning"),
        Problem("第227行", "2022Q2 罗村镇 指标 8.1 有与前面完全相同的 市局=2 行，已按两次计入；"
                          "请核对是否重复录入 (possible double entry)", "warning"),
        Problem("第231行", "2022Q2 罗村镇 指标 8.1 有与前面完全相同的 省级=1 行，已按两次计入；"
                          "请核对是否重复录入 (possible double entry)", "warning"),
    ]


def test_example_detail_adds_up_to_the_league(result):
    """Every league number is traceable: daily is the sum of the detail rows of each unit."""
    detail = result.detail
    assert len(detail) == 13 * 22  # 13 towns × (16 base + 5 bonus/penalty + showcase) indicators
    daily = detail[detail["kind"] != "score"].groupby("entity")["points"].sum().round(4)
    league = result.league.set_index("entity")
    assert daily.sort_index().to_dict() == league["daily"].sort_index().to_dict()
