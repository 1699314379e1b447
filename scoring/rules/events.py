"""Bonus and penalty events by level, with one-event-per-ref merging and a cap."""
from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel, ConfigDict

from scoring.codes import text_codes, text_order
from scoring.exact import Q, fmt_points, fmt_points_many, frac
from scoring.kinds import ItemSpec
from scoring.problems import Problem
from scoring.rules.base import DEFAULT_CONTEXT, Judgement, Rule, RuleResult, ScoreContext, register
from scoring.rules.rank import exact_order
from scoring.rules.values import distinct_text, row_q, unit_positions


class JudgedEvent(BaseModel):
    """Each row is one occurrence whose value is the points decided within [lo, hi] (视情况扣1-3分).

    ``soft``: the upper bound warns instead of refusing (a seed that gives no amount: Rudong's 特色亮点)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    item: str = "酌情扣分"
    lo: float
    hi: float
    soft: bool = False


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

    ``cap_mode`` is a reading where a seed can be read two ways: ``cap`` (the total is capped), ``none`` (no cap:
    every event counts) or ``soft`` (every event counts; a total above the cap is warned about). ``reading`` names
    the reading in force; when set, a warning says so wherever the reading decides an outcome (a raw total above
    the cap). ``labels`` gives a level the seed's wording where it differs from the item name in files (item
省级通报, shown 省级及以上通报); a file may use either.
    """

    type = "events"
    levels: dict[str, float] = {}
    judged: JudgedEvent | None = None
    posts: Posts | None = None
    cap: float
    cap_mode: Literal["cap", "none", "soft"] = "cap"
    reading: str = ""
    merge_by_ref: bool = True
    unit_word: str = "件"
    labels: dict[str, str] = {}  # a level's display label where it differs from its item name in files

    def items(self, ind):
        specs = [ItemSpec(level, "count", required=False, multi=True, empty_means=1.0, hint="件数（空=1）",
                          aliases=(self.labels[level],) if level in self.labels else ())
                 for level in self.levels]
        if self.judged:
            j = self.judged
            specs.append(ItemSpec(j.item, "number", required=False, multi=True, lo=j.lo, hi=j.hi, soft=j.soft,
                                  hint=f"每次 {fmt_points(j.lo)}–{fmt_points(j.hi)} 分"))
        if self.posts:
            specs.append(ItemSpec(self.posts.item, "count", required=False, multi=True, hint="单篇阅读量"))
        return specs

    def max_points(self, ind):
        return frac(self.cap)

    def judgements(self, ind):
        """Each 酌情扣分 (or judged bonus) row is one occurrence judged within [lo, hi]."""
        if not self.judged:
            return []
        j = self.judged
        return [Judgement(j.item, frac(j.lo), frac(j.hi), better="low" if ind.kind == "penalty" else "high")]

    def event_levels(self):
        return {level: frac(p) for level, p in self.levels.items()}

    def check(self, rows, ind, ctx=DEFAULT_CONTEXT):
        problems: list[Problem] = []
        if not self.merge_by_ref or len(rows) == 0:
            return problems
        suspect = (rows["item"].isin(list(self.levels)) & (rows["ref"] != "") & (rows["num"] != 1)).to_numpy(dtype=bool)
        if not suspect.any():
            return problems
        bad = rows[suspect]
        for line, item, value in zip(bad["line"], bad["item"], bad["value"]):
            problems.append(Problem(line, f"指标 {ind.code} 的 {item} 行填写了 ref（同一事项），value 必须为 1，"
                                          f"实际为 “{value}” (a level row with a ref must have value 1)"))
        return problems

    def warnings(self, rows, ind, ctx=DEFAULT_CONTEXT) -> list[Problem]:
        """Identical event rows without ref (the same item and the same number: "3.9" = "3.90", an empty count =
        1): counted twice as the rule says, but flagged for a clerk."""
        if len(rows) == 0:
            return []
        plain = np.flatnonzero((rows["ref"] == "").to_numpy(dtype=bool))
        if len(plain) < 2:
            return []
        key = np.zeros(len(plain), dtype="int64")
        for col in ("period", "entity", "item", "num"):
            values = rows[col]
            if isinstance(values.dtype, pd.CategoricalDtype):  # the engine's and validation's key columns
                codes, n = values.cat.codes.to_numpy()[plain].astype("int64"), len(values.cat.categories)
            else:
                codes, uniques = pd.factorize(values.to_numpy()[plain])
                n = len(uniques)
            key = key * (n + 1) + codes
        dup = plain[pd.Series(key).duplicated(keep="first").to_numpy()]
        if not len(dup):
            return []
        part = rows.iloc[dup]
        return [Problem(line, f"{period} {entity} 指标 {ind.code} 有与前面完全相同的 {item}={fmt_points(num)} 行，已按两次"
                              f"计入；请核对是否重复录入 (possible double entry)", "warning")
                for line, period, entity, item, num in
                zip(part["line"], part["period"], part["entity"], part["item"], part["num"])]

    def outcome_warnings(self, result, units, ind) -> list[Problem]:
        """Where the cap reading decided the points: a raw total above the cap."""
        if result.raw is None or not (self.reading or self.cap_mode == "soft"):
            return []
        over = result.raw > frac(self.cap)
        verb = "扣" if ind.kind == "penalty" else "加"
        counted = {"cap": f"按{fmt_points(self.cap)}分计", "none": "全部计入（不封顶）",
                   "soft": "全部计入（上限为本地规则，仅提醒）"}[self.cap_mode]
        raw = result.raw.to_float()
        return [Problem(f"{p} {e} 指标 {ind.code}",
                        f"{ind.name}合计{verb}{fmt_points(r)}分，超过{fmt_points(self.cap)}分上限，{counted}"
                        f"{'（读法：' + self.reading + '）' if self.reading else ''} (total above the cap)", "warning")
                for p, e, r in zip(units["period"].astype(str)[over], units["entity"].astype(str)[over], raw[over])]

    def row_points(self, rows: pd.DataFrame, ctx: ScoreContext = DEFAULT_CONTEXT) -> Q:
        """Exact points of each row: level × count, a judged row's own value, or a post's points from its reads."""
        code, items = text_codes(rows["item"]) if len(rows) else (np.zeros(0, dtype="int64"), np.array([]))
        num = row_q(rows, ctx, empty_means=1)
        per_level = Q.from_codes(code, [frac(self.levels.get(i, 0)) for i in items])
        pts = per_level * num
        if self.judged:
            pts = num.where((items == self.judged.item)[code], pts) if len(items) else pts
        if self.posts and len(items):
            p = self.posts
            extra = (Q(np.asarray((num / frac(p.per)).floor(), dtype="int64")) * frac(p.step)).minimum(
                frac(p.extra_max)) + frac(p.base)
            pts = extra.where((items == p.item)[code], pts)
        return pts

    def score(self, rows, units, ind, ctx=DEFAULT_CONTEXT):
        n_units = len(units)
        if len(rows) == 0:
            zero = Q.zeros(n_units)
            return RuleResult(zero, np.array([""] * n_units, dtype=object) if ctx.reasons else None, raw=zero)
        pos = unit_positions(rows, units)
        pts = self.row_points(rows, ctx)
        num = row_q(rows, ctx, empty_means=1)
        merged = np.zeros(len(rows), dtype=bool)
        # a canonical order that never depends on the input's row order: points (high first), item, value, ref
        canon = np.lexsort((text_order(rows["ref"]), exact_order(num), text_order(rows["item"]), -exact_order(pts)))
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
        raw = pts[keep].sum_by(pos[keep], n_units)
        points = raw if self.cap_mode != "cap" else raw.minimum(frac(self.cap))
        reason = None
        if ctx.reasons:
            sign = "−" if ind.kind == "penalty" else "+"
            text = _event_text(rows, keep, pts.to_float(), num.to_float(), merged, self, sign)
            over = raw > frac(self.cap)
            capped = over & (self.cap_mode == "cap")

            def tail(points, capped, earned):
                total = np.where(earned, "，合计" + sign + fmt_points_many(points), "")
                return total.astype(object) + np.where(capped, f"（合计超过上限，按{fmt_points(self.cap)}分计）", "")

            reason = pc.binary_join_element_wise(
                _join_per_unit(pos[keep], text, n_units),
                _arrow(distinct_text(tail, points.to_float(), capped, raw.positive())), "")
            reason = pd.array(reason, dtype="str")
        return RuleResult(points, reason, raw=raw)

    def demo_rows(self, rng, ind, quality, period, entity, rate):
        """A few events: posts with their reads, judged amounts, levels, and sometimes one matter at two levels."""
        rows = []
        bonus = ind.kind == "bonus"
        specs = self.items(ind)
        n = rng.poisson(rate * max(0.2, (0.9 + 0.3 * quality) if bonus else (0.7 - 0.3 * quality)))
        for k in range(int(n)):
            spec = specs[int(rng.integers(0, len(specs)))]
            ref = ""
            if self.posts and spec.name == self.posts.item:
                value = str(int(rng.choice([300, 800, 1200, 2500, 6000, 9999, 15000])))
                ref = f"稿-{entity}-{period}-{k}"
            elif spec.kind == "number":
                if spec.hi - spec.lo >= 1:
                    value = _short(rng.choice(np.arange(spec.lo, spec.hi + 1e-9, 1.0)))
                else:  # tiny schemes (Rudong's 额外加分 0–0.05): fifths of the range, each event its own ref
                    value = _short(rng.choice(np.linspace(spec.lo, spec.hi, 6)[1:]))
                    ref = f"事项-{entity}-{period}-{k}"
            else:
                value = "1"
            rows.append({"indicator": ind.code, "item": spec.name, "value": value, "ref": ref})
        levels = list(self.levels)
        if bonus and self.merge_by_ref and len(levels) >= 2 and rng.random() < 0.25:
            ref = f"事项-{entity}-{period}"
            for level in levels[:2]:
                rows.append({"indicator": ind.code, "item": level, "value": "1", "ref": ref})
        return rows

    def describe(self, ind):
        verb = "扣" if ind.kind == "penalty" else "加"
        parts = [f"{self.labels.get(level, level)}每{self.unit_word}{verb}{fmt_points(p)}分"
                 for level, p in self.levels.items()]
        if self.judged:
            parts.insert(0, f"视情况每次{verb}{fmt_points(self.judged.lo)}-{fmt_points(self.judged.hi)}分")
        if self.posts:
            p = self.posts
            parts.append(f"{p.item}每篇{verb}{fmt_points(p.base)}分，单篇阅读量每过{fmt_points(p.per)}人次"
                         f"再{verb}{fmt_points(p.step)}分，最多{verb}{fmt_points(p.extra_max)}分")
        tail = "同一事项涉及多个层级的按最高分值计，" if self.merge_by_ref else "每次分别计，"
        cap = {"cap": f"最高{verb}{fmt_points(self.cap)}分", "none": "不设上限",
               "soft": f"通常最高{verb}{fmt_points(self.cap)}分（超过时提醒）"}[self.cap_mode]
        return "；".join(parts) + f"。{tail}{cap}。"


