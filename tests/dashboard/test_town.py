"""镇街详情: the picked unit's numbers, lost points that add up to max − points, the loss chart, history."""
from __future__ import annotations

from dashboard.exports import read_csv_bytes
from tests.dashboard.conftest import download_bytes, plotly_spec, table


def open_town(app, db, period=None, unit=None):
    at = app(db)
    if period:
        at.selectbox(key="period").select(period).run()
    at.switch_page("views/town.py").run()
    if unit:
        at.selectbox(key="town_unit").select(unit).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_lost_points_add_up_to_max_minus_points(app, demo_db):
    at = open_town(app, demo_db, "2022Q4", "昆仑镇")
    losses = table(at, "编号", "原因", "失分")
    assert (losses["失分"].round(2) == (losses["满分"] - losses["得分"]).round(2)).all()
    # the parts shown as text ("" where a part has no max); 基础分 + 加分 − 减分 = 日常评估 on screen
    totals = table(at, "部分", "失分").set_index("部分")
    number = lambda v: float(v) if v else None  # noqa: E731
    scored = totals[totals["满分"] != ""]
    assert all(round(number(m) - number(g), 2) == number(lost)
               for m, g, lost in scored[["满分", "得分", "失分"]].values)
    daily = [i for i in losses.index if losses.loc[i, "编号"] != "showcase"]
    assert f"{losses.loc[daily, '失分'].sum():.2f}" == totals.loc["基础分", "失分"]
    got = {p: number(totals.loc[p, "得分"]) for p in totals.index}
    assert round(got["基础分"] + got["加分"] - got["减分"], 2) == got["日常评估 = 基础分 + 加分 − 减分"]
    assert (losses.loc[losses["失分"] > 0, "原因"] != "—").all()


def test_town_numbers_and_loss_chart(app, small_db):
    at = open_town(app, small_db, "2022Q2", "F")
    assert {m.label: m.value for m in at.metric} == {
        "名次": "6 / 6", "总分": "95.45", "距“好”等次线": "-2.45", "距第一名": "-4.55", "日常评估": "93.50",
        "风采展示": "100.00"}
    spec = plotly_spec(at)
    assert [(t["name"], t["y"], t["x"]) for t in spec["data"]] == [
        ("2 基层服务帮办代办体系", ["2.1 完善设施设备建设"], [6.0])]
    assert spec["layout"]["title"]["text"] == "失分分布（按类别与指标）"
    at.session_state["town_tab"] = "加减分与历史"  # only the open tab is drawn
    at.run()
    events = table(at, "项目", "说明")
    assert events.loc[events["得分"] != 0, "说明"].tolist() == ["省级 1次 +1.5，合计+1.5", "市级通报 1次 −2，合计−2"]
    history = table(at, "期间", "中位数")
    assert history[["期间", "总分", "名次"]].values.tolist() == [["2022Q1", 96.5, 6], ["2022Q2", 95.45, 6]]


def test_unit_from_the_league_page_is_kept(app, small_db):
    at = app(small_db)
    at.session_state["unit"] = "D"
    at.switch_page("views/town.py").run()
    assert at.selectbox(key="town_unit").value == "D"
    assert at.title[0].value == "镇街详情 · D"


def test_losses_download_is_the_table(app, small_db):
    at = open_town(app, small_db, "2022Q2", "F")
    shown = table(at, "编号", "原因", "失分")
    assert read_csv_bytes(download_bytes(at, "town_dl_csv")).values.tolist() == shown.values.tolist()
