"""Rank ladders: the first place gets the maximum, each place below loses a fixed step."""
from __future__ import annotations

from fractions import Fraction
from typing import Literal

import numpy as np
import pandas as pd

from scoring.codes import text_codes
from scoring.exact import Q, fmt_points, frac, units4
from scoring.kinds import ItemSpec
from scoring.problems import Problem
from scoring.rules.base import DEFAULT_CONTEXT, GROUP_POS, Rule, RuleResult, register
from scoring.rules.values import by_unit, distinct_text, fragment, num_text, unit_positions, value_codes

TieMethod = Literal["competition", "dense"]


def rank_within(keys, groups, method: TieMethod = "competition", ascending: bool = False) -> np.ndarray:
    """Ranks of integer ``keys`` within ``groups`` (integer codes): "1, 1, 3" (competition) or "1, 1, 2" (dense).

    Exact: keys are compared as integers (4-decimal figures in units of 0.0001, or the order of exact values).
    ``ascending=False``: the highest key is first.
    """
    keys = np.asarray(keys, dtype="int64")
    groups = np.asarray(groups, dtype="int64")
    n = len(keys)
    if n == 0:
        return np.zeros(0, dtype="int64")
    k = keys if ascending else -keys
    order = np.lexsort((k, groups))
    g_s, k_s = groups[order], k[order]
    new_group = np.r_[True, g_s[1:] != g_s[:-1]]
    new_key = new_group | np.r_[True, k_s[1:] != k_s[:-1]]
    idx = np.arange(n)
    group_start = np.maximum.accumulate(np.where(new_group, idx, 0))
    if method == "dense":
        c = np.cumsum(new_key)
        ranks = c - c[group_start] + 1
    else:
        ranks = np.maximum.accumulate(np.where(new_key, idx, 0)) - group_start + 1
    out = np.empty(n, dtype="int64")
    out[order] = ranks
    return out


def exact_order(q: Q) -> np.ndarray:
    """Each element's position among the distinct exact values, in increasing order (an int64 sort key)."""
    if len(q) == 0:
        return np.zeros(0, dtype="int64")
    _, inv = np.unique(q.num, return_inverse=True)  # same denominator: numerator order is value order
    return inv.reshape(-1).astype("int64")


