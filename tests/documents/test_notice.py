"""The notice (通报): a document an office can issue — 发文单位, 文号, title, body, 落款, date, the seal's place,
the table and the chart — as XLSX (native chart), PDF (the chart as vector SVG: its labels are text) and DOCX."""
from __future__ import annotations

import io
import shutil
from datetime import date

import docx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from documents.chart_images import chart_images
from documents.notice import (FONT_REGULAR, TABLE_HEADER_ROW, NoticeMeta, notice_chart, notice_pdf, notice_xlsx,
                              read_notice_table, statements, svg_for_pdf, title)
from documents.notice_docx import notice_docx
from queries.notice import notice_facts
from queries.store import Store
from tests.demo_stores import small_store

META = NoticeMeta("淄政服办〔2024〕3号", date(2024, 1, 5))
ISSUER = "淄川区政务服务管理办公室"


@pytest.fixture(scope="module")
def facts(tmp_path_factory):
    path = small_store(tmp_path_factory.mktemp("notice") / "small.duckdb")
    with Store(path, read_only=True) as store:
        return {**notice_facts(store, "zichuan-2022", "2022Q2", ""), "issuer": ISSUER, "signature": ISSUER}


def flat(text: str) -> str:
    """Extracted text without the spaces and NULs pypdf puts between CJK glyphs."""
    return "".join(ch for ch in text if ch not in " \n\x00")


def text_of_pdf(data: bytes) -> str:
    return flat("".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


def test_title_and_statements(facts):
    assert title(facts) == "关于淄川区2022年度镇（街道、开发区）政务服务工作评估2022年第2季度结果的通报（草稿）"
    assert title({**facts, "status_mark": "公示稿"}).endswith("结果的通报（公示稿）")
    assert title({**facts, "status_mark": ""}) == "关于淄川区2022年度镇（街道、开发区）政务服务工作评估2022年第2季度结果的通报"
    assert title({**facts, "is_demo": True}).startswith("【演示数据】")
    assert statements(facts) == [
        "根据评估细则，按总分（日常评估 × 70% + 风采展示 × 30%）排名，2022年第2季度结果通报如下。",
        "“好”等次（5 个）：A、B、C、D、E。", "“好”等次最低总分：97.90 分。",
        "担当作为流动红旗：A、B 总分并列，待定（待办公室决定）。"]
    decided = {**facts, "flag_state": "红旗", "flag_units": ["B"]}
    assert statements(decided)[-1] == "担当作为流动红旗：B。"


def test_xlsx_holds_the_head_the_table_the_signature_and_a_chart(facts):
    data = notice_xlsx(facts, META)
    table = read_notice_table(data).fillna("")
    assert table.columns.tolist() == facts["table"].columns.tolist()
    assert table.values.tolist() == facts["table"].values.tolist()
    sheet = load_workbook(io.BytesIO(data))["通报"]
    assert [sheet.cell(r, 1).value for r in (1, 2, 3, 5)] == [ISSUER, "淄政服办〔2024〕3号", title(facts),
                                                              "“好”等次（5 个）：A、B、C、D、E。"]
    last = TABLE_HEADER_ROW + len(table)
    width = len(table.columns)
    assert [sheet.cell(r, width).value for r in (last + 2, last + 3, last + 4)] == [ISSUER, "2024年1月5日", "（盖章）"]
    assert len(sheet._charts) == 1
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)


def test_docx_says_number_issuer_every_unit_and_the_flag(facts):
    word = docx.Document(io.BytesIO(notice_docx({**facts, "flag_state": "红旗", "flag_units": ["A"]}, None, META)))
    lines = [p.text for p in word.paragraphs]
    assert lines[:3] == [ISSUER, "淄政服办〔2024〕3号", title(facts)]
    assert "担当作为流动红旗：A。" in lines and "附件：2022年第2季度考核结果表及总分图" in lines
    signed = lines.index("2024年1月5日")
    assert lines[signed - 2: signed] == ["（盖章）", ISSUER]
    rows = [[c.text for c in row.cells] for row in word.tables[0].rows]
    assert rows[0] == ["名次", "单位", "日常评估", "风采展示", "总分", "等次", "红旗"]
    assert [r[1] for r in rows[1:]] == ["A", "B", "C", "D", "E", "F"]
    assert rows[1] == ["1", "A", "100.00", "100.00", "100.00", "好", "待定"]


@pytest.mark.skipif(not FONT_REGULAR.exists(), reason="fonts-noto-cjk is not installed")
def test_pdf_embeds_the_chinese_font_and_says_the_head(facts):
    data = notice_pdf(facts, None, META)
    assert data.startswith(b"%PDF-")
    assert b"/BaseFont /MPDFAA+NotoSansCJKSC" in data
    text = text_of_pdf(data)
    for part in (ISSUER, "淄政服办〔2024〕3号", "2024年1月5日", "（盖章）", "图表未能生成"):
        assert part in text


def test_svg_dash_lengths_lose_their_units():
    assert svg_for_pdf(b'<path style="stroke-dasharray: 9px, 9px; fill: none"/>') == (
        b'<path style="stroke-dasharray: 9, 9; fill: none"/>')


@pytest.mark.skipif(shutil.which("chromium") is None or not FONT_REGULAR.exists(),
                    reason="kaleido needs Debian chromium; the PDF needs fonts-noto-cjk")
def test_pdf_chart_is_vector_graphics_whose_labels_are_text(facts):
    """The chart goes into the PDF as SVG: every unit name, the axis numbers and the grade line are extractable
    text (not cut off a picture) and no raster image is embedded."""
    images = chart_images(notice_chart(facts))
    assert images.drawn
    data = notice_pdf(facts, images.svg, META)
    assert b"/Subtype /Image" not in data
    attachment = flat(PdfReader(io.BytesIO(data)).pages[-1].extract_text())
    for unit in ("A（待定）", "B（待定）", "C", "D", "E", "F"):
        assert unit in attachment
    for tick in ("95", "96", "100"):
        assert tick in attachment
    assert "“好”等次线97.90" in attachment and "总分（横轴自" in attachment
