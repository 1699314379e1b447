"""Column widths that print without cutting (documents/xlsx_layout.py)."""
from __future__ import annotations

from openpyxl import Workbook

from documents.xlsx_layout import fit_column_widths, text_width


def test_wide_characters_count_two_columns():
    assert [text_width(v) for v in ("淄川经济开发区", "A镇", "2023Q4", 93.97674, None, "（）")] == [14, 3, 6, 7, 0, 4]


def test_each_column_is_as_wide_as_its_widest_cell_within_bounds():
    ws = Workbook().active
    ws.append(["entity", "final", "note"])
    ws.append(["淄川经济开发区", 88.5, "x" * 200])
    fit_column_widths(ws)
    assert [ws.column_dimensions[c].width for c in "ABC"] == [16, 9, 60]
