"""The one door every text cell of a new export passes: the 汇总表 XLSX, the notice XLSX and DOCX.

:func:`cell_text` is where the formula neutraliser of the hardening branch (``documents/neutralise.py``, OWASP
CSV injection: a text starting with = + - @ or a tab/CR is made inert) plugs in at merge. Numbers are not text
and pass unchanged (they stay numbers in Excel).
"""
from __future__ import annotations


def cell_text(value):
    """A value as it goes into an exported cell: text as text (to be neutralised), numbers and None unchanged."""
    if value is None or isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return cell_text(value.item())
    return str(value)
