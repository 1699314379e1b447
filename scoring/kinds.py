"""Item kinds: what a value cell may hold, each kind in one place (pandera-style).

Every observation item a rule reads has a kind. A kind bundles everything that follows from it: how its text is
read (exactly, :func:`scoring.exact.parse_decimal`), its check (with the message a clerk reads), the Chinese words
for what to type, the Excel data validation of a template cell, and a plausible demo value. Validation, the
template and the demo generator ask the kind; adding a kind touches this file only.

DESIGN.md: values are "a number, a count, ``1/0`` or ``是/否``, or a tier label".
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import ClassVar

import numpy as np

from scoring.exact import frac, fmt_points, parse_decimal

# bounds a district may change (settings of the intake; DESIGN "Bad input gets a clear message")
MAX_COUNT = 100_000  # a count of findings, stations or reads above this is a typing error
MAX_ABS = 10**9  # any other number


@dataclass(frozen=True)
class ItemSpec:
    """One observation item a rule reads.

    ``kind``: a name in :data:`KINDS` (count, place, flag, number, judged, label, measure).
    ``required``: every unit must have it (False for event items, which may be absent).
    ``multi``: the item may appear on several rows for one unit (events); otherwise a second row is a duplicate.
    ``group``: items sharing a group are alternatives ("名次" or "实绩"): exactly one is required, and all units of
    a period must use the same one. ``lo``/``hi``: bounds of a number (a judged deduction: 0 or within them).
    ``empty_means``: a value left empty is read as this number (event counts: 1). ``soft``: an upper bound that warns
    instead of refusing (a seed that gives no amount).
    """

    name: str
    kind: str
    required: bool = True
    multi: bool = False
    lo: float | None = None
    hi: float | None = None
    labels: tuple[str, ...] = ()
    group: str | None = None
    hint: str = ""
    empty_means: float | None = None
    soft: bool = False
    aliases: tuple[str, ...] = ()  # other names a file may use for this item (the seed's wording)

    @property
    def item_kind(self) -> "ItemKind":
        return kind_of(self.kind)

    def label(self, code: str) -> str:
        return f"指标 {code} 的 {self.name or '得分'}"


@dataclass(frozen=True)
class Verdict:
    """The check of one distinct value: its exact number (None for a label) and what is wrong ("" = nothing)."""

    value: Fraction | None
    error: str = ""
    warning: str = ""


class ItemKind:
    """Base of the kinds. ``read`` gives the exact value of a text and says what is wrong with it."""

    name: ClassVar[str] = ""
    words: ClassVar[str] = ""  # "非负整数 (a whole number ≥ 0)": what the cell must hold, in a message

    def read(self, text: str, spec: ItemSpec, where: str) -> Verdict:
        raise NotImplementedError

    def typing(self, spec: ItemSpec) -> str:
        """What to write in the value cell, in Chinese (template prompts and 说明)."""
        return f"数值（{spec.hint}）" if spec.hint else "数值"

    def excel(self, spec: ItemSpec) -> dict:
        """The Excel data validation of a template value cell (openpyxl ``DataValidation`` keyword arguments)."""
        return {}

    def demo(self, rng: np.random.Generator, spec: ItemSpec, quality: float, rate: float, award: bool) -> str | None:
        """A plausible demo value, better on average for a unit of higher ``quality``."""
        return None

    # shared reading of numbers
    def _number(self, text: str, spec: ItemSpec, where: str) -> Verdict | Fraction:
        """The exact number typed, or a Verdict with the error (empty, not a number, too large)."""
        if text == "" and spec.empty_means is not None:
            return frac(spec.empty_means)
        if text == "":
            return Verdict(None, f"{where} 的 value 为空，应填{self.words} (value is empty)")
        value = parse_decimal(text)
        if value is None:
            return Verdict(None, f"{where} 应为{self.words}，实际为 “{text}” (not a number)")
        if abs(value) > MAX_ABS:
            return Verdict(None, f"{where} 的数值 “{text}” 超出允许范围（绝对值不超过 {MAX_ABS:,}）(number too large)")
        return value


KINDS: dict[str, ItemKind] = {}


def register_kind(cls: type[ItemKind]) -> type[ItemKind]:
    """Class decorator: make an item kind available under ``cls.name``."""
    if cls.name in KINDS:
        raise ValueError(f"item kind {cls.name!r} registered twice")
    KINDS[cls.name] = cls()
    return cls


def kind_of(name: str) -> ItemKind:
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"unknown item kind {name!r}; the kinds are: {', '.join(sorted(KINDS))}") from None


def _short(v) -> str:
    return f"{float(v):.4f}".rstrip("0").rstrip(".")


@register_kind
class Count(ItemKind):
    """A whole number ≥ 0 (findings, stations, reads): "每缺1项扣1分", "每打造1个标杆型便民服务站加0.5分"."""

    name = "count"
    words = "非负整数 (a whole number ≥ 0)"
    low = 0

    def read(self, text, spec, where):
        value = self._number(text, spec, where)
        if isinstance(value, Verdict):
            return value
        lo = frac(spec.lo) if spec.lo is not None else Fraction(self.low)
        if value < lo or value.denominator != 1:
            what = "不能为负数" if value < 0 else ("不能有小数" if value.denominator != 1 else f"不能小于 {fmt_points(lo)}")
            return Verdict(None, f"{where} 应为整数且不小于 {fmt_points(lo)}，实际为 “{text}”，{what} "
                                 f"(must be a whole number ≥ {fmt_points(lo)})")
        if value > MAX_COUNT:
            return Verdict(None, f"{where} 为 “{text}”，超过上限 {MAX_COUNT:,}，请核对是否多打了数字 "
                                 f"(count above {MAX_COUNT:,})")
        return Verdict(value)

    def typing(self, spec):
        lo = fmt_points(spec.lo if spec.lo is not None else self.low)
        extra = "；空 = 1" if spec.empty_means is not None else ""
        return f"整数，不小于 {lo}（{spec.hint}）{extra}" if spec.hint else f"整数，不小于 {lo}{extra}"

    def excel(self, spec):
        return {"type": "whole", "operator": "between", "formula1": fmt_points(spec.lo if spec.lo is not None else
                                                                                self.low),
                "formula2": str(MAX_COUNT)}

    def demo(self, rng, spec, quality, rate, award):
        if award:
            return str(int(rng.integers(0, 9)))
        return str(int(rng.poisson(rate * max(0.2, 1.8 - 0.7 * quality))))


@register_kind
class Place(Count):
    """A place given by the responsible department: "第一名得8分，每递减一个名次扣0.5分" (1 = first).

    Whether the place fits the group (名次 ≤ number of units) is the rank rule's check: it needs every unit."""

    name = "place"
    words = "名次，1 为第一名 (a place, 1 = first)"
    low = 1

    def typing(self, spec):
        return "名次：整数，1 为第一名"

    def demo(self, rng, spec, quality, rate, award):
        return None  # demo data ranks by measure (实绩)


