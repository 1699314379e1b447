"""Is the red flag robust to the inspectors' judgement? Each unit's range of finals, and verdicts with witnesses.

Some items are judged within a range the rule allows (seed 002 2.2 "视情扣2-4分", 8.4 "视情况扣1-3分", 8.5 "视情况扣
3-5分"; a tier a rubric marks as judged). :meth:`scoring.rules.base.Rule.judgements` declares them. A judgement is
per unit and moves only that unit's points, and every final is monotone in each judged value. So for a unit u:

- its highest final is every judged row of u at the end that earns more (a deduction at its lowest, a bonus at its
  highest, the best label), its lowest final the other end; a judged deduction stays a deduction (2–4 stays within
  2–4, a 0 stays 0);
- the best place u can reach is scenario S_u: u at its highest, every other unit of its group at its lowest; the
  worst is W_u: u at its lowest, the others at their highest. Whatever u can get (好, the flag) it gets in S_u;
  whatever it can lose it loses in W_u — the tie rules and tie-breakers (components that move the same way) included.

Verdicts are therefore exact, and each comes with a **witness**: allowed judgements under which the engine, scoring
normally, gives the other outcome — those of S_u or W_u, shortened to the ones that matter (:mod:`scoring.witness`:
in a quarter of 13 towns S_u moves some twenty judgements, one or two of which decide). All scenarios of a period are
scored in one engine call (each as its own period), never written anywhere.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable

import numpy as np
import pandas as pd

from scoring.exact import parse_decimal
from scoring.rubric import Rubric
from scoring.witness import SEP, Claim, score_variants, shorten, with_values

__all__ = ["SEP", "COLUMNS", "Witness", "GroupVerdict", "Robustness", "analyse", "apply_witness", "judged_rows"]
COLUMNS = ["period", "entity", "final", "final_min", "final_max", "best_rank", "worst_rank", "good_possible",
           "good_certain", "flag_possible"]


def decimal_text(value: Fraction) -> str:
    """A terminating fraction as the decimal a clerk would type (3 → "3", 5/2 → "2.5")."""
    if value.denominator == 1:
        return str(value.numerator)
    digits = 0
    while (value * 10**digits).denominator != 1:
        digits += 1
        if digits > 30:
            raise ValueError(f"{value} is not a terminating decimal")
    text = f"{value.numerator * 10**digits // value.denominator}"
    sign = "-" if text.startswith("-") else ""
    text = text.lstrip("-").rjust(digits + 1, "0")
    return f"{sign}{text[:-digits]}.{text[-digits:]}"


def judged_rows(obs: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """Every judged row of ``obs`` (validated rows) with the value that earns most (``best``) and least (``worst``).

    A typed value beyond a soft bound stays reachable (the range widens to include it)."""
    out = []
    for ind in rubric.indicators:
        for j in ind.rule.judgements(ind):
            mine = obs.index[(obs["indicator"] == ind.code).to_numpy() & (obs["item"] == j.item).to_numpy()]
            for i in mine:
                text = str(obs.at[i, "value"]).strip()
                if j.labels:
                    best, worst = j.labels[0], j.labels[-1]
                else:
                    v = parse_decimal(text)
                    if v is None or (j.keep_zero and v == 0):
                        continue
                    lo, hi = min(j.lo, v), max(j.hi, v)
                    low, high = decimal_text(lo), decimal_text(hi)
                    best, worst = (low, high) if j.better == "low" else (high, low)
                out.append({"row": i, "period": str(obs.at[i, "period"]), "group": str(obs.at[i, "group"]),
                            "entity": str(obs.at[i, "entity"]), "indicator": ind.code, "item": j.item,
                            "line": str(obs.at[i, "line"]) if "line" in obs.columns else "", "value": text,
                            "best": best, "worst": worst})
    return pd.DataFrame(out, columns=["row", "period", "group", "entity", "indicator", "item", "line", "value",
                                      "best", "worst"])


@dataclass
class Witness:
    """Allowed judgements (``changes``: one dict per judged row moved) and the outcome the engine then gives."""

    scenario: str  # "best:<entity>" (the entity at its highest, the others lowest) or "worst:<entity>"
    outcome: str
    changes: list[dict] = field(default_factory=list)

    def describe(self) -> str:
        moved = "；".join(f"{c['entity']} {c['indicator']} {c['item'] or '档次'} {c['value']}→{c['to']}"
                         for c in self.changes) or "无需改变任何评判"
        return f"{moved} ⇒ {self.outcome}"


@dataclass
class GroupVerdict:
    """The verdicts of one (period, group): the flag, and each unit whose 好 could change."""

    period: str
    group: str
    flag_now: str  # "红旗：A镇", "待定：A镇、B镇" or "" (no award)
    flag_robust: bool
    flag_witnesses: list[Witness]
    good_witnesses: dict[str, Witness]  # entity → the judgements that would give or take its 好

    @property
    def summary(self) -> str:
        """One line for the office: 稳健 / 取决于…"""
        if not self.flag_now:
            return ""
        if self.flag_robust:
            return f"稳健：在允许的评判范围内，结果（{self.flag_now}）不会改变"
        return "取决于评判：" + "；或 ".join(w.describe() for w in self.flag_witnesses)


@dataclass
class Robustness:
    """Per unit: its final and the range of finals and places the judgements allow; per group: the verdicts;
    ``judged``: the judged rows the ranges are over (:func:`judged_rows`)."""

    table: pd.DataFrame
    groups: list[GroupVerdict]
    judged: pd.DataFrame


def _scenario(rows: pd.DataFrame, judged: pd.DataFrame, best: set[str], worst: set[str]) -> np.ndarray:
    """The group's values with the judged rows of ``best`` units at their best and of ``worst`` units at their
    worst."""
    return with_values(rows, _moves(judged, best, worst))


def _moves(judged: pd.DataFrame, best: set[str], worst: set[str]) -> dict[int, str]:
    """The judged rows a scenario moves (row → its new value), in row order."""
    entity, value = judged["entity"].to_numpy(dtype=object), judged["value"].to_numpy(dtype=object)
    rows, out = judged["row"].to_numpy(), {}
    for who, column in ((best, "best"), (worst, "worst")):
        to = judged[column].to_numpy(dtype=object)
        hit = np.isin(entity, list(who)) & (to != value)
        out.update(zip(rows[hit].tolist(), to[hit].tolist()))
    return dict(sorted(out.items()))


def _changes(judged: pd.DataFrame, moves: dict[int, str]) -> list[dict]:
    rows = judged.set_index("row")
    return [{"line": rows.at[r, "line"], "entity": rows.at[r, "entity"], "indicator": rows.at[r, "indicator"],
             "item": rows.at[r, "item"], "value": rows.at[r, "value"], "to": to} for r, to in moves.items()]


def _flag_text(league: pd.DataFrame, rubric: Rubric) -> str:
    """The award's outcome of a league (indexed by entity): "红旗：A镇", "待定：A镇、B镇", "红旗：无" or ""."""
    if rubric.award is None:
        return ""
    flags = league["flag"].to_numpy(dtype=object)
    held = flags != ""
    if not held.any():
        return f"{rubric.award.mark}：无"
    return f"{flags[held][0]}：{'、'.join(sorted(league.index[held]))}"


