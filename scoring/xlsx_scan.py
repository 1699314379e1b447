"""A bounded look inside an XLSX package before calamine reads it.

calamine allocates a sheet's whole used rectangle (from A1 to the farthest cell, or to the declared
``<dimension>``) before it returns a single row: one cell at XFD1048576 in a 1.5 KB file asks for 512 GiB and
aborts the process, and a dense 1.4 MB file that unpacks to 390 MB takes 5–6 GB. So every worksheet part is
streamed first with expat (constant memory, the XML is never held whole): its declared dimension and every cell
reference are checked against a cell budget and a column budget, stopping at the first cell beyond them, and
its formula cells are noted on the way. The shared-string table is counted the same way.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree
from xml.parsers import expat

from scoring.limits import Limits

_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")
CHUNK = 1 << 16
MAX_COL, MAX_ROW = 16384, 1048576  # Excel's grid: XFD1048576


@dataclass
class SheetScan:
    """What streaming one worksheet found: its extent from A1 (as calamine allocates it), its formula cells,
    and whether it was cut short because a budget was exceeded (``too_big`` then holds the message)."""

    sheet: str
    rows: int = 0
    columns: int = 0
    cells: int = 0
    formulas: list[str] = field(default_factory=list)
    too_big: str = ""


class _Stop(Exception):
    """Raised inside an expat handler to stop streaming at the first cell beyond a budget."""


class NotPlainXml(ValueError):
    """A part of the package holds a DTD or entity declaration."""


class _Refused(Exception):
    """The part is not plain OOXML (a DTD or entity declaration): refused without expanding anything."""


def column_letters(n: int) -> str:
    """1 → A, 16384 → XFD."""
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def column_number(letters: str) -> int:
    """A → 1, XFD → 16384."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def parse_ref(ref: str) -> tuple[int, int] | None:
    """'E5' → (row 5, column 5); None when it is not a cell reference."""
    found = _REF.match(ref or "")
    return (int(found.group(2)), column_number(found.group(1))) if found else None


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → path of its XML part inside the package, in workbook order."""
    book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    targets = _relationship_targets(zf)
    out = {}
    for sheet in book.iter(f"{_MAIN_NS}sheet"):
        out[sheet.get("name")] = targets.get(sheet.get(f"{_REL_NS}id"), ("", ""))[1]
    return out


def _relationship_targets(zf: zipfile.ZipFile) -> dict[str, tuple[str, str]]:
    """Relationship id → (type, part path) of the workbook's relationships."""
    try:
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return {}
    out = {}
    for r in rels:
        target = r.get("Target", "")
        out[r.get("Id")] = (r.get("Type", ""), target.lstrip("/") if target.startswith("/") else f"xl/{target}")
    return out


def _stream(zf: zipfile.ZipFile, part: str, on_start, on_end=None) -> None:
    """Feed one part to expat in chunks, calling ``on_start(local_name, attrs)`` for every start tag (and
    ``on_end(local_name)`` for every end tag, if given).

    A DTD or entity declaration (never in a real workbook, the door to entity-expansion bombs) is refused."""
    parser = expat.ParserCreate()
    parser.buffer_text = False

    def refuse(*_):
        raise _Refused()

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = lambda name, attrs: on_start(name.rpartition(":")[2], attrs)
    if on_end is not None:
        parser.EndElementHandler = lambda name: on_end(name.rpartition(":")[2])
    with zf.open(part) as fh:
        while chunk := fh.read(CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)


def _size_words(rows: int, cols: int, at_least: bool) -> str:
    approx = "至少" if at_least else ""
    return f"{approx} {rows:,} 行 × {cols:,} 列 = {rows * cols:,} 个单元格".strip()


