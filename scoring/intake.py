"""Reading an observation file safely — the one way in for the CLI, the data page and imports.

File-level safety before any row is read: size, real type, macros, formulas, CSV shape, and budgets (an XLSX
sheet's cells and columns, streamed before calamine allocates anything: :mod:`scoring.xlsx_scan`; a CSV's line
length and header width: :func:`scoring.reader.csv_size_problems`). After reading, the text is normalised
(:mod:`scoring.normalise`) and look-alike unit names are refused (:mod:`scoring.lookalike`). The CLI and the
data page run all of this in a memory- and time-limited child process (:mod:`scoring.isolated`).

A clerk's file is refused, with a message saying what to do, when it is larger than :data:`MAX_BYTES`, when
its content is not what its name says (content sniffing, not only the extension), when it is a
macro-enabled or old/encrypted Excel file, when the data sheet holds formula cells (values only: a formula's
cached result may be stale or missing, and we never evaluate formulas), or when a CSV line has more fields
than the header (an unquoted comma would silently shift columns). Extra and hidden sheets are ignored with a
notice. Every problem is an :class:`~scoring.problems.InputError` listing all of them at once.
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd

from scoring.limits import Limits, current
from scoring.lookalike import lookalike_problems
from scoring.normalise import screen
from scoring.problems import InputError, Problem, errors_only
from scoring.reader import data_sheet, read_csv_encoded, read_sheet
from scoring.xlsx_scan import NotPlainXml, scan_workbook

MAX_BYTES = 20 * 1024 * 1024  # 20 MB: a quarter of a district is well under 1 MB
MAX_UNPACKED = 400 * 1024 * 1024  # an XLSX that unpacks to more than this is refused (zip bomb)
ACCEPTED = (".csv", ".xlsx")
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class Upload:
    """A file that passed the checks: its rows (scoring.reader format) and notices for the clerk."""

    obs: pd.DataFrame
    kind: str
    notices: list[Problem] = field(default_factory=list)


def _refuse(name: str, message: str) -> InputError:
    return InputError([Problem(f"文件 {name}", message)])


def _too_large(name: str, size: int, max_bytes: int) -> InputError:
    return _refuse(name, f"文件太大（{size / 1048576:.1f} MB），上限为 {max_bytes / 1048576:.0f} MB；"
                         f"请按期间拆分后分别导入 (file too large)")


def sniff(raw: bytes) -> str:
    """What the bytes are: "empty", "zip" (XLSX and other Office files), "ole2" (.xls, encrypted), "text" or "binary"."""
    if not raw.strip():
        return "empty"
    if raw[:4] == b"PK\x03\x04":
        return "zip"
    if raw[:8] == OLE2:
        return "ole2"
    return "binary" if b"\x00" in raw[:65536] else "text"


def check_file(name: str, raw: bytes, max_bytes: int = MAX_BYTES) -> str:
    """Refuse unsafe or mistyped files; returns "csv" or "xlsx"."""
    ext = Path(name).suffix.lower()
    if len(raw) > max_bytes:
        raise _too_large(name, len(raw), max_bytes)
    if ext in (".xlsm", ".xltm", ".xlsb"):
        raise _refuse(name, "这是启用宏的 Excel 文件 (macro-enabled workbook)，不能导入；请“另存为” Excel 工作簿 (.xlsx)")
    if ext == ".xls":
        raise _refuse(name, "这是旧版 Excel 97-2003 文件 (.xls)，请“另存为” Excel 工作簿 (.xlsx) 或 CSV 后再导入")
    if ext not in ACCEPTED:
        raise _refuse(name, f"不支持的文件类型 “{ext or '（无扩展名）'}”，只接受 .csv 或 .xlsx (unsupported file type)")
    kind = sniff(raw)
    if kind == "empty":
        raise _refuse(name, "文件是空的 (empty file)")
    if kind == "ole2":
        raise _refuse(name, "文件是旧版 .xls 或设置了打开密码的工作簿，请去掉密码并“另存为” .xlsx 后再导入 "
                            "(old or password-protected Excel file)")
    if ext == ".csv" and kind == "zip":
        raise _refuse(name, "扩展名是 .csv，但内容是 Excel 工作簿（可能改过扩展名）；请把扩展名改回 .xlsx，"
                            "或在 Excel 中“另存为” CSV (content does not match the extension)")
    if ext == ".xlsx" and kind != "zip":
        what = "文本" if kind == "text" else "其他格式的数据"
        raise _refuse(name, f"扩展名是 .xlsx，但内容是{what}，不是 Excel 工作簿；请用 Excel 打开后“另存为” .xlsx "
                            f"(content does not match the extension)")
    if kind == "binary":
        raise _refuse(name, "文件内容不是文本，不像 CSV（可能是图片、PDF 或其他文件）(not a text file)")
    return "csv" if ext == ".csv" else "xlsx"


# --- CSV --------------------------------------------------------------------------------------------------


def read_csv_checked(name: str, raw: bytes, limits: Limits) -> Upload:
    obs, encoding = read_csv_encoded(raw, name, limits)
    notices = []
    if encoding != "utf-8-sig":
        notices.append(Problem(f"文件 {name}", "文件编码是 GBK/GB18030（Excel 中文版常见），已自动识别 "
                                             "(decoded as GB18030)", "warning"))
    return Upload(obs, "csv", notices)


# --- XLSX -------------------------------------------------------------------------------------------------


def read_xlsx_checked(name: str, raw: bytes, limits: Limits) -> Upload:
    from python_calamine import CalamineWorkbook

    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
        names = set(zf.namelist())
    except zipfile.BadZipFile:
        raise _refuse(name, "文件已损坏，无法作为 Excel 工作簿打开 (corrupt XLSX)") from None
    if "xl/workbook.xml" not in names:
        what = "Word 文档" if "word/document.xml" in names else ("PowerPoint 文稿" if "ppt/presentation.xml" in names
                                                              else "压缩包")
        raise _refuse(name, f"文件内容是{what}，不是 Excel 工作簿 (not an Excel workbook)")
    content_types = zf.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    if any(n.lower().endswith("vbaproject.bin") for n in names) or b"macroEnabled" in content_types:
        raise _refuse(name, "工作簿包含宏 (VBA macros)，不能导入；请“另存为”不含宏的 Excel 工作簿 (.xlsx)")
    if sum(i.file_size for i in zf.infolist()) > MAX_UNPACKED:
        raise _refuse(name, "工作簿解压后过大，疑似异常文件 (unpacks to more than 400 MB)")
    try:
        scans, too_big = scan_workbook(zf, limits)
    except NotPlainXml as exc:
        raise _refuse(name, str(exc)) from None
    except (ElementTree.ParseError, zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError) as exc:
        raise _refuse(name, f"文件已损坏，无法作为 Excel 工作簿读取 (corrupt XLSX: {exc})") from None
    if too_big:
        raise InputError([Problem(f"文件 {name}", message) for message in too_big])
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        loaded: dict = {}
        sheet, ignored = data_sheet(wb, loaded)
    except Exception as exc:  # calamine raises its own error types on damaged workbooks
        raise _refuse(name, f"无法读取工作簿 (cannot read workbook): {exc}") from None
    cells = scans[sheet].formulas if sheet in scans else []
    if cells:
        raise InputError([Problem(f"{sheet}!{ref}", "这是公式单元格 (formula)：只能导入数值。请选中数据，复制后"
                                                    "“选择性粘贴 → 数值”，再保存导入") for ref in cells])
    notices = []
    if ignored:
        notices.append(Problem(f"文件 {name}", f"只读取了工作表“{sheet}”；其他工作表已忽略：{'、'.join(ignored)} "
                                             f"(other sheets ignored)", "warning"))
    return Upload(read_sheet(wb, sheet, loaded), "xlsx", notices)


# --- reporting ------------------------------------------------------------------------------------------------

_LINE = re.compile(r"第(\d+)行|![A-Z]*(\d+)")


def in_file_order(problems: list[Problem]) -> list[Problem]:
    """Problems sorted by the first row they name ("第5行", "数据!5", "数据!E5"), stable; those naming a unit,
    period or the file come after, in their original order."""
    def key(item):
        n, p = item
        found = _LINE.search(p.where)
        return (found is None, int(found.group(1) or found.group(2)) if found else 0, n)
    return [p for _, p in sorted(enumerate(problems), key=key)]


# --- entry points ---------------------------------------------------------------------------------------------


def _screened(upload: Upload, limits: Limits) -> Upload:
    """Normalise the rows and refuse look-alike unit names within the file; errors raise with the warnings."""
    obs, problems = screen(upload.obs, limits)
    problems += lookalike_problems(obs["entity"], obs["line"])
    if errors_only(problems):
        raise InputError(in_file_order(upload.notices + problems))
    return Upload(obs, upload.kind, upload.notices + in_file_order(problems))


def read_upload(name: str, raw: bytes, max_bytes: int = MAX_BYTES, limits: Limits | None = None) -> Upload:
    """Check then read an uploaded file (CSV or XLSX). Raises :class:`InputError` with every problem found.

    In-process and unbounded in memory beyond the budgets of ``limits``: servers and the CLI call
    :func:`scoring.isolated.read_upload_isolated`, which runs this in a limited child process."""
    limits = limits or current()
    kind = check_file(name, raw, max_bytes)
    try:
        upload = read_csv_checked(name, raw, limits) if kind == "csv" else read_xlsx_checked(name, raw, limits)
    except (InputError, MemoryError):  # a MemoryError is the parsing child's to report (scoring.isolated)
        raise
    except Exception as exc:  # a reader failure is a message, never a trace
        raise _refuse(name, f"无法读取文件内容 (cannot read file): {exc}") from None
    return _screened(upload, limits)


def path_problem(path: str | Path, max_bytes: int = MAX_BYTES) -> InputError | None:
    """Why a file on disk cannot be read (missing, not a file, unreadable, too large), or None."""
    path = Path(path)
    try:
        if not path.exists():
            return _refuse(path.name, f"文件不存在 (file not found): {path}")
        if not path.is_file():
            return _refuse(path.name, f"这不是一个文件（可能是文件夹）(not a file): {path}")
        size = path.stat().st_size
        with path.open("rb"):
            pass
    except OSError as exc:
        return _refuse(path.name, f"无法打开文件 (cannot open file): {path}: {exc.strerror or exc}；"
                                  f"请检查文件权限 (check permissions)")
    return _too_large(path.name, size, max_bytes) if size > max_bytes else None


def read_path(path: str | Path, max_bytes: int = MAX_BYTES, limits: Limits | None = None) -> Upload:
    """:func:`read_upload` for a file on disk; the size is checked before the file is read."""
    problem = path_problem(path, max_bytes)
    if problem:
        raise problem
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _refuse(path.name, f"读取文件失败 (cannot read file): {path}: {exc.strerror or exc}") from None
    return read_upload(path.name, raw, max_bytes, limits)
