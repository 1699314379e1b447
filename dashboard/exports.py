"""Serialise what a page shows: CSV (UTF-8 with BOM, so Excel reads Chinese), XLSX, Parquet, and chart PNGs.

Only formats here (and the notice chart's drawing, through documents/), no numbers are computed: the frames come
from ``queries`` read models as shown. Every text cell (and header) of a CSV or XLSX is neutralised against formula
injection (``documents.neutralise``): a unit, note or account name beginning with ``=``, ``+``, ``-`` or ``@``
never becomes a live formula.
"""
from __future__ import annotations

import io

import pandas as pd

from documents.neutralise import neutral_frame, write_csv, write_csv_rows
from documents.xlsx_layout import fit_column_widths

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TRAIL_SEP = "→"


def for_download(frame: pd.DataFrame) -> pd.DataFrame:
    """The shown table with list cells (the in-row rank sparkline) written as text: [8, 11, 12] → '8→11→12'."""
    out = frame.copy()
    for col in out.columns:
        if len(out) and out[col].map(lambda v: isinstance(v, (list, tuple))).any():
            out[col] = out[col].map(lambda v: TRAIL_SEP.join(str(x) for x in v) if isinstance(v, (list, tuple))
                                    else ("" if v is None else str(v)))
    return out


CSV_ENCODINGS = {"utf-8": "utf-8-sig", "gbk": "gb18030"}


def csv_bytes(frame: pd.DataFrame, encoding: str = "utf-8") -> bytes:
    """CSV, no index, cells neutralised: ``utf-8`` with a BOM (Excel and WPS open it with the Chinese intact), or
    ``gbk`` for older WPS/Excel that read a CSV as GBK — written as GB18030, which is GBK byte for byte for every
    GBK character and still encodes the rare characters GBK lacks (a name is never lost or replaced)."""
    buf = io.StringIO()
    write_csv(buf, frame)
    return buf.getvalue().encode(CSV_ENCODINGS[encoding])


def rows_csv_bytes(header, rows) -> bytes:
    """A CSV (UTF-8 with BOM) written row by row from an iterable, cells neutralised: for long lists (problems)."""
    buf = io.StringIO()
    write_csv_rows(buf, header, rows)
    return buf.getvalue().encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "数据") -> bytes:
    """One sheet, cells neutralised (openpyxl would write a text starting with ``=`` as a live formula), columns as
    wide as their widest text (a long unit name is not cut when printed)."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        neutral_frame(frame).to_excel(writer, index=False, sheet_name=sheet[:31])
        fit_column_widths(writer.sheets[sheet[:31]])
    return buf.getvalue()


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False)
    return buf.getvalue()


def read_csv_bytes(data: bytes) -> pd.DataFrame:
    """Parse a downloaded CSV back (text kept as text, empty cells as '')."""
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False)


def read_xlsx_bytes(data: bytes) -> pd.DataFrame:
    return pd.read_excel(io.BytesIO(data), engine="calamine").fillna("")


def chart_images(fig):
    """A Plotly figure as SVG and PNG (:func:`documents.chart_images.chart_images`; kaleido with Chromium)."""
    from documents.chart_images import chart_images as draw

    return draw(fig)
