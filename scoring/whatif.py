"""What-if: a unit's own facts changed in a scratch copy, or the office's weights, quota and tie-breakers changed as
a scenario — re-scored by the engine, never written anywhere.

- :func:`unit_what_if`: "what would it take to climb" — the unit's facts replaced by an edited set, the whole period
  validated and re-scored, so daily, final, rank and 好 are exactly what the engine would publish; per indicator
  the points each change gains.
- :func:`weight_scenarios`: the sensitivity analysis composite-indicator practitioners run (COINr), on the real
  rubric: 70/30 → 60/40 or 80/20, 4 好 → 3 or 5, tie-breakers on or off; per scenario every unit's final, rank,
  grade and flag.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from scoring.engine import Scored, score_valid
from scoring.problems import InputError, errors_only
from scoring.rubric import Rubric
from scoring.validate import validate

FACT_COLUMNS = ["indicator", "item", "value", "ref", "note"]

CURRENT = "现行"  # the scenario of the rubric's own settings (first in every comparison)


@dataclass
class WhatIf:
    """The unit before and after, the period's league after, and per indicator the points gained."""

    before: pd.Series  # the unit's league row (daily, showcase, final, rank, grade, flag …)
    after: pd.Series
    gains: pd.DataFrame  # indicator, name, before, after, gain (only indicators whose points changed)
    league: pd.DataFrame  # the period's league after the change


def unit_what_if(obs: pd.DataFrame, rubric: Rubric, period: str, entity: str, facts: pd.DataFrame,
                 decisions: dict | None = None) -> WhatIf:
    """Re-score ``period`` with ``entity``'s facts replaced by ``facts`` (columns indicator, item, value[, ref, note]).

    ``obs``: the period's stored observation rows (every unit). Raises :class:`InputError` when the edited facts do
    not validate with the rest of the period (every problem, rows named 修改表第N行)."""
    mine = obs[obs["period"].astype(str) == period].reset_index(drop=True)
    group = mine.loc[mine["entity"] == entity, "group"]
    edited = facts.reindex(columns=FACT_COLUMNS).fillna("").astype(str)
    edited = edited[(edited != "").any(axis=1)].reset_index(drop=True)
    edited.insert(0, "period", period)
    edited.insert(1, "entity", entity)
    edited.insert(2, "group", group.iloc[0] if len(group) else "")
    edited["line"] = [f"修改表第{i + 1}行" for i in range(len(edited))]
    if "line" not in mine.columns:
        mine["line"] = [f"已存 {period} {e}" for e in mine["entity"]]
    others = mine[mine["entity"] != entity]
    before_clean, _ = validate(mine, rubric)
    after_clean, problems = validate(pd.concat([others, edited], ignore_index=True), rubric)
    if errors_only(problems):
        raise InputError(errors_only(problems))
    before, after = score_valid(before_clean, rubric, decisions), score_valid(after_clean, rubric, decisions)
    return WhatIf(_row(before, entity), _row(after, entity), _gains(before, after, entity, rubric), after.league)


def _row(scored: Scored, entity: str) -> pd.Series:
    league = scored.league
    return league[league["entity"] == entity].iloc[0]


def _gains(before: Scored, after: Scored, entity: str, rubric: Rubric) -> pd.DataFrame:
    cols = ["indicator", "points"]
    a = before.detail.loc[before.detail["entity"] == entity, cols].set_index("indicator")["points"]
    b = after.detail.loc[after.detail["entity"] == entity, cols].set_index("indicator")["points"]
    names = {i.code: i.name for i in rubric.indicators}
    out = pd.DataFrame({"indicator": a.index, "name": [names[c] for c in a.index], "before": a.to_numpy(),
                        "after": b.reindex(a.index).to_numpy()})
    out["gain"] = (out["after"] - out["before"]).round(4)
    return out[out["gain"] != 0].reset_index(drop=True)


@dataclass(frozen=True)
class Scenario:
    """A change of the rubric's settings: final weights ({component: weight}), the quota of the first grade, the
    award's tie-breakers on or off. None keeps the rubric's own."""

    name: str
    weights: dict[str, float] | None = None
    quota: int | None = None
    tie_breakers: bool | None = None

    def apply(self, rubric: Rubric) -> Rubric:
        update: dict = {}
        unknown = set(self.weights or {}) - {c.id for c in rubric.components}
        if unknown:
            raise ValueError(f"scenario {self.name!r}: unknown component(s) {sorted(unknown)}")
        if self.weights is not None:
            update["final"] = dict(self.weights)
        if self.quota is not None and rubric.grades:
            update["grades"] = [rubric.grades[0].model_copy(update={"top": self.quota, "min_final": None})] + \
                list(rubric.grades[1:])
        if self.tie_breakers is False and rubric.award is not None:
            update["award"] = rubric.award.model_copy(update={"tie_breakers": []})
        return rubric.model_copy(update=update)


def weight_scenarios(obs: pd.DataFrame, rubric: Rubric, scenarios: list[Scenario],
                     decisions: dict | None = None) -> pd.DataFrame:
    """Per scenario × unit: final, rank, grade and flag (the rubric's own settings first, as scenario "现行")."""
    clean, problems = validate(obs, rubric)
    if errors_only(problems):
        raise InputError(errors_only(problems))
    frames = []
    for scenario in [Scenario(CURRENT), *scenarios]:
        league = score_valid(clean, scenario.apply(rubric), decisions, reasons=False).league
        frames.append(league[["period", "group", "entity", "final", "rank", "grade", "flag"]]
                      .assign(scenario=scenario.name))
    return pd.concat(frames, ignore_index=True)