FLAG_WORDS = {"是": Fraction(1), "否": Fraction(0)}
AMBIGUOUS_FLAGS = ("有", "无", "没有")


@register_kind
class Flag(ItemKind):
    """Yes or no: 1/0 or 是/否 ("未设自助服务区": 1 = the area is missing). 有/无 is refused: for an item named
    after a shortcoming (未设…) a clerk who types 有 ("we have the area") would be deducted."""

    name = "flag"
    words = "1/0 或 是/否 (1/0, yes/no)"

    def read(self, text, spec, where):
        word = text.strip()
        if word in FLAG_WORDS:
            return Verdict(FLAG_WORDS[word])
        if word in AMBIGUOUS_FLAGS:
            name = spec.name or "该项"
            return Verdict(None, f"{where} 填了 “{word}”，意思不明确：请按“{name}”是否属实填 是 或 否（1 或 0）；"
                                 f"例如存在“{name}”的情况填 是 (有/无 is ambiguous: type 是/否 or 1/0)")
        value = parse_decimal(word) if word else None
        if value is not None and value in (0, 1):
            return Verdict(value)
        return Verdict(None, f"{where} 只能填 1/0 或 是/否，实际为 “{text}” (must be 1/0, 是/否)")

    def typing(self, spec):
        return "1 或 0（也可填 是／否）"

    def excel(self, spec):
        return {"type": "list", "formula1": '"1,0,是,否"'}

    def demo(self, rng, spec, quality, rate, award):
        p = 0.85 if award else rate * 0.3 / (1 + np.exp(quality))
        return "1" if rng.random() < p else "0"


