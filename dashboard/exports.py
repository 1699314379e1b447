"""Serialise what a page shows: CSV (UTF-8 with BOM, so Excel reads Chinese), XLSX, Parquet, and chart PNGs.

Only formats here, no numbers are computed: the frames come from ``queries`` read models as shown. Every text
cell (and header) of a CSV or XLSX is neutralised against formula injection (``documents.neutralise``): a unit,
note or account name beginning with ``=``, ``+``, ``-`` or ``@`` never becomes a live formula.
"""
from __future__ import annotations

import io

import pandas as pd

from documents.neutralise import neutral_frame, write_csv, write_csv_rows
from documents.xlsx_layout import fit_column_widths

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TRAIL_SEP = "→"


def for_download(frame: pd.DataFrame) -> pd.DataFrame:
    """The shown table with list cells (the in-row rank sparkline) written as text: [8, 11, 12] → '8→11→12'."""
    out = frame.copy()
    for col in out.columns:
        if len(out) and out[col].map(lambda v: isinstance(v, (list, tuple))).any():
            out[col] = out[col].map(lambda v: TRAIL_SEP.join(str(x) for x in v) if isinstance(v, (list, tuple))
                                    else ("" if v is None else str(v)))
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with a BOM (Excel opens it with the Chinese intact), no index, cells neutralised."""
    buf = io.StringIO()
    write_csv(buf, frame)
    return buf.getvalue().encode("utf-8-sig")


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


def figure_png(fig, width: int = 1000, height: int = 460) -> bytes | None:
    """A Plotly figure as PNG via kaleido (needs Chromium); None if it cannot be drawn here."""
    try:
        return fig.to_image(format="png", width=width, height=height, scale=2)
    except Exception:  # noqa: BLE001 - no Chromium/kaleido: the notice says the chart is missing
        return None
