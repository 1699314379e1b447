"""Listing problems for people: the first few hundred in file order, then how many more there are.

A file with a million bad rows must not print a million lines (nor build one giant string): stderr and the
data page show at most :attr:`~scoring.limits.Limits.problems_listed` problems, then "另有 N 个问题未列出";
``--problems FILE`` (and the page's download) carries all of them as a table.
"""
from __future__ import annotations

from collections.abc import Iterator

from scoring.intake import in_file_order
from scoring.problems import Problem

OVERFLOW = "另有 {n} 个问题未列出"
PROBLEM_COLUMNS = ["severity", "where", "message"]
WHERE_SHOWN = 200  # characters of a long location list ("第2行、第3行、…") printed; the CSV has them all


def first_listed(problems: list[Problem], limit: int) -> tuple[list[Problem], int]:
    """The first ``limit`` problems in file order, and how many are left out."""
    ordered = in_file_order(problems)
    return ordered[:limit], max(0, len(ordered) - limit)


def overflow_line(rest: int) -> str:
    return OVERFLOW.format(n=f"{rest:,}")


def short(problem: Problem) -> str:
    """``str(problem)``, with a location list longer than :data:`WHERE_SHOWN` characters cut and counted."""
    if len(problem.where) <= WHERE_SHOWN:
        return str(problem)
    places = problem.where.count("、") + 1
    where = problem.where[:WHERE_SHOWN].rsplit("、", 1)[0] + f"…（共 {places:,} 处 places）"
    return str(Problem(where, problem.message, problem.severity))


def problem_lines(problems: list[Problem], limit: int, count: bool = True) -> list[str]:
    """Lines for stderr: the error count (``count``), the first ``limit`` problems, then the overflow line."""
    shown, rest = first_listed(problems, limit)
    lines = []
    if count:
        n = sum(p.severity == "error" for p in problems)
        lines.append(f"输入有 {n} 处错误 (input has {n} error(s)):")
    lines += [short(p) for p in shown]
    if rest:
        lines.append(f"{overflow_line(rest)} ({rest} more not listed; --problems FILE writes every problem)")
    return lines


def problem_rows(problems: list[Problem]) -> Iterator[tuple[str, str, str]]:
    """Every problem in file order as a row of :data:`PROBLEM_COLUMNS`: severity (error / warning), where,
    message — one at a time, so a million problems are written without building a table."""
    for p in in_file_order(problems):
        yield p.severity, p.where, p.message
