"""Scoring many variants of a group's facts in one engine call, and shortening a witness to the judgements that matter.

A witness of :mod:`scoring.robustness` is a whole scenario: one unit's judged rows at one end of their ranges and
every other unit's at the other end — in a quarter of 13 towns that is some twenty judgements, of which one or two
decide the outcome. :func:`shorten` keeps those, in three engine calls however many witnesses a period has:

1. units, nearest first: the judgements of the unit the witness is about, then of the units whose finals are
   closest to its own (only they can pass it or be passed), added unit by unit; the first prefix that gives the
   outcome is kept;
2. judgements: the kept set without one judgement, for each; those that can go alone are droppable;
3. the kept set without every droppable one; if that loses the outcome, without the first droppable one only.

Every set is scored through the normal engine and the outcome re-checked, so a shortened witness gives its outcome
exactly (a set that does not is never chosen; at worst the whole scenario is kept). In the usual case step 2 finds
no droppable judgement, or step 3 drops them all: then no single judgement of the witness can be left out.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from scoring.engine import score_valid
from scoring.rubric import Rubric

SEP = "\x1f"  # between a period and a variant's number in the periods variants are scored under


def score_variants(variants: list[tuple[str, str, pd.DataFrame, np.ndarray]], rubric: Rubric,
                   decisions: dict | None = None) -> list[pd.DataFrame]:
    """Score each (period, group, rows, values) — the group's rows with their ``value`` column replaced by
    ``values`` — as its own period, all in one engine call; per variant its league indexed by entity. The office's
    decisions of pending awards ((period, group) → entity) apply to every variant."""
    if not variants:
        return []
    blocks, by_rows = [], {}
    for k, (_p, _g, rows, _values) in enumerate(variants):  # variants of one group's rows: one take, not k copies
        by_rows.setdefault(id(rows), (rows, []))[1].append(k)
    for rows, ks in by_rows.values():
        block = rows.iloc[np.tile(np.arange(len(rows)), len(ks))]
        block = block.assign(period=np.repeat([f"{variants[k][0]}{SEP}{k}" for k in ks], len(rows)),
                             value=np.concatenate([variants[k][3] for k in ks]))
        blocks.append(block)
    synthetic = {(f"{p}{SEP}{k}", g): e for k, (p, g, _rows, _values) in enumerate(variants)
                 for (dp, dg), e in (decisions or {}).items() if dp == p and dg == g}
    league = score_valid(pd.concat(blocks, ignore_index=True), rubric, synthetic, reasons=False).league
    tags = league["period"].str.split(SEP).str[1].astype(int)
    by_tag = {int(k): part.set_index("entity") for k, part in league.groupby(tags)}
    return [by_tag[k] for k in range(len(variants))]


@dataclass
class Claim:
    """A witness to shorten: its group's rows, the judged rows it moves (row → value, rows as in ``rows``' index),
    the unit of each moved row, the units nearest first (the unit it is about, then by distance of final), and the
    test a variant's league (indexed by entity) must pass."""

    period: str
    group: str
    rows: pd.DataFrame
    moves: dict[int, str]
    unit_of: dict[int, str]
    nearest: list[str]
    holds: Callable[[pd.DataFrame], bool]

    def variant(self, keep) -> tuple[str, str, pd.DataFrame, np.ndarray]:
        """The group's rows and their values with the moves of the rows in ``keep`` made."""
        return self.period, self.group, self.rows, with_values(self.rows, {r: self.moves[r] for r in self.moves
                                                                           if r in keep})


def with_values(rows: pd.DataFrame, moves: dict[int, str]) -> np.ndarray:
    """``rows``' value column with ``moves`` (row label → value) made."""
    values = rows["value"].to_numpy(dtype=object).copy()
    if moves:
        values[rows.index.get_indexer(list(moves))] = list(moves.values())
    return values


def shorten(claims: list[Claim], rubric: Rubric, decisions: dict | None = None) -> list[dict[int, str]]:
    """Per claim, a shorter set of its moves that still passes its test (see the module docstring)."""
    kept = [set(c.moves) for c in claims]
    # 1. units nearest first: the shortest prefix that gives the outcome
    asks = []
    for n, c in enumerate(claims):
        moved = [u for u in c.nearest if u in set(c.unit_of[r] for r in c.moves)]
        for k in range(1, len(moved)):
            asks.append((n, {r for r in c.moves if c.unit_of[r] in moved[:k]}))
    for (n, keep), league in zip(asks, _score(claims, asks, rubric, decisions)):
        if len(keep) < len(kept[n]) and claims[n].holds(league):
            kept[n] = keep  # prefixes come shortest first: the first that holds is kept
    # 2. which kept judgements can go alone
    asks = [(n, kept[n] - {r}) for n in range(len(claims)) for r in sorted(kept[n]) if len(kept[n]) > 1]
    droppable: dict[int, list] = {n: [] for n in range(len(claims))}
    for (n, keep), league in zip(asks, _score(claims, asks, rubric, decisions)):
        if claims[n].holds(league):
            droppable[n].append(next(iter(kept[n] - keep)))
    # 3. all of them at once, else the first only (it can go alone: step 2 scored that set)
    asks = [(n, kept[n] - set(droppable[n])) for n in range(len(claims)) if droppable[n]]
    for (n, keep), league in zip(asks, _score(claims, asks, rubric, decisions)):
        kept[n] = keep if claims[n].holds(league) else kept[n] - {droppable[n][0]}
    return [{r: v for r, v in c.moves.items() if r in kept[n]} for n, c in enumerate(claims)]


def _score(claims: list[Claim], asks: list[tuple[int, set]], rubric: Rubric, decisions: dict | None):
    return score_variants([claims[n].variant(keep) for n, keep in asks], rubric, decisions)