@register
class Rank(Rule):
    """Points by place: max − step × (place − 1), never below 0.

    Seed 002 (2.3): "根据工作落实情况，第一名得8分，每递减一个名次扣0.5分。"
    Seed 004 (1.4.1): "按认领率高低进行排名，第一名得0.05分，其余按名次依次扣减0.002分；" (``step: 0.002``: the
    26th place and below get 0).
    The place is given (item 名次, at most the number of units ranked) or computed from a measure (item 实绩,
    higher is better), ranked exactly as entered (0.98764 is ahead of 0.98761) within the period and the group,
    with the rubric's tie method (competition by default: 1, 1, 3).
    """

    type = "rank"
    step: float
    place_item: str = "名次"
    measure_item: str = "实绩"
    higher_is_better: bool = True

    def items(self, ind):
        return [
            ItemSpec(self.place_item, "place", group="rank", hint="名次（1 为第一名）"),
            ItemSpec(self.measure_item, "measure", group="rank",
                     hint="实绩（越高越好）" if self.higher_is_better else "实绩（越低越好）"),
        ]

    def rank_step(self) -> Fraction:
        return frac(self.step)

    def check(self, rows, ind, ctx=DEFAULT_CONTEXT):
        """A place beyond the number of units ranked in its period and group is an error, never a silent 0."""
        if not ctx.group_sizes or len(rows) == 0:
            return []
        placed = (rows["item"] == self.place_item).to_numpy(dtype=bool)
        if not placed.any() or rows["num"].to_numpy(dtype="float64")[placed].max() <= min(ctx.group_sizes.values()):
            return []  # no place beyond the smallest group (the usual case): nothing to look up
        given = rows[placed]
        keys = given["period"].astype(str).to_numpy(dtype=object) + "\x1f" + given["group"].astype(str).to_numpy(
            dtype=object)
        codes, uniques = pd.factorize(keys)
        sizes = np.array([ctx.group_sizes.get(tuple(k.split("\x1f", 1)), np.inf) for k in uniques], dtype="float64")
        limit = sizes[codes]
        bad = np.flatnonzero(given["num"].to_numpy(dtype="float64") > limit)
        problems = []
        for i in bad:
            row = given.iloc[i]
            n = int(limit[i])
            where = f"{row['period']}{' ' + str(row['group']) if row['group'] else ''}"
            problems.append(Problem(row["line"], f"{row['entity']} 指标 {ind.code} 的{self.place_item}为 “{row['value']}”，"
                                                 f"但 {where} 只有 {n} 个单位参加排名，名次不能大于 {n} "
                                                 f"(place beyond the {n} units ranked)"))
        return problems

    def places(self, rows, units, ctx=DEFAULT_CONTEXT) -> np.ndarray:
        """Each unit's place: given directly, or ranked exactly from the measure within period and group."""
        codes, table = value_codes(rows, ctx)
        q = Q(table.q.num[codes] if len(codes) else np.zeros(0, dtype="int64"), table.q.den)
        measured = (rows["item"] == self.measure_item).to_numpy(dtype=bool)
        place = np.where(measured, 0, q.floor()).astype("float64")
        if measured.any():
            if GROUP_POS in units.columns:  # the engine's integer group codes, by unit position
                groups = units[GROUP_POS].to_numpy()[unit_positions(rows, units)[measured]]
            else:  # a rule called directly: group on the texts
                part = rows.loc[measured]
                keys = part["period"].astype(str) + "\x1f" + (part["group"].astype(str) if "group" in part else "")
                groups = text_codes(keys)[0]
            place[measured] = rank_within(exact_order(q[measured]), groups, ctx.tie_method,
                                          ascending=not self.higher_is_better)
        wanted = measured | (rows["item"] == self.place_item).to_numpy(dtype=bool)
        return by_unit(rows, units, place, wanted)

    def score(self, rows, units, ind, ctx=DEFAULT_CONTEXT):
        given = (ctx.places or {}).get(ind.code)
        place = np.asarray(given, dtype="float64") if given is not None else self.places(rows, units, ctx)
        steps = np.nan_to_num(place, nan=1.0).astype("int64") - 1
        points = (Q.full(len(units), ind.max) - Q(steps) * frac(self.step)).maximum(0)
        reason = None
        if ctx.reasons:
            lost = frac(ind.max) - points
            reason = distinct_text(lambda place, lost: fragment(lost > 0, "第" + num_text(place) + "名 −"
                                                                + num_text(lost)), place, lost.to_float())
        return RuleResult(points, reason, place=place)

    def describe(self, ind):
        better = "越高越好" if self.higher_is_better else "越低越好"
        return (f"按名次计分：第一名得{fmt_points(ind.max)}分，每递减一个名次扣{fmt_points(self.step)}分，"
                f"扣完为止；名次直接给出，或按实绩（{better}）在同组内排名。")


def competition_rank(frame, value: str, by: list[str], method: TieMethod = "competition", ascending: bool = False,
                     codes: np.ndarray | None = None) -> np.ndarray:
    """Rank the 4-decimal figures in column ``value`` of ``frame`` within groups ``by`` (exact: compared as
    integers in units of 0.0001). ``codes``, when given, are integer group codes standing for the ``by`` columns."""
    if len(frame) == 0:
        return np.zeros(0, dtype="int64")
    if codes is None:
        keys = frame[by[0]].astype(str)
        for col in by[1:]:
            keys = keys + "\x1f" + frame[col].astype(str)
        codes = text_codes(keys)[0]
    return rank_within(units4(frame[value].to_numpy(dtype="float64")), codes, method, ascending)
