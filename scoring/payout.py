"""Contract years over fixed month windows, payout bands and the money they pay (Haikou 2023).

Seed 003 (一、项目概况 9): "每季度第一个月 10 日前提前支付本季服务费的 90%，剩余 10%作为年绩效考核金额。采购人根据
《服务质量考核表》对中标人按月度进行考核（考核成绩统计周期：第一年为 2023 年 1 月-2023 年 11 月的月平均分数；第二年为
2023 年 12 月-2024 年 11 月的月平均分数；第三年为 2024 年 12 月-2025 年 12 月的月平均分数），作为支付全年绩效考核金额的依据。"
Seed 003 (五 (二)): "考核分值依据下表进行分档 … 90≤X 100%；80≤X<90 85%；70≤X<80 70%；60≤X<70 50%；X<60 0%"
and "注：1. … 绩效考核金额=中标价*10%*考核系数。2. 服务期年度内行政办事员通过率未达到实质性条款要求的，未通过一人按
中标价*10%*0.5%扣除。"

Everything scheme-specific is rubric data (``windows``, ``payout``); this module only computes:
- :func:`contract_years`: the exact mean of the monthly finals inside each window (a Fraction, so a band is
  never decided by a float error; lower band bounds are inclusive, "80≤X<90");
- :func:`band_for` and :func:`payout_money`: the band, pot × rate, less the certification shortfall;
- :func:`lost_point_costs`: what the points lost on each indicator cost, as the money the contract year would
  have paid had they not been lost (a counterfactual, because the payout is banded, not linear).
The contract price (中标价) and the certification shortfall are inputs: the rubric carries a default price
(the seed's yearly budget, 最高限价, until the office enters the real 中标价) and each window may override it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pandas as pd
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from scoring.exact import round4

CENT = Decimal("0.01")


class Window(BaseModel):
    """A contract year: the months (``start``…``end``, inclusive, ``YYYY-MM``) whose mean is its score."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str = ""
    start: str
    end: str
    price: float | None = None  # this year's 中标价 (yuan); None = the payout's default price

    @model_validator(mode="after")
    def _ordered(self):
        for value in (self.start, self.end):
            if len(value) != 7 or value[4] != "-" or not (value[:4] + value[5:]).isdigit():
                raise ValueError(f"window {self.id!r}: month {value!r} must look like 2023-01")
        if self.start > self.end:
            raise ValueError(f"window {self.id!r}: start {self.start} is after end {self.end}")
        return self

    def describe(self) -> str:
        """The window as a Chinese sentence for the rubric page."""
        return f"{self.id}：{self.start}至{self.end}共{len(self.months())}个月的月度考核得分的平均分。"

    def months(self) -> list[str]:
        """Every month of the window, in order (2023-12, 2024-01, …)."""
        year, month = int(self.start[:4]), int(self.start[5:])
        out = []
        while f"{year:04d}-{month:02d}" <= self.end:
            out.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out


class Band(BaseModel):
    """Scores ≥ ``min`` (inclusive; None = everything below the other bands) pay ``rate`` of the pot."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min: float | None = None
    rate: float
    label: str = ""


class Payout(BaseModel):
    """The money rule: pot = price × ``pot_share``; pay pot × band rate, less pot × ``shortfall_rate`` a person."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pot_share: float
    bands: list[Band]
    shortfall_rate: float = 0.0
    # readings of "未通过一人按中标价*10%*0.5%扣除" (docs/rubrics/haikou-2023.md, A19/A20):
    shortfall_basis: Literal["target", "every_unpassed"] = "target"  # persons short of the target, or every
    #   person not passed (staff − passed)
    floor_at_zero: bool = True  # the deduction comes out of the 绩效考核金额: the net is never below 0
    price: float  # default 中标价 per contract year (yuan)
    price_note: str = ""
    shortfall_note: str = ""
    clause: str = ""

    def describe(self) -> str:
        """The payout rule as a Chinese sentence for the rubric page."""
        bands = "；".join(b.label for b in self.bands)
        text = f"合同年度均分分档付款：{bands}。绩效考核金额＝中标价×{self.pot_share:.0%}×考核系数"
        if self.shortfall_rate:
            text += f"；行政办事员鉴定每差一人，扣中标价×{self.pot_share:.0%}×{self.shortfall_rate:.1%}"
        return text + "。"

    @model_validator(mode="after")
    def _bands_descend(self):
        mins = [b.min for b in self.bands]
        if not mins or mins[-1] is not None or any(m is None for m in mins[:-1]):
            raise ValueError("payout bands: every band but the last needs a min; the last (min empty) catches the rest")
        if any(a <= b for a, b in zip(mins[:-2], mins[1:-1])):
            raise ValueError("payout bands must be listed from the highest min down")
        return self


