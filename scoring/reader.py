"""Read observation files (the interchange format) into one normalised frame.

Interchange format (DESIGN.md): CSV or XLSX, one sheet, long format, one fact a row, header required:
``period, entity, indicator, item, value, ref, note`` (optional ``group``). UTF-8 with or without BOM;
GBK/GB18030 as Excel in China often writes it is accepted too. Every row keeps a ``line`` label
("第5行" for CSV, counting the header as line 1; "Sheet1!5" for XLSX) so problems can name it.
"""
from __future__ import annotations

import csv
import io
from collections import Counter

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from scoring.codes import text_codes  # the encoding validation reuses (same Arrow buffers)
from scoring.limits import Limits, current
from scoring.problems import InputError, Problem

COLUMNS = ["period", "entity", "indicator", "item", "value", "ref", "note"]
OPTIONAL = ["group"]
DEFAULT_GROUP = ""


def decode_csv(raw: bytes) -> tuple[str, str]:
    """Decode CSV bytes: UTF-8 (BOM accepted), else GB18030 (a superset of GBK). Returns (text, encoding)."""
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise InputError([Problem("文件 file", "无法识别文件编码，请另存为 UTF-8 CSV (cannot decode: not UTF-8 nor GBK)")])


def _header_problems(header: list[str], source: str) -> list[Problem]:
    """A column of the format named twice makes every row ambiguous: refuse it (counted in one pass)."""
    counts = Counter(str(c).strip().lower().lstrip("\ufeff") for c in header)
    return [Problem(f"{source} 表头 header", f"列 “{n}” 出现了 {k} 次，每列只能有一个 (column named twice)")
            for n, k in sorted(counts.items()) if n and k > 1]


def long_lines(raw: bytes, max_bytes: int, chunk: int = 1 << 24) -> list[tuple[int, int]]:
    """(line number, length in bytes) of every physical line longer than ``max_bytes``; linear, a chunk of the
    file at a time (a newline byte is never part of a UTF-8 or GB18030 character)."""
    out: list[tuple[int, int]] = []
    start, line = 0, 1  # offset where the current line starts, its number
    for offset in range(0, len(raw), chunk):
        block = np.frombuffer(raw, dtype=np.uint8, count=min(chunk, len(raw) - offset), offset=offset)
        ends = np.flatnonzero(block == 10) + offset
        if len(ends):
            lengths = ends - np.concatenate(([start], ends[:-1] + 1))
            out += [(line + int(i), int(lengths[i])) for i in np.flatnonzero(lengths > max_bytes)]
            line, start = line + len(ends), int(ends[-1]) + 1
    if len(raw) - start > max_bytes:
        out.append((line, len(raw) - start))
    return out


def csv_size_problems(raw: bytes, source: str, limits: Limits) -> list[Problem]:
    """Lines longer than the line budget, then a header wider than the column budget: checked before pandas
    (or the csv module) sees the text, so a 1M-column header is one message, not hours of work."""
    problems = [Problem(f"第{n}行", f"这一行长 {size:,} 字节，超过上限 {limits.max_line_bytes:,} 字节；每行只应有一条"
                                   f"观测数据，请检查是否缺少换行，或某格粘贴了大段文字 (line too long: {size} bytes)")
                for n, size in long_lines(raw, limits.max_line_bytes)]
    if problems:
        return problems
    first = raw.split(b"\n", 1)[0]
    fields = first.count(b",") + 1  # an upper bound (a quoted comma counts too); exact below when it matters
    if fields > limits.max_columns:
        text, _ = decode_csv(first)
        fields = len(next(csv.reader([text]), []))
    if fields > limits.max_columns:
        return [Problem(f"{source} 表头 header", f"表头有 {fields:,} 列，超过上限 {limits.max_columns} 列；"
                                                 f"表头应为 {','.join(COLUMNS)}（可选 group）(too many columns: {fields})")]
    return []


