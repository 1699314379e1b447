"""The notice (通报): XLSX with the table, the graded list and a native chart; PDF with the CJK font embedded."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from documents.notice import FONT_REGULAR, notice_pdf, notice_xlsx, read_notice_table, statements, title
from queries.selection import notice_facts
from queries.store import Store
from tests.demo_stores import small_store


@pytest.fixture(scope="module")
def facts(tmp_path_factory):
    path = small_store(tmp_path_factory.mktemp("notice") / "small.duckdb")
    with Store(path, read_only=True) as store:
        return notice_facts(store, "zichuan-2022", "2022Q2", "")


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


def test_xlsx_holds_the_table_and_a_chart(facts):
    data = notice_xlsx(facts)
    table = read_notice_table(data).fillna("")
    assert table.columns.tolist() == facts["table"].columns.tolist()
    assert table.values.tolist() == facts["table"].values.tolist()
    sheet = load_workbook(io.BytesIO(data))["通报"]
    assert sheet["A1"].value == title(facts)
    assert sheet["A3"].value == "“好”等次（5 个）：A、B、C、D、E。"
    assert len(sheet._charts) == 1


@pytest.mark.skipif(not FONT_REGULAR.exists(), reason="fonts-noto-cjk is not installed")
def test_pdf_embeds_the_chinese_font(facts):
    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(png, format="PNG")
    data = notice_pdf(facts, png.getvalue())
    assert data.startswith(b"%PDF-")
    assert b"/BaseFont /MPDFAA+NotoSansCJKSC" in data
    assert b"/Subtype /Image" in data
