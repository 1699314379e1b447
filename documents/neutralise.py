"""Safe spreadsheet cells: the OWASP CSV-injection rule for every CSV and XLSX Flagboard writes.

A text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to Excel,
LibreOffice and WPS (``=HYPERLINK(...)``, ``-2+3``, ``@SUM(...)``): a unit, note or account name typed that way
would run when the export is opened. Such text gets a leading single quote (``'=x``), which spreadsheets show
as text. Numbers stay numbers (a real −3 is the number −3), and text that is just a decimal number (``-3``,
``+1.5``) is left as it is: a spreadsheet reads it as that number, never as a formula. Imports undo the quote
(``scoring.normalise``), so a template pre-filled with such a name round-trips.

CSV files end their lines with LF, as the interchange examples do, unless a cell holds a CR: then the file ends its
lines with CR LF (RFC 4180), with which Python's csv quotes every field holding a CR — a note with a line break
stays one field and can never start a row of its own. Files written row by row always use CR LF.
"""
from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import TextIO

import pandas as pd

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
LINE_END = "\r\n"  # RFC 4180; with it Python's csv quotes every field holding a CR (with "\n" it would not)
PLAIN_END = "\n"
QUOTE = "'"
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$", re.ASCII)


def neutral(value):
    """One cell: text that a spreadsheet would take for a formula gets a leading ``'``; anything else as is."""
    if isinstance(value, str) and value.startswith(TRIGGERS) and not _PLAIN_NUMBER.match(value):
        return QUOTE + value
    return value


def write_csv(fh: TextIO, frame: pd.DataFrame) -> None:
    """A frame as CSV (no index), every text cell neutralised; LF line ends, CR LF when a cell holds a CR."""
    safe = neutral_frame(frame)
    texts = [c for c in safe.columns if is_text_column(safe[c])]
    has_cr = any(safe[c].astype(str).str.contains("\r", regex=False).any() for c in texts) or \
        any("\r" in str(c) for c in safe.columns)
    safe.to_csv(fh, index=False, lineterminator=LINE_END if has_cr else PLAIN_END)


def write_csv_rows(fh: TextIO, header: Iterable, rows: Iterable[Iterable]) -> None:
    """A CSV written row by row (for tables too long to build in memory), every cell neutralised."""
    writer = csv.writer(fh, lineterminator=LINE_END)
    writer.writerow([neutral(v) for v in header])
    writer.writerows([neutral(v) for v in row] for row in rows)


def is_text_column(series: pd.Series) -> bool:
    return pd.api.types.is_string_dtype(series) or pd.api.types.is_object_dtype(series)


def neutral_frame(frame: pd.DataFrame, columns: Iterable[str] | None = None) -> pd.DataFrame:
    """A copy of ``frame`` with its column names and every text cell of ``columns`` (default: every text column)
    neutralised. Columns of numbers, dates and booleans are never touched; in an object column only ``str``
    cells change; a string column stays a string column."""
    out = frame.copy()
    if not isinstance(out.columns, pd.MultiIndex):
        out.columns = pd.Index([neutral(c) for c in out.columns])
    columns = None if columns is None else [neutral(c) for c in columns]
    names = [c for c in (out.columns if columns is None else columns) if c in out.columns]
    for col in names:
        if is_text_column(out[col]):
            series = out[col]
            starts = series.map(lambda v: isinstance(v, str) and v.startswith(TRIGGERS), na_action="ignore")
            if starts.fillna(False).astype(bool).any():
                out[col] = pd.Series([neutral(v) for v in series], index=series.index, dtype=series.dtype)
    return out
