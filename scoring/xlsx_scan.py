"""A bounded look inside an XLSX package before calamine reads it.

calamine allocates a sheet's whole used rectangle (from A1 to the farthest cell, or to the declared
``<dimension>``) before it returns a single row: one cell at XFD1048576 in a 1.5 KB file asks for 512 GiB and
aborts the process, and a dense 1.4 MB file that unpacks to 390 MB takes 5–6 GB. So every worksheet part is
streamed first, a megabyte of XML at a time (the part is never held whole): its declared dimension and the
extent of every row are checked against a cell budget and a column budget, stopping at the first row beyond
them, and its formula cells are noted on the way. The shared-string table is counted the same way.

The scan works row by row with regular expressions over the decompressed bytes (a cell is ``<c …>``; a cell
without an ``r`` reference is the next column, as the format says), so a 2-million-cell sheet is scanned in
about a second; it never expands entities, and a part declaring a DTD is refused.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

from scoring.limits import Limits

_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")
CHUNK = 1 << 20
MAX_PENDING = 64 << 20  # one row's XML larger than this is refused (a real row is a few KB)
MAX_COL = 16384  # Excel's last column, XFD

_R_ATTR = re.compile(rb'\br\s*=\s*["\'](\d{1,7})["\']')
# a cell's r="E5" as Excel spells it, by the width of its column letters / of its row number
# (each starts with the literal ' r="', which the regex engine finds at C speed)
_COLUMN_OF = {w: re.compile(rb' r="([A-Z]{%d})[1-9]' % w) for w in (3, 2, 1)}
_ROW_OF = {w: re.compile(rb' r="[A-Z]{1,3}([1-9]\d{%d})"' % (w - 1)) for w in range(7, 0, -1)}
_ANY_R = re.compile(rb"\sr\s*=")  # any r attribute, however spelled
_ODD_REF = re.compile(rb' r="(?![A-Z]{1,3}[1-9]\d{0,6}")(?<!<row r=")')  # a cell reference spelled otherwise
_CELL_OR_FORMULA = re.compile(rb"<(?:\w+:)?(c|f)(?=[\s/>])([^>]*)")  # a cell or formula tag and its attributes
_R_CELL = re.compile(rb'\br\s*=\s*["\']\$?([A-Za-z]{1,3})\$?(\d{1,7})["\']')  # any spelling of r="E5"
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref\s*=\s*["\']([^"\']*)["\']')
_SHARED = re.compile(rb"<(?:\w+:)?si[\s/>]")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


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


class NotPlainXml(ValueError):
    """A part of the package holds a DTD or entity declaration, or a row too large to be real."""


def column_letters(n: int) -> str:
    """1 → A, 16384 → XFD."""
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def column_number(letters: str | bytes) -> int:
    """A → 1, XFD → 16384."""
    n = 0
    for ch in letters.upper() if isinstance(letters, str) else letters.decode("ascii").upper():
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
    return {sheet.get("name"): targets.get(sheet.get(f"{_REL_NS}id"), ("", ""))[1]
            for sheet in book.iter(f"{_MAIN_NS}sheet")}


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


def _chunks(zf: zipfile.ZipFile, part: str):
    """The part's decompressed bytes, a megabyte at a time; a DTD or entity declaration is refused."""
    with zf.open(part) as fh:
        first = True
        while chunk := fh.read(CHUNK):
            if first and _DTD.search(chunk):
                raise NotPlainXml("工作簿含有 DTD 或实体声明，不是 Excel 正常保存的文件 (DTD in workbook XML)")
            first = False
            yield chunk


def _max_ref(region: bytes) -> tuple[int, int]:
    """(largest row, largest column) of the cell references in ``region``: the widest column letters (or row
    digits) found are the largest, and among equally wide ones the largest compares largest as text — so each
    is one scan at C speed, with no Python per cell."""
    row = next((int(max(found)) for w, rx in _ROW_OF.items() if (found := rx.findall(region))), 0)
    col = next((column_number(max(found)) for w, rx in _COLUMN_OF.items() if (found := rx.findall(region))), 0)
    return row, col


