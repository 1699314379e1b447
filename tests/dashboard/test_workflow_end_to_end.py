"""End to end in the app, two sessions (the office and a town): import → 公示 → objection → 采纳 → rescore → publish
→ 通报 from the published version."""
from __future__ import annotations

from datetime import date, timedelta

from streamlit.testing.v1 import AppTest

from documents.notice import read_notice_table
from queries.publication import published_league
from queries.store import Store
from tests.conftest import csv_bytes, unit
from tests.dashboard.conftest import (APP, download_bytes, download_name, ensure_account, page_text, sign_in, table,
                                      unescaped)

SCHEME = "zichuan-2022"


def texts(at: AppTest, kind: str) -> list[str]:
    return [str(e.value) for e in getattr(at, kind)]


def test_import_review_objection_accept_publish_and_the_notice(tmp_path, monkeypatch, app):
    db = str(tmp_path / "store.duckdb")
    monkeypatch.setattr("dashboard.exports.figure_png", lambda fig, **kw: None)  # no Chrome start in this test
    # 1. the office imports a quarter (A镇 lost 2 points on 5.1: 问题 2 次)
    office = app(db, "王主任")
    office.switch_page("views/data.py").run()
    office.selectbox(key="scheme").set_value(SCHEME).run()
    rows = (unit("A镇", {("5.1", "问题次数"): "2", ("showcase", ""): "100"}) + unit("B镇", {("showcase", ""): "99"})
            + unit("C镇", {("showcase", ""): "90"}))
    office.file_uploader(key="data_upload").set_value(("q2.csv", csv_bytes(rows), "text/csv")).run()
    office.button(key="import_confirm").click().run()
    assert unescaped(texts(office, "success")[0]) == "已导入 q2.csv（批次 #1）。"  # the file name escaped
    ensure_account(db, "a-town", "town", (("", "A镇"),))

    # 2. 公示 for 7 days; the data of a period in review cannot be edited
    office.button(key="wf_review").click().run()
    until = date.today() + timedelta(days=6)
    assert texts(office, "success")[0] == f"2022Q2 已开始公示，截止 {until:%Y-%m-%d}。"
    assert "2022Q2 正在公示：数据只能在“异议处理”页通过采纳异议修改，或在“发布”页先退回草稿。" in texts(office, "warning")

    # 3. the town signs in, sees its rank and objects on 5.1
    town = sign_in(AppTest.from_file(str(APP), default_timeout=60).run(), "a-town")
    town.switch_page("views/town.py").run()
    # A镇: daily 100 − 2 = 98, final 0.7 × 98 + 0.3 × 100 = 98.6; B镇 0.7 × 100 + 0.3 × 99 = 99.7
    assert {m.label: m.value for m in town.metric}["名次"] == "2 / 3"
    town.selectbox(key="objection_indicator").set_value("5.1")
    town.text_area(key="objection_text").input("5.1 现场检查只发现 1 次问题，另一次已当场整改")
    next(b for b in town.button if b.label == "提交异议").click().run()
    assert texts(town, "success") == ["已提交异议 #1，请等待办公室答复。"]

    # 4. the office cannot publish while it is unanswered; it accepts, correcting the fact: the period is rescored
    office.switch_page("views/data.py").run()
    office.button(key="pub_confirm").click().run()
    assert texts(office, "error") == ["2022Q2 还有 1 条异议未答复，不能发布：#1 A镇 指标 5.1：5.1 现场检查只发现 1 次问题，"
                                      "另一次已当场整改 (answer every objection before publishing)"]
    office.switch_page("views/objections.py").run()
    editor = office.data_editor[0].value
    row = int(editor.index[editor["indicator"] == "5.1"][0])
    office.session_state["obj_facts_1"] = {"edited_rows": {row: {"value": "1"}}, "added_rows": [], "deleted_rows": []}
    office.text_area(key="obj_reason").input("核实：1 次已当场整改，不计")
    office.button(key="obj_answer").click().run()
    assert not office.exception, [e.message for e in office.exception]
    assert texts(office, "success")[0] == "已采纳异议 #1（数据修改批次 #2），本期已重新评分。"
    office.switch_page("views/league.py").run()
    league = table(office, "名次", "单位")
    # A镇: daily 100 − 1 = 99, final 0.7 × 99 + 0.3 × 100 = 99.3; B镇 0.7 × 100 + 0.3 × 99 = 99.7
    assert league[["单位", "总分", "名次"]].values.tolist() == [["B镇", 99.7, 1], ["A镇", 99.3, 2], ["C镇", 97.0, 3]]

    # 5. the town sees the answer
    town.switch_page("views/town.py").run()
    answer = table(town, "编号", "状态", "答复")
    assert answer[["编号", "状态", "答复", "答复人", "数据修改批次"]].values.tolist() == [
        [1, "采纳", "核实：1 次已当场整改，不计", "王主任", 2]]

    # 6. publish from 公示 (no reason needed), then the notice comes from the published version
    office.switch_page("views/data.py").run()
    office.button(key="pub_confirm").click().run()
    assert texts(office, "success")[0] == "已发布 2022Q2（3 个单位），本期已锁定。"
    office.switch_page("views/selection.py").run()
    assert "本期状态：已发布（最终结果，已锁定）" in texts(office, "success")
    office.button(key="sel_notice_build").click().run()
    notice = read_notice_table(download_bytes(office, "sel_notice_xlsx")).fillna("")
    with Store(db) as store:
        published = published_league(store, SCHEME, "2022Q2")
    assert notice[["单位", "总分", "名次"]].values.tolist() == [
        [e, round(f, 2), r] for e, f, r in published[["entity", "final", "rank"]].values.tolist()]
    assert "草稿" not in page_text(office)
    assert download_name(office, "sel_notice_xlsx") == "通报_zichuan-2022_2022Q2.xlsx"
