"""The three jobs end to end (AppTest): a town against the leader and the last 好 with its lost points by quarter,
the deep link, the analyst's 汇总表 and its XLSX, navigation per scheme, and Haikou's 不排名次."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from cli.main import main as flagboard
from tests.dashboard.conftest import APP, download_bytes, ensure_account, page_text, plotly_spec, sign_in


def open_town(app, db, period, unit):
    at = app(db)
    at.selectbox(key="period").select(period).run()
    at.switch_page("views/town.py").run()
    at.selectbox(key="town_unit").select(unit).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_town_sees_itself_beside_the_leader_and_the_last_good_unit(app, small_db):
    at = open_town(app, small_db, "2022Q2", "F")
    at.session_state["town_tab"] = "逐项对比"
    at.run()
    compare = at.dataframe[[i for i, d in enumerate(at.dataframe) if "差距（比第一名）" in d.value.columns][0]].value
    assert compare.columns.tolist() == ["编号", "指标", "满分", "F", "A", "E", "差距（比第一名）", "差距（比最后一个“好”）"]
    assert compare.iloc[0].tolist() == ["2.1", "完善设施设备建设", 6.0, 0.0, 6.0, 3.0, -6.0, -3.0]
    assert "对比：第一名（A）、最后一个“好”（E）" in page_text(at)
    chart = [plotly_spec(at, i) for i in range(len(at.get("plotly_chart")))]
    bars = next(c for c in chart if c["layout"]["title"]["text"] == "逐项得分对比（失分最多的在上）")
    assert [t["name"] for t in bars["data"]] == ["F", "A", "E"]


def test_lost_points_by_quarter_in_one_matrix(app, small_db):
    at = open_town(app, small_db, "2022Q2", "F")
    at.session_state["town_tab"] = "各期失分"
    at.run()
    matrix = next(d.value for d in at.dataframe if d.value.columns.tolist() == ["指标", "2022Q1", "2022Q2"])
    assert matrix.set_index("指标").loc["2.1 完善设施设备建设"].tolist() == ["5.00", "6.00 ↑"]
    heat = next(plotly_spec(at, i) for i in range(len(at.get("plotly_chart")))
                if plotly_spec(at, i)["layout"]["title"]["text"].startswith("失分：指标 × 期间"))
    assert heat["data"][0]["x"] == ["2022Q1", "2022Q2"] and heat["data"][0]["colorscale"][0][1] == "rgb(255,245,240)"


def test_a_deep_link_opens_the_view_as_it_was_after_sign_in_and_the_url_follows(monkeypatch, small_db):
    monkeypatch.setenv("FLAGBOARD_DB", small_db)
    ensure_account(small_db)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.switch_page("views/town.py")  # the link's path: /town?scheme=…&period=…&unit=…
    at.query_params.update({"scheme": "zichuan-2022", "period": "2022Q1", "unit": "D"})
    at.run()
    assert [t.value for t in at.title] == ["红旗榜 Flagboard · 登录"] and not at.dataframe  # nothing before sign-in
    sign_in(at)  # the sign-in page kept the link (path and query): the unit page opens as linked
    assert not at.exception, [e.message for e in at.exception]
    assert (at.title[0].value, at.selectbox(key="period").value, at.selectbox(key="town_unit").value) == (
        "镇街详情 · D", "2022Q1", "D")
    at.selectbox(key="town_unit").select("E").run()
    assert {k: at.query_params[k] for k in ("scheme", "period", "unit")} == {
        "scheme": "zichuan-2022", "period": "2022Q1", "unit": "E"}


def test_summary_table_page_and_its_xlsx(app, small_db):
    at = app(small_db)
    at.selectbox(key="period").select("2022Q2").run()
    at.switch_page("views/summary.py").run()
    at.multiselect(key="sum_periods_zichuan-2022").set_value(["2022Q1", "2022Q2"]).run()
    assert not at.exception, [e.message for e in at.exception]
    shown = at.dataframe[0].value
    assert shown["期间"].tolist() == ["2022Q1"] * 6 + ["2022Q2"] * 6
    assert shown.columns.tolist()[-5:] == ["日常评估", "风采展示", "总分", "名次", "等次"]
    at.multiselect(key="sum_units_zichuan-2022").set_value(["F"]).run()
    at.multiselect(key="sum_groups_zichuan-2022").set_value(["2 基层服务帮办代办体系"]).run()
    shown = at.dataframe[0].value
    assert shown.columns.tolist() == ["期间", "单位", "2.1 完善设施设备建设", "2.2 加强人员队伍建设", "2.3 强化帮办代办服务",
                                      "2 小计", "日常评估", "风采展示", "总分", "名次", "等次"]
    assert shown["2 小计"].tolist() == [15.0, 14.0]
    sheet = load_workbook(io.BytesIO(download_bytes(at, "sum_xlsx")))["汇总表"]
    assert {"A2:A3", "B2:B3", "C2:F2"} <= {str(r) for r in sheet.merged_cells.ranges}
    assert (sheet["C2"].value, sheet["F3"].value, sheet.freeze_panes) == ("2 基层服务帮办代办体系", "小计", "C4")
    at.radio(key="sum_layout").set_value("side").run()
    assert at.dataframe[0].value["单位"].tolist() == ["F"]


@pytest.fixture(scope="module")
def presets(tmp_path_factory) -> str:
    db = tmp_path_factory.mktemp("jobs-presets") / "presets.duckdb"
    for rubric_id in ("zichuan-2022", "haikou-2023", "rudong-2021"):
        assert flagboard(["demo", "--rubric", rubric_id, "--db", str(db)]) == 0
    return str(db)


def menu(at: AppTest) -> list[str]:
    """The menu's titles for the scheme picked in the sidebar (navigation is data: dashboard/navigation.py)."""
    from dashboard.navigation import PAGES
    from scoring.rubric import load_rubric

    rubric = load_rubric(at.session_state["scheme"])
    return [spec.title(rubric) if callable(spec.title) else spec.title for spec in PAGES
            if spec.applies(rubric) and "office" in spec.roles]


