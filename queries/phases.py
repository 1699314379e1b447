"""Read model of the phase page (schemes assessed in phases, e.g. Liaoning: 自检, 统一考核, 复检): a unit's
self-check against the unified assessment, and what the recheck found rectified.

The comparison is done by :mod:`scoring.phases`; this module returns display-ready frames with Chinese
column names. A scheme without ``phases`` gets ``None``, and the page says so.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from queries.league import periods as result_periods
from queries.store import Store
from queries.trends import totals
from queries.unit import indicator_detail, stored_facts
from scoring.phases import compare_self_check, phase_of, rectification, rectification_summary, sort_periods, \
    split_period


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
    league = totals(store, scheme)
    return sorted(league.loc[league["period"] == record, "entity"].unique())


def phases_view(store: Store, scheme: str, period: str, entity: str) -> PhasesView | None:
    """Compare a unit's phases in ``period``'s year; None when the scheme has no phases."""
    rubric = store.rubric(scheme)
    if not rubric.phases:
        return None
    base, _ = split_period(rubric, period)
    periods = set(result_periods(store, scheme))
    self_p = base + phase_of(rubric, "self_check").suffix if phase_of(rubric, "self_check") else None
    recheck_p = base + phase_of(rubric, "recheck").suffix if phase_of(rubric, "recheck") else None
    every = totals(store, scheme)
    mine = every[(every["entity"] == entity) & every["period"].isin([base, self_p, recheck_p])]
    names = {p.role: p.name for p in rubric.phases}
    finals = pd.DataFrame({
        "阶段": [names[split_period(rubric, p)[1].role] for p in mine["period"]], "期间": mine["period"],
        "总分": mine["final"], "组内名次": mine["rank"]})
    order = sort_periods(rubric, list(finals["期间"]))
    finals = finals.set_index("期间").loc[order].reset_index()[["阶段", "期间", "总分", "组内名次"]]

    def detail(p: str) -> pd.DataFrame:
        return indicator_detail(store, scheme, p, entity)

    def obs(p: str) -> pd.DataFrame:
        return stored_facts(store, scheme, p, entity)

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
