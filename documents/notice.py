"""The quarter's notice (通报) as XLSX and PDF bytes: title, the graded list, the flag, the table and a chart.

The facts come from :func:`queries.selection.notice_facts`; the chart image (PNG) is made by the
dashboard (Plotly + kaleido) and passed in, so this module stays free of plotting. The XLSX also carries a
native Excel bar chart. Chinese text in the PDF uses Noto Sans CJK SC (Debian ``fonts-noto-cjk``).
"""
from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from documents.neutralise import neutral

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
FONT_REGULAR = FONT_DIR / "NotoSansCJK-Regular.ttc"
FONT_BOLD = FONT_DIR / "NotoSansCJK-Bold.ttc"
FONT_SC = 2  # index of "Noto Sans CJK SC" in the collection
TABLE_HEADER_ROW = 7  # XLSX row of the table header (1-based), so readers can find the table
DEMO_MARK = "【演示数据】"


class NoticeFontMissing(RuntimeError):
    """The CJK font the PDF needs is not installed."""


def title(facts: dict) -> str:
    demo = DEMO_MARK if facts["is_demo"] else ""
    mark = f"（{facts['status_mark']}）" if facts.get("status_mark") else ""  # 草稿 / 公示稿 until 已发布
    return f"{demo}关于{facts['scheme_name']}{facts['period_words']}结果的通报{mark}"


def statements(facts: dict) -> list[str]:
    """The notice's sentences: the scoring formula, the graded units, the cutoff and the flag."""
    out = [f"根据评估细则，按总分（{facts['formula']}）排名，{facts['period_words']}结果通报如下。"]
    if facts["group"]:
        out.append(f"组别：{facts['group']}。")
    if facts["grade_name"]:
        graded = "、".join(facts["graded"]) or "无"
        out.append(f"“{facts['grade_name']}”等次（{len(facts['graded'])} 个）：{graded}。")
        if facts["cutoff"] is not None:
            out.append(f"“{facts['grade_name']}”等次最低总分：{facts['cutoff']:.{facts['decimals']}f} 分。")
    if facts["award_name"]:
        units = "、".join(facts["flag_units"])
        if facts["flag_units"] and facts["flag_state"] == facts["pending_mark"]:
            out.append(f"{facts['award_name']}：{units} 总分并列，{facts['flag_state']}（待办公室决定）。")
        elif facts["flag_units"]:
            out.append(f"{facts['award_name']}：{units}。")
        else:
            out.append(f"{facts['award_name']}：本期不授予。")
    return out


def notice_xlsx(facts: dict) -> bytes:
    """One sheet: title, statements, the table from row :data:`TABLE_HEADER_ROW`, and a bar chart of finals."""
    table: pd.DataFrame = facts["table"]
    wb = Workbook()
    ws = wb.active
    ws.title = "通报"
    ws["A1"] = neutral(title(facts))
    ws["A1"].font = Font(size=14, bold=True)
    lines = statements(facts)[: TABLE_HEADER_ROW - 3]
    for n, line in enumerate(lines, start=2):
        ws.cell(row=n, column=1, value=neutral(line))
    ws.cell(row=TABLE_HEADER_ROW - 1, column=1, value=f"生成时间：{datetime.now():%Y-%m-%d %H:%M}")
    head_fill = PatternFill("solid", fgColor="F6F1EE")
    for c, name in enumerate(table.columns, start=1):
        cell = ws.cell(row=TABLE_HEADER_ROW, column=c, value=neutral(str(name)))
        cell.font, cell.fill, cell.alignment = Font(bold=True), head_fill, Alignment(horizontal="center")
    for r, row in enumerate(table.itertuples(index=False), start=TABLE_HEADER_ROW + 1):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=neutral(value.item() if hasattr(value, "item") else value))
            if isinstance(value, float):
                cell.number_format = "0." + "0" * facts["decimals"]
    for c, name in enumerate(table.columns, start=1):
        ws.column_dimensions[get_column_letter(c)].width = 16 if name == "单位" else 10
    if len(table) and "总分" in table.columns:
        col = list(table.columns).index("总分") + 1
        unit_col = list(table.columns).index("单位") + 1
        last = TABLE_HEADER_ROW + len(table)
        chart = BarChart()
        chart.title, chart.y_axis.title, chart.legend = "总分", "分", None
        chart.add_data(Reference(ws, min_col=col, min_row=TABLE_HEADER_ROW, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=unit_col, min_row=TABLE_HEADER_ROW + 1, max_row=last))
        chart.width, chart.height = 22, 9
        ws.add_chart(chart, f"A{last + 3}")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def read_notice_table(data: bytes) -> pd.DataFrame:
    """The table of a notice XLSX (for checks and tests)."""
    return pd.read_excel(io.BytesIO(data), sheet_name="通报", header=TABLE_HEADER_ROW - 1, engine="calamine")


def notice_pdf(facts: dict, chart_png: bytes | None = None) -> bytes:
    """A4 PDF: title, statements, the table and (if given) the chart image; Chinese in Noto Sans CJK SC."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    if not FONT_REGULAR.exists():
        raise NoticeFontMissing(f"缺少中文字体 {FONT_REGULAR}，请安装 fonts-noto-cjk (CJK font missing)")
    table: pd.DataFrame = facts["table"]
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_title(title(facts))
    pdf.add_font("cjk", fname=str(FONT_REGULAR), collection_font_number=FONT_SC)
    pdf.add_font("cjk", style="B", fname=str(FONT_BOLD if FONT_BOLD.exists() else FONT_REGULAR),
                 collection_font_number=FONT_SC)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("cjk", "B", 15)
    pdf.multi_cell(0, 9, title(facts), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("cjk", "", 10.5)
    for line in statements(facts):
        pdf.multi_cell(0, 6.5, line, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("cjk", "", 9)
    widths = [30 if c == "单位" else 14 for c in table.columns]
    with pdf.table(col_widths=widths, text_align="CENTER", line_height=6,
                   headings_style=FontFace(emphasis="BOLD", fill_color=(246, 241, 238))) as grid:
        grid.row([str(c) for c in table.columns])
        for row in table.itertuples(index=False):
            grid.row([f"{v:.{facts['decimals']}f}" if isinstance(v, float) else str(v) for v in row])
    if chart_png:
        pdf.ln(4)
        pdf.image(io.BytesIO(chart_png), w=pdf.epw)
    else:
        pdf.ln(3)
        pdf.multi_cell(0, 6, "（图表未能生成：需要 Chromium 与 kaleido）", align="L")
    pdf.ln(3)
    pdf.set_font("cjk", "", 8.5)
    pdf.multi_cell(0, 5, f"生成时间：{datetime.now():%Y-%m-%d %H:%M}　红旗榜 Flagboard", align="R")
    return bytes(pdf.output())
