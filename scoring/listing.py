"""Listing problems for people: the first few hundred in file order, then how many more there are.

A file with a million bad rows must not print a million lines (nor build one giant string): stderr and the
data page show at most :attr:`~scoring.limits.Limits.problems_listed` problems, then "另有 N 个问题未列出";
``--problems FILE`` (and the page's download) carries all of them as a table.
"""
from __future__ import annotations

import pandas as pd

from scoring.intake import in_file_order
from scoring.problems import Problem

OVERFLOW = "另有 {n} 个问题未列出"
PROBLEM_COLUMNS = ["severity", "where", "message"]


def first_listed(problems: list[Problem], limit: int) -> tuple[list[Problem], int]:
    """The first ``limit`` problems in file order, and how many are left out."""
    ordered = in_file_order(problems)
    return ordered[:limit], max(0, len(ordered) - limit)


def overflow_line(rest: int) -> str:
    return OVERFLOW.format(n=f"{rest:,}")


def problem_lines(problems: list[Problem], limit: int, count: bool = True) -> list[str]:
    """Lines for stderr: the error count (``count``), the first ``limit`` problems, then the overflow line."""
    shown, rest = first_listed(problems, limit)
    lines = []
    if count:
        n = sum(p.severity == "error" for p in problems)
        lines.append(f"输入有 {n} 处错误 (input has {n} error(s)):")
    lines += [str(p) for p in shown]
    if rest:
        lines.append(f"{overflow_line(rest)} ({rest} more not listed; --problems FILE writes every problem)")
    return lines


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """Every problem in file order as a table: severity (error / warning), where, message."""
    ordered = in_file_order(problems)
    return pd.DataFrame({"severity": pd.Series([p.severity for p in ordered], dtype="str"),
                         "where": pd.Series([p.where for p in ordered], dtype="str"),
                         "message": pd.Series([p.message for p in ordered], dtype="str")}, columns=PROBLEM_COLUMNS)
