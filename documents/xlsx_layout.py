"""Column widths an office suite prints without cutting: a cell's text is as wide as its characters (a CJK
character takes two columns), and a column is as wide as its widest cell, within bounds."""
from __future__ import annotations

import unicodedata

from openpyxl.utils import get_column_letter


def text_width(value) -> int:
    """Display width of a cell's text in spreadsheet columns (full-width and wide characters count 2)."""
    if value is None:
        return 0
    text = f"{value:.4f}" if isinstance(value, float) else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def fit_column_widths(ws, min_width: int = 6, max_width: int = 60) -> None:
    """Set every column of worksheet ``ws`` to its widest cell (+2 for padding), between the bounds."""
    widths: dict[int, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            widths[cell.column] = max(widths.get(cell.column, 0), text_width(cell.value))
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = max(min_width, min(max_width, width + 2))
