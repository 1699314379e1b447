"""Read model of the payout page (schemes with ``payout`` in their rubric, e.g. Haikou): contract-year means
over the rubric's month windows, the payout band and money, the months, and what lost points cost.

The arithmetic is done by :mod:`scoring.payout`; this module returns display-ready frames, sentences and labels
with Chinese wording, so the page only lays them out. A scheme without ``payout`` gets ``None``, and the page
says so.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from queries.store import Store, contracts
from queries.trends import indicators, totals
from scoring.payout import ContractTerms, contract_years, lost_point_costs, payout_table, window_price


def _money(values) -> list[float]:
    return [float(v) for v in values]


@dataclass(frozen=True)
class PayoutWindow:
    """One contract year the office enters figures for: its id, its name, the price the rubric states, and the
    terms stored for it (``flagboard contract`` or the payout page; audited), with a sentence saying what counts."""

    id: str
    name: str
    default_price: float
    stored: ContractTerms = ContractTerms()
    in_use: str = ""  # "中标价 11,265,500.00 元（细则默认）；鉴定：未录入，不扣除"


@dataclass(frozen=True)
class PayoutTerms:
    """The payout rule in sentences and the contract years to enter a price and a shortfall for."""

    rule: str  # the bands and the money formula, one sentence
    price_note: str
    shortfall_note: str
    windows: tuple[PayoutWindow, ...]


def payout_terms(store: Store, scheme: str) -> PayoutTerms | None:
    """The payout rule of a scheme as the page states it, with each contract year's price from the rubric."""
    rubric = store.rubric(scheme)
    payout = rubric.payout
    if payout is None or not rubric.windows:
        return None
    rule = (f"合同年度得分 = 统计周期内各月考核得分的平均数；付款档次：{'；'.join(b.label for b in payout.bands)}。"
            f"绩效考核金额 = 中标价 × {payout.pot_share:.0%} × 考核系数，"
            f"鉴定每差一人扣 中标价 × {payout.pot_share:.0%} × {payout.shortfall_rate:.1%}。")
    with store.reading() as cur:
        stored = contracts.terms(cur, scheme)
    windows = tuple(PayoutWindow(w.id, w.name or w.id, float(window_price(w, payout)), stored.get(w.id, ContractTerms()),
                                 _in_use(stored.get(w.id, ContractTerms()), float(window_price(w, payout)), payout))
                    for w in rubric.windows)
    return PayoutTerms(rule, payout.price_note, payout.shortfall_note, windows)


def entered_terms(price: float, target: int, certified: int, stored: ContractTerms) -> ContractTerms:
    """The terms a form entered: the price as typed; the certification counts only when either is not 0 (0 and
    0 means "not entered": no deduction); the staff count kept as stored."""
    counted = bool(target or certified)
    return ContractTerms(float(price), int(target) if counted else None, int(certified) if counted else None,
                         stored.staff)


def _in_use(terms: ContractTerms, default_price: float, payout) -> str:
    """What the money of one contract year is computed with, in words."""
    price = (f"中标价 {terms.price:,.2f} 元（已录入）" if terms.price is not None
             else f"中标价 {default_price:,.2f} 元（细则默认，未录入）")
    if terms.certified is None:
        return f"{price}；鉴定人数未录入，不扣除"
    basis = f"应鉴定 {terms.target} 人" if terms.target is not None else f"人员 {terms.staff} 人"
    return f"{price}；{basis}、通过 {terms.certified} 人，按细则计未达标 {terms.short(payout)} 人"


@dataclass(frozen=True)
class PayoutView:
    """The payout page: one row per contract year (money), the months, and what lost points cost."""

    entities: tuple[str, ...]
    years: pd.DataFrame  # 合同年度, 单位, 已考核月数, 应考核月数, 缺考月份, 年度均分, 支付档次, 中标价, …, 绩效考核金额
    months: pd.DataFrame  # 月份, 单位, 合同年度, 月度得分
    costs: dict[tuple[str, str], pd.DataFrame]  # (window, entity) → 指标, 名称, 失分合计, 对均分影响, …, 少得金额
    cost_labels: dict[tuple[str, str], str]  # (window, entity) → "第一年 · 海口政务大厅" for the picker
    bands: tuple[tuple[float, str], ...]  # (min, label) for the chart's reference lines
    negative: tuple[str, ...]  # contract years whose net is negative (the office must settle)
    incomplete: tuple[str, ...]  # contract years with months not assessed yet: "第二年缺 3 个月"


