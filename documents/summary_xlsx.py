"""The 考核得分汇总表 as an office-ready XLSX, laid out as a clerk would by hand: a title row, two-level merged
headers (category over indicator, or period over column), frozen panes below the headers and right of the unit,
number formats with the scheme's decimals, column widths, and the print setup (A4 landscape, fit to one page
wide, the header rows repeated on every printed page). Every cell passes :func:`documents.cells.cell_text`.
"""
from __future__ import annotations

import io
from itertools import groupby

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from documents.cells import cell_text
from documents.xlsx_layout import text_width
from queries.summary_table import SummaryTable

TITLE_ROW, UPPER_ROW, LOWER_ROW, FIRST_DATA_ROW = 1, 2, 3, 4
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="F2E6E3")
KEY_COLUMNS = ("期间", "单位")


def _width(text: str) -> float:
    """A column width that fits ``text`` (wide characters count twice; two columns of padding)."""
    return text_width(text) + 2


def summary_xlsx(table: SummaryTable, note: str = "") -> bytes:
    """The workbook bytes of ``table`` (``note``: a line under the table, e.g. the data status)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总表"
    frame, header = table.frame, list(table.header)
    n_cols = len(frame.columns)
    ws.cell(TITLE_ROW, 1, cell_text(table.title)).font = Font(size=14, bold=True)
    ws.cell(TITLE_ROW, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=n_cols)
    ws.row_dimensions[TITLE_ROW].height = 28
    col = 1
    for upper, run in groupby(header, key=lambda h: h[0]):
        span = len(list(run))
        if upper == "":  # key columns: one heading over both header rows
            for k in range(span):
                ws.cell(UPPER_ROW, col + k, cell_text(header[col + k - 1][1]))
                ws.merge_cells(start_row=UPPER_ROW, start_column=col + k, end_row=LOWER_ROW, end_column=col + k)
        else:
            ws.cell(UPPER_ROW, col, cell_text(upper))
            if span > 1:
                ws.merge_cells(start_row=UPPER_ROW, start_column=col, end_row=UPPER_ROW, end_column=col + span - 1)
            for k in range(span):
                ws.cell(LOWER_ROW, col + k, cell_text(header[col + k - 1][1]))
        col += span
    for row in (UPPER_ROW, LOWER_ROW):
        ws.row_dimensions[row].height = 42
        for c in range(1, n_cols + 1):
            cell = ws.cell(row, c)
            cell.font, cell.fill, cell.border = Font(bold=True), HEAD_FILL, BOX
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    number_format = "0." + "0" * table.decimals
    numbers = set(table.number_columns)
    for r, values in enumerate(frame.itertuples(index=False), start=FIRST_DATA_ROW):
        for c, (name, value) in enumerate(zip(frame.columns, values), start=1):
            cell = ws.cell(r, c, None if value != value else cell_text(value))  # NaN → empty cell
            cell.border = BOX
            if name in numbers:
                cell.number_format = number_format
            elif name.endswith("名次"):
                cell.number_format = "0"
                cell.alignment = Alignment(horizontal="center")
    for c, (name, (upper, lower)) in enumerate(zip(frame.columns, header), start=1):
        if name in KEY_COLUMNS:
            width = max([_width(str(v)) for v in frame[name]] + [_width(lower)])
        else:
            width = min(max(_width(lower) / 2 + 1, 8 + table.decimals), 16)  # headings wrap onto two lines
        ws.column_dimensions[get_column_letter(c)].width = width
    keys = sum(1 for name in frame.columns if name in KEY_COLUMNS)
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, keys + 1)
    if note:
        ws.cell(FIRST_DATA_ROW + len(frame) + 1, 1, cell_text(note)).font = Font(size=9, italic=True)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{UPPER_ROW}:{LOWER_ROW}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
