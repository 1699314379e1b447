"""趋势分析: a metric across periods as heatmap, bump chart, distribution and category means; filters; downloads."""
from __future__ import annotations

import io

import pandas as pd

from dashboard.exports import read_csv_bytes, read_xlsx_bytes
from tests.dashboard.conftest import download_bytes, plotly_spec, table


def open_trends(app, db):
    at = app(db)
    at.switch_page("views/trends.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_metric_and_unit_filter_change_the_slice(app, small_db):
    at = open_trends(app, small_db)
    assert table(at, "单位", "2022Q1").values.tolist()[0] == ["A", 100.0, 100.0]
    at.selectbox(key="trend_metric_zichuan-2022").select("ind:2.1:lost").run()
    at.multiselect(key="trend_units_zichuan-2022").set_value(["F", "B"]).run()
    wide = table(at, "单位", "2022Q1")
    assert wide.values.tolist() == [["B", 1.0, 0.0], ["F", 5.0, 6.0]]  # least lost first
    heat = plotly_spec(at, 0)["data"][0]
    assert (heat["y"], heat["x"], heat["z"]) == (["B", "F"], ["2022Q1", "2022Q2"], [[1.0, 0.0], [5.0, 6.0]])
    assert plotly_spec(at, 0)["layout"]["title"]["text"] == "指标 2.1 完善设施设备建设：失分：单位 × 期间"


def test_period_range_filter(app, small_db):
    at = open_trends(app, small_db)
    at.select_slider(key="trend_periods_zichuan-2022").set_value(("2022Q2", "2022Q2")).run()
    assert table(at, "单位", "2022Q2").columns.tolist() == ["单位", "2022Q2"]


def test_every_chart_is_drawn(app, demo_db):
    at = open_trends(app, demo_db)
    titles, specs = [], {}
    for tab in ["热力图", "名次变化", "分布", "类别均值"]:  # only the open tab is drawn
        at.session_state["trend_tab"] = tab
        at.run()
        assert len(at.get("plotly_chart")) == 1
        specs[tab] = plotly_spec(at, 0)
        titles.append(specs[tab]["layout"]["title"]["text"])
    assert titles == ["总分：单位 × 期间", "名次变化（按总分排名）", "总分：各期分布", "各类别平均得分率"]
    bump = specs["名次变化"]
    assert len(bump["data"]) == 13 and bump["layout"]["yaxis"]["autorange"] == "reversed"


def test_slice_downloads_parse_back(app, demo_db):
    at = open_trends(app, demo_db)
    shown = table(at, "单位", "2023Q4")
    pd.testing.assert_frame_equal(read_csv_bytes(download_bytes(at, "trend_dl_csv")), shown, check_dtype=False)
    pd.testing.assert_frame_equal(read_xlsx_bytes(download_bytes(at, "trend_dl_xlsx")), shown, check_dtype=False)
    parquet = pd.read_parquet(io.BytesIO(download_bytes(at, "trend_dl_parquet")))
    pd.testing.assert_frame_equal(parquet, shown, check_dtype=False)
