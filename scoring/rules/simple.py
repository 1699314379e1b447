"""Rule types that read one or two single-valued items: tier, award, judged, direct."""
from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.exact import Q, fmt_points, frac
from scoring.kinds import ItemSpec
from scoring.rules.base import DEFAULT_CONTEXT, Judgement, Rule, RuleResult, register
from scoring.rules.values import by_unit, distinct_text, fragment, item_q, num_text


@register
class Tier(Rule):
    """A label earns fixed points.

    Seed 002 (1.1): "按照标杆型、标准型、基础型三档统筹推进便民服务中心标准化建设,经验收达到标杆型得 10 分,
    标准型得 6 分, 达不到标准型不得分。"
    Seed 004 (1.1.1 and 21 more): "…中心主体建筑显著位置悬挂“XX为民服务中心”或“XX行政审批局”标识牌（0.05分）；" —
    a checklist item is 达标 (its points) or 未达标 (0): ``levels: {达标: 0.05, 未达标: 0}``.
    """

    type = "tier"
    levels: dict[str, float]
    item: str = ""
    judged: bool = False  # the label is an assessor's judgement (robustness may move it among the labels)

    def judgements(self, ind):
        if not self.judged:
            return []
        order = sorted(self.levels, key=lambda label: -frac(self.levels[label]))
        return [Judgement(self.item, labels=tuple(order), better="high")]

    def items(self, ind):
        return [ItemSpec(self.item, "label", labels=tuple(self.levels), hint="／".join(self.levels))]

    def score(self, rows, units, ind, ctx=DEFAULT_CONTEXT):
        sel = (rows["item"] == self.item).to_numpy(dtype=bool)
        value = by_unit(rows, units, rows["value"].to_numpy(dtype=object), sel, fill="")
        label = pd.Series(value, dtype=object).astype(str).str.strip()
        codes, labels = pd.factorize(label.to_numpy(dtype=object))
        points = Q.from_codes(codes, [frac(self.levels.get(str(t), 0)) for t in labels])
        reason = None
        if ctx.reasons:
            lost = frac(ind.max) - points
            reason = distinct_text(lambda label, pts, lost: fragment(
                lost > 0, label + "，得" + num_text(pts) + "分 −" + num_text(lost)), label.to_numpy(dtype=object),
                points.to_float(), lost.to_float())
        return RuleResult(points, reason)

    def describe(self, ind):
        parts = "，".join(f"{k}得{fmt_points(v)}分" for k, v in self.levels.items())
        return f"按档次计分：{parts}。"


@register
class Award(Rule):
    """A base award if a condition holds, plus points per unit, up to the maximum.

    Seed 002 (1.2): "辖区内实现基础型便民服务站全覆盖得 3 分, 每打造 1 个标杆型便民服务站加 0.5 分, 加至满分为止。"
    """

    type = "award"
    base_item: str
    base_points: float
    unit_item: str
    unit_points: float
    unit_word: str = "个"

    def items(self, ind):
        return [
            ItemSpec(self.base_item, "flag", hint="1/0 或 是/否"),
            ItemSpec(self.unit_item, "count", hint="个数"),
        ]

    def score(self, rows, units, ind, ctx=DEFAULT_CONTEXT):
        flag = item_q(rows, units, self.base_item, ctx)
        n = item_q(rows, units, self.unit_item, ctx)
        raw = flag * frac(self.base_points) + n * frac(self.unit_points)
        points = raw.minimum(frac(ind.max))
        reason = None
        if ctx.reasons:
            lost = frac(ind.max) - points

            def text(flag, n, points, lost):
                flag_txt = np.where(flag > 0, "是", "否").astype(object)
                return fragment(lost > 0, self.base_item + flag_txt + "，" + self.unit_item + " " + num_text(n)
                                + "，得" + num_text(points) + "分 −" + num_text(lost))

            reason = distinct_text(text, flag.to_float(), n.to_float(), points.to_float(), lost.to_float())
        return RuleResult(points, reason, raw=raw)

    def describe(self, ind):
        return (
            f"{self.base_item}得{fmt_points(self.base_points)}分，每{self.unit_word}{self.unit_item.rstrip('数')}"
            f"加{fmt_points(self.unit_points)}分，加至满分{fmt_points(ind.max)}分为止。"
        )


@register
class Judged(Rule):
    """A discretionary deduction within a stated range (or none).

    Seed 002 (2.2): "人员培训、工作制度落实不到位的，视情扣2-4分。"
    The value is the deduction decided by the assessor: 0, or within [lo, hi]; outside is an error.
    """

    type = "judged"
    item: str = "酌情扣分"
    lo: float
    hi: float

    def items(self, ind):
        return [ItemSpec(self.item, "judged", lo=self.lo, hi=self.hi,
                         hint=f"0 或 {fmt_points(self.lo)}–{fmt_points(self.hi)}")]

    def score(self, rows, units, ind, ctx=DEFAULT_CONTEXT):
        d = item_q(rows, units, self.item, ctx)
        points = (frac(ind.max) - d).maximum(0)
        reason = None
        if ctx.reasons:
            reason = distinct_text(lambda d: fragment(d > 0, self.item + " −" + num_text(d)), d.to_float())
        return RuleResult(points, reason)

    def judgements(self, ind):
        return [Judgement(self.item, frac(self.lo), frac(self.hi), better="low", keep_zero=True)]

    def describe(self, ind):
        return f"视情扣{fmt_points(self.lo)}-{fmt_points(self.hi)}分（未扣则为0）。"


@register
class Direct(Rule):
    """A score given directly, within bounds.

    Seed 002 (三、结果运用): "得分由日常评估和风采展示两部分构成，其中日常评估占 70%，风采展示占 30%。"
    The 风采展示 score (0–100) is entered as it was given.
    """

    type = "direct"
    item: str = ""
    lo: float = 0
    hi: float = 100

    def items(self, ind):
        return [ItemSpec(self.item, "number", lo=self.lo, hi=self.hi,
                         hint=f"{fmt_points(self.lo)}–{fmt_points(self.hi)}")]

    def score(self, rows, units, ind, ctx=DEFAULT_CONTEXT):
        v = item_q(rows, units, self.item, ctx)
        reason = None
        if ctx.reasons:
            lost = frac(ind.max) - v
            reason = distinct_text(lambda v, lost: fragment(lost > 0, "得" + num_text(v) + "分 −" + num_text(lost)),
                                   v.to_float(), lost.to_float())
        return RuleResult(v, reason)

    def describe(self, ind):
        return f"直接录入得分（{fmt_points(self.lo)}–{fmt_points(self.hi)}分）。"