def line_labels(prefix: str, suffix: str, n: int) -> pd.Series:
    """"第2行", "第3行" … (or "数据!2" …) for ``n`` data rows, built in Arrow (no Python string per row)."""
    numbers = pa.array(np.arange(2, n + 2)).cast(pa.string())
    return pd.Series(pc.binary_join_element_wise(prefix, numbers, suffix, "").to_pandas(), dtype="str")


def csv_line_labels(n: int) -> pd.Series:
    """"第2行" … for ``n`` rows of a CSV file, or of rows without a line label (the header is line 1)."""
    return line_labels("第", "行", n)


STORED_LINE = "已存数据"  # line label prefix of rows that come from the store, not from a file


def fill_stored_lines(obs: pd.DataFrame) -> pd.DataFrame:
    """``obs`` with every missing line label (stored rows: bulk-loaded, or the stored rows an import is validated
    with) named by its period and unit: "已存数据 2023Q1 某镇". Each unit's label is built once (a national
    period has a million rows and forty thousand units); when every label was missing the column is a Categorical."""
    missing = obs["line"].isna().to_numpy() if "line" in obs.columns else np.ones(len(obs), dtype=bool)
    if not missing.any():
        return obs
    period, periods = text_codes(obs["period"])
    entity, entities = text_codes(obs["entity"])
    units, unit = np.unique(period * max(len(entities), 1) + entity, return_inverse=True)
    n_entities = max(len(entities), 1)
    labels = np.array([f"{STORED_LINE} {periods[u // n_entities]} {entities[u % n_entities]}" for u in units],
                      dtype=object)
    if missing.all() and len(set(labels)) == len(labels):  # (odd stored texts could make two labels alike)
        return obs.assign(line=pd.Categorical.from_codes(unit.reshape(-1), categories=pd.Index(labels, dtype="str")))
    line = obs["line"].to_numpy(dtype=object).copy()
    line[missing] = labels[unit.reshape(-1)[missing]]
    return obs.assign(line=pd.Series(line, index=obs.index, dtype="str"))


def _normalise(frame: pd.DataFrame, lines: pd.Series, source: str) -> pd.DataFrame:
    frame = frame.rename(columns=lambda c: str(c).strip().lower().lstrip("\ufeff"))
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise InputError([Problem(f"{source} 表头 header", f"缺少列 missing column(s): {', '.join(missing)}；"
                                                         f"表头应为 {','.join(COLUMNS)}（可选 group）")])
    out = pd.DataFrame({c: frame[c].fillna("").astype(str).str.strip() for c in COLUMNS})
    out["group"] = frame["group"].fillna("").astype(str).str.strip() if "group" in frame.columns else DEFAULT_GROUP
    out["line"] = lines.array
    blank = (out[COLUMNS] == "").all(axis=1)
    return out.loc[~blank].reset_index(drop=True)


def csv_shape_problems(text: str) -> list[Problem]:
    """Lines with more fields than the header (line numbers count the header as line 1)."""
    records = csv.reader(io.StringIO(text))
    header = next(records, [])
    problems = []
    for i, rec in enumerate(records, start=2):
        if len(rec) > len(header):
            problems.append(Problem(f"第{i}行", f"这一行有 {len(rec)} 个字段，比表头多 {len(rec) - len(header)} 个；"
                                               f"可能是 value 或 note 里有逗号，请删掉逗号或用英文引号括起该格 "
                                               f"(more fields than the header)"))
    return problems


def read_csv_bytes(raw: bytes, source: str = "CSV", limits: Limits | None = None) -> pd.DataFrame:
    """Read CSV bytes; an empty file, a line or header beyond the budgets (:func:`csv_size_problems`) or a line
    with more fields than the header is an :class:`InputError`."""
    return read_csv_encoded(raw, source, limits)[0]


