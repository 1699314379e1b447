"""Hostile input on the pages (issue 12): a bomb uploaded on the data page is a message and the app goes on; at
most 500 problems are listed, all of them downloadable; user text is shown as typed, never as Markdown.
"""
from __future__ import annotations

import html
import io
import re

import pandas as pd
import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from dashboard.plain import plain
from queries.store import Store
from scoring.rubric import load_rubric
from tests.conftest import csv_bytes, fact, frame, unit
from tests.dashboard.conftest import RecordingStorage, download_bytes, unescaped
from tests.dashboard.test_data_page import SCHEME, good_csv, open_data_page, report_table, texts
from tests.hostile_files import sparse_bomb

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_CHECK = "文件检查：发现 1 处错误，未写入任何数据。请按下表逐条修改后重试。"


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "store.duckdb")


# --- the data page: hostile uploads ---------------------------------------------------------------------------------


def test_the_sparse_bomb_uploaded_is_a_message_and_the_next_upload_works(db, monkeypatch):
    at = open_data_page(db, monkeypatch)
    at.selectbox(key="scheme").set_value(SCHEME).run()
    at.file_uploader(key="data_upload").set_value(("bomb.xlsx", sparse_bomb(), XLSX)).run()
    assert not at.exception and texts(at, "error") == [FILE_CHECK]
    assert report_table(at).values.tolist() == [[
        "文件 bomb.xlsx", "错误", "工作表“数据”声明的数据范围 (dimension A1:XFD1048576) 宽到第 16,384 列（XFD 列），超过上限 "
                               "64 列；请删除数据区域以外有内容或格式的行和列（或把数据复制到新工作簿）后另存为 .xlsx "
                               "(sheet too wide: 16384 columns)"]]
    at.file_uploader(key="data_upload").set_value(("obs.csv", good_csv(), "text/csv")).run()
    assert texts(at, "success")[0].startswith("检查通过 (no errors)。文件共 69 行（2022Q2）")


def test_a_native_abort_while_reading_an_upload_is_a_message_not_a_dead_server(db, monkeypatch):
    """With the budgets lifted, calamine aborts inside the parsing child; the page (this process) carries on."""
    monkeypatch.setenv("FLAGBOARD_MAX_CELLS", "1e15")
    monkeypatch.setenv("FLAGBOARD_MAX_COLUMNS", "1e6")
    at = open_data_page(db, monkeypatch)
    at.selectbox(key="scheme").set_value(SCHEME).run()
    at.file_uploader(key="data_upload").set_value(("bomb.xlsx", sparse_bomb(), XLSX)).run()
    assert not at.exception and texts(at, "error") == [FILE_CHECK]
    assert report_table(at)["问题"].tolist() == [
        "读取该文件需要的内存超过上限 1024 MB，已停止；文件可能过大或是异常构造的文件，请按期间拆分，或在 Excel 中只保留数据后"
        "另存 (reading needs more than 1024 MB)"]
    at.file_uploader(key="data_upload").set_value(("obs.csv", good_csv(), "text/csv")).run()
    assert texts(at, "success")[0].startswith("检查通过 (no errors)")


def test_at_most_500_problems_are_listed_and_all_can_be_downloaded(db, monkeypatch):
    monkeypatch.setattr("streamlit.testing.v1.app_test.MemoryMediaFileStorage", RecordingStorage)
    rows = [fact(f"单位{i}", "5.1", "问题次数", "0", period="2022-Q2") for i in range(620)]
    at = open_data_page(db, monkeypatch)
    at.selectbox(key="scheme").set_value(SCHEME).run()
    at.file_uploader(key="data_upload").set_value(("bad.csv", csv_bytes(rows), "text/csv")).run()
    message = "期间 period “2022-Q2” 格式不对，应为 2022Q3 这样的格式 (period must look like 2022Q3)"
    assert texts(at, "error") == ["数据检查：发现 620 处错误，未写入任何数据。请按下表逐条修改后重试。"]
    assert report_table(at).values.tolist() == [[f"第{n}行", "错误", message] for n in range(2, 502)]
    assert "另有 120 个问题未列出；可下载全部问题清单。" in texts(at, "caption")
    every = pd.read_csv(io.BytesIO(download_bytes(at, "report_dl_数据检查")), encoding="utf-8-sig", dtype=str)
    assert every.values.tolist() == [["error", f"第{n}行", message] for n in range(2, 622)]


# --- user text renders as text ---------------------------------------------------------------------------------------

TRAPS = ["[点我](http://x)", "**x**"]


def rendered(markdown: str) -> str:
    """The HTML a CommonMark renderer makes of a Markdown element's body."""
    return MarkdownIt("commonmark").render(markdown)


def visible_text(markdown: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", rendered(markdown))).strip()


@pytest.fixture
def trap_store(tmp_path) -> str:
    """Two units tied at the top, named like Markdown, imported from a file named like a link."""
    path = str(tmp_path / "traps.duckdb")
    rows = unit(TRAPS[0]) + unit(TRAPS[1]) + unit("C镇", {("showcase", ""): "50"})
    with Store(path) as store:
        store.import_observations(load_rubric("zichuan-2022"), frame(rows), who="**张三**", source="[a](http://y).csv")
    return path


def elements(at: AppTest) -> list[str]:
    kinds = ("title", "subheader", "caption", "markdown", "info", "warning", "error", "success")
    return [str(el.value) for kind in kinds for el in getattr(at, kind)]


def test_plain_escapes_every_markdown_mark():
    assert plain("[点我](http://x) **x** :red[y] $z$ <b>a</b>\n# h") == (
        r"\[点我\]\(http\:\/\/x\) \*\*x\*\* \:red\[y\] \$z\$ \<b\>a\<\/b\> \# h")
    for trap in TRAPS + ["# 标题", "- 列表", "1. 序号", "`code`", "<script>x</script>", "www.x.com"]:
        assert rendered(plain(trap)) == f"<p>{html.escape(trap, quote=False)}</p>\n"


def test_unit_names_on_the_town_league_and_selection_pages_show_literally(trap_store, app):
    at = app(trap_store)
    shown = elements(at)  # the league page: the graded list in a card names both units
    at.switch_page("views/town.py").run()
    at.selectbox(key="town_unit").set_value(TRAPS[0]).run()
    shown += elements(at) + [m.help for m in at.metric if m.help]
    at.switch_page("views/selection.py").run()
    assert not at.exception, [e.message for e in at.exception]
    shown += elements(at)
    radio = at.radio(key="sel_winner")
    naming = [body for body in shown if any(trap in unescaped(body) for trap in TRAPS)]
    assert any(body.startswith("镇街详情 · ") for body in naming)  # the town page's title
    assert any("仍然并列" in body for body in naming)  # the pending flag on the selection page
    for body in naming + list(radio.options):
        assert "<a " not in rendered(body) and "<strong>" not in rendered(body), body
    assert visible_text(f"镇街详情 · {plain(TRAPS[0])}") in [visible_text(b) for b in naming]
    assert [visible_text(o) for o in radio.options] == sorted(TRAPS)


def test_the_undo_note_shows_the_file_name_and_the_account_literally(trap_store, monkeypatch):
    at = open_data_page(trap_store, monkeypatch)  # the 撤销 tab renders with the others
    note = next(m.value for m in at.markdown if m.value.startswith("将撤销最近一次改动"))
    assert "<a " not in rendered(note) and visible_text(note).startswith(
        "将撤销最近一次改动：批次 #1：导入 [a](http://y).csv（**张三**，")
