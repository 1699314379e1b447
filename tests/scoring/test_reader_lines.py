"""Line labels of rows that come from the store, not from a file (bulk-loaded facts, the stored rows an import is
validated with): named by period and unit, so a problem on them still says where it is."""
from __future__ import annotations

import pandas as pd

from scoring.reader import fill_stored_lines
from scoring.validate import validate
from tests.conftest import frame, unit


def test_every_missing_line_is_named_by_its_period_and_unit():
    obs = pd.DataFrame({"period": ["2022Q1", "2022Q1", "2022Q2"], "entity": ["A镇", "A镇", "B镇"],
                        "line": [None, None, None]})
    got = fill_stored_lines(obs)
    assert list(got["line"]) == ["已存数据 2022Q1 A镇", "已存数据 2022Q1 A镇", "已存数据 2022Q2 B镇"]
    assert isinstance(got["line"].dtype, pd.CategoricalDtype)  # one label per unit, not one string per row
    assert list(got["line"].cat.categories) == ["已存数据 2022Q1 A镇", "已存数据 2022Q2 B镇"]


def test_lines_a_file_gave_are_kept():
    obs = pd.DataFrame({"period": ["2022Q1", "2022Q1"], "entity": ["A镇", "B镇"], "line": ["第2行", None]})
    assert list(fill_stored_lines(obs)["line"]) == ["第2行", "已存数据 2022Q1 B镇"]
    whole = obs.assign(line=["第2行", "第3行"])
    assert fill_stored_lines(whole) is whole


def test_a_problem_on_a_stored_row_names_its_unit(zichuan):
    """A stored 有 (refused since the exact engine) is reported on the stored row's label."""
    rows = frame(unit("A镇") + unit("B镇", {("4.1", "未设自助服务区"): "有"})).drop(columns="row")
    rows["line"] = None
    _, problems = validate(fill_stored_lines(rows), zichuan)
    assert [p.where for p in problems if p.severity == "error"] == ["已存数据 2022Q2 B镇"]  # PERIOD of the fixtures


def test_two_units_whose_labels_read_alike_keep_their_rows():
    """Stored texts with spaces could give two units the same label; every row is still labelled."""
    obs = pd.DataFrame({"period": ["2022Q1 A", "2022Q1"], "entity": ["B", "A B"], "line": [None, None]})
    assert list(fill_stored_lines(obs)["line"]) == ["已存数据 2022Q1 A B", "已存数据 2022Q1 A B"]
