"""Chart builders: Chinese labels, highlighted graded units, the cutoff line, reversed rank axes."""
from __future__ import annotations

import pandas as pd

from dashboard import charts
from queries.rubric_models import rubric_tree
from scoring.rubric import load_rubric

TABLE = pd.DataFrame({"单位": ["甲", "乙", "丙"], "总分": [90.0, 85.5, 80.25], "等次": ["好", "好", ""],
                      "红旗": ["红旗", "", ""]})


def test_finals_bar():
    fig = charts.finals_bar(TABLE, "好", 85.5, "红旗", title="总分与“好”等次线")
    bar = fig.data[0]
    assert list(bar.marker.color) == [charts.RED, charts.RED, charts.GREY]
    assert list(bar.text) == ["90.00 红旗", "85.50", "80.25"]
    assert fig.layout.shapes[0].y0 == 85.5
    assert fig.layout.annotations[0].text == "“好”等次线 85.50"
    assert fig.layout.title.text == "总分与“好”等次线"
    assert "Noto Sans CJK SC" in fig.layout.font.family


def test_finals_bar_without_grades_or_award():
    fig = charts.finals_bar(TABLE.drop(columns=["等次", "红旗"]), "", None, "", decimals=4)
    assert list(fig.data[0].text) == ["90.0000", "85.5000", "80.2500"]
    assert fig.layout.shapes == ()


def test_history_and_bump_put_rank_one_on_top():
    history = pd.DataFrame({"期间": ["2022Q1", "2022Q2"], "总分": [90.0, 91.0], "名次": [2, 1], "等次": ["好", "好"],
                            "红旗": ["", "红旗"], "中位数": [80.0, 81.0], "第一名": [95.0, 91.0]})
    assert [t.name for t in charts.history_lines(history, "甲").data] == ["第一名", "中位数", "甲"]
    assert charts.rank_line(history, "甲").layout.yaxis.autorange == "reversed"
    ranks = pd.DataFrame({"期间": ["Q1", "Q2", "Q1", "Q2"], "单位": ["甲", "甲", "乙", "乙"], "数值": [1, 2, 2, 1]})
    assert [t.name for t in charts.bump(ranks).data] == ["甲", "乙"]


def test_rubric_treemap_sizes_indicators_by_max():
    fig = charts.rubric_treemap(rubric_tree(load_rubric("zichuan-2022")))
    values = dict(zip(fig.data[0].ids, fig.data[0].values))
    assert values["1 基层服务场所标准化建设（20 分）"] == 20.0
    assert values["1 基层服务场所标准化建设（20 分）/1.1"] == 10.0
    assert sum(v for i, v in values.items() if "/" not in i) == 100.0  # the base indicators; showcase is apart
