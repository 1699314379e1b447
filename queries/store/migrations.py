"""Upgrades of stores made by earlier versions, run once when a store is opened for writing.

- **Lean results** (issue 10): the wide per-indicator table (group, category, kind, max, lost and the reason
  repeated on every row) becomes ``result_points`` (points and place per unit and indicator) under the rubric
  version its scheme was scored with; the view ``results_indicator`` takes its name, reasons are rendered when read.
- **Exact arithmetic** (issue 9): a store scored by the float engine opens and keeps working. Published periods
  stay exactly as published (their results are not touched); every other period with facts is rescored with the
  exact arithmetic, through the write door, audited as ``rescore`` like a rubric change. Stored values the engine
  now refuses (有/无 typed for a yes/no item) are listed in ``stored_problems`` for the office to fix, naming
  period, unit and indicator; their periods keep their results until fixed.
"""
from __future__ import annotations

import pandas as pd

from queries.statements import beside
from queries.store import rubric_versions
from scoring.kinds import AMBIGUOUS_FLAGS
from scoring.rubric import Rubric

SQL = beside(__file__)
ARITHMETIC = "exact-1"  # the meta value of stores scored with exact arithmetic


def lean_results(cur) -> None:
    """Move the wide per-indicator results of a store made before the lean table into ``result_points``."""
    for scheme in SQL.wide_result_schemes(cur)["scheme"]:
        rubric = rubric_versions.current(cur, scheme)
        rubric_versions.register(cur, rubric)
        SQL.name_results_version(cur, scheme=scheme, version=rubric.version)
        SQL.copy_wide_points(cur, scheme=scheme, version=rubric.version)
    SQL.drop_wide_results(cur)


def needs_exact_rescore(cur) -> bool:
    """A store whose results were computed before the exact arithmetic (and not rescored since)."""
    return SQL.meta_value(cur, key="arithmetic") != ARITHMETIC and not SQL.scored_schemes(cur).empty


def mark_exact(cur) -> None:
    if SQL.meta_value(cur, key="arithmetic") != ARITHMETIC:  # read first: every scoring write calls it
        SQL.set_meta(cur, key="arithmetic", value=ARITHMETIC)


def scored_schemes(cur) -> list[str]:
    return list(SQL.scored_schemes(cur)["scheme"])


def refused_flags(cur, rubric: Rubric) -> pd.DataFrame:
    """Stored yes/no values now refused (有/无): period, entity, indicator, item, value and what to type instead."""
    flags = pd.DataFrame([(i.code, s.name) for i in rubric.indicators for s in i.rule.items(i) if s.kind == "flag"],
                         columns=["indicator", "item"])
    if flags.empty:
        return pd.DataFrame(columns=["period", "entity", "indicator", "item", "value", "message"])
    cur.register("flag_items", flags)
    cur.register("refused_values", pd.DataFrame({"value": list(AMBIGUOUS_FLAGS)}))
    found = SQL.stored_values_of(cur, scheme=rubric.id)
    cur.unregister("flag_items")
    cur.unregister("refused_values")
    found["message"] = [f"{p} {e} 指标 {i} 的 {it} 存为 “{v}”，意思不明确：请改为 是/否（1/0），该期间在改正前保留原结果 "
                        f"(stored {v}: ambiguous, type 是/否 or 1/0)"
                        for p, e, i, it, v in zip(found["period"], found["entity"], found["indicator"], found["item"],
                                                  found["value"])]
    return found


def unpublished_periods(cur, scheme: str) -> list[str]:
    return list(SQL.unpublished_fact_periods(cur, scheme=scheme)["period"])


def save_problems(cur, scheme: str, period: str, found: pd.DataFrame) -> None:
    """Replace the listed problems of a period with ``found`` (its rows of :func:`refused_flags`)."""
    SQL.clear_stored_problems(cur, scheme=scheme, period=period)
    if len(found):
        cur.register("found_problems", found)
        SQL.save_stored_problems(cur, scheme=scheme)
        cur.unregister("found_problems")
