"""Where the store calls scoring: validating incoming and stored rows, scoring a period or one group from its
stored facts, and the period-by-period pipeline every rescore runs. The only module of the store that calls
:mod:`scoring.validate` or :mod:`scoring.engine`.

One period at a time is exact (ranks, grades and awards are per period and group) and keeps memory flat on a
national store. :func:`score_each` scores period k+1 in a worker thread while the caller writes period k
(DuckDB releases the GIL while it inserts), so writing costs little extra time.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Callable

import pandas as pd

from queries.statements import beside
from queries.store import facts, results
from scoring.engine import Scored, score_valid
from scoring.problems import InputError, Problem, errors_only
from scoring.rubric import Rubric
from scoring.validate import validate

SQL = beside(__file__)
STORED = "已存数据"  # line label prefix of stored rows validated with incoming ones (and of bulk-loaded rows)
Fetched = tuple[pd.DataFrame, pd.DataFrame]  # a period's stored facts and its recorded award decisions


def validate_rows(rows: pd.DataFrame, rubric: Rubric) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate rows (incoming ones merged with the stored rows of the same periods) against ``rubric``."""
    return validate(rows, rubric)


def check_stored(obs: pd.DataFrame, rubric: Rubric) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate stored rows; rows without a file line (bulk loads) are named by period and entity."""
    clean, problems = validate(obs, rubric)
    if errors_only(problems) and obs["line"].isna().any():
        named = obs.assign(line=obs["line"].fillna(STORED + " " + obs["period"] + " " + obs["entity"]))
        clean, problems = validate(named, rubric)
    return clean, problems


def score_stored(obs: pd.DataFrame, decided: pd.DataFrame, rubric: Rubric) -> Scored:
    """Validate and score stored rows with the office's recorded award decisions; InputError on errors."""
    clean, problems = check_stored(obs, rubric)
    if errors_only(problems):
        raise InputError(problems)
    decisions = {(p, g): e for p, g, e in zip(decided["period"], decided["grp"], decided["entity"])}
    return score_valid(clean, rubric, decisions)


def fetch_period(cur, rubric: Rubric, period: str) -> Fetched:
    """A period's stored facts and recorded award decisions."""
    return (facts.of_period(cur, rubric.id, period),
            SQL.decisions_of_period.arrow(cur, scheme=rubric.id, period=period))


def score_period(cur, rubric: Rubric, period: str) -> Scored:
    """Score a period's stored facts without writing (e.g. to compare with its published table)."""
    return score_stored(*fetch_period(cur, rubric, period), rubric)


def score_group(cur, rubric: Rubric, period: str, grp: str) -> Scored | None:
    """Score one group of a period from its stored facts (None when the group has no facts there)."""
    obs = facts.of_group(cur, rubric.id, period, grp)
    if obs.empty:
        return None
    return score_stored(obs, SQL.decisions_of_group.arrow(cur, scheme=rubric.id, period=period, grp=grp), rubric)


def _score(fetched: Fetched, rubric: Rubric) -> tuple[Scored | None, list[Problem]]:
    obs, decided = fetched
    if obs.empty:
        return None, []
    try:
        return score_stored(obs, decided, rubric), []
    except InputError as exc:
        return None, exc.problems


def score_each(rubric: Rubric, periods: list[str], fetch: Callable[[str], Fetched],
               write: Callable[[str, Scored | None], object]) -> None:
    """Score ``periods`` one at a time: ``fetch(period)`` and ``write(period, scored)`` run on the caller's
    thread (``scored`` is None for a period without facts), the scoring in a worker thread, period k+1 while
    period k is written. Every period's problems are collected and raised together as one InputError; from
    the first period with problems on, nothing more is written."""
    problems: list[Problem] = []
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(_score, fetch(periods[0]), rubric) if periods else None
        for i, period in enumerate(periods):
            scored, found = pending.result()
            if i + 1 < len(periods):
                pending = pool.submit(_score, fetch(periods[i + 1]), rubric)
            problems += found
            if not problems:
                write(period, scored)
    if problems:
        raise InputError(problems)


def rescore_in(cur, rubric: Rubric, periods: list[str]) -> None:
    """Rescore ``periods`` inside the caller's transaction (an import, an edit, a decision: all or nothing)."""
    score_each(rubric, list(periods), fetch=lambda period: fetch_period(cur, rubric, period),
               write=lambda period, scored: results.replace_period(cur, rubric, period, scored))
