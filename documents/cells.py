"""The one door every cell of a new spreadsheet export passes: the 汇总表 XLSX and the notice XLSX.

:func:`cell_text` keeps numbers numbers (they stay numbers in Excel) and passes text through the formula
neutraliser (:func:`documents.neutralise.neutral`, OWASP CSV injection: a text starting with = + - @ or a tab/CR
gets a leading ``'`` and is inert). A Word document holds no formulas: the DOCX writes text as it is.
"""
from __future__ import annotations

from documents.neutralise import neutral


def cell_text(value):
    """A value as it goes into an exported cell: text neutralised, numbers and None unchanged."""
    if value is None or isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return cell_text(value.item())
    return neutral(str(value))
