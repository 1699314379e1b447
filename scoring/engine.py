"""Score a whole dataset at once: every entity × period × indicator, then totals, ranks, grades, awards.

The engine is generic: each indicator's rule scores all units in one vectorised call; what differs
between schemes lives in the rubric file, never in an ``if`` here.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.exact import round4
from scoring.problems import InputError, Problem, errors_only
from scoring.ranking import rank_league
from scoring.rubric import Rubric
from scoring.validate import validate

SIGN = {"base": 1.0, "score": 1.0, "bonus": 1.0, "penalty": -1.0}


@dataclass
class Scored:
    """What scoring gives: ``detail`` (one row per unit × indicator) and ``league`` (one row per unit)."""

    detail: pd.DataFrame
    league: pd.DataFrame
    warnings: list[Problem]


def unit_frame(obs: pd.DataFrame) -> pd.DataFrame:
    """One row per (period, group, entity) present in the observations, in a stable order."""
    units = obs[["period", "group", "entity"]].drop_duplicates(["period", "entity"])
    return units.sort_values(["period", "group", "entity"], kind="stable").reset_index(drop=True)


def score_indicators(obs: pd.DataFrame, rubric: Rubric, units: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per unit × indicator: signed points, max, lost and reason (validated rows in, no checks here)."""
    units = unit_frame(obs) if units is None else units
    by_ind = {code: rows for code, rows in obs.groupby("indicator", sort=False)}
    empty = obs.iloc[0:0]
    frames = []
    for ind in rubric.indicators:
        rows = by_ind.get(ind.code, empty)
        out = ind.rule.score(rows, units, ind, rubric)
        magnitude = out["points"].to_numpy(dtype="float64")
        mx = ind.rule.max_points(ind)
        if ind.kind == "penalty":
            points, lost = -magnitude, magnitude
        elif ind.kind == "bonus":
            points, lost = magnitude, np.zeros(len(units))
        else:
            points, lost = magnitude, mx - magnitude
        frame = units.copy()
        frame["indicator"] = ind.code
        frame["category"] = ind.category
        frame["kind"] = ind.kind
        frame["points"] = round4(points)
        frame["max"] = mx
        frame["lost"] = round4(lost)
        frame["reason"] = out["reason"].to_numpy(dtype=object)
        frame["place"] = out["place"].to_numpy(dtype="float64") if "place" in out else np.nan
        frames.append(frame)
    detail = pd.concat(frames, ignore_index=True)
    detail["reason"] = detail["reason"].astype(str)
    return detail


def totals(detail: pd.DataFrame, rubric: Rubric, units: pd.DataFrame) -> pd.DataFrame:
    """Components, base/bonus/penalty sums and the weighted final, one row per unit."""
    league = units.copy()
    keys = ["period", "entity"]
    for comp in rubric.components:
        codes = [i.code for i in rubric.component_indicators(comp)]
        part = detail[detail["indicator"].isin(codes)].groupby(keys, sort=False)["points"].sum().rename(comp.id)
        league = league.merge(part.reset_index(), on=keys, how="left")
        league[comp.id] = league[comp.id].fillna(0.0)
        if comp.floor_at_zero:
            league[comp.id] = league[comp.id].clip(lower=0.0)
    for kind in ("base", "bonus", "penalty"):
        part = detail[detail["kind"] == kind].groupby(keys, sort=False)["points"].sum().rename(kind)
        league = league.merge(part.reset_index(), on=keys, how="left")
        league[kind] = league[kind].fillna(0.0)
    final = np.zeros(len(league))
    for comp_id, weight in rubric.final.items():
        final = final + weight * league[comp_id].to_numpy(dtype="float64")
    league["final"] = final
    for col in [c.id for c in rubric.components] + ["base", "bonus", "penalty", "final"]:
        league[col] = round4(league[col].to_numpy(dtype="float64"))
    return league


def score_valid(obs: pd.DataFrame, rubric: Rubric, decisions: dict | None = None) -> Scored:
    """Score observations that already passed :func:`scoring.validate.validate`."""
    units = unit_frame(obs)
    detail = score_indicators(obs, rubric, units)
    league = rank_league(totals(detail, rubric, units), rubric, decisions)
    return Scored(detail=detail, league=league, warnings=[])


def score(obs: pd.DataFrame, rubric: Rubric, roster: set[str] | None = None, decisions: dict | None = None) -> Scored:
    """Validate then score. Raises :class:`InputError` listing every error if the input is not clean."""
    clean, problems = validate(obs, rubric, roster)
    if errors_only(problems):
        raise InputError(problems)
    if clean.empty:
        raise InputError([Problem("文件 file", "没有任何观测数据行 (no observation rows)")])
    result = score_valid(clean, rubric, decisions)
    result.warnings = problems
    return result