def _walk_row(row: int, body: bytes, scan: SheetScan) -> tuple[int, int]:
    """The exact path for a row mixing referenced and unreferenced cells, or holding formulas: cell by cell,
    noting each formula's cell. Returns the row's (largest row, largest column)."""
    col = last_col = 0
    cell_row = last_row = row
    for tag, attrs in _CELL_OR_FORMULA.findall(body):
        if tag == b"c":
            found = _R_CELL.search(attrs)
            if found:
                cell_row, col = int(found.group(2)), column_number(found.group(1))
            else:
                col += 1
            last_row, last_col = max(last_row, cell_row), max(last_col, col)
        elif col:
            scan.formulas.append(f"{column_letters(col)}{cell_row}")
    return last_row, last_col


class _Tags:
    """The literal tags of one worksheet part: Excel writes no namespace prefix, some generators write one
    (``<x:row>``). Finding literals with ``bytes.find``/``count`` keeps the scan at C speed."""

    def __init__(self, prefix: bytes):
        self.row, self.row_end = b"<" + prefix + b"row", b"</" + prefix + b"row>"
        self.cell, self.formula = b"<" + prefix + b"c", b"<" + prefix + b"f"

    @classmethod
    def of(cls, head: bytes) -> "_Tags":
        found = re.search(rb"<(\w+:)?sheetData\b", head)
        return cls(found.group(1) or b"" if found else b"")

    def rows(self, data: bytes):
        """(attributes, body, end offset) of each complete row in ``data``; a self-closing row has no body."""
        pos = 0
        while (start := data.find(self.row, pos)) >= 0:
            after = start + len(self.row)
            if after >= len(data):
                return
            if data[after:after + 1] not in (b" ", b">", b"/", b"\t", b"\n", b"\r"):
                pos = after  # <rowBreaks> and the like
                continue
            close = data.find(b">", after)
            if close < 0:
                return
            if data[close - 1:close] == b"/":
                pos = close + 1
                yield data[after:close - 1], b"", pos
                continue
            end = data.find(self.row_end, close)
            if end < 0:
                return
            pos = end + len(self.row_end)
            yield data[after:close], data[close + 1:end], pos

    def cells(self, body: bytes) -> int:
        c = self.cell
        return body.count(c + b" ") + body.count(c + b">") + body.count(c + b"/")

    def all_referenced(self, region: bytes, n_cells: int) -> bool:
        """Whether each of the ``n_cells`` cells of ``region`` carries a reference spelled ``r="E5"`` (upper-case
        letters, no leading zero: what :func:`_max_ref` reads) — then no cell needs to be walked."""
        refs = region.count(b' r="') - region.count(self.row + b' r="')
        return refs == n_cells and not _ODD_REF.search(region)

    def has_formula(self, body: bytes) -> bool:
        f = self.formula
        return f + b">" in body or f + b" " in body or f + b"/" in body