def test_navigation_and_names_follow_the_scheme(app, presets):
    at = app(presets)
    assert at.selectbox(key="scheme").value == "zichuan-2022"  # the flagship opens first
    assert at.selectbox(key="scheme").options == ["海口市政府服务中心外包单位服务质量月度考核（2023—2025）（haikou-2023）",
                                                  "如东县2021年度镇区、街道政务服务考核（rudong-2021）",
                                                  "淄川区2022年度镇（街道、开发区）政务服务工作评估（zichuan-2022）"]
    office = ["异议处理", "数据管理", "审计日志", "账户管理", "修改密码"]
    assert menu(at) == ["季度榜单", "镇街详情", "趋势分析", "得分汇总表", "红旗评选", "情景分析", "评分细则", *office]
    at.selectbox(key="scheme").set_value("haikou-2023").run()
    assert menu(at) == ["月度榜单", "单位详情", "趋势分析", "得分汇总表", "绩效付款", "评分细则", *office]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/selection.py")  # no grades, no award: no 红旗评选
    at.selectbox(key="scheme").set_value("rudong-2021").run()
    assert "红旗评选" not in menu(at) and "镇街详情" in menu(at)


def test_haikou_does_not_rank_its_one_vendor(app, presets):
    """Seed 003 has one vendor: 不排名次. Its pages show no rank and no 第一名."""
    at = app(presets)
    at.selectbox(key="scheme").set_value("haikou-2023").run()
    league = at.dataframe(key="league_table").value
    assert "名次" not in league.columns and "变化" not in league.columns
    assert [m.label for m in at.metric] == ["总分"]
    at.switch_page("views/town.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert "名次" not in [m.label for m in at.metric] and "距第一名" not in [m.label for m in at.metric]
    assert "第一名" not in page_text(at)
    at.switch_page("views/trends.py").run()
    options = at.selectbox(key="trend_metric_haikou-2023").options
    assert "名次（总分）" not in options
    assert not any("失分" in o and ("加分" in o or "减分" in o) for o in options)
    assert plotly_spec(at, 0)["data"][0]["type"] == "scatter"  # one unit: a line, not a one-row heatmap


def test_charts_follow_the_chosen_metric(app, small_db):
    at = app(small_db)
    at.switch_page("views/trends.py").run()
    at.selectbox(key="trend_metric_zichuan-2022").select("ind:2.1:lost").run()
    at.session_state["trend_tab"] = "名次变化"
    at.run()
    bump = plotly_spec(at, 0)
    assert bump["layout"]["title"]["text"] == "名次变化（按指标 2.1 完善设施设备建设：失分排名）"
    places = {t["name"]: t["y"] for t in bump["data"]}
    assert places["A"] == [1, 1] and places["F"] == [6, 6]  # least lost first
    at.session_state["trend_tab"] = "类别均值"
    at.run()
    cats = plotly_spec(at, 0)
    assert cats["layout"]["title"]["text"] == "2 基层服务帮办代办体系：各指标平均得分率"
    assert [t["name"] for t in cats["data"]] == ["2.1 完善设施设备建设", "2.2 加强人员队伍建设", "2.3 强化帮办代办服务"]


def test_payout_money_has_thousands_separators(app, presets):
    at = app(presets)
    at.selectbox(key="scheme").set_value("haikou-2023").run()
    at.switch_page("views/payout.py").run()
    assert not at.exception
    assert [c.value for c in at.caption if c.value.startswith("中标价")] == ["中标价 11,265,500.00 元（细则默认，未录入）；鉴定人数未录入，不扣除"] * 3
    config = at.dataframe[0].proto.columns
    assert '"format": "accounting"' in config.replace("'", '"') or "accounting" in config


def test_a_scheme_with_phases_opens_on_its_period_of_record(app, tmp_path):
    """Liaoning: the 统一考核 (2024) is the result of the year, not the 复检 that sorts after it."""
    db = str(tmp_path / "liaoning.duckdb")
    assert flagboard(["demo", "--rubric", "liaoning-2024-center", "--db", db]) == 0
    at = app(db)
    assert at.selectbox(key="period").options == ["2024-自检", "2024", "2024-复检"]
    assert at.selectbox(key="period").value == "2024"
