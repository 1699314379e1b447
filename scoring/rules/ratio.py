"""Ratios: a rate below a target costs points in proportion (满意度不足95%的按比例扣分)."""
from __future__ import annotations

from typing import Literal


from scoring.exact import Q, fmt_points, frac
from scoring.kinds import ItemSpec
from scoring.problems import Problem
from scoring.rules.base import DEFAULT_CONTEXT, Rule, RuleResult, register
from scoring.rules.values import fragment, item_q, num_text


@register
class Ratio(Rule):
    """Points from a rate (a percent): full marks at or above the target, proportionally less below it.

    Seed 004 (1.6.2): "对帮办代办工作进行满意度测评，对满意度不足95%的按比例进行扣分（0.05分）。"
    The seed does not give the proportion, so the formula is a rubric setting (docs/rubrics/rudong-2021.md §3):
    - ``target_proportional`` (default): points = max × min(1, rate ÷ target) — the deduction is in proportion
      to the shortfall from the target, with no jump at the target (93.5% → 0.05 × 93.5 ÷ 95 = 0.0492);
    - ``proportional``: points = max at or above the target, else max × rate ÷ 100.
    "不足95%" is strictly below: exactly 95% earns full marks. A unit without a survey (未测评) enters 0.
    A rate in (0, 1] is accepted but flagged as a probable fraction (0.935 typed for 93.5%).
    """

    type = "ratio"
    item: str = "满意度"
    target: float
    formula: Literal["target_proportional", "proportional"] = "target_proportional"
    lo: float = 0
    hi: float = 100
    unit: str = "%"

    def items(self, ind):
        return [ItemSpec(self.item, "number", lo=self.lo, hi=self.hi,
                         hint=f"{fmt_points(self.lo)}–{fmt_points(self.hi)}（{self.unit}）")]

    def warnings(self, rows, ind, ctx=DEFAULT_CONTEXT) -> list[Problem]:
        """A rate in (0, 1] is probably a fraction typed for a percent (0.935 for 93.5%): shown, not blocking."""
        odd = rows[(rows["item"] == self.item) & (rows["num"] > 0) & (rows["num"] <= 1)]
        return [Problem(line, f"{entity} 指标 {ind.code} 的{self.item}为 {value}{self.unit}，是否把百分数填成了小数？"
                              f"应填如 93.5 (a rate ≤ 1 looks like a fraction; enter a percent)", "warning")
                for line, entity, value in zip(odd["line"], odd["entity"], odd["value"])]

    def fraction(self, rate: Q) -> Q:
        """The share of the maximum a rate earns, in [0, 1] (exact)."""
        if self.formula == "target_proportional":
            return (rate / frac(self.target)).minimum(1)
        return (rate / 100).where(rate < frac(self.target), 1)

    def score(self, rows, units, ind, ctx=DEFAULT_CONTEXT):
        rate = item_q(rows, units, self.item, ctx)
        points = self.fraction(rate) * frac(ind.max)
        reason = None
        if ctx.reasons:
            lost = frac(ind.max) - points
            how = ("÷" + fmt_points(self.target)) if self.formula == "target_proportional" else "%"
            text = (self.item + num_text(rate) + self.unit + "，不足" + fmt_points(self.target) + self.unit + "，按"
                    + num_text(rate) + how + "比例得" + num_text(points) + "分 −" + num_text(lost))
            reason = fragment(lost.positive(), text)
        return RuleResult(points, reason)

    def describe(self, ind):
        target = f"{fmt_points(self.target)}{self.unit}"
        if self.formula == "target_proportional":
            rule = f"按{self.item}÷{target}的比例得分"
        else:
            rule = f"按{self.item}本身的比例得分"
        return (f"{self.item}达到{target}及以上得满分{fmt_points(ind.max)}分；不足{target}的，{rule}"
                f"（即满分×{self.item}÷{target if self.formula == 'target_proportional' else '100%'}）；"
                f"未测评的填0，得0分。")
