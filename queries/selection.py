"""Read models of the red-flag selection page: candidates, how the grade and the flag were decided (in words),
the pending case and its recorded decision, the 流动红旗 history with streaks, the annual view and the facts
of the notice (通报).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from queries.display import cutoff_of, final_formula, ordered, period_label, round_to, rounded, top_grade
from queries.league import TRAIL, group_league, league_view
from queries.statements import beside
from queries.store import Store
from queries.trends import totals
from queries.workflow import export_mark
from scoring.payout import contract_years
from scoring.rubric import Rubric
from scoring.rules.rank import competition_rank

SQL = beside(__file__)

TIE_WORDS = {"competition": "并列者名次相同，其后名次顺延（如 1、1、3）",
             "dense": "并列者名次相同，其后名次连续（如 1、1、2）"}
HISTORY_COLUMNS = ["期间", "红旗单位", "总分", "状态", "连续期数"]


@dataclass(frozen=True)
class SelectionView:
    candidates: pd.DataFrame  # the graded units (the flag's candidates), as on the league table
    steps: tuple[str, ...]  # how the grade and the flag were decided, sentence by sentence
    local_rule: str  # the tie-breaker rule, labelled 本地规则 when the rubric says so
    pending: tuple[str, ...]  # units marked pending (待定), waiting for the office
    decision: dict | None  # the recorded decision of this period: entity, who, why, ts
    award_name: str = ""
    mark: str = ""
    pending_mark: str = ""
    decimals: int = 2


def _names(entities) -> str:
    return "、".join(str(e) for e in entities)


def grade_steps(league: pd.DataFrame, rubric: Rubric) -> list[str]:
    """Sentences saying who got the top grade and why (including a tie at the cutoff)."""
    grade, d = top_grade(rubric), rubric.display_decimals
    if grade is None:
        return ["本方案不评定等次。"]
    graded = league[league["grade"] == grade.name].sort_values(["rank", "entity"])
    if grade.min_final is not None:
        return [f"总分达到 {grade.min_final:g} 分的单位评为“{grade.name}”：{_names(graded['entity']) or '无'}。"]
    steps = [f"名次在前 {grade.top} 名的单位评为“{grade.name}”：{_names(graded['entity']) or '无'}。"]
    if len(graded) > grade.top:
        last = int(graded["rank"].max())
        tied = graded[graded["rank"] == last]
        steps.append(f"第 {last} 名并列（{_names(tied['entity'])}，总分均为 {rounded(tied['final'].iloc[0], d):.{d}f}），"
                     f"均评为“{grade.name}”，本期共 {len(graded)} 个“{grade.name}”（并列，多于 {grade.top} 个）。")
    return steps


def award_steps(league: pd.DataFrame, rubric: Rubric) -> list[str]:
    """Sentences saying how the flag was decided: the clause, the tie-breakers applied, the outcome."""
    award, d = rubric.award, rubric.display_decimals
    if award is None:
        return ["本方案不设流动红旗等奖项。"]
    steps = [f"评选规则（原文）：{award.clause}"] if award.clause else []
    notes = [n for n in league.loc[league["rank"] == 1, "award_note"] if n]
    if notes:
        return steps + [s for s in notes[0].split("；") if s]
    holder = league[league["flag"] == award.mark]
    if holder.empty:
        return steps + [f"本期没有符合条件的单位，不授予{award.name}。"]
    row = holder.iloc[0]
    grade = f"，获“{award.requires_grade}”等次" if award.requires_grade else ""
    return steps + [f"总分第一：{row['entity']}（{rounded(row['final'], d):.{d}f} 分）{grade}，授予{award.name}。"]


def selection_view(store: Store, scheme: str, period: str, grp: str | None = None) -> SelectionView | None:
    rubric = store.rubric(scheme)
    league = group_league(store, scheme, period, grp)
    if league.empty:
        return None
    grp = str(league["grp"].iloc[0])
    view = league_view(store, scheme, period, grp)
    table = view.table.drop(columns=[TRAIL])
    grade = top_grade(rubric)
    candidates = table[table["等次"] == grade.name] if grade is not None else table.head(3)
    steps = [f"本期 {len(league)} 个单位参评，按总分（{final_formula(rubric)}）由高到低排名，"
             f"{TIE_WORDS[rubric.tie_method]}。"]
    steps += grade_steps(league, rubric) + award_steps(league, rubric)
    award = rubric.award
    row = store.read(SQL.period_decision, scheme=scheme, period=period, grp=grp)
    decision = None
    if row is not None:
        decision = {"entity": str(row["entity"]), "who": str(row["who"]), "why": str(row["why"]),
                    "ts": str(row["ts"])[:19]}
    pending = tuple(league.loc[league["flag"] == award.pending_mark, "entity"]) if award else ()
    return SelectionView(
        candidates=candidates.reset_index(drop=True), steps=tuple(steps),
        local_rule=award.tie_breakers_label if award and award.tie_breakers else "", pending=pending,
        decision=decision, award_name=award.name if award else "", mark=award.mark if award else "",
        pending_mark=award.pending_mark if award else "", decimals=rubric.display_decimals)


def flag_history(store: Store, scheme: str, grp: str) -> pd.DataFrame:
    """Every period of a group (time order): who held the flag (or is pending), how, and the holder's streak."""
    rubric = store.rubric(scheme)
    if rubric.award is None:
        return pd.DataFrame(columns=HISTORY_COLUMNS)
    mark, d = rubric.award.mark, rubric.display_decimals
    periods = ordered(rubric, store.read(SQL.group_periods, scheme=scheme, grp=grp)["period"])
    flags = store.read(SQL.group_flags, scheme=scheme, grp=grp)
    rows, streak, holder_before = [], 0, None
    for period in periods:
        part = flags[flags["period"] == period]
        held = part[part["flag"] == mark]
        if len(held):
            holder = str(held["entity"].iloc[0])
            streak = streak + 1 if holder == holder_before else 1
            rows.append((period, holder, rounded(held["final"].iloc[0], d),
                         # the office's decision counts only where the ranking actually used it
                         "办公室决定" if "由办公室决定" in str(held["award_note"].iloc[0]) else mark, streak))
            holder_before = holder
        else:
            rows.append((period, _names(part["entity"]) or "—",
                         rounded(part["final"].max(), d) if len(part) else None,
                         rubric.award.pending_mark if len(part) else "未授予", 0))
            streak, holder_before = 0, None
    return pd.DataFrame(rows, columns=HISTORY_COLUMNS)