@dataclass(frozen=True)
class Money:
    """One contract year's payout, in yuan (Decimal, to the cent, half-up)."""

    pot: Decimal
    rate: float
    band: str
    band_amount: Decimal
    deduction: Decimal
    net: Decimal
    floored: bool = False  # the net was below 0 and floored (the reading decided the amount)


def band_for(score: Fraction | float, payout: Payout) -> Band:
    """The band a contract-year score falls in; lower bounds are inclusive ("80≤X<90")."""
    exact = score if isinstance(score, Fraction) else Fraction(str(round4(score)))
    for band in payout.bands:
        if band.min is None or exact >= Fraction(str(band.min)):
            return band
    raise AssertionError("unreachable: the last band has no min")


def _yuan(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def payout_money(score: Fraction | float, price: float, short_persons: int, payout: Payout) -> Money:
    """绩效考核金额 = 中标价 × 10% × 考核系数, less 中标价 × 10% × 0.5% for each person short of certification.

    The deduction comes out of the 绩效考核金额, so the net is floored at 0 (``payout.floor_at_zero``, the default
    reading); with the setting off a negative net is shown for the office to settle.
    """
    band = band_for(score, payout)
    pot = Decimal(str(price)) * Decimal(str(payout.pot_share))
    band_amount = pot * Decimal(str(band.rate))
    deduction = pot * Decimal(str(payout.shortfall_rate)) * int(short_persons)
    net = _yuan(band_amount) - _yuan(deduction)
    floored = payout.floor_at_zero and net < 0
    return Money(pot=_yuan(pot), rate=band.rate, band=band.label, band_amount=_yuan(band_amount),
                 deduction=_yuan(deduction), net=Decimal("0.00") if floored else net, floored=floored)


def shortfall(payout: Payout, target: int, certified: int, staff: int | None = None) -> int:
    """Persons the certification deduction counts: short of the ``target`` (default reading), or every person of
    the ``staff`` who has not passed (``shortfall_basis: every_unpassed``)."""
    if payout.shortfall_basis == "every_unpassed":
        return max(0, int(staff if staff is not None else target) - int(certified))
    return max(0, int(target) - int(certified))


def year1_shortfall(staff: int, passed: int, share: float = 0.5) -> int:
    """Persons short of "在服务期第一年内 50%以上人员应通过 … 五级（初级工）鉴定": ⌈staff × share⌉ − passed, ≥ 0.

    "50%以上" includes 50% itself (以上 is inclusive in Chinese regulations), so 111 staff need 56.
    """
    required = math.ceil(Fraction(str(share)) * staff)
    return max(0, required - int(passed))


def window_of(month: str, windows: list[Window]) -> Window | None:
    for window in windows:
        if window.start <= month <= window.end:
            return window
    return None


def contract_years(monthly: pd.DataFrame, windows: list[Window]) -> pd.DataFrame:
    """Per window × entity: months scored, months expected, the exact mean of the monthly finals.

    ``monthly``: columns period (``YYYY-MM``), entity, final. Months outside every window are ignored.
    Returns columns window, name, entity, n_months, n_expected, missing (text), mean (float, 4 decimals)
    and mean_exact (Fraction, for banding).
    """
    rows = []
    for window in windows:
        months = window.months()
        part = monthly[monthly["period"].isin(months)]
        for entity, grp in part.groupby("entity", sort=True):
            values = [Fraction(str(round4(v))) for v in grp["final"]]
            mean = sum(values, Fraction(0)) / len(values)
            missing = [m for m in months if m not in set(grp["period"])]
            rows.append({"window": window.id, "name": window.name or window.id, "entity": entity,
                         "n_months": len(values), "n_expected": len(months), "missing": "、".join(missing),
                         "mean": round4(float(mean)), "mean_exact": mean})
    cols = ["window", "name", "entity", "n_months", "n_expected", "missing", "mean", "mean_exact"]
    return pd.DataFrame(rows, columns=cols)



def window_price(window: Window, payout: Payout, prices: dict[str, float] | None = None) -> float:
    """The 中标价 of a contract year: entered by the office, else the window's, else the payout's default."""
    given = (prices or {}).get(window.id)
    return float(given if given is not None else window.price if window.price is not None else payout.price)


@dataclass(frozen=True)
class ContractTerms:
    """What the monthly tables do not hold, per contract year, as the office enters them (stored and audited):
    the 中标价, the persons certification requires (``target``), those who passed (``certified``) and the staff
    (for ``shortfall_basis: every_unpassed``). None = not entered (the rubric's default price, no shortfall)."""

    price: float | None = None
    target: int | None = None
    certified: int | None = None
    staff: int | None = None

    def short(self, payout: Payout) -> int:
        """The persons the certification deduction counts (0 until the counts are entered)."""
        if self.certified is None or (self.target is None and self.staff is None):
            return 0
        return shortfall(payout, self.target if self.target is not None else 0, self.certified, self.staff)


def payout_table(years: pd.DataFrame, windows: list[Window], payout: Payout, prices: dict[str, float] | None = None,
                 shorts: dict[str, int] | None = None, terms: dict[str, ContractTerms] | None = None) -> pd.DataFrame:
    """Per contract year × entity: the mean, its band and the money (``years`` from :func:`contract_years`).

    ``terms`` maps a window id to its :class:`ContractTerms` (stored per contract year); ``prices`` and ``shorts``
    (a price and persons short given directly) override them. Missing: the default price and no shortfall.
    ``floored``: the net was below 0 and the reading ``floor_at_zero`` decided it.
    """
    by_id = {w.id: w for w in windows}
    rows = []
    for rec in years.itertuples(index=False):
        window = by_id[rec.window]
        term = (terms or {}).get(rec.window, ContractTerms())
        given = dict(prices or {})
        if term.price is not None:
            given.setdefault(rec.window, term.price)
        price = window_price(window, payout, given)
        short = int((shorts or {}).get(rec.window, term.short(payout)))
        money = payout_money(rec.mean_exact, price, short, payout)
        rows.append({"window": rec.window, "entity": rec.entity, "n_months": rec.n_months,
                     "n_expected": rec.n_expected, "mean": rec.mean, "band": money.band, "rate": money.rate,
                     "price": _yuan(Decimal(str(price))), "certified": term.certified, "target": term.target,
                     "short_persons": short, "pot": money.pot, "band_amount": money.band_amount,
                     "deduction": money.deduction, "net": money.net, "floored": money.floored})
    cols = ["window", "entity", "n_months", "n_expected", "mean", "band", "rate", "price", "certified", "target",
            "short_persons", "pot", "band_amount", "deduction", "net", "floored"]
    return pd.DataFrame(rows, columns=cols)


def lost_point_costs(lost: pd.DataFrame, years: pd.DataFrame, window: Window, entity: str, payout: Payout,
                     price: float, short_persons: int = 0) -> pd.DataFrame:
    """What the points lost on each indicator in one contract year cost.

    ``lost``: per period × entity × indicator, the points lost (``lost``; columns period, entity, indicator,
    lost). For each indicator: the points lost over the window's months, the effect on the year's mean
    (Σ lost / months scored), and the money the year would have paid had none of them been lost, minus
    what it pays. Sorted by cost, then by points lost, then by indicator code.
    """
    year = years[(years["window"] == window.id) & (years["entity"] == entity)]
    cols = ["indicator", "lost", "mean_effect", "band_if_kept", "net_if_kept", "cost"]
    if year.empty:
        return pd.DataFrame(columns=cols)
    mean = year["mean_exact"].iloc[0]
    n = int(year["n_months"].iloc[0])
    actual = payout_money(mean, price, short_persons, payout)
    part = lost[(lost["entity"] == entity) & lost["period"].isin(window.months())]
    rows = []
    for code, grp in part.groupby("indicator", sort=False):
        total = sum((Fraction(str(round4(v))) for v in grp["lost"]), Fraction(0))
        if total == 0:
            continue
        kept = payout_money(mean + total / n, price, short_persons, payout)
        rows.append({"indicator": code, "lost": round4(float(total)), "mean_effect": round4(float(total / n)),
                     "band_if_kept": kept.band, "net_if_kept": kept.net, "cost": kept.net - actual.net})
    out = pd.DataFrame(rows, columns=cols)
    out["_cost"] = out["cost"].astype(float)
    out = out.sort_values(["_cost", "lost", "indicator"], ascending=[False, False, True], kind="stable")
    return out.drop(columns="_cost").reset_index(drop=True)