def _short(v) -> str:
    return f"{float(v):.4f}".rstrip("0").rstrip(".")


def _event_text(rows: pd.DataFrame, keep: np.ndarray, pts: np.ndarray, num: np.ndarray, merged: np.ndarray,
                rule: Events, sign: str) -> pd.Categorical:
    """"国家级 1件 +5" for each kept row, in ``keep`` order (built once per distinct row)."""

    def build(item, num, pts, merged):
        num = fmt_points_many(num)
        shown = np.array([rule.labels.get(i, i) for i in item], dtype=object)
        count_text = shown + " " + num + rule.unit_word
        if rule.judged:
            count_text = np.where(item == rule.judged.item, item, count_text)
        if rule.posts:
            count_text = np.where(item == rule.posts.item, item + "（阅读" + num + "）", count_text)
        ref_text = np.where(merged, "（同一事项按最高分值）", "")
        return (count_text + ref_text + " " + sign + fmt_points_many(pts)).astype(object)

    code, items = text_codes(rows["item"])
    return distinct_text(lambda c, num, pts, merged: build(items[c], num, pts, merged),
                         code[keep], num[keep], pts[keep], merged[keep])


def _arrow(texts: pd.Categorical | np.ndarray) -> pa.Array:
    """Texts (a Categorical: the distinct texts copied by index, in C; or an object array) as an Arrow string array."""
    if not isinstance(texts, pd.Categorical):
        return pa.array(np.asarray(texts, dtype=object), type=pa.string())
    words = pa.array(np.asarray(texts.categories, dtype=object), type=pa.string())
    return pa.DictionaryArray.from_arrays(pa.array(texts.codes.astype("int32")), words).cast(pa.string())


def _join_per_unit(pos: np.ndarray, text: pd.Categorical, n_units: int, sep: str = "；") -> pa.Array:
    """Each unit's texts joined by ``sep`` in their given order ("" for a unit without any)."""
    order = np.argsort(pos, kind="stable")
    offsets = np.concatenate([[0], np.cumsum(np.bincount(pos, minlength=n_units))]).astype("int32")
    return pc.binary_join(pa.ListArray.from_arrays(pa.array(offsets), _arrow(text[order])), sep)
