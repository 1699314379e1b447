"""Read models of one unit (the town page): where it stands in a period, where every point went and why,
its ladders and events, and its history against its group's median and leader.

Every function takes a :class:`~queries.store.Store` and returns plain data that the page only renders.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from queries.display import KIND_LABELS, category_names, component_labels, cutoff_of, ordered, round_to, rounded, \
    top_grade
from queries.league import group_league
from queries.reconcile import score_parts
from queries.statements import beside
from queries.store import Store, facts, scorer
from scoring.rubric import Rubric

SQL = beside(__file__)


@dataclass(frozen=True)
class UnitView:
    """Everything the town page shows for one unit in one period."""

    entity: str
    period: str
    rank: int
    n_units: int
    final: float
    grade: str
    flag: str
    components: tuple[tuple[str, float], ...]
    cutoff: float | None
    gap_to_cutoff: float | None  # final − cutoff (≥ 0: at or above the cutoff)
    gap_to_leader: float  # final − leader's final (≤ 0)
    leader: str
    losses: pd.DataFrame  # base and score indicators: points, lost and the reason of each loss
    loss_totals: pd.DataFrame  # 部分, 满分, 得分, 失分: 基础分 + 加分 − 减分 = 日常评估 … = 总分 (queries.reconcile)
    lost_chart: pd.DataFrame  # base indicators that lost points, for the chart
    ladders: pd.DataFrame  # rank-ladder indicators with the unit's place
    events: pd.DataFrame  # bonus and penalty indicators: points and reason
    event_rows: pd.DataFrame  # the observation rows behind them
    history: pd.DataFrame  # every period: final, rank, grade, flag, median and leader
    decimals: int = 2
    grade_name: str = ""
    parts_notes: tuple[str, ...] = ()  # where shown parts do not add up to the shown total: the 4-decimal figures
    ranked: bool = True  # the group has more than one unit (one unit is not ranked: no rank, no 第一名)


def indicator_detail(store: Store, scheme: str, period: str, entity: str) -> pd.DataFrame:
    """One unit's per-indicator rows in a period: indicator, category, kind, points, max, lost, reason, place.

    The reasons are rendered now, from the unit's stored facts and places, with the rubric version the period was
    scored with: the store keeps the facts that decide them, not 20 strings per unit and period."""
    with store.reading() as cur:
        detail = SQL.entity_detail(cur, scheme=scheme, period=period, entity=entity)
        if detail.empty:
            return detail.assign(reason=pd.Series(dtype="str"))
        places = {code: p for code, p in zip(detail["indicator"], detail["place"]) if p == p}
        reasons = scorer.render_reasons(cur, scheme, period, entity, places)
    detail.insert(6, "reason", pd.Series([reasons.get(c, "") for c in detail["indicator"]], index=detail.index,
                                         dtype="str"))
    return detail


def stored_facts(store: Store, scheme: str, period: str, entity: str) -> pd.DataFrame:
    """The stored observation rows behind one unit's score in a period."""
    with store.reading() as cur:
        return facts.of_unit(cur, scheme, period, entity)


def units_of(store: Store, scheme: str, period: str, grp: str | None) -> list[str]:
    """The units of a period and group in ranked order (for the unit picker)."""
    league = group_league(store, scheme, period, grp)
    return list(league["entity"]) if len(league) else []


