"""Read model of the 红旗评选 page's robustness panel: for the picked period and group, is the flag (and each 好
place) robust to the inspectors' judgement, and if not which allowed judgements would change it — in words.

Built on :func:`queries.robustness.stored_robustness` (the engine's exact verdicts and witnesses); this module only
words them and picks the group. A scheme without judged items is said so without scoring anything.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from queries.display import round_to, top_grade
from queries.league import group_league
from queries.robustness import stored_robustness
from queries.store import Store
from scoring.robustness import GroupVerdict, Witness
from scoring.rubric import Rubric
from scoring.rules.base import Judgement

RANGE_COLUMNS = {"final": "总分", "final_min": "最低总分", "final_max": "最高总分", "best_rank": "最好名次",
                 "worst_rank": "最差名次"}


@dataclass(frozen=True)
class WitnessWords:
    """One witness: the outcome it gives and each allowed judgement it changes, as sentences."""

    outcome: str
    changes: tuple[str, ...]


@dataclass(frozen=True)
class Verdict:
    """One award's verdict (the flag, or the 好 places): robust or not, its one line, and its witnesses."""

    award: str  # "红旗" or "“好”等次"
    robust: bool
    line: str
    witnesses: tuple[WitnessWords, ...] = ()


@dataclass(frozen=True)
class RobustnessView:
    """What the panel shows: whether the scheme has judged items or awards, the verdicts, the ranges table."""

    judged: bool  # the scheme has items judged within a range (else nothing below is filled)
    awards: bool  # the scheme has a grade or an award (else only the ranges are shown)
    verdicts: tuple[Verdict, ...] = ()
    ranges: pd.DataFrame | None = None  # per unit: final, its range, best and worst rank (and what it could get)
    n_judged: int = 0  # judged rows of the group (the judgements the verdicts range over)
    judged_items: tuple[str, ...] = ()  # the scheme's judged items, e.g. "2.2 酌情扣分（视情 2–4 分）"
    decimals: int = 2


def judgements_of(rubric: Rubric) -> dict[tuple[str, str], tuple[str, Judgement]]:
    """(indicator, item) → (indicator name, judgement) of every judged item of the rubric."""
    return {(ind.code, j.item): (ind.name, j) for ind in rubric.indicators for j in ind.rule.judgements(ind)}


def allowed_text(j: Judgement) -> str:
    """What a judgement may be: '0 或 2–4 分', '0–0.05 分' or '标杆型／标准型／基础型'."""
    if j.labels:
        return "／".join(j.labels)
    span = f"{_number(j.lo)}–{_number(j.hi)} 分"
    return f"0 或 {span}" if j.keep_zero else span


def _number(value) -> str:
    return f"{float(value):g}"


def change_words(change: dict, judged: dict) -> str:
    """'寨里镇：2.2 加强人员队伍建设「酌情扣分」（第7行）由 3 改评为 4（允许 0 或 2–4 分）'."""
    name, j = judged.get((change["indicator"], change["item"]), ("", None))
    item = change["item"] or "档次"
    allowed = f"（允许 {allowed_text(j)}）" if j is not None else ""
    line = f"（{change['line']}）" if change.get("line") else ""
    return (f"{change['entity']}：{change['indicator']} {name}「{item}」{line}由 {change['value']} 改评为 "
            f"{change['to']}{allowed}")


def _words(witness: Witness, judged: dict) -> WitnessWords:
    return WitnessWords(witness.outcome, tuple(change_words(c, judged) for c in witness.changes))


def _flag_verdict(verdict: GroupVerdict, rubric: Rubric, judged: dict) -> Verdict:
    return Verdict(rubric.award.mark, verdict.flag_robust, verdict.summary,
                   tuple(_words(w, judged) for w in verdict.flag_witnesses))


def _grade_verdict(verdict: GroupVerdict, league: pd.DataFrame, rubric: Rubric, judged: dict) -> Verdict:
    grade = top_grade(rubric)
    label = f"“{grade.name}”等次"
    holders = "、".join(league.loc[league["grade"] == grade.name, "entity"]) or "无"
    if not verdict.good_witnesses:
        return Verdict(label, True, f"稳健：在允许的评判范围内，{label}（{holders}）不会改变")
    ordered = [e for e in league["entity"] if e in verdict.good_witnesses]
    line = "取决于评判：" + "；".join(
        f"{e} 可能{'获得' if verdict.good_witnesses[e].scenario.startswith('best:') else '失去'}“{grade.name}”"
        for e in ordered)
    return Verdict(label, False, line, tuple(_words(verdict.good_witnesses[e], judged) for e in ordered))


def _ranges(table: pd.DataFrame, league: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """The group's units in ranked order with Chinese column names, finals rounded for display."""
    d = rubric.display_decimals
    rows = table.set_index("entity").reindex(league["entity"]).reset_index()
    out = pd.DataFrame({"单位": rows["entity"]})
    for column, label in RANGE_COLUMNS.items():
        values = rows[column]
        out[label] = round_to(values, d) if column.startswith("final") else values.astype("int64")
    grade = top_grade(rubric)
    if grade is not None:
        out[f"可能评“{grade.name}”"] = rows["good_possible"].astype(bool)
        out[f"必定评“{grade.name}”"] = rows["good_certain"].astype(bool)
    if rubric.award is not None:
        out[f"可能获{rubric.award.mark}"] = rows["flag_possible"].astype(bool)
    return out


def robustness_view(store: Store, scheme: str, period: str, grp: str | None = None) -> RobustnessView | None:
    """The panel of one period and group (None when the group has no results)."""
    rubric = store.rubric(scheme)
    judged = judgements_of(rubric)
    awards = bool(rubric.grades) or rubric.award is not None
    league = group_league(store, scheme, period, grp)
    if league.empty:
        return None
    if not judged:
        return RobustnessView(judged=False, awards=awards, decimals=rubric.display_decimals)
    grp = str(league["grp"].iloc[0])
    result = stored_robustness(store, scheme, period)
    if result is None:
        return None
    items = tuple(f"{code} {name}「{item}」（{allowed_text(j)}）" for (code, item), (name, j) in judged.items())
    verdict = next((v for v in result.groups if v.group == grp), None)
    verdicts = []
    if verdict is not None and rubric.award is not None:
        verdicts.append(_flag_verdict(verdict, rubric, judged))
    if verdict is not None and top_grade(rubric) is not None:
        verdicts.append(_grade_verdict(verdict, league, rubric, judged))
    return RobustnessView(judged=True, awards=awards, verdicts=tuple(verdicts),
                          ranges=_ranges(result.table, league, rubric),
                          n_judged=int((result.judged["group"] == grp).sum()), judged_items=items,
                          decimals=rubric.display_decimals)
