"""Chart builders: Chinese labels, highlighted graded units, the cutoff line, reversed rank axes."""
from __future__ import annotations

import pandas as pd

from dashboard import charts
from documents.palette import DEEP_RED, PALETTE
from queries.rubric_models import rubric_tree
from scoring.rubric import load_rubric

TABLE = pd.DataFrame({"单位": ["甲", "乙", "丙"], "总分": [90.0, 85.5, 80.25], "等次": ["好", "好", ""],
                      "红旗": ["红旗", "", ""]})


def test_finals_bar():
    """Horizontal bars in rank order; the flag holder named with its mark; the grade line a legend entry."""
    fig = charts.finals_bar(TABLE, "好", 85.5, "红旗", title="总分与“好”等次线")
    bar = fig.data[0]
    assert (bar.orientation, list(bar.y)) == ("h", ["甲（红旗）", "乙", "丙"])
    assert list(bar.marker.color) == [DEEP_RED, charts.RED, charts.GREY]
    assert list(bar.text) == ["90.00", "85.50", "80.25"]
    assert (bar.textposition, bar.insidetextanchor) == ("inside", "start")  # at the foot: never on the line
    assert (fig.layout.shapes[0].x0, fig.layout.shapes[0].x1) == (85.5, 85.5)
    assert fig.data[1].name == "“好”等次线 85.50"
    assert [a.text for a in fig.layout.annotations] == ["≈"]  # the only text on the plot: the cut mark
    assert fig.layout.title.text == "总分与“好”等次线"
    assert "Noto Sans CJK SC" in fig.layout.font.family


def test_finals_bar_starts_at_zero_or_marks_the_cut():
    assert charts.finals_bar(TABLE, "好", 85.5, "红旗").layout.xaxis.range[0] == 75.0  # all finals high up: cut
    cut = charts.finals_bar(TABLE, "好", 85.5, "红旗")
    assert cut.layout.xaxis.title.text == "总分（横轴自 75 起，已截断）"
    assert [a.text for a in cut.layout.annotations] == ["≈"]
    spread = TABLE.assign(总分=[90.0, 60.0, 40.0])
    whole = charts.finals_bar(spread, "好", 60.0, "红旗")
    assert (whole.layout.xaxis.range[0], whole.layout.xaxis.title.text, whole.layout.annotations) == (0.0, "总分", ())


def test_finals_bar_without_grades_or_award():
    fig = charts.finals_bar(TABLE.drop(columns=["等次", "红旗"]), "", None, "", decimals=4)
    assert list(fig.data[0].text) == ["90.0000", "85.5000", "80.2500"]
    assert fig.layout.shapes == () and len(fig.data) == 1


def test_history_and_bump_put_rank_one_on_top():
    history = pd.DataFrame({"期间": ["2022Q1", "2022Q2"], "总分": [90.0, 91.0], "名次": [2, 1], "等次": ["好", "好"],
                            "红旗": ["", "红旗"], "中位数": [80.0, 81.0], "第一名": [95.0, 91.0]})
    assert [t.name for t in charts.history_lines(history, "甲").data] == ["第一名", "中位数", "甲"]
    assert charts.rank_line(history, "甲").layout.yaxis.autorange == "reversed"
    ranks = pd.DataFrame({"期间": ["Q1", "Q2", "Q1", "Q2"], "单位": ["甲", "甲", "乙", "乙"], "数值": [1, 2, 2, 1]})
    assert [t.name for t in charts.bump(ranks, ["乙", "甲"]).data] == ["甲", "乙"]


def test_rubric_treemap_sizes_indicators_by_max():
    fig = charts.rubric_treemap(rubric_tree(load_rubric("zichuan-2022")))
    values = dict(zip(fig.data[0].ids, fig.data[0].values))
    assert values["1 基层服务场所标准化建设（20 分）"] == 20.0
    assert values["1 基层服务场所标准化建设（20 分）/1.1"] == 10.0
    assert sum(v for i, v in values.items() if "/" not in i) == 100.0  # the base indicators; showcase is apart


def test_one_colour_per_unit_everywhere_and_thirteen_distinct():
    """A unit's colour is its place in the scheme's roster, whatever subset a chart draws."""
    roster = [f"单位{n:02d}" for n in range(13)]
    ranks = pd.DataFrame({"期间": ["Q1"] * 13, "单位": roster, "数值": list(range(1, 14))})
    colours = {t.name: t.line.color for t in charts.bump(ranks, roster).data}
    assert len(set(colours.values())) == 13
    some = ranks[ranks["单位"].isin(["单位05", "单位11"])]
    assert {t.name: t.line.color for t in charts.bump(some, roster).data} == {
        "单位05": colours["单位05"], "单位11": colours["单位11"]}
    assert len(set(PALETTE)) >= 13


def test_lost_heatmaps_are_darker_where_more_is_lost():
    wide = pd.DataFrame({"单位": ["甲", "乙"], "Q1": [0.0, 3.0]})
    lost = charts.heatmap(wide, "失分", lower_is_better=True, lost=True).data[0]
    assert (lost.colorscale[0][1], lost.reversescale) == ("rgb(255,245,240)", False)  # 0 lost: the palest
    matrix = charts.lost_matrix(pd.DataFrame({"指标": ["1.1"], "Q1": [2.0], "Q2": [0.0]}), ["Q1", "Q2"]).data[0]
    assert (matrix.colorscale[0][1], matrix.zmin) == ("rgb(255,245,240)", 0)
