"""数据管理 and 审计日志 pages (AppTest): name first, upload → report → confirm, the table editor, undo, publish /
reopen, and the audit log filtered by unit."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from scoring.intake import read_upload
from queries.store import Store
from tests.conftest import csv_bytes, fact, unit
from tests.dashboard.conftest import unescaped
from tests.dashboard.conftest import open_signed_in

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
SCHEME = "zichuan-2022"
DATA_ROWS = "action NOT IN ('account_add', 'login')"  # the audit rows of data, not of the test's own sign-in


def good_csv() -> bytes:
    rows = unit("A镇") + unit("B镇", {("showcase", ""): "90"}) + unit("C镇", {("showcase", ""): "80"})
    return csv_bytes(rows)


def rows_of(db: str, sql: str) -> list[tuple]:
    con = duckdb.connect(db)  # the app's connection lives in this process: same database instance
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def open_data_page(db: str, monkeypatch, who: str = "张三") -> AppTest:
    """The data page, signed in as the office account ``who`` (the audit records it)."""
    monkeypatch.setenv("FLAGBOARD_DB", db)
    at = open_signed_in(db, who)
    at.switch_page("views/data.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def report_table(at: AppTest):
    """The validation report shown on the page (the table with a 位置 column)."""
    return next(d.value for d in at.dataframe if "位置" in d.value.columns)


def texts(at: AppTest, kind: str) -> list[str]:
    """The texts of one kind of element as the page shows them (the Markdown escapes of user text removed)."""
    return [unescaped(str(e.value)) for e in getattr(at, kind)]


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "store.duckdb")


@pytest.fixture
def seeded(db, zichuan) -> str:
    with Store(db) as store:
        store.import_observations(zichuan, read_upload("seed.csv", good_csv()).obs, who="张三", source="seed.csv")
    return db


def test_the_page_asks_for_no_name_it_records_the_signed_in_account(db, monkeypatch):
    at = open_data_page(db, monkeypatch, who="李四")
    assert [t.key for t in at.text_input] == ["tpl_period"]  # no name box: the audit takes the account
    assert len(at.file_uploader) == 1


def test_a_bad_upload_shows_every_problem_with_its_line_and_writes_nothing(db, monkeypatch):
    at = open_data_page(db, monkeypatch)
    at.selectbox(key="scheme").set_value(SCHEME).run()
    bad = [fact("A镇", "5.1", "问题次数", "三"), fact("A镇", "2.2", "酌情扣分", "5")]
    rows = bad + [r for r in unit("A镇") if r["indicator"] not in ("5.1", "2.2")]
    at.file_uploader(key="data_upload").set_value(("obs.csv", csv_bytes(rows), "text/csv")).run()
    assert texts(at, "error") == ["数据检查：发现 2 处错误，未写入任何数据。请按下表逐条修改后重试。"]
    report = report_table(at)
    assert report.values.tolist() == [
        ["第2行", "错误", "指标 5.1 的 问题次数 应为非负整数 (a whole number ≥ 0)，实际为 “三” (not a number)"],
        ["第3行", "错误", "指标 2.2 的 酌情扣分 应在 0 或 2–4 之间，实际为 “5” (out of range 0 或 2–4)"]]
    assert [b.key for b in at.button if b.key == "import_confirm"] == []
    assert rows_of(db, "SELECT count(*) FROM observations") == [(0,)]


def test_a_refused_file_says_why(db, monkeypatch):
    at = open_data_page(db, monkeypatch)
    at.file_uploader(key="data_upload").set_value(("obs.xlsm", b"PK\x03\x04", "application/octet-stream")).run()
    assert texts(at, "error") == ["文件检查：发现 1 处错误，未写入任何数据。请按下表逐条修改后重试。"]
    assert report_table(at)["问题"].tolist() == [
        "这是启用宏的 Excel 文件 (macro-enabled workbook)，不能导入；请“另存为” Excel 工作簿 (.xlsx)"]


def test_upload_check_confirm_imports_and_a_second_upload_changes_nothing(db, monkeypatch):
    at = open_data_page(db, monkeypatch)
    at.selectbox(key="scheme").set_value(SCHEME).run()
    at.file_uploader(key="data_upload").set_value(("obs.csv", good_csv(), "text/csv")).run()
    assert texts(at, "success") == ["检查通过 (no errors)。文件共 69 行（2022Q2）：3 个单位是新数据，0 个单位的数据将被替换，"
                                    "0 个单位与库中相同不变；文件中没有的单位不受影响。"]
    at.button(key="import_confirm").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert texts(at, "success")[0] == "已导入 obs.csv（批次 #1）。"
    assert rows_of(db, "SELECT entity, rank, flag FROM results ORDER BY rank") == [
        ("A镇", 1, "红旗"), ("B镇", 2, ""), ("C镇", 3, "")]
    assert rows_of(db, f"SELECT who, action FROM audit WHERE {DATA_ROWS}") == [("张三", "import")]
    at.button(key="import_confirm").click().run()
    assert texts(at, "success")[0] == "obs.csv 与库中数据相同，没有变化。"
    assert rows_of(db, "SELECT count(*) FROM batches") == [(1,)]


def test_the_table_editor_corrects_one_unit_and_undo_reverts_it(seeded, monkeypatch):
    at = open_data_page(seeded, monkeypatch)
    at.selectbox(key="edit_entity").set_value("B镇").run()
    editor = at.data_editor[0]
    facts = editor.value
    row = int(facts.index[facts["indicator"] == "5.1"][0])
    at.session_state[f"edit_{SCHEME}_2022Q2_B镇_0"] = {"edited_rows": {row: {"value": "3"}}, "added_rows": [],
                                                      "deleted_rows": []}
    at.text_input(key="edit_why").set_value("现场检查补记").run()
    at.button(key="edit_save").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert texts(at, "success")[0] == "已保存 B镇 在 2022Q2 的修改（批次 #2）。"
    assert rows_of(seeded, "SELECT value FROM observations WHERE entity = 'B镇' AND indicator = '5.1'") == [("3",)]
    assert rows_of(seeded, "SELECT who, action, entity, why FROM audit ORDER BY audit_id DESC LIMIT 1") == [
        ("张三", "edit", "B镇", "现场检查补记")]
    undo_note = next(unescaped(m.value) for m in at.markdown if m.value.startswith("将撤销最近一次改动"))
    assert undo_note.startswith("将撤销最近一次改动：**批次 #2：表格修改 B镇 2022Q2（张三，")
    at.button(key="undo_confirm").click().run()
    assert texts(at, "success")[0] == "已撤销批次 #2（B镇 2022Q2），1 个单位恢复为此前的数据。"
    assert rows_of(seeded, "SELECT value FROM observations WHERE entity = 'B镇' AND indicator = '5.1'") == [("0",)]


def test_a_bad_edit_is_reported_by_editor_row(seeded, monkeypatch):
    at = open_data_page(seeded, monkeypatch)
    facts = at.data_editor[0].value
    row = int(facts.index[facts["indicator"] == "2.2"][0])
    at.session_state[f"edit_{SCHEME}_2022Q2_A镇_0"] = {"edited_rows": {row: {"value": "9"}}, "added_rows": [],
                                                      "deleted_rows": []}
    at.run()
    at.button(key="edit_save").click().run()
    assert texts(at, "error") == ["修改检查：发现 1 处错误，未写入任何数据。请按下表逐条修改后重试。"]
    assert report_table(at).values.tolist() == [
        [f"修改表第{row + 1}行", "错误", "指标 2.2 的 酌情扣分 应在 0 或 2–4 之间，实际为 “9” (out of range 0 或 2–4)"]]


def test_publish_locks_the_period_and_reopen_needs_a_reason(seeded, monkeypatch):
    at = open_data_page(seeded, monkeypatch)
    at.button(key="pub_confirm").click().run()  # a draft published without 公示 needs a stated reason
    assert texts(at, "error") == ["2022Q2 未经公示直接从草稿发布必须填写理由 (a reason is required)"]
    at.text_input(key="pub_note").set_value("年度会议前通报").run()
    at.button(key="pub_confirm").click().run()
    assert texts(at, "success")[0] == "已发布 2022Q2（3 个单位），本期已锁定。"
    assert "2022Q2 已发布并锁定，不能修改。如确需更改，请先在“发布”页重新打开该期间。" in texts(at, "warning")
    assert at.button(key="edit_save").disabled
    at.button(key="reopen_confirm").click().run()
    assert "重新打开已发布的期间必须填写理由 (a reason is required)" in texts(at, "error")
    at.text_input(key="reopen_why").set_value("B镇 补交材料").run()
    at.button(key="reopen_confirm").click().run()
    assert texts(at, "success")[0] == "已重新打开 2022Q2；发布时的榜单保留，之后的改动会显示为差异。"
    assert rows_of(seeded, f"SELECT action, why FROM audit WHERE {DATA_ROWS} ORDER BY audit_id") == [
        ("import", ""), ("refused", ""), ("publish", "年度会议前通报"), ("refused", ""), ("reopen", "B镇 补交材料")]


def test_the_audit_page_filters_by_unit(seeded, monkeypatch, zichuan):
    at = open_data_page(seeded, monkeypatch)
    at.file_uploader(key="data_upload").set_value(("c.csv", csv_bytes(unit("C镇", {("showcase", ""): "70"})),
                                                   "text/csv")).run()
    at.button(key="import_confirm").click().run()
    at.switch_page("views/audit.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.dataframe[0].value[["操作人", "操作", "期间", "内容"]].values.tolist() == [
        ["张三", "导入", "2022Q2", "导入 c.csv：1 个单位，新增 0 行、修改 1 行、删除 0 行（批次 #2）"],
        ["张三", "导入", "2022Q2", "导入 seed.csv：3 个单位，新增 69 行、修改 0 行、删除 0 行（批次 #1）"]]
    at.selectbox(key=f"audit_entity_{SCHEME}").set_value("A镇").run()
    assert at.dataframe[0].value["内容"].tolist() == [
        "导入 seed.csv：3 个单位，新增 69 行、修改 0 行、删除 0 行（批次 #1）"]
    detail = json.loads(at.json[0].value)  # the chosen row's full detail
    assert (detail["batch_id"], detail["added"], detail["units"]) == (1, 69, 3)


def test_values_a_store_made_before_holds_and_the_engine_refuses_are_listed(tmp_path, monkeypatch, zichuan):
    """Issue 9: 有/无 is refused as a flag; a store that holds 有 for 4.1 (未设自助服务区) from before lists it on the
    data page for the office to correct."""
    from tests.queries.store.test_lean_results import make_old_store

    db = str(tmp_path / "old.duckdb")
    make_old_store(db, zichuan)
    at = open_data_page(db, monkeypatch)
    assert "数据库中有 1 个旧数据按现行规则不能计分（这些期间保留原结果），请在“修改”中更正：" in texts(at, "warning")
    listed = next(d.value for d in at.dataframe if "存储值" in d.value.columns)
    assert listed[["期间", "单位", "指标", "细项", "存储值"]].values.tolist() == [["2022Q3", "C镇", "4.1", "未设自助服务区", "有"]]
