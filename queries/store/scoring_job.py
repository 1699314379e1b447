"""What a scoring worker process runs (:mod:`.workers`): one period's facts in, its league and per-indicator
arrays out. Imports scoring only (never DuckDB): workers do not open the store."""
from __future__ import annotations

import resource

import pandas as pd
import pyarrow as pa

from scoring.engine import Scored, score_valid
from scoring.problems import InputError, errors_only
from scoring.reader import fill_stored_lines
from scoring.validate import validate


def run(rubric, path: str, decided: pd.DataFrame) -> dict:
    """Validate and score one period's stored facts (the Arrow file :func:`.workers.handoff` wrote), without
    reasons."""
    obs = pa.ipc.open_file(pa.memory_map(path)).read_all().to_pandas()  # mapped, not copied
    if obs.empty:  # a period without facts: its results go (as in the thread path)
        return {"empty": True, "problems": [], "rss_mib": _peak_rss_mib()}
    obs, problems = validate(fill_stored_lines(obs), rubric)
    if errors_only(problems):
        return {"problems": problems, "rss_mib": _peak_rss_mib()}
    decisions = {(p, g): e for p, g, e in zip(decided["period"], decided["grp"], decided["entity"])}
    scored = score_valid(obs, rubric, decisions, reasons=False)
    return {"points": scored.points, "league": scored.league, "warnings": scored.warnings, "problems": [],
            "rss_mib": _peak_rss_mib()}


def _peak_rss_mib() -> float:
    """This worker's peak resident memory so far (reported with each answer: the benchmark's memory figure)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def received(done: dict, rubric) -> tuple[Scored | None, list]:
    """A worker's answer as (scored, problems)."""
    if done["problems"] or done.get("empty"):
        return None, done["problems"]
    return Scored(done["points"], done["league"], done["warnings"], rubric), []


__all__ = ["run", "received", "InputError"]
