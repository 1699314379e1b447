"""The mean of sub-period scores, scaled to the indicator's points."""
from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.exact import fmt_points
from scoring.rules.base import ItemSpec, Rule, distinct_text, fragment, item_value, num_text, register


@register
class Average(Rule):
    """Mean of monthly scores × scale.

    Seed 002 (6): "按照淄川区政务服务管理办公室《关于调整政务服务“好差评”考核指标的通知》要求，当季度三个月考核
    平均分加权后作为此项得分。" The monthly scores are 0–100; the weight ("加权") is ``scale``
    (10/100 for Zichuan, a rubric setting a district may change).
    """

    type = "average"
    parts: list[str]
    scale: float
    lo: float = 0
    hi: float = 100

    def items(self, ind):
        return [ItemSpec(p, "number", lo=self.lo, hi=self.hi, hint=f"{fmt_points(self.lo)}–{fmt_points(self.hi)}")
                for p in self.parts]

    def score(self, rows, units, ind, ctx=None):
        values = np.column_stack([item_value(rows, units, p) for p in self.parts]) if len(units) else np.zeros((0, 1))
        mean = values.mean(axis=1) if len(units) else np.zeros(0)
        points = np.minimum(float(ind.max), mean * self.scale)
        lost = ind.max - points
        reason = distinct_text(lambda mean, lost: fragment(
            lost > 0, f"{len(self.parts)}个月平均" + num_text(mean) + "分 −" + num_text(lost)), mean, lost)
        return pd.DataFrame({"points": points, "reason": reason}, index=units.index)

    def describe(self, ind):
        return (f"{'、'.join(self.parts)}考核分（{fmt_points(self.lo)}–{fmt_points(self.hi)}）的平均分"
                f"×{fmt_points(self.scale)}，满分{fmt_points(ind.max)}分。")
