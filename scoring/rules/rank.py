"""Rank ladders: the first place gets the maximum, each place below loses a fixed step."""
from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from scoring.exact import fmt_points, round4
from scoring.rules.base import (GROUP_POS, ItemSpec, Rule, by_unit, distinct_text, fragment, num_text, register,
                                unit_positions)

TieMethod = Literal["competition", "dense"]


def competition_rank(frame: pd.DataFrame, value: str, by: list[str], method: TieMethod = "competition",
                     ascending: bool = False, codes: np.ndarray | None = None) -> np.ndarray:
    """Rank ``value`` within groups ``by`` ("1, 1, 3" for competition, "1, 1, 2" for dense).

    Values are compared after rounding half-up to 4 decimals (DESIGN.md: exact comparison).
    ``codes``, when given, are integer group codes aligned with ``frame`` standing for the ``by`` columns.
    """
    if len(frame) == 0:
        return np.array([], dtype="int64")
    key = pd.Series(round4(frame[value].to_numpy(dtype="float64")), index=frame.index)
    pandas_method = "min" if method == "competition" else "dense"
    keys = [frame[c] for c in by] if codes is None else np.asarray(codes)
    grouped = key.groupby(keys, sort=False)
    return grouped.rank(method=pandas_method, ascending=ascending).to_numpy(dtype="int64")


@register
class Rank(Rule):
    """Points by place: max − step × (place − 1), never below 0.

    Seed 002 (2.3): "根据工作落实情况，第一名得8分，每递减一个名次扣0.5分。"
    Seed 004 (1.4.1): "按认领率高低进行排名，第一名得0.05分，其余按名次依次扣减0.002分；" (``step: 0.002``: the
    26th place and below get 0).
    The place is given (item 名次) or computed from a measure (item 实绩, higher is better), ranking
    within the period and the group with the rubric's tie method (competition by default: 1, 1, 3).
    """

    type = "rank"
    step: float
    place_item: str = "名次"
    measure_item: str = "实绩"
    higher_is_better: bool = True

    def items(self, ind):
        return [
            ItemSpec(self.place_item, "count", lo=1, group="rank", hint="名次（1 为第一名）"),
            ItemSpec(self.measure_item, "measure", group="rank",
                     hint="实绩（越高越好）" if self.higher_is_better else "实绩（越低越好）"),
        ]

    def places(self, rows: pd.DataFrame, units: pd.DataFrame, tie_method: TieMethod = "competition") -> np.ndarray:
        """Each unit's place: given directly, or ranked from the measure within period and group."""
        num = rows["num"].to_numpy(dtype="float64").copy()
        measured = (rows["item"] == self.measure_item).to_numpy(dtype=bool)
        if measured.any():
            part = rows.loc[measured, ["period", "group", "entity", "num"]]
            codes = None
            if GROUP_POS in units.columns:  # the engine's integer group codes, by unit position
                codes = units[GROUP_POS].to_numpy()[unit_positions(rows, units)[measured]]
            num[measured] = competition_rank(part, "num", ["period", "group"], tie_method,
                                             ascending=not self.higher_is_better, codes=codes)
        wanted = measured | (rows["item"] == self.place_item).to_numpy(dtype=bool)
        return by_unit(rows, units, num, wanted)

    def score(self, rows, units, ind, ctx=None):
        tie = getattr(ctx, "tie_method", "competition")
        place = self.places(rows, units, tie)
        points = np.maximum(0.0, ind.max - self.step * (np.nan_to_num(place, nan=1.0) - 1))
        lost = ind.max - points
        reason = distinct_text(lambda place, lost: fragment(lost > 0, "第" + num_text(place) + "名 −" + num_text(lost)),
                               place, lost)
        return pd.DataFrame({"points": points, "reason": reason, "place": place},
                            index=units.index)

    def describe(self, ind):
        better = "越高越好" if self.higher_is_better else "越低越好"
        return (f"按名次计分：第一名得{fmt_points(ind.max)}分，每递减一个名次扣{fmt_points(self.step)}分，"
                f"扣完为止；名次直接给出，或按实绩（{better}）在同组内排名。")
