"""Read models of the league table and the town page: display-ready frames with Chinese column names.

Every function takes a :class:`~queries.store.Store` and returns plain data (frames, frozen dataclasses) that
pages only render. Numbers are rounded for people here (:mod:`queries.display`); components, grades and the
award come from the scheme's rubric, never from names written in code.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from queries.display import (KIND_LABELS, category_names, component_labels, cutoff_of, ordered, round_to,
                             rounded, top_grade)
from queries.store import Store
from scoring.rubric import Rubric

TREND_PERIODS = 8  # how many periods the in-row rank sparkline shows
TRAIL = "名次走势"


def schemes(store: Store) -> pd.DataFrame:
    """The schemes with results (scheme, n_periods, is_demo), for the sidebar."""
    return store.query("schemes")


def periods(store: Store, scheme: str) -> list[str]:
    """The periods of a scheme with results, in time order."""
    return ordered(store.rubric(scheme), store.query("periods", scheme=scheme)["period"])


def groups(store: Store, scheme: str, period: str) -> list[str]:
    return list(store.query("groups", scheme=scheme, period=period)["grp"])


def group_league(store: Store, scheme: str, period: str, grp: str | None) -> pd.DataFrame:
    """Store.league of one group (the first one when ``grp`` is None), in ranked order."""
    league = store.league(scheme, period)
    if league.empty:
        return league
    grp = league["grp"].iloc[0] if grp is None else grp
    return league[league["grp"] == grp].reset_index(drop=True)


def award_column(rubric: Rubric) -> str:
    return rubric.award.mark if rubric.award else "奖项"


# -- league table ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Headline:
    """The headline cards of the league page."""

    n_units: int
    leader: str = ""
    leader_final: float | None = None
    median_final: float | None = None
    award_name: str = ""
    flag_state: str = ""  # the award mark, the pending mark, or "" (nobody / no award in this rubric)
    flag_units: tuple[str, ...] = ()
    flag_pending: bool = False  # tied at the top after the tie-breakers: the office must decide
    grade_name: str = ""
    graded: tuple[str, ...] = ()
    quota: int | None = None
    cutoff: float | None = None
    first_out: str | None = None  # best unit without the grade
    first_out_rank: int | None = None
    first_out_gap: float | None = None  # points it lacks to reach the cutoff


@dataclass(frozen=True)
class LeagueView:
    table: pd.DataFrame  # exactly what the page shows (and downloads)
    headline: Headline
    decimals: int = 2
    award_column: str = ""  # "" when the rubric has no award
    grade_column: str = ""  # "" when the rubric has no grades
    component_columns: tuple[str, ...] = ()
    n_units: int = 0


def rank_change_text(prev_rank, rank: int, prev_known: bool) -> str:
    """'↑2' (moved up), '↓3', '→' (same place), '新' (not ranked last period), '—' (no previous period)."""
    if not prev_known:
        return "—"
    if prev_rank is None or pd.isna(prev_rank):
        return "新"
    change = int(prev_rank) - int(rank)
    return f"↑{change}" if change > 0 else f"↓{-change}" if change < 0 else "→"


def rank_trails(store: Store, scheme: str, period: str, grp: str,
                n: int = TREND_PERIODS) -> tuple[dict[str, list[int]], dict[str, int] | None]:
    """({unit: its ranks in the last ``n`` periods up to ``period``, oldest first},
    {unit: its rank in the previous period} or None when ``period`` is the group's first)."""
    trail = store.query("rank_trail", scheme=scheme, grp=grp)
    order = ordered(store.rubric(scheme), trail["period"].unique())
    upto = order[: order.index(period) + 1] if period in order else order
    keep = upto[-n:]
    part = trail[trail["period"].isin(keep)].copy()
    part["pos"] = part["period"].map({p: i for i, p in enumerate(keep)})
    part = part.sort_values(["entity", "pos"], kind="stable")
    trails = {e: [int(r) for r in rows["rank"]] for e, rows in part.groupby("entity", sort=False)}
    if len(upto) < 2:
        return trails, None
    before = trail[trail["period"] == upto[-2]]
    return trails, {str(e): int(r) for e, r in zip(before["entity"], before["rank"])}


def league_view(store: Store, scheme: str, period: str, grp: str | None = None) -> LeagueView:
    """The league table of a period and group as shown, and its headline cards."""
    rubric = store.rubric(scheme)
    d = rubric.display_decimals
    league = group_league(store, scheme, period, grp)
    if league.empty:
        return LeagueView(table=pd.DataFrame(), headline=Headline(n_units=0), decimals=d)
    names = component_labels(rubric)
    comp_cols = [c.id for c in rubric.components if c.id in league.columns]
    trails, prev_rank = rank_trails(store, scheme, period, str(league["grp"].iloc[0]))
    table = pd.DataFrame({
        "名次": league["rank"].astype("int64"),
        "变化": [rank_change_text((prev_rank or {}).get(e), r, prev_rank is not None)
               for e, r in zip(league["entity"], league["rank"])],
        "单位": league["entity"].astype(str),
    })
    for cid in comp_cols:
        table[names[cid]] = round_to(league[cid], d)
    table["总分"] = round_to(league["final"], d)
    grade_col = "等次" if rubric.grades else ""
    if grade_col:
        table[grade_col] = league["grade"].astype(str)
    award_col = award_column(rubric) if rubric.award else ""
    if award_col:
        table[award_col] = league["flag"].astype(str)
    table[TRAIL] = [trails.get(e, []) for e in league["entity"]]
    return LeagueView(table=table, headline=headline(league, rubric), decimals=d, award_column=award_col,
                      grade_column=grade_col, component_columns=tuple(names[c] for c in comp_cols),
                      n_units=len(league))


def headline(league: pd.DataFrame, rubric: Rubric) -> Headline:
    """Leader and median; the flag holder (or pending units); the graded list, the cutoff and the gap to it."""
    d = rubric.display_decimals
    grade, award = top_grade(rubric), rubric.award
    first = league.sort_values(["rank", "entity"]).iloc[0]
    out: dict = {"n_units": len(league), "leader": str(first["entity"]), "leader_final": rounded(first["final"], d),
                 "median_final": rounded(float(league["final"].median()), d)}
    if award is not None:
        flagged = league[league["flag"] != ""]
        out["award_name"] = award.name
        out["flag_units"] = tuple(flagged["entity"])
        out["flag_pending"] = bool((flagged["flag"] == award.pending_mark).any())
        out["flag_state"] = award.pending_mark if out["flag_pending"] else (award.mark if len(flagged) else "")
    if grade is not None:
        cutoff = cutoff_of(league, grade)
        graded = league[league["grade"] == grade.name]
        outside = league[league["grade"] != grade.name].sort_values(["rank", "entity"])
        out.update(grade_name=grade.name, graded=tuple(graded["entity"]), quota=grade.top,
                   cutoff=rounded(cutoff, d))
        if len(outside) and cutoff is not None:
            best = outside.iloc[0]
            out.update(first_out=str(best["entity"]), first_out_rank=int(best["rank"]),
                       first_out_gap=rounded(cutoff - float(best["final"]), d))
    return Headline(**out)


# -- town page ---------------------------------------------------------------------------------------
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
    loss_totals: pd.DataFrame  # per component: 满分, 得分, 失分
    lost_chart: pd.DataFrame  # base indicators that lost points, for the chart
    ladders: pd.DataFrame  # rank-ladder indicators with the unit's place
    events: pd.DataFrame  # bonus and penalty indicators: points and reason
    event_rows: pd.DataFrame  # the observation rows behind them
    history: pd.DataFrame  # every period: final, rank, grade, flag, median and leader
    decimals: int = 2
    grade_name: str = ""


def units_of(store: Store, scheme: str, period: str, grp: str | None) -> list[str]:
    """The units of a period and group in ranked order (for the unit picker)."""
    league = group_league(store, scheme, period, grp)
    return list(league["entity"]) if len(league) else []


def _indicator_frame(detail: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """Detail rows joined with the rubric: names, category names, method and department, in rubric order."""
    info = pd.DataFrame([{"indicator": i.code, "指标": i.name, "考核方式": i.method, "责任科室": i.dept,
                          "order": n, "rule_type": i.rule.type, "step": getattr(i.rule, "step", np.nan)}
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
    detail = _indicator_frame(store.query("entity_detail", scheme=scheme, period=period, entity=entity), rubric)
    # lost points as shown = shown max − shown points, so every row and total adds up on paper
    detail["shown_lost"] = round_to(round_to(detail["max"], d) - round_to(detail["points"], d), d)
    scored = detail[detail["kind"].isin(["base", "score"])]
    losses = pd.DataFrame({
        "类别": scored["类别"], "编号": scored["indicator"], "指标": scored["指标"],
        "满分": round_to(scored["max"], d), "得分": round_to(scored["points"], d), "失分": scored["shown_lost"],
        "原因": scored["reason"].replace("", "—"), "考核方式": scored["考核方式"], "责任科室": scored["责任科室"],
    }).reset_index(drop=True)
    totals = []
    for comp in rubric.components:
        part = scored[scored["indicator"].isin([i.code for i in rubric.component_indicators(comp)])]
        if len(part):
            top, got = rounded(part["max"].sum(), d), rounded(part["points"].sum(), d)
            totals.append({"部分": names[comp.id], "满分": top, "得分": got, "失分": rounded(top - got, d)})
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
    obs = store.query("observations_of", scheme=scheme, period=period, entity=entity)
    obs = obs[obs["indicator"].isin(list(ev["indicator"]))]
    event_rows = pd.DataFrame({"编号": obs["indicator"], "项目": obs["item"], "数值": obs["value"],
                               "关联 ref": obs["ref"], "备注": obs["note"]}).reset_index(drop=True)
    return UnitView(
        entity=entity, period=period, rank=int(row["rank"]), n_units=len(league), final=rounded(row["final"], d),
        grade=str(row["grade"]), flag=str(row["flag"]),
        components=tuple((names[c.id], rounded(row[c.id], d)) for c in rubric.components if c.id in row.index),
        cutoff=rounded(cutoff, d), gap_to_cutoff=None if cutoff is None else rounded(float(row["final"]) - cutoff, d),
        gap_to_leader=rounded(float(row["final"]) - float(leader["final"]), d), leader=str(leader["entity"]),
        losses=losses, loss_totals=pd.DataFrame(totals, columns=["部分", "满分", "得分", "失分"]),
        lost_chart=lost_chart, ladders=ladders, events=events, event_rows=event_rows,
        history=unit_history(store, scheme, entity), decimals=d, grade_name=grade.name if grade else "")


def unit_history(store: Store, scheme: str, entity: str) -> pd.DataFrame:
    """One unit over all periods (time order): final, rank, grade, flag, against its group's median and leader."""
    rubric = store.rubric(scheme)
    d = rubric.display_decimals
    hist = store.query("entity_history", scheme=scheme, entity=entity)
    pos = {p: i for i, p in enumerate(ordered(rubric, hist["period"]))}
    hist = hist.assign(pos=hist["period"].map(pos)).sort_values("pos", kind="stable")
    return pd.DataFrame({
        "期间": hist["period"].astype(str), "总分": round_to(hist["final"], d), "名次": hist["rank"].astype("int64"),
        "参评单位": hist["n_units"].astype("int64"), "等次": hist["grade"].astype(str),
        "红旗": hist["flag"].astype(str), "中位数": round_to(hist["median_final"], d),
        "第一名": round_to(hist["leader_final"], d),
    }).reset_index(drop=True)