def payout_view(store: Store, scheme: str) -> PayoutView | None:
    """Contract-year means over the rubric's month windows, bands and money, with each contract year's stored
    terms (price and certification counts; the rubric's default price and no deduction where none are stored)."""
    rubric = store.rubric(scheme)
    if rubric.payout is None or not rubric.windows:
        return None
    with store.reading() as cur:
        stored = contracts.terms(cur, scheme)
    prices_d = {w: t.price for w, t in stored.items() if t.price is not None}
    shorts_d = {w: t.short(rubric.payout) for w, t in stored.items()}
    finals = totals(store, scheme)[["period", "entity", "final"]]
    years = contract_years(finals, rubric.windows)
    money = payout_table(years, rubric.windows, rubric.payout, terms=stored)
    names = {w.id: w.name or w.id for w in rubric.windows}
    table = pd.DataFrame({
        "合同年度": money["window"].map(names), "单位": money["entity"], "已考核月数": money["n_months"],
        "应考核月数": money["n_expected"], "缺考月份": years["missing"].to_numpy(), "年度均分": money["mean"],
        "支付档次": money["band"], "中标价（元）": _money(money["price"]), "绩效考核金额池（元）": _money(money["pot"]),
        "按档次应付（元）": _money(money["band_amount"]), "鉴定未达标人数": money["short_persons"],
        "鉴定扣除（元）": _money(money["deduction"]), "实付绩效考核金额（元）": _money(money["net"])})
    window_name = {m: names[w.id] for w in rubric.windows for m in w.months()}
    months = finals.assign(合同年度=finals["period"].map(window_name).fillna("（不在任何合同年度）"))
    months = months.rename(columns={"period": "月份", "entity": "单位", "final": "月度得分"})
    months = months[["月份", "单位", "合同年度", "月度得分"]].sort_values(["单位", "月份"]).reset_index(drop=True)
    lost = indicators(store, scheme)[["period", "entity", "indicator", "lost"]]
    ind_names = {i.code: i.name for i in rubric.indicators}
    costs = {}
    for window in rubric.windows:
        for entity in sorted(years.loc[years["window"] == window.id, "entity"]):
            short = int(shorts_d.get(window.id, 0))
            c = lost_point_costs(lost, years, window, entity, rubric.payout, window_price(window, rubric.payout,
                                                                                           prices_d), short)
            costs[(window.id, entity)] = pd.DataFrame({
                "指标": c["indicator"], "名称": c["indicator"].map(ind_names), "失分合计": c["lost"],
                "对年度均分的影响": c["mean_effect"], "若未失分的档次": c["band_if_kept"],
                "少得金额（元）": _money(c["cost"])})
    labels = {(w, e): f"{names[w]} · {e}" for w, e in costs}
    bands = tuple((float(b.min), b.label) for b in rubric.payout.bands if b.min is not None)
    negative = tuple(names[w] for w, n in zip(money["window"], money["net"]) if n < 0)
    short = money[money["n_months"] < money["n_expected"]]
    incomplete = tuple(f"{names[w]}缺 {int(want - got)} 个月"
                       for w, got, want in zip(short["window"], short["n_months"], short["n_expected"]))
    return PayoutView(tuple(sorted(finals["entity"].unique())), table, months, costs, labels, bands, negative,
                      incomplete)


PAYOUT_COLUMNS = ["window", "entity", "months", "mean", "band", "rate", "price", "base_amount", "certified", "target",
                  "shortfall", "deduction", "payout"]


@dataclass(frozen=True)
class PayoutFile:
    """The payout of contract years as the CLI writes it (``PAYOUT_COLUMNS``), and the warnings of readings that
    decided an amount (a net floored at 0)."""

    table: pd.DataFrame
    warnings: tuple[str, ...]


def payout_rows(finals: pd.DataFrame, rubric, terms: dict, window: str | None = None) -> PayoutFile:
    """Per contract year × unit from monthly finals (period, entity, final) and the stored contract terms; one
    contract year when ``window`` is given (its id as the rubric names it, e.g. 第一年)."""
    windows = [w for w in rubric.windows if window is None or w.id == window]
    if window is not None and not windows:
        raise ValueError(f"细则 {rubric.id} 没有合同年度 “{window}”；可填：{'、'.join(w.id for w in rubric.windows)} "
                         f"(unknown contract year)")
    years = contract_years(finals, windows)
    money = payout_table(years, windows, rubric.payout, terms=terms)
    table = pd.DataFrame({
        "window": money["window"], "entity": money["entity"], "months": money["n_months"], "mean": money["mean"],
        "band": money["band"], "rate": money["rate"], "price": money["price"], "base_amount": money["band_amount"],
        "certified": money["certified"].astype("Int64"), "target": money["target"].astype("Int64"),
        "shortfall": money["short_persons"], "deduction": money["deduction"], "payout": money["net"]})
    reading = "扣除从绩效考核金额中扣，净额最低为0（读法 A20，payout.floor_at_zero）"
    warnings = tuple(f"{w} {e}：鉴定扣除 {d} 元超过按档次应付 {b} 元，{reading} (net floored at 0)"
                     for w, e, d, b, f in zip(money["window"], money["entity"], money["deduction"],
                                              money["band_amount"], money["floored"]) if f)
    return PayoutFile(table[PAYOUT_COLUMNS], warnings)


def stored_payout(store: Store, scheme: str, window: str | None = None) -> PayoutFile:
    """:func:`payout_rows` from the store's monthly finals and its stored contract terms."""
    rubric = store.rubric(scheme)
    with store.reading() as cur:
        stored_terms = contracts.terms(cur, scheme)
    return payout_rows(totals(store, scheme)[["period", "entity", "final"]], rubric, stored_terms, window)
