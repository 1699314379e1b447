"""The notice (通报) as XLSX and PDF bytes (the Word version: :mod:`documents.notice_docx`), laid out as an office
issues it: the 发文单位 in red at the head, the 文号, the title, the body, the table, the chart, the 落款, the date
and a place for the seal.

The facts come from :func:`queries.notice.notice_facts` (the published snapshot of an 已发布 period); the 文号 and
the date are each notice's own (:class:`NoticeMeta`). The PDF draws the chart from SVG as vector graphics, so its
unit names and axis numbers are text in the PDF (extractable, never cut off a picture); Chinese uses Noto Sans
CJK SC (Debian ``fonts-noto-cjk``). Every XLSX text cell passes :func:`documents.cells.cell_text`.
"""
from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from documents.cells import cell_text
from documents.finals_chart import finals_bar

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
FONT_REGULAR = FONT_DIR / "NotoSansCJK-Regular.ttc"
FONT_BOLD = FONT_DIR / "NotoSansCJK-Bold.ttc"
FONT_SC = 2  # index of "Noto Sans CJK SC" in the collection
TABLE_HEADER_ROW = 11  # XLSX row of the table header (1-based), so readers can find the table
DEMO_MARK = "【演示数据】"
RED = (200, 16, 46)
NO_ISSUER = "（发文单位未设置）"
SEAL_PLACE = "（盖章）"


class NoticeFontMissing(RuntimeError):
    """The CJK font the PDF needs is not installed."""


def date_words(day: date) -> str:
    """'2023年1月5日' (the date line of a notice)."""
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class NoticeMeta:
    """What each notice has of its own: its 文号 (document number) and its date."""

    number: str = ""
    day: date = field(default_factory=date.today)


def title(facts: dict) -> str:
    demo = DEMO_MARK if facts["is_demo"] else ""
    mark = f"（{facts['status_mark']}）" if facts.get("status_mark") else ""  # 草稿 / 公示稿 until 已发布
    return f"{demo}关于{facts['scheme_name']}{facts['period_words']}结果的通报{mark}"


def issuer(facts: dict) -> str:
    return facts.get("issuer") or NO_ISSUER


def signature(facts: dict) -> str:
    return facts.get("signature") or facts.get("issuer") or NO_ISSUER


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


def notice_chart(facts: dict):
    """The notice's finals chart (the league page's chart, titled for the notice)."""
    return finals_bar(facts["table"], facts["grade_name"], facts["cutoff"], facts["award_column"],
                      title=f"{facts['period_words']}总分", decimals=facts["decimals"])


def cells_of(table: pd.DataFrame, decimals: int) -> list[list[str]]:
    """The table's rows as text, numbers with the display decimals (PDF and DOCX cells)."""
    return [[f"{v:.{decimals}f}" if isinstance(v, float) else str(v) for v in row]
            for row in table.itertuples(index=False)]


def notice_xlsx(facts: dict, meta: NoticeMeta | None = None) -> bytes:
    """One sheet: the head (发文单位, 文号, title), the body from row 4, the table from :data:`TABLE_HEADER_ROW`,
    then 落款, date and the seal's place, and a native bar chart of the finals."""
    meta = meta or NoticeMeta()
    table: pd.DataFrame = facts["table"]
    width = max(len(table.columns), 6)
    wb = Workbook()
    ws = wb.active
    ws.title = "通报"
    head = [(issuer(facts), Font(size=20, bold=True, color="C8102E")), (meta.number, Font(size=11)),
            (title(facts), Font(size=14, bold=True))]
    for row, (text, font) in enumerate(head, start=1):
        ws.cell(row, 1, cell_text(text)).font = font
        ws.cell(row, 1).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    ws.row_dimensions[1].height, ws.row_dimensions[3].height = 34, 40
    ws.cell(2, 1).border = Border(bottom=Side(style="medium", color="C8102E"))
    lines = statements(facts)[: TABLE_HEADER_ROW - 5]
    for n, line in enumerate(lines, start=4):
        ws.cell(n, 1, cell_text(line))
        ws.merge_cells(start_row=n, start_column=1, end_row=n, end_column=width)
    ws.cell(TABLE_HEADER_ROW - 1, 1, cell_text(f"数据来源：{facts.get('source', '')}")).font = Font(size=9)
    head_fill = PatternFill("solid", fgColor="F6F1EE")
    for c, name in enumerate(table.columns, start=1):
        cell = ws.cell(row=TABLE_HEADER_ROW, column=c, value=cell_text(str(name)))
        cell.font, cell.fill, cell.alignment = Font(bold=True), head_fill, Alignment(horizontal="center")
    for r, row in enumerate(table.itertuples(index=False), start=TABLE_HEADER_ROW + 1):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=cell_text(value))
            if isinstance(value, float):
                cell.number_format = "0." + "0" * facts["decimals"]
    for c, name in enumerate(table.columns, start=1):
        ws.column_dimensions[get_column_letter(c)].width = 16 if name == "单位" else 11
    last = TABLE_HEADER_ROW + len(table)
    for n, text in enumerate([signature(facts), date_words(meta.day), SEAL_PLACE], start=last + 2):
        ws.cell(n, width, cell_text(text)).alignment = Alignment(horizontal="right")
    if len(table) and "总分" in table.columns:
        col = list(table.columns).index("总分") + 1
        unit_col = list(table.columns).index("单位") + 1
        chart = BarChart()
        chart.title, chart.y_axis.title, chart.legend = "总分", "分", None
        chart.add_data(Reference(ws, min_col=col, min_row=TABLE_HEADER_ROW, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=unit_col, min_row=TABLE_HEADER_ROW + 1, max_row=last))
        chart.width, chart.height = 22, 9
        ws.add_chart(chart, f"A{last + 6}")
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def read_notice_table(data: bytes) -> pd.DataFrame:
    """The table of a notice XLSX (for checks and tests): from its header row to the first empty row."""
    frame = pd.read_excel(io.BytesIO(data), sheet_name="通报", header=TABLE_HEADER_ROW - 1, engine="calamine")
    rows = int(frame["单位"].isna().idxmax()) if frame["单位"].isna().any() else len(frame)
    return pd.read_excel(io.BytesIO(data), sheet_name="通报", header=TABLE_HEADER_ROW - 1, nrows=rows,
                         engine="calamine")


