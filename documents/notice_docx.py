"""The notice (通报) as a Word document (.docx, python-docx): what offices edit and issue in Word or WPS.

Laid out after the usual shape of an official notice: the 发文单位 in red at the head, the 文号 under it, a red
rule, the title, the body (first lines indented two characters), the table, the chart, then the 落款 and the date
on the right with room above them for the seal; the table and the chart follow as the 附件 on a new page. Text is
set in 仿宋/宋体 (East Asian font names, which Word and WPS have), numbers with the display decimals. Text is
written as it is (a Word document runs no formulas: no formula neutralising here, unlike the XLSX exports).
"""
from __future__ import annotations

import io

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from documents.notice import (SEAL_PLACE, NoticeMeta, attachment_line, cells_of, date_words, issuer, signature,
                              statements, title)

RED = RGBColor(0xC8, 0x10, 0x2E)
BODY_FONT, HEAD_FONT = "仿宋", "宋体"


def _run(paragraph, text: str, size: float, bold: bool = False, colour: RGBColor | None = None,
         font: str = BODY_FONT):
    run = paragraph.add_run(str(text))
    run.font.size, run.font.bold = Pt(size), bold
    run.font.name = font
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    if colour is not None:
        run.font.color.rgb = colour
    return run


def _red_rule(paragraph) -> None:
    """A red line under a paragraph (the rule under the 文号)."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "4"), ("w:color", "C8102E")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def notice_docx(facts: dict, chart_png: bytes | None = None, meta: NoticeMeta | None = None) -> bytes:
    """The .docx bytes of a notice (``chart_png``: the finals chart; None writes a line saying it is missing)."""
    meta = meta or NoticeMeta()
    table: pd.DataFrame = facts["table"]
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.6)
    section.top_margin, section.bottom_margin = Cm(3.0), Cm(2.5)
    doc.core_properties.title = title(facts)

    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(head, issuer(facts), 26, bold=True, colour=RED, font=HEAD_FONT)
    number = doc.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(number, meta.number, 14)
    _red_rule(number)
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.paragraph_format.space_before = Pt(18)
    _run(heading, title(facts), 18, bold=True, font=HEAD_FONT)
    for line in statements(facts) + [attachment_line(facts)]:
        body = doc.add_paragraph()
        body.paragraph_format.first_line_indent = Pt(16 * 2)  # two characters
        body.paragraph_format.line_spacing = Pt(28)
        _run(body, line, 16)

    seal = doc.add_paragraph()  # room for the seal, over the signature and the date
    seal.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    seal.paragraph_format.space_before = Pt(36)
    seal.paragraph_format.right_indent = Cm(2.5)
    _run(seal, SEAL_PLACE, 10.5, colour=RED)
    for text in (signature(facts), date_words(meta.day)):
        line = doc.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        line.paragraph_format.right_indent = Cm(1.5)
        _run(line, text, 16)

    attachment = doc.add_paragraph()  # the attachment starts a new page: the table and the chart
    attachment.add_run().add_break(WD_BREAK.PAGE)
    _run(attachment, "附件", 16, bold=True, font=HEAD_FONT)
    caption = doc.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(caption, f"{facts['period_words']}考核结果", 16, bold=True, font=HEAD_FONT)
    grid = doc.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, name in zip(grid.rows[0].cells, table.columns):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(cell.paragraphs[0], str(name), 10.5, bold=True, font=HEAD_FONT)
    for values in cells_of(table, facts["decimals"]):
        for cell, value in zip(grid.add_row().cells, values):
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(cell.paragraphs[0], value, 10.5, font=HEAD_FONT)
    picture = doc.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if chart_png:
        picture.add_run().add_picture(io.BytesIO(chart_png), width=Cm(15.8))
    else:
        _run(picture, "（图表未能生成：需要 Chromium 与 kaleido）", 10.5)
    if facts.get("source"):
        note = doc.add_paragraph()
        _run(note, f"数据来源：{facts['source']}", 9)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
