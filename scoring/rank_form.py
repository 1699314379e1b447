"""A rank indicator's form inferred from the rows: 名次 or 实绩, whichever every unit gave.

The template pre-fills a 实绩 row for every unit and rank indicator; the responsible department usually gives
places instead ("根据工作落实情况，第一名得8分…"), so the clerk appends 名次 rows and leaves the pre-filled 实绩 rows
blank (or the other way round, in a CSV). Those blank rows are not facts: when, in a period, every unit has a non-blank row of one form for an indicator, the blank
rows of the other form(s) are dropped before validation, with one warning per indicator. Anything else (a unit
without either form, a non-blank row of both forms, a mix of forms between units) is left to the checks in
:mod:`scoring.validate`, which report it as before.
"""
from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

from scoring.problems import Problem
from scoring.reader import csv_line_labels
from scoring.rubric import Rubric


def _alternatives(rubric: Rubric) -> dict[tuple[str, str], tuple[str, str]]:
    """(indicator code, item as written: name or alias) → (group, item name) for every alternative item."""
    found = {}
    for ind in rubric.indicators:
        for spec in ind.rule.items(ind):
            if spec.group is None or not spec.required:
                continue
            for written in (spec.name, *spec.aliases):
                found.setdefault((ind.code, written), (spec.group, spec.name))
    return found


def line_labels(obs: pd.DataFrame) -> pd.DataFrame:
    """``obs`` with the ``line`` and ``row`` columns validation would give it, so that dropping rows does not
    renumber the lines problems name."""
    if "line" in obs.columns:
        return obs
    out = obs.assign(line=csv_line_labels(len(obs)).to_numpy())
    return out if "row" in out.columns else out.assign(row=np.arange(2, len(obs) + 2))


def drop_blank_alternatives(obs: pd.DataFrame, rubric: Rubric) -> tuple[pd.DataFrame, list[Problem]]:
    """The rows without the blank rows of a rank form nobody used (see module docstring), and one warning per
    indicator naming the form used and the lines dropped. Returns ``obs`` itself when nothing is dropped."""
    alternatives = _alternatives(rubric)
    if not alternatives or obs.empty or "value" not in obs.columns:
        return obs, []
    codes = {code for code, _ in alternatives}
    candidate = np.flatnonzero(obs["indicator"].isin(codes).to_numpy())
    if len(candidate) == 0:
        return obs, []
    sub = obs.iloc[candidate]
    blank = sub["value"].astype("str").str.strip().eq("").to_numpy()
    if not blank.any():
        return obs, []
    form = [alternatives.get((c, i)) for c, i in zip(sub["indicator"], sub["item"])]
    units_of = obs[["period", "entity"]].drop_duplicates().groupby("period")["entity"].agg(frozenset).to_dict()
    given: dict[tuple, set] = defaultdict(set)  # (period, code, group, item) → units with a non-blank row
    for k, (p, c, e, f) in enumerate(zip(sub["period"], sub["indicator"], sub["entity"], form)):
        if f is not None and not blank[k]:
            given[(p, c, f[0], f[1])].add(e)
    used: dict[tuple, str] = {}  # (period, code, group) → the item every unit of the period gave
    for (p, c, g, item), units in given.items():
        if units >= units_of.get(p, frozenset()):
            used.setdefault((p, c, g), item)
    drop = np.zeros(len(obs), dtype=bool)
    dropped: dict[str, list] = defaultdict(list)  # indicator code → [(line position, item used, item dropped)]
    for k, (p, c, f) in enumerate(zip(sub["period"], sub["indicator"], form)):
        if f is None or not blank[k]:
            continue
        item = used.get((p, c, f[0]))
        if item is not None and item != f[1]:
            drop[candidate[k]] = True
            dropped[c].append((candidate[k], item, f[1]))
    if not drop.any():
        return obs, []
    obs = line_labels(obs)
    warnings = []
    for code in sorted(dropped, key=lambda c: dropped[c][0][0]):
        rows = dropped[code]
        ind = rubric.indicator(code)
        kept = "、".join(dict.fromkeys(item for _, item, _ in rows))
        gone = "、".join(dict.fromkeys(item for _, _, item in rows))
        lines = [str(obs["line"].iloc[r]) for r, _, _ in rows]
        shown = "、".join(lines[:5]) + (f" 等 {len(lines)} 行" if len(lines) > 5 else "")
        warnings.append(Problem(
            f"指标 {code}", f"{ind.name}：每个单位都填写了{kept}，{len(rows)} 行空白的{gone}已忽略（{shown}）"
            f" (blank {gone} rows dropped: every unit gave its {kept})", "warning"))
    return obs[~drop].reset_index(drop=True), warnings