def scan_sheet(zf: zipfile.ZipFile, part: str, sheet: str, limits: Limits) -> SheetScan:
    """Stream one worksheet part; stop at the declared dimension or the first row beyond the budgets."""
    scan = SheetScan(sheet)
    fix = "请删除数据区域以外有内容或格式的行和列（或把数据复制到新工作簿）后另存为 .xlsx"

    def over(rows: int, cols: int, at_least: bool, what: str) -> str:
        """The refusal when a rectangle of ``rows`` × ``cols`` from A1 is beyond a budget, else ""."""
        if cols > limits.max_columns:
            return (f"工作表“{sheet}”{what}宽到第 {cols:,} 列（{column_letters(min(cols, MAX_COL))} 列），"
                    f"超过上限 {limits.max_columns} 列；{fix} (sheet too wide: {cols} columns)")
        if rows * cols > limits.max_cells:
            size = f"{'至少 ' if at_least else ''}{rows:,} 行 × {cols:,} 列 = {rows * cols:,} 个单元格"
            return (f"工作表“{sheet}”{what}有 {size}，超过上限 {limits.max_cells:,} 个单元格；{fix} "
                    f"(sheet too large: {rows} rows × {cols} columns)")
        return ""

    pending, row, tags = b"", 0, None
    for chunk in _chunks(zf, part):
        pending += chunk
        if tags is None:  # <dimension> comes before <sheetData>, in the first megabyte
            tags = _Tags.of(pending)
            found = _DIMENSION.search(pending.split(b"sheetData", 1)[0])
            ref = found.group(1).decode("ascii", "replace") if found else ""
            declared = parse_ref(ref.split(":")[-1])
            scan.too_big = over(*declared, False, f"声明的数据范围 (dimension {ref}) ") if declared else ""
            if scan.too_big:
                return scan
        last = pending.rfind(tags.row_end)
        cut = last + len(tags.row_end) if last >= 0 else 0
        region = pending[:cut]  # complete rows only; the rest waits for the next chunk
        n_cells = tags.cells(region)
        if tags.all_referenced(region, n_cells) and not tags.has_formula(region):  # the usual file
            if n_cells:
                last_row, last_col = _max_ref(region)
                scan.rows, scan.columns = max(scan.rows, last_row), max(scan.columns, last_col)
                row = max(row, last_row)
            scan.cells += n_cells
        else:
            row = _scan_rows(tags, region, row, scan)
        scan.too_big = over(scan.rows, scan.columns, True, "的数据区域")
        if scan.too_big:
            return scan
        pending = pending[cut:]
        if len(pending) > MAX_PENDING:
            raise NotPlainXml(f"工作表“{sheet}”有一行数据超过 {MAX_PENDING >> 20} MB，不像正常的表格 (row too large)")
    return scan


def _scan_rows(tags: "_Tags", region: bytes, row: int, scan: SheetScan) -> int:
    """Rows one by one (cells without references count from the row's first column; formulas are noted).
    Returns the number of the last row."""
    for attrs, body, _ in tags.rows(region):
        number = _R_ATTR.search(attrs)
        row = int(number.group(1)) if number else row + 1
        n_cells = tags.cells(body)
        if n_cells:
            if not _ANY_R.search(body) and not tags.has_formula(body):
                last_row, last_col = row, n_cells  # no references: the cells fill columns A, B, C…
            else:
                last_row, last_col = _walk_row(row, body, scan)
            scan.cells += n_cells
            scan.rows, scan.columns = max(scan.rows, row, last_row), max(scan.columns, last_col)
    return row


def shared_string_count(zf: zipfile.ZipFile, limits: Limits) -> tuple[int, bool]:
    """(entries counted, whether the count passed ``max_shared_strings`` and streaming stopped there)."""
    parts = [p for t, p in _relationship_targets(zf).values() if t.endswith("/sharedStrings")]
    part = parts[0] if parts else "xl/sharedStrings.xml"
    if part not in set(zf.namelist()):
        return 0, False
    count, tail = 0, b""
    for chunk in _chunks(zf, part):
        block = tail + chunk
        cut = max(0, block.rfind(b"<"))  # a tag split across chunks is counted with the next one
        count += len(_SHARED.findall(block, 0, cut))
        tail = block[cut:]
        if count > limits.max_shared_strings:
            return count, True
    return count + len(_SHARED.findall(tail)), False


def scan_workbook(zf: zipfile.ZipFile, limits: Limits) -> tuple[dict[str, SheetScan], list[str]]:
    """Scan every worksheet and the shared strings. Returns ({sheet: scan}, messages of budgets exceeded).

    Raises :class:`NotPlainXml` for a part carrying a DTD or an oversized row."""
    names = set(zf.namelist())
    scans, too_big = {}, []
    for sheet, part in sheet_parts(zf).items():
        if part in names:
            scans[sheet] = scan = scan_sheet(zf, part, sheet, limits)
            if scan.too_big:
                too_big.append(scan.too_big)
    n, over = shared_string_count(zf, limits)
    if over:
        too_big.append(f"工作簿的共享字符串表 (shared strings) 超过 {limits.max_shared_strings:,} 条，超过上限；"
                       f"请只保留数据后另存为 .xlsx (too many shared strings)")
    return scans, too_big