def scan_sheet(zf: zipfile.ZipFile, part: str, sheet: str, limits: Limits) -> SheetScan:
    """Stream one worksheet part; stop at the first cell (or declared dimension) beyond the budgets."""
    scan = SheetScan(sheet)
    pos = {"row": 0, "col": 0, "in_cell": False}  # where the reader is; in_cell: inside a <c> element
    fix = "请删除数据区域以外有内容或格式的行和列（或把数据复制到新工作簿）后另存为 .xlsx"

    def over(rows: int, cols: int, at_least: bool, what: str) -> str | None:
        """The refusal when a rectangle of ``rows`` × ``cols`` from A1 is beyond a budget, else None."""
        if cols > limits.max_columns:
            return (f"工作表“{sheet}”{what}宽到第 {cols:,} 列（{column_letters(min(cols, MAX_COL))} 列），"
                    f"超过上限 {limits.max_columns} 列；{fix} (sheet too wide: {cols} columns)")
        if rows * cols > limits.max_cells:
            return (f"工作表“{sheet}”{what}有 {_size_words(rows, cols, at_least)}，超过上限 {limits.max_cells:,} 个"
                    f"单元格；{fix} (sheet too large: {rows} rows × {cols} columns)")
        return None

    def on_start(name: str, attrs: dict) -> None:
        if name == "c":
            found = parse_ref(attrs.get("r", ""))
            if found:
                pos["row"], pos["col"] = found[0], found[1]
            else:
                pos["col"] += 1
            pos["in_cell"] = True
            scan.cells += 1
            scan.rows, scan.columns = max(scan.rows, pos["row"]), max(scan.columns, pos["col"])
            message = over(scan.rows, scan.columns, True, "的数据区域")  # stops at the first cell beyond
            if message:
                scan.too_big = message
                raise _Stop()
        elif name == "row":
            r = attrs.get("r", "")
            pos["row"] = int(r) if r.isdigit() else pos["row"] + 1
            pos["col"] = 0
        elif name == "f" and pos["in_cell"]:  # a cell's formula (an <xm:f> of a validation list is no cell's)
            scan.formulas.append(f"{column_letters(pos['col'])}{pos['row']}")
        elif name == "dimension":
            ref = attrs.get("ref", "").split(":")[-1]
            found = parse_ref(ref)
            if found:
                message = over(found[0], found[1], False, f"声明的数据范围 (dimension {attrs.get('ref')}) ")
                if message:
                    scan.too_big = message
                    raise _Stop()

    def on_end(name: str) -> None:
        if name == "c":
            pos["in_cell"] = False

    try:
        _stream(zf, part, on_start, on_end)
    except _Stop:
        pass
    return scan


def shared_string_count(zf: zipfile.ZipFile, limits: Limits) -> tuple[int, bool]:
    """(entries counted, whether the count passed ``max_shared_strings`` and streaming stopped there)."""
    parts = [p for t, p in _relationship_targets(zf).values() if t.endswith("/sharedStrings")]
    part = parts[0] if parts else "xl/sharedStrings.xml"
    if part not in set(zf.namelist()):
        return 0, False
    count = {"n": 0}

    def on_start(name: str, _attrs) -> None:
        if name == "si":
            count["n"] += 1
            if count["n"] > limits.max_shared_strings:
                raise _Stop()

    try:
        _stream(zf, part, on_start)
    except _Stop:
        return count["n"], True
    return count["n"], False


def scan_workbook(zf: zipfile.ZipFile, limits: Limits) -> tuple[dict[str, SheetScan], list[str]]:
    """Scan every worksheet and the shared strings. Returns ({sheet: scan}, messages of budgets exceeded).

    Raises :class:`NotPlainXml` for a part carrying a DTD, ``expat.ExpatError`` for malformed XML."""
    names = set(zf.namelist())
    scans, too_big = {}, []
    try:
        for sheet, part in sheet_parts(zf).items():
            if part in names:
                scans[sheet] = scan = scan_sheet(zf, part, sheet, limits)
                if scan.too_big:
                    too_big.append(scan.too_big)
        n, over = shared_string_count(zf, limits)
    except _Refused:
        raise NotPlainXml("工作簿含有 DTD 或实体声明，不是 Excel 正常保存的文件 (DTD in workbook XML)") from None
    if over:
        too_big.append(f"工作簿的共享字符串表 (shared strings) 超过 {limits.max_shared_strings:,} 条，"
                       f"超过上限；请只保留数据后另存为 .xlsx (too many shared strings)")
    return scans, too_big
