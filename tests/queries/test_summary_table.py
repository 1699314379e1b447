"""The 考核得分汇总表: unit × indicator per period, 小计 per category, components, 总分, 名次, 等次; periods stacked
or side by side; and its office-ready XLSX (merged two-level headers, frozen panes, A4 landscape fit to width)."""
from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from documents.summary_xlsx import FIRST_DATA_ROW, summary_xlsx
from queries.store import Store, workflow
from queries.summary_table import summary_table
from tests.demo_stores import small_store

Z = "zichuan-2022"
CATEGORY_2 = "2 基层服务帮办代办体系"


def test_stacked_periods_in_time_order_with_subtotals(small):
    table = summary_table(small, Z, ("2022Q2", "2022Q1"), "", "stacked")
    assert table.title == "淄川区2022年度镇（街道、开发区）政务服务工作评估考核得分汇总表（2022年第1季度、2022年第2季度）（草稿）"
    frame = table.frame
    assert frame.columns.tolist()[:6] == ["期间", "单位", "1.1 镇（街道、开发区）便民服务中心标准化建设",
                                         "1.2 村（社区）便民服务站标准化建设", "1.3 提升特殊群体服务能力", "1 小计"]
    assert frame.columns.tolist()[-5:] == ["日常评估", "风采展示", "总分", "名次", "等次"]
    assert frame["期间"].tolist() == ["2022Q1"] * 6 + ["2022Q2"] * 6
    f = frame[(frame["期间"] == "2022Q2") & (frame["单位"] == "F")].iloc[0]
    assert (f["2.1 完善设施设备建设"], f["2 小计"], f["8.2 加分：获得表彰"], f["8.4 减分：工作落实"], f["8 小计"]) == (
        0.0, 14.0, 1.5, -2.0, -0.5)
    assert (f["日常评估"], f["风采展示"], f["总分"], f["名次"], f["等次"]) == (93.5, 100.0, 95.45, 6, "")
    assert dict(zip(frame.columns, table.header))["2 小计"] == (CATEGORY_2, "小计")
    assert dict(zip(frame.columns, table.header))["总分"] == ("合计", "总分")


def test_side_by_side_keeps_one_row_per_unit(small):
    table = summary_table(small, Z, ("2022Q1", "2022Q2"), "", "side")
    assert table.frame["单位"].tolist() == ["A", "B", "C", "D", "E", "F"]  # the latest period's order
    row_f = table.frame.set_index("单位").loc["F"]
    assert (row_f["2022Q1 总分"], row_f["2022Q2 总分"], row_f["2022Q1 2 小计"], row_f["2022Q2 名次"]) == (
        96.5, 95.45, 15.0, 6)
    assert table.header[:2] == (("", "单位"), ("2022年第1季度", "1 小计"))


def test_xlsx_has_a_title_merged_two_level_headers_frozen_panes_and_print_setup(small):
    table = summary_table(small, Z, ("2022Q2",), "", "stacked")
    sheet = load_workbook(io.BytesIO(summary_xlsx(table)))["汇总表"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    last = get_column_letter(len(table.frame.columns))
    assert f"A1:{last}1" in merged and sheet["A1"].value == table.title
    assert {"A2:A3", "B2:B3", "C2:F2", "G2:J2"} <= merged  # 期间, 单位; category 1 over 1.1–1.3 and 小计
    assert (sheet["C2"].value, sheet["C3"].value, sheet["F3"].value, sheet["G2"].value) == (
        "1 基层服务场所标准化建设", "1.1 镇（街道、开发区）便民服务中心标准化建设", "小计", CATEGORY_2)
    assert sheet.freeze_panes == "C4"
    assert FIRST_DATA_ROW == 4 and sheet["B4"].value == "A" and sheet["C4"].number_format == "0.00"
    assert (sheet.page_setup.orientation, int(sheet.page_setup.paperSize)) == ("landscape", 9)
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight, sheet.sheet_properties.pageSetUpPr.fitToPage) \
        == (1, 0, True)
    assert sheet.print_title_rows == "$2:$3"
    assert sheet.column_dimensions["B"].width >= 3


def test_the_title_says_which_periods_are_not_yet_published(tmp_path):
    """Exports of a period not 已发布 say 草稿 or 公示稿 (issue 11); a table of published periods says nothing."""
    with Store(small_store(tmp_path / "small.duckdb")) as store:
        store.publish(Z, "2022Q1", who="王主任", why="测试：直接发布")
        assert summary_table(store, Z, ("2022Q1",)).marks == ()
        assert summary_table(store, Z, ("2022Q1",)).title.endswith("（2022年第1季度）")
        workflow.review(store, "王主任", Z, "2022Q2", until=date(2022, 7, 10), today=date(2022, 7, 3))
        both = summary_table(store, Z, ("2022Q1", "2022Q2"))
        assert (both.marks, both.title.endswith("（2022年第1季度、2022年第2季度）（公示稿）")) == (("公示稿",), True)
