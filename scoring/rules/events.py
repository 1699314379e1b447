"""Bonus and penalty events by level, with one-event-per-ref merging and a cap."""
from __future__ import annotations


import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel, ConfigDict

from scoring.exact import fmt_points, fmt_points_many
from scoring.problems import Problem
from scoring.rules.base import (ItemSpec, Rule, distinct_text, register, text_codes, text_order,
                                unit_positions)


class JudgedEvent(BaseModel):
    """Each row is one occurrence whose value is the points decided within [lo, hi] (视情况扣1-3分)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    item: str = "酌情扣分"
    lo: float
    hi: float


class Posts(BaseModel):
    """A post earns ``base``, plus ``step`` per full ``per`` reads, the extra capped at ``extra_max``.

    Seed 002 (8.3): "在“淄博行政审批服务”微信公众号每发布一篇信息得 1 分；单篇阅读量每过 1000 人次加 0.1 分，最多加 1 分。"
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    item: str = "公众号"
    base: float
    per: float
    step: float
    extra_max: float


@register
class Events(Rule):
    """Per-level points for each event, capped.

    Seed 002 (8.1): "国家级每件加5分，省级每件加3分，市级每件加2分，被市行政审批服务局认定推广的加1.5分，被区行政审批
    服务局认定推广的加1分。同一件事涉及多层级的，按最高分值加分。最高加10分。"
    Seed 002 (8.4): "视情况扣1-3分；工作不落实、不到位被省级及以上通报的，每次扣3分，被市级通报的，每次扣2分，
    被市行政审批服务局通报的，每次扣1分。最高扣10分。"
    Seed 001 (加分项): "…国家作为典型经验在全国推广的，每项加5分；…省政府…每项加3分；承担省级试点工作的…每项加1分。
    加满为止。" (cap 5). Seed 003 (7. 加减分项): "每项加 1 分" … "每项减 5 分", capped at the section's 5 points.

    A level row's value is a count (empty = 1). With ``merge_by_ref`` (bonuses: 相同内容不重复加分), rows that
    share a non-empty ``ref`` are one event worth its highest-scoring row, and a level row with a ref must
    have value 1. Penalties are never merged (每次扣). ``points`` are returned as a magnitude; the
    indicator's kind (bonus/penalty) gives the sign.
    """

    type = "events"
    levels: dict[str, float] = {}
    judged: JudgedEvent | None = None
    posts: Posts | None = None
    cap: float
    merge_by_ref: bool = True
    unit_word: str = "件"

    def items(self, ind):
        specs = [ItemSpec(level, "count", required=False, multi=True, empty_means=1.0, hint="件数（空=1）")
                 for level in self.levels]
        if self.judged:
            specs.append(ItemSpec(self.judged.item, "number", required=False, multi=True, lo=self.judged.lo,
                                  hi=self.judged.hi,
                                  hint=f"每次 {fmt_points(self.judged.lo)}–{fmt_points(self.judged.hi)} 分"))
        if self.posts:
            specs.append(ItemSpec(self.posts.item, "count", required=False, multi=True, hint="单篇阅读量"))
        return specs

    def max_points(self, ind):
        return float(self.cap)

    def check(self, rows, ind):
        problems: list[Problem] = []
        if not self.merge_by_ref or len(rows) == 0:
            return problems
        level_rows = rows[rows["item"].isin(list(self.levels)) & (rows["ref"] != "")]
        bad = level_rows[level_rows["num"] != 1]
        for line, item, value in zip(bad["line"], bad["item"], bad["value"]):
            problems.append(Problem(line, f"指标 {ind.code} 的 {item} 行填写了 ref（同一事项），value 必须为 1，"
                                          f"实际为 “{value}” (a level row with a ref must have value 1)"))
        return problems

    def warnings(self, rows, ind) -> list[Problem]:
        """Identical event rows without ref: counted twice as the rule says, but flagged for a clerk."""
        if len(rows) == 0:
            return []
        plain = rows[rows["ref"] == ""]
        dup = plain[plain.duplicated(["period", "entity", "item", "value"], keep="first")]
        return [Problem(line, f"{period} {entity} 指标 {ind.code} 有与前面完全相同的 {item}={value} 行，已按两次计入；"
                              f"请核对是否重复录入 (possible double entry)", "warning")
                for line, period, entity, item, value in
                zip(dup["line"], dup["period"], dup["entity"], dup["item"], dup["value"])]

    def row_points(self, rows: pd.DataFrame) -> np.ndarray:
        """Points of each row: level × count, a judged row's own value, or a post's points from its reads."""
        code, items = text_codes(rows["item"]) if len(rows) else (np.zeros(0, dtype="int64"), np.array([]))
        num = rows["num"].to_numpy(dtype="float64")
        pts = np.array([self.levels.get(i, np.nan) for i in items], dtype="float64")[code] * num
        if self.judged:
            pts = np.where((items == self.judged.item)[code], num, pts)
        if self.posts:
            p = self.posts
            extra = np.minimum(p.extra_max, p.step * np.floor(num / p.per))
            pts = np.where((items == p.item)[code], p.base + extra, pts)
        return np.nan_to_num(pts)

    def score(self, rows, units, ind, ctx=None):
        if len(rows) == 0:
            return pd.DataFrame({"points": np.zeros(len(units)), "reason": np.array([""] * len(units), dtype=object)},
                                index=units.index)
        pos = unit_positions(rows, units)
        pts = self.row_points(rows)
        merged = np.zeros(len(rows), dtype=bool)
        # a canonical order that never depends on the input's row order: points (high first), item, value, ref
        canon = np.lexsort((text_order(rows["ref"]), rows["num"].to_numpy(dtype="float64"),
                            text_order(rows["item"]), -pts))
        keep = canon
        if self.merge_by_ref:
            # one event per (unit, ref); a row without ref is an event of its own
            key = np.arange(len(rows), dtype="int64")
            with_ref = (rows["ref"] != "").to_numpy(dtype=bool)
            if with_ref.any():
                same = pd.MultiIndex.from_arrays([pos[with_ref], rows["ref"].to_numpy(dtype=object)[with_ref]])
                key[with_ref] = len(rows) + pd.factorize(same)[0]
            merged = with_ref & (np.bincount(key)[key] > 1)
            keep = canon[np.sort(np.unique(key[canon], return_index=True)[1])]  # each event's best row
        keep = keep[pos[keep] >= 0]
        sign = "−" if ind.kind == "penalty" else "+"
        text = _event_text(rows, keep, pts, merged, self, sign)
        raw = np.zeros(len(units))
        summed = pd.Series(pts[keep]).groupby(pos[keep], sort=True).sum()  # compensated, in row order
        raw[summed.index.to_numpy()] = summed.to_numpy()
        points = np.minimum(float(self.cap), raw)

        def tail(points, over, earned):
            total = np.where(earned, "，合计" + sign + fmt_points_many(points), "")
            return total.astype(object) + np.where(over, f"（合计超过上限，按{fmt_points(self.cap)}分计）", "")

        reason = pc.binary_join_element_wise(_join_per_unit(pos[keep], text, len(units)),
                                             _arrow(distinct_text(tail, points, raw > self.cap, raw > 0)), "")
        return pd.DataFrame({"points": points, "reason": pd.array(reason, dtype="str")}, index=units.index)

    def describe(self, ind):
        verb = "扣" if ind.kind == "penalty" else "加"
        parts = [f"{level}每{self.unit_word}{verb}{fmt_points(p)}分" for level, p in self.levels.items()]
        if self.judged:
            parts.insert(0, f"视情况每次{verb}{fmt_points(self.judged.lo)}-{fmt_points(self.judged.hi)}分")
        if self.posts:
            p = self.posts
            parts.append(f"{p.item}每篇{verb}{fmt_points(p.base)}分，单篇阅读量每过{fmt_points(p.per)}人次"
                         f"再{verb}{fmt_points(p.step)}分，最多{verb}{fmt_points(p.extra_max)}分")
        tail = "同一事项涉及多个层级的按最高分值计，" if self.merge_by_ref else "每次分别计，"
        return "；".join(parts) + f"。{tail}最高{verb}{fmt_points(self.cap)}分。"