def _indicator_frame(detail: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """Detail rows joined with the rubric: names, category names, method and department, in rubric order."""
    info = pd.DataFrame([{"indicator": i.code, "指标": i.name, "考核方式": i.method, "责任科室": i.dept,
                          "order": n, "rule_type": i.rule.type,
                          "step": float(i.rule.rank_step()) if i.rule.rank_step() is not None else np.nan}
                         for n, i in enumerate(rubric.indicators)])
    merged = detail.merge(info, on="indicator", how="inner").sort_values("order", kind="stable")
    merged["类别"] = merged["category"].map(category_names(rubric)).fillna(merged["category"])
    return merged.reset_index(drop=True)


def unit_view(store: Store, scheme: str, period: str, entity: str, grp: str | None = None) -> UnitView | None:
    rubric = store.rubric(scheme)
    d = rubric.display_decimals
    league = group_league(store, scheme, period, grp)
    row = league[league["entity"] == entity]
    if row.empty:
        return None
    row = row.iloc[0]
    names = component_labels(rubric)
    grade = top_grade(rubric)
    cutoff = cutoff_of(league, grade)
    leader = league.sort_values(["rank", "entity"]).iloc[0]
    detail = _indicator_frame(indicator_detail(store, scheme, period, entity), rubric)
    # lost points as shown = shown max − shown points, so every row and total adds up on paper
    detail["shown_lost"] = round_to(round_to(detail["max"], d) - round_to(detail["points"], d), d)
    scored = detail[detail["kind"].isin(["base", "score"])]
    losses = pd.DataFrame({
        "类别": scored["类别"], "编号": scored["indicator"], "指标": scored["指标"],
        "满分": round_to(scored["max"], d), "得分": round_to(scored["points"], d), "失分": scored["shown_lost"],
        "原因": scored["reason"].replace("", "—"), "考核方式": scored["考核方式"], "责任科室": scored["责任科室"],
    }).reset_index(drop=True)
    parts, parts_notes = score_parts(rubric, detail, row)
    lost = detail[(detail["kind"] == "base") & (detail["lost"] > 0)]
    lost_chart = pd.DataFrame({"类别": lost["类别"], "指标": lost["indicator"] + " " + lost["指标"],
                               "失分": lost["shown_lost"], "原因": lost["reason"]}).reset_index(drop=True)
    rungs = detail[detail["rule_type"] == "rank"]
    ladders = pd.DataFrame({
        "编号": rungs["indicator"], "指标": rungs["指标"], "名次": rungs["place"].astype("Int64"),
        "参评单位": len(league), "每降一名扣": rungs["step"], "得分": round_to(rungs["points"], d),
        "满分": round_to(rungs["max"], d),
    }).reset_index(drop=True)
    ev = detail[detail["kind"].isin(["bonus", "penalty"])]
    events = pd.DataFrame({
        "编号": ev["indicator"], "项目": ev["指标"], "类型": ev["kind"].map(KIND_LABELS),
        "得分": round_to(ev["points"], d), "上限": round_to(ev["max"], d), "说明": ev["reason"].replace("", "—"),
    }).reset_index(drop=True)
    obs = stored_facts(store, scheme, period, entity)
    obs = obs[obs["indicator"].isin(list(ev["indicator"]))]
    event_rows = pd.DataFrame({"编号": obs["indicator"], "项目": obs["item"], "数值": obs["value"],
                               "关联 ref": obs["ref"], "备注": obs["note"]}).reset_index(drop=True)
    return UnitView(
        entity=entity, period=period, rank=int(row["rank"]), n_units=len(league), final=rounded(row["final"], d),
        grade=str(row["grade"]), flag=str(row["flag"]),
        components=tuple((names[c.id], rounded(row[c.id], d)) for c in rubric.components if c.id in row.index),
        cutoff=rounded(cutoff, d), gap_to_cutoff=None if cutoff is None else rounded(float(row["final"]) - cutoff, d),
        gap_to_leader=rounded(float(row["final"]) - float(leader["final"]), d), leader=str(leader["entity"]),
        losses=losses, loss_totals=parts, parts_notes=tuple(parts_notes), ranked=len(league) > 1,
        lost_chart=lost_chart, ladders=ladders, events=events, event_rows=event_rows,
        history=unit_history(store, scheme, entity), decimals=d, grade_name=grade.name if grade else "")


def unit_history(store: Store, scheme: str, entity: str) -> pd.DataFrame:
    """One unit over all periods (time order): final, rank, grade, flag, against its group's median and leader."""
    rubric = store.rubric(scheme)
    d = rubric.display_decimals
    hist = store.read(SQL.entity_history, scheme=scheme, entity=entity)
    pos = {p: i for i, p in enumerate(ordered(rubric, hist["period"]))}
    hist = hist.assign(pos=hist["period"].map(pos)).sort_values("pos", kind="stable")
    return pd.DataFrame({
        "期间": hist["period"].astype(str), "总分": round_to(hist["final"], d), "名次": hist["rank"].astype("int64"),
        "参评单位": hist["n_units"].astype("int64"), "等次": hist["grade"].astype(str),
        "红旗": hist["flag"].astype(str), "中位数": round_to(hist["median_final"], d),
        "第一名": round_to(hist["leader_final"], d),
    }).reset_index(drop=True)
