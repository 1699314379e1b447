"""Rule types that read one or two single-valued items: tier, award, judged, direct."""
from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.exact import fmt_points
from scoring.rules.base import UNIT_KEYS, ItemSpec, Rule, fragment, item_value, num_text, register


@register
class Tier(Rule):
    """A label earns fixed points.

    Seed 002 (1.1): "按照标杆型、标准型、基础型三档统筹推进便民服务中心标准化建设,经验收达到标杆型得 10 分,
    标准型得 6 分, 达不到标准型不得分。"
    """

    type = "tier"
    levels: dict[str, float]
    item: str = ""

    def items(self, ind):
        return [ItemSpec(self.item, "label", labels=tuple(self.levels), hint="／".join(self.levels))]

    def score(self, rows, units, ind, ctx=None):
        sel = rows.loc[rows["item"] == self.item, ["period", "entity", "value"]]
        merged = units[UNIT_KEYS].merge(sel, on=UNIT_KEYS, how="left")
        label = merged["value"].fillna("").astype(str).str.strip()
        points = label.map(self.levels).fillna(0.0).to_numpy(dtype="float64")
        lost = ind.max - points
        reason = fragment(lost > 0, label + "，得" + num_text(points) + "分 −" + num_text(lost))
        return pd.DataFrame({"points": points, "reason": reason}, index=units.index)

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

    def score(self, rows, units, ind, ctx=None):
        flag = item_value(rows, units, self.base_item)
        n = item_value(rows, units, self.unit_item)
        raw = self.base_points * flag + self.unit_points * n
        points = np.minimum(float(ind.max), raw)
        lost = ind.max - points
        flag_txt = pd.Series(np.where(flag > 0, "是", "否"))
        text = (
            self.base_item + flag_txt + "，" + self.unit_item + " " + num_text(n)
            + "，得" + num_text(points) + "分 −" + num_text(lost)
        )
        return pd.DataFrame({"points": points, "reason": fragment(lost > 0, text)}, index=units.index)

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

    def score(self, rows, units, ind, ctx=None):
        d = item_value(rows, units, self.item)
        points = np.maximum(0.0, ind.max - d)
        reason = fragment(d > 0, self.item + " −" + num_text(d))
        return pd.DataFrame({"points": points, "reason": reason}, index=units.index)

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

    def score(self, rows, units, ind, ctx=None):
        v = item_value(rows, units, self.item)
        lost = ind.max - v
        reason = fragment(lost > 0, "得" + num_text(v) + "分 −" + num_text(lost))
        return pd.DataFrame({"points": v, "reason": reason}, index=units.index)

    def describe(self, ind):
        return f"直接录入得分（{fmt_points(self.lo)}–{fmt_points(self.hi)}分）。"