def read_csv_encoded(raw: bytes, source: str = "CSV", limits: Limits | None = None) -> tuple[pd.DataFrame, str]:
    """:func:`read_csv_bytes`, also saying which encoding the file was in ("utf-8-sig" or "gb18030")."""
    size_problems = csv_size_problems(raw, source, limits or current())
    if size_problems:
        raise InputError(size_problems)
    text, encoding = decode_csv(raw)
    if not text.strip():
        raise InputError([Problem(f"{source} 表头 header", f"文件是空的，第1行应为表头 {','.join(COLUMNS)} "
                                                         f"(the file is empty)")])
    header = next(csv.reader(io.StringIO(text)), [])
    problems = _header_problems(header, source) + csv_shape_problems(text)
    del text  # pandas reads the bytes: one decoded copy less in memory
    if problems:
        raise InputError(problems)
    frame = pd.read_csv(io.BytesIO(raw), encoding=encoding, dtype=str, keep_default_na=False,
                        skip_blank_lines=False, index_col=False)
    return _normalise(frame, csv_line_labels(len(frame)), source), encoding


def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        if v != v:  # NaN
            return ""
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, bool):
        return "1" if v else "0"
    return str(v)


def data_sheet(wb, loaded: dict | None = None) -> tuple[str, list[str]]:
    """The sheet to read from a calamine workbook, and the other sheets (ignored; hidden ones marked 隐藏).

    The data sheet is the first visible worksheet whose first row holds the interchange header, else the
    first visible one (a template's 说明 sheet or a hidden list sheet is never read as data). ``loaded``
    (optional) keeps the sheets opened on the way, so :func:`read_sheet` does not load the data sheet twice.
    """
    loaded = {} if loaded is None else loaded
    meta = [m for m in wb.sheets_metadata if "worksheet" in str(m.typ).lower()] or list(wb.sheets_metadata)
    hidden = {m.name for m in meta if "hidden" in str(m.visible).lower()}
    visible = [m.name for m in meta if m.name not in hidden] or [m.name for m in meta]

    def has_header(name: str) -> bool:
        loaded[name] = wb.get_sheet_by_name(name)
        first = loaded[name].to_python(skip_empty_area=False, nrows=1)
        cells = {_cell_text(c).strip().lower().lstrip("\ufeff") for c in (first[0] if first else [])}
        return {"period", "entity", "indicator"} <= cells

    name = next((n for n in visible if has_header(n)), visible[0])
    ignored = [f"{m.name}（隐藏 hidden）" if m.name in hidden else m.name for m in wb.sheets_metadata if m.name != name]
    return name, ignored


def read_xlsx_bytes(raw: bytes, source: str = "XLSX") -> pd.DataFrame:
    """Read the data sheet (:func:`data_sheet`) with calamine: cached values only, formulas never evaluated.

    Unbounded: :mod:`scoring.intake` checks the sheet's size first (:mod:`scoring.xlsx_scan`)."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_filelike(io.BytesIO(raw))
    loaded: dict = {}
    name, _ = data_sheet(wb, loaded)
    return read_sheet(wb, name, loaded)


def read_sheet(wb, name: str, loaded: dict | None = None) -> pd.DataFrame:
    """One sheet of an open calamine workbook in the interchange format (lines "Sheet!row"); ``loaded``: the
    sheets :func:`data_sheet` already opened."""
    sheet = (loaded or {}).pop(name, None) or wb.get_sheet_by_name(name)
    rows = sheet.to_python(skip_empty_area=False)
    del sheet
    if not rows:
        raise InputError([Problem(f"{name}!1", "工作表为空 (the sheet is empty)")])
    header = [_cell_text(h) for h in rows[0]]
    while header and not header[-1].strip():
        header.pop()
    body = [[_cell_text(v) for v in r] + [""] * (len(header) - len(r)) for r in rows[1:]]
    problems = _header_problems(header, name) + [
        Problem(f"{name}!{i + 2}", f"表头右侧的单元格也有内容（第 {len(header) + 1} 列起），这些内容没有列名 "
                                   f"(cells to the right of the header)")
        for i, r in enumerate(body) if any(v.strip() for v in r[len(header):])]
    if problems:
        raise InputError(problems)
    frame = pd.DataFrame([r[: len(header)] for r in body], columns=header, dtype=str)
    return _normalise(frame, line_labels(f"{name}!", "", len(frame)), name)