def _event_text(rows: pd.DataFrame, keep: np.ndarray, pts: np.ndarray, merged: np.ndarray, rule: Events,
                sign: str) -> pd.Categorical:
    """"国家级 1件 +5" for each kept row, in ``keep`` order (built once per distinct row)."""

    def build(item, num, pts, merged):
        num = fmt_points_many(num)
        count_text = item + " " + num + rule.unit_word
        if rule.judged:
            count_text = np.where(item == rule.judged.item, item, count_text)
        if rule.posts:
            count_text = np.where(item == rule.posts.item, item + "（阅读" + num + "）", count_text)
        ref_text = np.where(merged, "（同一事项按最高分值）", "")
        return (count_text + ref_text + " " + sign + fmt_points_many(pts)).astype(object)

    code, items = text_codes(rows["item"])
    return distinct_text(lambda c, num, pts, merged: build(items[c], num, pts, merged),
                         code[keep], rows["num"].to_numpy(dtype="float64")[keep], pts[keep], merged[keep])


def _arrow(texts: pd.Categorical) -> pa.Array:
    """A Categorical of texts as an Arrow string array (the distinct texts copied by index, in C)."""
    words = pa.array(np.asarray(texts.categories, dtype=object), type=pa.string())
    return pa.DictionaryArray.from_arrays(pa.array(texts.codes.astype("int32")), words).cast(pa.string())


def _join_per_unit(pos: np.ndarray, text: pd.Categorical, n_units: int, sep: str = "；") -> pa.Array:
    """Each unit's texts joined by ``sep`` in their given order ("" for a unit without any)."""
    order = np.argsort(pos, kind="stable")
    offsets = np.concatenate([[0], np.cumsum(np.bincount(pos, minlength=n_units))]).astype("int32")
    return pc.binary_join(pa.ListArray.from_arrays(pa.array(offsets), _arrow(text[order])), sep)
