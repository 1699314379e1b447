"""Read model of the payout page (schemes with ``payout`` in their rubric, e.g. Haikou): contract-year means
over the rubric's month windows, the payout band and money, the months, and what lost points cost.

The arithmetic is done by :mod:`scoring.payout`; this module returns display-ready frames with Chinese column
names. A scheme without ``payout`` gets ``None``, and the page says so.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from queries.store import Store
from queries.trends import indicators, totals
from scoring.payout import contract_years, lost_point_costs, payout_table, window_price


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
    finals = totals(store, scheme)[["period", "entity", "final"]]
    years = contract_years(finals, rubric.windows)
    money = payout_table(years, rubric.windows, rubric.payout, prices_d, shorts_d)
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
    bands = tuple((float(b.min), b.label) for b in rubric.payout.bands if b.min is not None)
    negative = tuple(names[w] for w, n in zip(money["window"], money["net"]) if n < 0)
    return PayoutView(tuple(sorted(finals["entity"].unique())), table, months, costs, bands, negative)
