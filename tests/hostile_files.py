"""Hostile and broken input files, generated at test time (each small on disk).

The XLSX packages are written part by part with ``zipfile`` (no spreadsheet library could write a sheet of
12 million cells in a test's time), so a bomb is exactly what it claims: a 1.6 KB file whose one far cell
makes calamine allocate 512 GiB, or a 1.4 MB file that unpacks to 390 MB of cells.
"""
from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from xml.sax.saxutils import escape

from scoring.xlsx_scan import column_letters as letters
from tests.conftest import HEADER

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>')
SHEET_START = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
SHEET = "数据"


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def row_xml(n: int, values: list[str]) -> str:
    cells = "".join(text_cell(f"{letters(c)}{n}", v) for c, v in enumerate(values, start=1) if v != "")
    return f'<row r="{n}">{cells}</row>'


def xlsx_package(sheet_parts: Iterable[str], sheet: str = SHEET) -> bytes:
    """A minimal workbook of one sheet whose XML is the concatenation of ``sheet_parts`` (streamed, deflated)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", PACKAGE_RELS)
        zf.writestr("xl/workbook.xml", WORKBOOK.format(name=escape(sheet)))
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            for part in sheet_parts:
                fh.write(part.encode("utf-8"))
    return buf.getvalue()


def rows_xlsx(rows: list[dict], dimension: str = "") -> bytes:
    """The rows (interchange format) as a workbook built part by part, text cells only."""
    def parts():
        yield SHEET_START + (f'<dimension ref="{dimension}"/>' if dimension else "") + "<sheetData>"
        yield row_xml(1, HEADER)
        for n, r in enumerate(rows, start=2):
            yield row_xml(n, [str(r.get(c, "")) for c in HEADER])
        yield "</sheetData></worksheet>"
    return xlsx_package(parts())


def sparse_bomb(declared: bool = True) -> bytes:
    """A header row and one cell at XFD1048576 (1.6 KB): calamine allocates A1:XFD1048576, 2^34 cells × 32 bytes
    = 512 GiB, and aborts the process. ``declared``: the sheet's ``<dimension>`` says so; else it lies (A1:G1)
    and only the cell references tell."""
    dimension = "A1:XFD1048576" if declared else "A1:G1"
    return xlsx_package([SHEET_START, f'<dimension ref="{dimension}"/><sheetData>', row_xml(1, HEADER),
                         f'<row r="1048576">{text_cell("XFD1048576", "x")}</row>', "</sheetData></worksheet>"])


def dense_bomb(rows: int = 400_000, columns: int = 64) -> bytes:
    """``rows`` × ``columns`` number cells without references (the format allows it: each cell is the next
    column), no dimension: ≈ 1 MB that unpacks to ≈ 390 MB with the defaults."""
    cells = "<c><v>1</v></c>" * columns

    def parts():
        yield SHEET_START + "<sheetData>"
        batch = []
        for n in range(1, rows + 1):
            batch.append(f'<row r="{n}">{cells}</row>')
            if len(batch) == 2000:
                yield "".join(batch)
                batch = []
        yield "".join(batch) + "</sheetData></worksheet>"
    return xlsx_package(parts())


def unpacked_size(raw: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        return sum(i.file_size for i in zf.infolist())


def wide_csv(columns: int = 1_000_000) -> bytes:
    """A header of ``columns`` distinct names then one short line (≈ 7 MB): the quadratic duplicate-name count
    took hours on it."""
    return (",".join(f"c{i}" for i in range(columns)) + "\n" + "1\n").encode()


def narrow_wide_csv(columns: int = 200) -> bytes:
    """A short header line (within the line budget) that still has too many columns."""
    return (",".join(["period", "entity", "indicator", "item", "value", "ref", "note"] +
                     [f"x{i}" for i in range(columns - 7)]) + "\n").encode()
