"""季度榜单: the table follows the period picker; headline cards; the chart; downloads hold what is shown."""
from __future__ import annotations

import pandas as pd

from dashboard.exports import read_csv_bytes, read_xlsx_bytes
from tests.dashboard.conftest import download_bytes, download_name, plotly_spec


def shown(at) -> pd.DataFrame:
    return at.dataframe(key="league_table").value


def test_switching_quarter_changes_the_table(app, small_db):
    at = app(small_db)
    at.selectbox(key="period").select("2022Q2").run()
    q2 = shown(at)
    assert q2["名次"].tolist() == [1, 1, 3, 4, 4, 6]
    assert q2["红旗"].tolist() == ["待定", "待定", "", "", "", ""]
    at.selectbox(key="period").select("2022Q1").run()
    q1 = shown(at)
    assert q1["总分"].tolist() == [100.0, 99.3, 98.6, 97.9, 97.2, 96.5]
    assert q1["红旗"].tolist() == ["红旗", "", "", "", "", ""]
    assert q1["变化"].tolist() == ["—"] * 6


def test_headline_cards_and_rank_sparkline(app, small_db):
    at = app(small_db)
    at.selectbox(key="period").select("2022Q2").run()
    values = {m.label: m.value for m in at.metric}
    assert values == {":material/flag: 红旗": "待定", "“好”等次": "5 个", "“好”等次线": "97.90 分",
                      "第6名距等次线": "2.45 分"}
    # the sparkline draws ranks negated (a rising line = a better place); the download keeps real ranks
    assert [list(t) for t in shown(at)["名次走势"]] == [[-1, -1], [-2, -1], [-3, -3], [-4, -4], [-5, -4], [-6, -6]]


def test_finals_chart_highlights_graded_units_and_draws_the_cutoff(app, small_db):
    at = app(small_db)
    at.selectbox(key="period").select("2022Q2").run()
    spec = plotly_spec(at)
    bar = spec["data"][0]
    assert bar["y"] == ["A（待定）", "B（待定）", "C", "D", "E", "F"]
    assert bar["marker"]["color"] == ["#7f0a1d"] * 2 + ["#c8102e"] * 3 + ["#b8b8c0"]
    assert bar["text"][0] == "100.00"
    line = spec["layout"]["shapes"][0]
    assert (line["x0"], line["x1"]) == (97.9, 97.9)
    assert spec["data"][1]["name"] == "“好”等次线 97.90"


def test_downloads_contain_exactly_what_is_shown(app, demo_db):
    at = app(demo_db)
    table = shown(at)
    expected = table.assign(名次走势=[("→".join(str(-r) for r in t)) for t in table["名次走势"]])
    csv = download_bytes(at, "league_dl_csv")
    assert csv.startswith("\ufeff".encode("utf-8"))  # BOM: Excel opens the Chinese intact
    pd.testing.assert_frame_equal(read_csv_bytes(csv), expected, check_dtype=False)
    pd.testing.assert_frame_equal(read_xlsx_bytes(download_bytes(at, "league_dl_xlsx")), expected,
                                  check_dtype=False)
    gbk = download_bytes(at, "league_dl_gbk_csv")  # for older WPS/Excel: GBK bytes, no BOM
    assert gbk.decode("gbk") == csv.decode("utf-8-sig")
    assert download_name(at, "league_dl_gbk_csv").endswith("_GBK.csv")
    assert len(table) == 13


def test_demo_has_a_pending_flag_in_2022q4(app, demo_db):
    at = app(demo_db)
    at.selectbox(key="period").select("2022Q4").run()
    assert shown(at)["红旗"].tolist().count("待定") == 2


def test_a_rescore_underneath_the_page_shows_on_the_next_run(app, small_db, tmp_path):
    """The page's cached read models key on the store's data version; a rescore changes it (it is audited)."""
    from pathlib import Path

    from dashboard.state import _open_store
    from tests.demo_stores import copy_store
    from tests.queries.helpers import set_fact

    db = str(copy_store(Path(small_db), tmp_path / "small.duckdb"))
    at = app(db)
    at.selectbox(key="period").select("2022Q1").run()
    assert shown(at)["总分"].tolist() == [100.0, 99.3, 98.6, 97.9, 97.2, 96.5]
    store = _open_store(db)  # the page's own connection: this process holds the file
    set_fact(store, scheme="zichuan-2022", period="2022Q1", entity="F", indicator="2.1", item="缺项数", value="0")
    store.rescore("zichuan-2022", ["2022Q1"], who="测试")
    at.run()
    assert shown(at)[["单位", "总分"]].values.tolist()[:2] == [["A", 100.0], ["F", 100.0]]