def svg_for_pdf(svg: bytes) -> bytes:
    """Plotly's SVG as fpdf2 reads it: dash lengths without units ("9px,9px" → "9,9")."""
    text = svg.decode("utf-8")
    text = re.sub(r"(stroke-dasharray:\s*)([^;\"]+)", lambda m: m.group(1) + m.group(2).replace("px", ""), text)
    return text.encode("utf-8")


def _pdf(facts: dict):
    from fpdf import FPDF

    if not FONT_REGULAR.exists():
        raise NoticeFontMissing(f"缺少中文字体 {FONT_REGULAR}，请安装 fonts-noto-cjk (CJK font missing)")
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_title(title(facts))
    bold = str(FONT_BOLD if FONT_BOLD.exists() else FONT_REGULAR)
    for family in ("cjk", "Noto Sans CJK SC"):  # the chart's SVG names the font by its family
        pdf.add_font(family, fname=str(FONT_REGULAR), collection_font_number=FONT_SC)
        pdf.add_font(family, style="B", fname=bold, collection_font_number=FONT_SC)
    pdf.set_margins(22, 20, 22)
    pdf.set_auto_page_break(auto=True, margin=18)
    return pdf


def attachment_line(facts: dict) -> str:
    return f"附件：{facts['period_words']}考核结果表及总分图"


def notice_pdf(facts: dict, chart_svg: bytes | None = None, meta: NoticeMeta | None = None) -> bytes:
    """A4 PDF: head, body, 落款 and date with the seal's place; then the attachment page: the table and the chart
    as vector graphics (``chart_svg``)."""
    from fpdf.fonts import FontFace

    meta = meta or NoticeMeta()
    table: pd.DataFrame = facts["table"]
    pdf = _pdf(facts)
    pdf.add_page()
    pdf.set_text_color(*RED)
    pdf.set_font("cjk", "B", 22)
    pdf.multi_cell(0, 13, issuer(facts), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("cjk", "", 11)
    pdf.multi_cell(0, 8, meta.number or " ", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.w - pdf.r_margin, pdf.get_y() + 1)
    pdf.ln(6)
    pdf.set_font("cjk", "B", 15)
    pdf.multi_cell(0, 9, title(facts), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("cjk", "", 12)
    for line in statements(facts) + ["", attachment_line(facts)]:
        pdf.multi_cell(0, 8, ("　　" + line) if line else " ", align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(14)
    for text in (signature(facts), date_words(meta.day)):
        pdf.multi_cell(0, 8, text, align="R", new_x="LMARGIN", new_y="NEXT")
    # the place for the seal: a dashed circle over the signature and the date, where offices stamp it
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.3)
    pdf.set_dash_pattern(dash=1.2, gap=1.2)
    radius = 19
    cx, cy = pdf.w - pdf.r_margin - 24, pdf.get_y() - 8
    pdf.circle(x=cx, y=cy, radius=radius)
    pdf.set_dash_pattern()
    pdf.set_text_color(*RED)
    pdf.set_font("cjk", "", 8)
    pdf.text(cx - 5, cy + radius + 4, SEAL_PLACE)
    pdf.set_text_color(0, 0, 0)

    pdf.add_page()  # the attachment: the table and the chart
    pdf.set_font("cjk", "B", 13)
    pdf.multi_cell(0, 9, "附件", align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 9, f"{facts['period_words']}考核结果", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("cjk", "", 9)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)
    widths = [30 if c == "单位" else 14 for c in table.columns]
    with pdf.table(col_widths=widths, text_align="CENTER", line_height=6,
                   headings_style=FontFace(emphasis="BOLD", fill_color=(246, 241, 238))) as grid:
        grid.row([str(c) for c in table.columns])
        for row in cells_of(table, facts["decimals"]):
            grid.row(row)
    pdf.ln(4)
    if chart_svg:
        logging.getLogger("fpdf.svg").setLevel(logging.ERROR)  # clip paths it ignores: the chart has none that cut
        svg = svg_for_pdf(chart_svg)
        ratio = _svg_ratio(svg)
        if pdf.get_y() + pdf.epw * ratio > pdf.h - pdf.b_margin:
            pdf.add_page()
        pdf.image(io.BytesIO(svg), w=pdf.epw)
    else:
        pdf.multi_cell(0, 6, "（图表未能生成：需要 Chromium 与 kaleido）", align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("cjk", "", 8)
    pdf.multi_cell(0, 5, f"数据来源：{facts.get('source', '')}", align="L", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _svg_ratio(svg: bytes) -> float:
    """height / width of an SVG (from its width and height attributes; 0.6 if it has none)."""
    found = re.search(rb'<svg[^>]*?width="([\d.]+)"[^>]*?height="([\d.]+)"', svg)
    return float(found.group(2)) / float(found.group(1)) if found else 0.6