def streaks(history: pd.DataFrame) -> pd.DataFrame:
    """Per flag holder: times held, longest run, current run (ending in the latest period), last time held."""
    columns = ["单位", "获旗次数", "最长连续", "当前连续", "最近一次"]
    held = history[history["连续期数"] > 0]
    if held.empty:
        return pd.DataFrame(columns=columns)
    latest = history.iloc[-1]
    out = held.groupby("红旗单位", sort=False).agg(获旗次数=("期间", "count"), 最长连续=("连续期数", "max"),
                                                 最近一次=("期间", "last")).reset_index()
    out["当前连续"] = [int(latest["连续期数"]) if u == latest["红旗单位"] else 0 for u in out["红旗单位"]]
    out = out.rename(columns={"红旗单位": "单位"})[columns]
    return out.sort_values(["获旗次数", "最长连续"], ascending=False, kind="stable").reset_index(drop=True)


def annual_view(store: Store, scheme: str, grp: str) -> pd.DataFrame:
    """Per year and unit: mean of the finals scored that year (ranked), the number of top grades and flags.

    A rubric with contract-year windows (Haikou) averages over its windows instead of calendar years.
    """
    rubric = store.rubric(scheme)
    d = rubric.display_decimals
    mark = rubric.award.mark if rubric.award else ""
    grade = top_grade(rubric)
    graded_col, flags_col = f"{grade.name if grade else '等次'}次数", f"{mark or '红旗'}次数"
    data = store.read(SQL.group_annual, scheme=scheme, grp=grp, mark=mark)
    if rubric.windows:
        mine = totals(store, scheme)
        years = contract_years(mine[mine["grp"] == grp], rubric.windows)
        data = pd.DataFrame({"year": years["name"], "entity": years["entity"], "mean_final": years["mean"],
                             "n_periods": years["n_months"], "n_graded": 0, "n_flags": 0})
    if data.empty:
        return pd.DataFrame(columns=["年度", "年度名次", "单位", "平均总分", "评估期数", graded_col, flags_col])
    data["rank"] = competition_rank(data, "mean_final", ["year"], rubric.tie_method)
    data = data.sort_values(["year", "rank", "entity"], kind="stable")
    return pd.DataFrame({
        "年度": data["year"].astype(str), "年度名次": data["rank"].astype("int64"), "单位": data["entity"].astype(str),
        "平均总分": round_to(data["mean_final"], d), "评估期数": data["n_periods"].astype("int64"),
        graded_col: data["n_graded"].astype("int64"), flags_col: data["n_flags"].astype("int64"),
    }).reset_index(drop=True)


def notice_facts(store: Store, scheme: str, period: str, grp: str | None = None) -> dict:
    """The facts a notice (通报) states: title, period in words, graded list, the flag, the table."""
    rubric = store.rubric(scheme)
    view = league_view(store, scheme, period, grp)
    h = view.headline
    league = group_league(store, scheme, period, grp)
    return {
        "scheme_name": rubric.name, "period": period, "period_words": period_label(period, rubric.period_kind),
        "grade_name": h.grade_name, "graded": list(h.graded), "award_name": h.award_name,
        "award_column": view.award_column, "flag_state": h.flag_state, "flag_units": list(h.flag_units),
        "pending_mark": rubric.award.pending_mark if rubric.award else "",
        "cutoff": h.cutoff if h.cutoff is not None else rounded(cutoff_of(league, top_grade(rubric)),
                                                                rubric.display_decimals),
        "table": view.table.drop(columns=[TRAIL, "变化"]), "formula": final_formula(rubric),
        "decimals": rubric.display_decimals,
        "is_demo": bool(league["is_demo"].any()) if len(league) else False,
        "group": str(league["grp"].iloc[0]) if len(league) else "",
        "status_mark": export_mark(store, scheme, period),  # 草稿 / 公示稿 in the title until 已发布
    }
