"""Deduct-until-zero checklists: max − Σ amount × count, never below 0."""
from __future__ import annotations

from fractions import Fraction
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from scoring.exact import Q, fmt_points, frac
from scoring.kinds import ItemSpec
from scoring.problems import Problem
from scoring.rules.base import DEFAULT_CONTEXT, Rule, RuleResult, register
from scoring.rules.values import distinct_text, fragment, item_q, join_reasons, num_text, same_text


class Deduction(BaseModel):
    """One named finding: ``amount`` points off per count (``kind: count``) or once (``kind: flag``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    item: str
    amount: float
    kind: Literal["count", "flag"] = "count"
    say: str = ""  # how a finding reads in a reason, e.g. "设备故障 {n} 次"; default "{item} {n}"
    clause: str = ""  # the seed's words for this finding
    warn_above: int | None = None  # a count above this is possible but unusual (七看 has 7 requirements): warned


@register
class Deduct(Rule):
    """Points off per finding, 扣完为止.

    Seed 002 (1.3): "设施设备不全的, 每缺 1 项扣 1 分, 扣完为止。"
    Seed 002 (4.1): "未按要求设置自助服务区的扣2分；设施设备不能正常运行的，发现1次扣1分，扣完为止。"
    Seed 002 (5.2): "制度不健全的扣1分，未建立工作台账的扣1分，制度落实不到位的，每发现1次扣1分，扣完为止。"
    Seed 001 (附件1 1.2): "未建立进驻事项负面清单并对外公布的，扣2分。 除特殊情形外，政务服务事项未做到“应进必进”，
    每事项扣0.5分，扣完为止。" (every Liaoning row floors at 0 on its own, written or not).
    Seed 004 (1.4.2): "不达要求，每发现一例扣0.002分。" (``amount: 0.002``).
    Seed 003 (表 1 注): "上述扣分及加分以各考核项目分值为上限。" — a 考核项目 is one indicator whose max is its 分值; the
    floor at 0 is the cap on its deductions.
    """

    type = "deduct"
    deductions: list[Deduction]

    def items(self, ind):
        return [ItemSpec(d.item, d.kind, hint="1/0 或 是/否" if d.kind == "flag" else "次数／个数")
                for d in self.deductions]

    def warnings(self, rows, ind, ctx=DEFAULT_CONTEXT) -> list[Problem]:
        """A count above a finding's ``warn_above`` ("违反“七看”…任意一条": at most 7 distinct requirements)."""
        problems = []
        for d in self.deductions:
            if d.warn_above is None:
                continue
            odd = rows[(rows["item"] == d.item).to_numpy(dtype=bool) & (rows["num"] > d.warn_above).to_numpy()]
            problems += [Problem(line, f"{entity} 指标 {ind.code} 的{d.item}为 {value}，超过 {d.warn_above}（通常最多 "
                                       f"{d.warn_above} 条），已按所填计分，请核对 (more than {d.warn_above}: check)",
                                 "warning")
                         for line, entity, value in zip(odd["line"], odd["entity"], odd["value"])]
        return problems

    def finding_amounts(self) -> dict[str, Fraction]:
        return {d.item: frac(d.amount) for d in self.deductions}

    def counts(self, rows, units, ctx) -> list[Q]:
        """Each deduction's count (or flag) per unit."""
        return [item_q(rows, units, d.item, ctx) for d in self.deductions]

    def score(self, rows, units, ind, ctx=DEFAULT_CONTEXT):
        counts = self.counts(rows, units, ctx)
        total = Q.zeros(len(units))
        for d, n in zip(self.deductions, counts):
            total = total + n * frac(d.amount)
        points = (frac(ind.max) - total).maximum(0)
        reason = None
        if ctx.reasons:
            reason = distinct_text(lambda over, *counts: self._reason(over, counts), total > frac(ind.max),
                                   *[n.to_float() for n in counts])
        return RuleResult(points, reason, raw=total)

    def _reason(self, over: np.ndarray, counts: list[np.ndarray]) -> np.ndarray:
        """"设备故障 3 次 −3；扣完为止" for each (distinct) combination of counts."""
        parts = []
        for d, n in zip(self.deductions, counts):
            off = d.amount * n
            if d.kind == "flag":
                said = same_text(d.say or d.item, len(n))
            else:
                said = _fill_n((d.say or "{item} {n}").replace("{item}", d.item), n)
            parts.append(fragment(off > 0, said + " −" + num_text(off)))
        parts.append(fragment(over, same_text("扣完为止", len(over))))
        return join_reasons(parts)

    def describe(self, ind):
        parts = []
        for d in self.deductions:
            if d.kind == "flag":
                parts.append(f"{d.item}扣{fmt_points(d.amount)}分")
            else:
                parts.append(f"{d.item}每1个扣{fmt_points(d.amount)}分")
        return "；".join(parts) + f"，扣完为止（满分{fmt_points(ind.max)}分）。"


def _fill_n(template: str, n: np.ndarray) -> np.ndarray:
    """Put each unit's count into ``template`` at ``{n}`` (vectorised)."""
    head, _, tail = template.partition("{n}")
    if not _:
        return same_text(template, len(n))
    return head + num_text(n) + tail
