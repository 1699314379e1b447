"""Where the store calls scoring: validating incoming and stored rows, scoring a period or one group from its
stored facts, rendering one unit's reasons when they are read, and the period-by-period pipeline every rescore
runs. The only module of the store that calls :mod:`scoring.validate` or :mod:`scoring.engine`.

One period at a time is exact (ranks, grades and awards are per period and group) and keeps memory flat on a
national store. :func:`score_each` scores the periods in two worker processes (:mod:`.workers`: data crosses
as Arrow) when there is enough to score, else period k+1 in a worker thread while the caller writes period k.

Facts are validated once per change: an import or an edit validates the incoming rows with the stored ones of
their periods and scores that validated frame (:func:`score_clean`: never fetched and validated again); a rescore
validates the stored facts it reads (bulk-loaded facts were never validated, a new rubric version may refuse some).
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable

import pandas as pd
import pyarrow as pa

from queries.statements import beside
from queries.store import facts, results, rubric_versions, workers
from scoring.engine import Scored, score_valid, unit_detail
from scoring.problems import InputError, Problem, errors_only
from scoring.reader import fill_stored_lines
from scoring.rubric import Rubric
from scoring.validate import validate

SQL = beside(__file__)


@dataclass
class Fetched:
    """A period's stored facts (a frame, or an Arrow table on its way to a scoring process) and its recorded award
    decisions."""

    obs: pd.DataFrame | pa.Table
    decided: pd.DataFrame


def validate_rows(rows: pd.DataFrame, rubric: Rubric) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate rows (incoming ones merged with the stored rows of the same periods) against ``rubric``."""
    return validate(rows, rubric)


def check_stored(obs: pd.DataFrame, rubric: Rubric) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate stored rows; rows without a file line (bulk loads) are named by period and entity."""
    return validate(fill_stored_lines(obs), rubric)


def decisions_of(decided: pd.DataFrame) -> dict:
    return {(p, g): e for p, g, e in zip(decided["period"], decided["grp"], decided["entity"])}


def score_stored(obs: pd.DataFrame, decided: pd.DataFrame, rubric: Rubric, check: bool = True,
                 reasons: bool = True) -> Scored:
    """Score stored rows (validated first when ``check``) with the office's recorded award decisions;
    InputError on errors."""
    clean = obs
    if check:
        clean, problems = check_stored(obs, rubric)
        if errors_only(problems):
            raise InputError(problems)
    return score_valid(clean, rubric, decisions_of(decided), reasons=reasons)


def score_clean(cur, rubric: Rubric, clean: pd.DataFrame, periods: list[str]) -> dict[str, Scored]:
    """Score already validated rows (an import's merged frame) period by period, with the recorded decisions."""
    out = {}
    for period in periods:
        rows = clean[clean["period"] == period]
        decided = SQL.decisions_of_period.arrow(cur, scheme=rubric.id, period=period)
        out[period] = score_valid(rows, rubric, decisions_of(decided), reasons=False) if len(rows) else None
    return out


def fetch_for_scoring(cur, rubric: Rubric, period: str) -> Fetched:
    """A period's stored facts (an Arrow table: what :func:`score_each` hands to a worker process, pandas only
    where the scoring runs) and recorded award decisions."""
    return Fetched(facts.table_of_period(cur, rubric.id, period),
                   SQL.decisions_of_period.arrow(cur, scheme=rubric.id, period=period))


def fetch_period(cur, rubric: Rubric, period: str) -> Fetched:
    """:func:`fetch_for_scoring` with the facts as a frame (to score or inspect them in this process)."""
    got = fetch_for_scoring(cur, rubric, period)
    return Fetched(got.obs.to_pandas(), got.decided)


def score_period(cur, rubric: Rubric, period: str) -> Scored:
    """Score a period's stored facts without writing (e.g. to compare with its published table)."""
    got = fetch_period(cur, rubric, period)
    return score_stored(got.obs, got.decided, rubric)


def score_group(cur, rubric: Rubric, period: str, grp: str) -> Scored | None:
    """Score one group of a period from its stored facts (None when the group has no facts there)."""
    obs = facts.of_group(cur, rubric.id, period, grp)
    if obs.empty:
        return None
    decided = SQL.decisions_of_group.arrow(cur, scheme=rubric.id, period=period, grp=grp)
    return score_stored(obs, decided, rubric, reasons=False)


def render_reasons(cur, scheme: str, period: str, entity: str, places: dict[str, float]) -> dict[str, str]:
    """One unit's reason per indicator, rendered from its stored facts and its stored places with the rubric
    version its period was scored with (reasons are not stored: they follow from these)."""
    obs = facts.of_unit(cur, scheme, period, entity)
    if obs.empty:
        return {}
    rubric = rubric_versions.of_period(cur, scheme, period)
    detail = unit_detail(obs, rubric, places)
    return dict(zip(detail["indicator"], detail["reason"]))


def _score(fetched: Fetched, rubric: Rubric) -> tuple[Scored | None, list[Problem]]:
    obs = fetched.obs.to_pandas()
    if obs.empty:
        return None, []
    try:
        return score_stored(obs, fetched.decided, rubric, reasons=False), []
    except InputError as exc:
        return None, exc.problems


def score_each(rubric: Rubric, periods: list[str], fetch: Callable[[str], Fetched],
               write: Callable[[str, Scored | None], object], rows: int = 0) -> None:
    """Score ``periods`` one at a time: ``fetch(period)`` (the facts as an Arrow table, as
    :func:`fetch_for_scoring` gives them) and ``write(period, scored)`` run on the caller's thread (``scored`` is
    None for a period without facts). With enough facts to score (``rows``: how many the
    periods hold; :mod:`.workers`), the scoring runs in two worker processes; otherwise in a worker thread,
    period k+1 while period k is written.
    Every period's problems are collected and raised together as one InputError; from the first period with
    problems on, nothing more is written."""
    periods = list(periods)
    if workers.worth_it(periods, rows):
        scored_stream = workers.score_in_processes(rubric, periods, fetch)
    else:
        scored_stream = _score_in_thread(rubric, periods, fetch)
    problems: list[Problem] = []
    for period, (scored, found) in zip(periods, scored_stream):
        problems += found
        if not problems:
            write(period, scored)
    if problems:
        raise InputError(problems)


def _score_in_thread(rubric: Rubric, periods: list[str], fetch: Callable[[str], Fetched]):
    """(scored, problems) of each period in order, period k+1 scored in a thread while period k is written."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(_score, fetch(periods[0]), rubric) if periods else None
        for i in range(len(periods)):
            done = pending.result()
            if i + 1 < len(periods):
                pending = pool.submit(_score, fetch(periods[i + 1]), rubric)
            yield done


def rescore_in(cur, rubric: Rubric, periods: list[str]) -> None:
    """Rescore ``periods`` inside the caller's transaction (a decision, an undo, a new rubric version: all or
    nothing)."""
    score_each(rubric, list(periods), fetch=lambda period: fetch_for_scoring(cur, rubric, period),
               write=lambda period, scored: results.replace_period(cur, rubric, period, scored))