@register_kind
class Number(ItemKind):
    """A number within [lo, hi]: a month's 好差评 score (0–100), a showcase score, a satisfaction rate.

    With ``soft`` bounds (a seed that gives no amount), a value outside them is read and warned about."""

    name = "number"
    words = "数字 (a number)"

    def read(self, text, spec, where):
        value = self._number(text, spec, where)
        if isinstance(value, Verdict):
            return value
        if self.inside(value, spec):
            return Verdict(value)
        rng = self.range_words(spec)
        if spec.soft and value > frac(spec.hi):  # a seed that gives no amount: read it, and say so
            return Verdict(value, warning=f"{where} 为 “{text}”，超过通常上限 {fmt_points(spec.hi)}（本地规则，原文未规定分值），"
                                          f"已按所填计入，请核对 (above the usual limit {fmt_points(spec.hi)}; counted)")
        return Verdict(None, f"{where} 应在 {rng} 之间，实际为 “{text}” (out of range {rng})")

    def inside(self, value: Fraction, spec: ItemSpec) -> bool:
        return frac(spec.lo) <= value <= frac(spec.hi)

    def range_words(self, spec: ItemSpec) -> str:
        return f"{fmt_points(spec.lo)}–{fmt_points(spec.hi)}"

    def typing(self, spec):
        return f"{fmt_points(spec.lo)}–{fmt_points(spec.hi)} 之间的数"

    def excel(self, spec):
        return {"type": "decimal", "operator": "between", "formula1": fmt_points(spec.lo),
                "formula2": fmt_points(spec.hi)}

    def demo(self, rng, spec, quality, rate, award):
        lo, hi = spec.lo or 0.0, spec.hi if spec.hi is not None else 100.0
        centre = lo + (hi - lo) * min(0.97, 0.86 + 0.04 * quality)
        v = np.clip(rng.normal(centre, (hi - lo) * 0.04), lo, hi)
        return _short(np.round(v * 2) / 2)


@register_kind
class Judged(Number):
    """A deduction decided by the assessor: 0, or within [lo, hi] ("视情扣2-4分")."""

    name = "judged"

    def inside(self, value, spec):
        return value == 0 or super().inside(value, spec)

    def range_words(self, spec):
        return f"0 或 {fmt_points(spec.lo)}–{fmt_points(spec.hi)}"

    def typing(self, spec):
        return f"0（不扣分）或 {fmt_points(spec.lo)}–{fmt_points(spec.hi)} 之间的扣分"

    def excel(self, spec):
        return {"type": "decimal", "operator": "between", "formula1": "0", "formula2": fmt_points(spec.hi)}

    def demo(self, rng, spec, quality, rate, award):
        if rng.random() < 0.3 + 0.1 * quality:
            return "0"
        return _short(rng.choice(np.arange(spec.lo, spec.hi + 1e-9, 0.5)))


@register_kind
class Measure(ItemKind):
    """A measure ranked within the group (实绩: a rate, a count), compared exactly as entered."""

    name = "measure"
    words = "数字 (a number)"

    def read(self, text, spec, where):
        value = self._number(text, spec, where)
        return value if isinstance(value, Verdict) else Verdict(value)

    def demo(self, rng, spec, quality, rate, award):
        return _short(np.round(rng.normal(50 + 12 * quality, 10)))  # coarse: ties happen, as in real counts


@register_kind
class Label(ItemKind):
    """A tier label ("标杆型得10分，标准型得6分")."""

    name = "label"
    words = "档次名称 (a tier label)"

    def read(self, text, spec, where):
        if text.strip() in spec.labels:
            return Verdict(None)
        return Verdict(None, f"{where} 应为 {'／'.join(spec.labels)} 之一，实际为 “{text}” (unknown tier label)")

    def typing(self, spec):
        return "以下之一：" + "／".join(spec.labels)

    def excel(self, spec):
        return {"type": "list"}  # the template points the list at a column of the labels

    def demo(self, rng, spec, quality, rate, award):
        labels = list(spec.labels)
        if rate < 1 and rng.random() >= rate:
            return labels[0]  # the best tier, unless a finding is drawn
        weights = np.linspace(1.0 + max(quality, 0), 1.0, len(labels))
        return str(rng.choice(labels, p=weights / weights.sum()))

