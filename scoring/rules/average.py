"""The mean of sub-period scores, scaled to the indicator's points."""
from __future__ import annotations

from scoring.exact import Q, fmt_points, frac
from scoring.kinds import ItemSpec
from scoring.rules.base import DEFAULT_CONTEXT, Rule, RuleResult, register
from scoring.rules.values import distinct_text, fragment, item_q, num_text


@register
class Average(Rule):
    """Mean of monthly scores × scale.

    Seed 002 (6): "按照淄川区政务服务管理办公室《关于调整政务服务“好差评”考核指标的通知》要求，当季度三个月考核
    平均分加权后作为此项得分。" The monthly scores are 0–100; the weight ("加权") is ``scale``
    (10/100 for Zichuan, a rubric setting a district may change). The mean is exact (100, 100 and 99.003 give
    299.003 ÷ 3 × 0.1 = 9.96677 points, shown 9.9668, but added to the total unrounded).
    """

    type = "average"
    parts: list[str]
    scale: float
    lo: float = 0
    hi: float = 100

    def items(self, ind):
        return [ItemSpec(p, "number", lo=self.lo, hi=self.hi, hint=f"{fmt_points(self.lo)}–{fmt_points(self.hi)}")
                for p in self.parts]

    def score(self, rows, units, ind, ctx=DEFAULT_CONTEXT):
        total = Q.zeros(len(units))
        for p in self.parts:
            total = total + item_q(rows, units, p, ctx)
        mean = total / len(self.parts)
        points = (mean * frac(self.scale)).minimum(frac(ind.max))
        reason = None
        if ctx.reasons:
            lost = frac(ind.max) - points
            reason = distinct_text(lambda mean, lost: fragment(
                lost > 0, f"{len(self.parts)}个月平均" + num_text(mean) + "分 −" + num_text(lost)),
                mean.to_float(), lost.to_float())
        return RuleResult(points, reason)

    def describe(self, ind):
        return (f"{'、'.join(self.parts)}考核分（{fmt_points(self.lo)}–{fmt_points(self.hi)}）的平均分"
                f"×{fmt_points(self.scale)}，满分{fmt_points(ind.max)}分。")
