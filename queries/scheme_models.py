"""Read models of the scheme-specific pages: the payout view (contract years, money) and the phase comparison.

Each function takes a :class:`~queries.store.Store`, reads named queries and returns display-ready frames with
Chinese column names; the arithmetic is done by :mod:`scoring.payout` and :mod:`scoring.phases`. A scheme
without ``payout`` / ``phases`` in its rubric gets ``None``, and the page says so.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from queries.store import Store
from scoring.payout import contract_years, lost_point_costs, payout_table, window_price
from scoring.phases import compare_self_check, phase_of, rectification, rectification_summary, sort_periods, \
    split_period


def _money(values) -> list[float]:
    return [float(v) for v in values]


@dataclass(frozen=True)
class PayoutView:
    """The payout page: one row per contract year (money), the months, and what lost points cost."""

    entities: tuple[str, ...]
    years: pd.DataFrame  # 合同年度, 单位, 已考核月数, 应考核月数, 缺考月份, 年度均分, 支付档次, 中标价, …, 绩效考核金额
    months: pd.DataFrame  # 月份, 单位, 合同年度, 月度得分
    costs: dict[tuple[str, str], pd.DataFrame]  # (window, entity) → 指标, 名称, 失分合计, 对均分影响, …, 少得金额
    bands: tuple[tuple[float, str], ...]  # (min, label) for the chart's reference lines
    negative: tuple[str, ...]  # contract years whose net is negative (the office must settle)


def payout_view(store: Store, scheme: str, prices: tuple = (), shorts: tuple = ()) -> PayoutView | None:
    """Contract-year means over the rubric's month windows, bands and money; ``prices``/``shorts`` are
    ((window id, value), …) entered by the office (hashable, so the page can cache the result)."""
    rubric = store.rubric(scheme)
    if rubric.payout is None or not rubric.windows:
        return None
    prices_d, shorts_d = dict(prices), dict(shorts)
    totals = store.query("trend_totals", scheme=scheme)[["period", "entity", "final"]]
    years = contract_years(totals, rubric.windows)
    money = payout_table(years, rubric.windows, rubric.payout, prices_d, shorts_d)
    names = {w.id: w.name or w.id for w in rubric.windows}
    table = pd.DataFrame({
        "合同年度": money["window"].map(names), "单位": money["entity"], "已考核月数": money["n_months"],
        "应考核月数": money["n_expected"], "缺考月份": years["missing"].to_numpy(), "年度均分": money["mean"],
        "支付档次": money["band"], "中标价（元）": _money(money["price"]), "绩效考核金额池（元）": _money(money["pot"]),
        "按档次应付（元）": _money(money["band_amount"]), "鉴定未达标人数": money["short_persons"],
        "鉴定扣除（元）": _money(money["deduction"]), "实付绩效考核金额（元）": _money(money["net"])})
    window_name = {m: names[w.id] for w in rubric.windows for m in w.months()}
    months = totals.assign(合同年度=totals["period"].map(window_name).fillna("（不在任何合同年度）"))
    months = months.rename(columns={"period": "月份", "entity": "单位", "final": "月度得分"})
    months = months[["月份", "单位", "合同年度", "月度得分"]].sort_values(["单位", "月份"]).reset_index(drop=True)
    lost = store.query("trend_indicators", scheme=scheme)[["period", "entity", "indicator", "lost"]]
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
    bands = tuple((float(b.min), b.label) for b in rubric.payout.bands if b.min is not None)
    negative = tuple(names[w] for w, n in zip(money["window"], money["net"]) if n < 0)
    return PayoutView(tuple(sorted(totals["entity"].unique())), table, months, costs, bands, negative)


@dataclass(frozen=True)
class PhasesView:
    """The phase page for one unit: self-check vs unified assessment, and what the recheck found rectified."""

    record_period: str
    self_period: str | None
    recheck_period: str | None
    finals: pd.DataFrame  # 阶段, 期间, 总分, 名次
    self_check: pd.DataFrame | None  # per indicator: 自检得分, 统一考核得分, 差值, 判断
    rectification: pd.DataFrame | None  # per finding: 统一考核发现, 复检, 整改情况
    summary: dict | None


def phase_units(store: Store, scheme: str, period: str) -> list[str]:
    """Units with results in the period of record of ``period``'s year (the ones a phase page can show)."""
    rubric = store.rubric(scheme)
    record = split_period(rubric, period)[0]
    league = store.query("trend_totals", scheme=scheme)
    return sorted(league.loc[league["period"] == record, "entity"].unique())


def phases_view(store: Store, scheme: str, period: str, entity: str) -> PhasesView | None:
    """Compare a unit's phases in ``period``'s year; None when the scheme has no phases."""
    rubric = store.rubric(scheme)
    if not rubric.phases:
        return None
    base, _ = split_period(rubric, period)
    periods = set(store.query("periods", scheme=scheme)["period"])
    self_p = base + phase_of(rubric, "self_check").suffix if phase_of(rubric, "self_check") else None
    recheck_p = base + phase_of(rubric, "recheck").suffix if phase_of(rubric, "recheck") else None
    totals = store.query("trend_totals", scheme=scheme)
    mine = totals[(totals["entity"] == entity) & totals["period"].isin([base, self_p, recheck_p])]
    names = {p.role: p.name for p in rubric.phases}
    finals = pd.DataFrame({
        "阶段": [names[split_period(rubric, p)[1].role] for p in mine["period"]], "期间": mine["period"],
        "总分": mine["final"], "组内名次": mine["rank"]})
    order = sort_periods(rubric, list(finals["期间"]))
    finals = finals.set_index("期间").loc[order].reset_index()[["阶段", "期间", "总分", "组内名次"]]

    def detail(p: str) -> pd.DataFrame:
        return store.query("entity_detail", scheme=scheme, period=p, entity=entity)

    def obs(p: str) -> pd.DataFrame:
        return store.query("observations_of", scheme=scheme, period=p, entity=entity)

    has = set(mine["period"])
    self_table = None
    if self_p in periods and self_p in has and base in has:
        c = compare_self_check(detail(self_p), detail(base), rubric)
        self_table = pd.DataFrame({"指标": c["indicator"], "名称": c["name"], "满分": c["max"],
                                   "自检得分": c["self_points"], "统一考核得分": c["record_points"], "差值": c["gap"],
                                   "判断": c["verdict"], "统一考核失分原因": c["record_reason"]})
    rect, summary = None, None
    if recheck_p in periods and recheck_p in has and base in has:
        r = rectification(obs(base), obs(recheck_p), rubric)
        summary = rectification_summary(r)
        rect = pd.DataFrame({"指标": r["indicator"], "名称": r["name"], "问题": r["item"], "统一考核发现": r["found"],
                             "复检发现": r["recheck"], "整改情况": r["status"], "涉及分值": r["points_found"],
                             "仍未整改分值": r["points_open"]})
    return PhasesView(base, self_p if self_p in has else None, recheck_p if recheck_p in has else None, finals,
                      self_table, rect, summary)