def _flag_is(rubric: Rubric, outcome: str) -> Callable[[pd.DataFrame], bool]:
    return lambda league: _flag_text(league, rubric) == outcome


def _grade_is(entity: str, grade: str, held: bool) -> Callable[[pd.DataFrame], bool]:
    return lambda league: (league.at[entity, "grade"] == grade) == held


def analyse(obs: pd.DataFrame, rubric: Rubric, decisions: dict | None = None) -> Robustness:
    """Robustness of every (period, group) in ``obs`` (validated observation rows, e.g. one period's).

    ``decisions``: the office's decisions of pending awards ((period, group) → entity), applied as in scoring.
    Each witness is shortened to the judgements that matter (:func:`scoring.witness.shorten`).
    """
    obs = obs.reset_index(drop=True)
    judged = judged_rows(obs, rubric)
    variants, tags, groups = [], {}, {}
    for (period, group), rows in obs.groupby(["period", "group"], sort=True):
        period, group = str(period), str(group)
        units = sorted(rows["entity"].astype(str).unique())
        j = judged[(judged["period"] == period) & (judged["group"] == group)]
        groups[(period, group)] = (rows, j)
        everyone = set(units)
        scenarios = [("base", set(), set()), ("max", everyone, set()), ("min", set(), everyone)]
        for u in units:
            others = everyone - {u}
            scenarios += [(f"best:{u}", {u}, others), (f"worst:{u}", others, {u})]
        for name, best, worst in scenarios:
            tags[(period, group, name)] = (len(variants), best, worst)
            variants.append((period, group, rows, _scenario(rows, j, best, worst)))
    if not variants:
        return Robustness(pd.DataFrame(columns=COLUMNS), [], judged)
    leagues = score_variants(variants, rubric, decisions)

    def scored(period: str, group: str, name: str) -> pd.DataFrame:
        return leagues[tags[(period, group, name)][0]]

    quota_grade = rubric.grades[0].name if rubric.grades else None
    mark = rubric.award.mark if rubric.award else None
    records, verdicts, claims = [], [], []  # claims: (witness, claim) of every witness, shortened at the end

    def witness(period, group, name, outcome, holds) -> Witness:
        """A witness of scenario ``name`` ("best:<u>" or "worst:<u>"), its changes filled in once shortened."""
        rows, j = groups[(period, group)]
        _, best, worst = tags[(period, group, name)]
        finals = scored(period, group, "base")["final"]
        u = name.split(":", 1)[1]
        nearest = sorted(finals.index, key=lambda v: (v != u, abs(finals[v] - finals[u]), v))
        found = Witness(name, outcome, [])
        claims.append((found, j, Claim(period, group, rows, _moves(j, best, worst),
                                       dict(zip(j["row"].astype(int), j["entity"])), nearest, holds)))
        return found

    for (period, group) in groups:
        base = scored(period, group, "base")
        low, high = scored(period, group, "min"), scored(period, group, "max")
        flag_now = _flag_text(base, rubric)
        flag_witnesses, good_witnesses = [], {}
        holder = base.index[base["flag"] == mark].tolist() if mark else []
        for u in base.index:
            best, worst = scored(period, group, f"best:{u}"), scored(period, group, f"worst:{u}")
            records.append({
                "period": period, "entity": u, "final": base.at[u, "final"], "final_min": low.at[u, "final"],
                "final_max": high.at[u, "final"], "best_rank": int(best.at[u, "rank"]),
                "worst_rank": int(worst.at[u, "rank"]),
                "good_possible": bool(quota_grade and best.at[u, "grade"] == quota_grade),
                "good_certain": bool(quota_grade and worst.at[u, "grade"] == quota_grade),
                "flag_possible": bool(mark and best.at[u, "flag"] == mark)})
            if quota_grade:
                now = base.at[u, "grade"] == quota_grade
                if not now and best.at[u, "grade"] == quota_grade:
                    good_witnesses[u] = witness(period, group, f"best:{u}", f"{u} 获得“{quota_grade}”",
                                                _grade_is(u, quota_grade, True))
                elif now and worst.at[u, "grade"] != quota_grade:
                    good_witnesses[u] = witness(period, group, f"worst:{u}", f"{u} 失去“{quota_grade}”",
                                                _grade_is(u, quota_grade, False))
            if mark:
                outcome_best = _flag_text(best, rubric)
                if outcome_best != flag_now and outcome_best not in {w.outcome for w in flag_witnesses}:
                    flag_witnesses.append(witness(period, group, f"best:{u}", outcome_best,
                                                  _flag_is(rubric, outcome_best)))
                if u in holder:
                    outcome_worst = _flag_text(worst, rubric)
                    if outcome_worst != flag_now and outcome_worst not in {w.outcome for w in flag_witnesses}:
                        flag_witnesses.append(witness(period, group, f"worst:{u}", outcome_worst,
                                                      _flag_is(rubric, outcome_worst)))
        verdicts.append(GroupVerdict(period, group, flag_now, not flag_witnesses, flag_witnesses, good_witnesses))
    for (found, j, _claim), moves in zip(claims, shorten([c for *_, c in claims], rubric, decisions)):
        found.changes = _changes(j, moves)
    return Robustness(pd.DataFrame(records, columns=COLUMNS), verdicts, judged)


def apply_witness(obs: pd.DataFrame, witness: Witness) -> pd.DataFrame:
    """``obs`` with the witness's judgements written in (to re-score it through the normal engine)."""
    out = obs.copy()
    for c in witness.changes:
        hit = ((out["entity"].astype(str) == c["entity"]) & (out["indicator"].astype(str) == c["indicator"])
               & (out["item"].astype(str) == c["item"]) & (out["value"].astype(str).str.strip() == c["value"]))
        if "line" in out.columns and c["line"]:
            hit &= out["line"].astype(str) == c["line"]
        out.iloc[np.flatnonzero(hit.to_numpy())[:1], out.columns.get_loc("value")] = c["to"]
    return out
