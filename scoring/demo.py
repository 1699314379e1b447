"""Synthetic but plausible demo observations (演示数据) for any rubric, deterministic from a seed.

Each unit has a latent quality that drifts across periods, so ranks move but do not jump at random.
Values respect every item's kind and range, so the data always validates. For rubrics with a
好-style grade and an award, three periods get constructed ties (checked by scoring): a full tie at
the top (待定 until the office decides), a top tie broken by the tie-breakers, and a tie at the grade
cutoff (more units than the quota get the grade).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.rubric import Rubric

QUARTERS = [f"{y}Q{q}" for y in (2022, 2023) for q in (1, 2, 3, 4)]
DEMO_NOTE = "演示数据"


def _short(v) -> str:
    return f"{float(v):.4f}".rstrip("0").rstrip(".")


def demo_periods(rubric: Rubric) -> list[str]:
    """The periods the demo fills: the rubric's ``demo.periods``, else its contract-year months, else by kind."""
    if rubric.demo.periods:
        return list(rubric.demo.periods)
    if rubric.windows:
        return [m for w in rubric.windows for m in w.months()]
    return {"quarter": QUARTERS, "month": [f"2023-{m:02d}" for m in range(1, 13)], "year": ["2024"]}[rubric.period_kind]


def demo_observations(rubric: Rubric, entities: list[str], periods: list[str] | None = None, seed: int = 2022,
                      groups: dict[str, str] | None = None) -> pd.DataFrame:
    """Observations for every entity × period, in the interchange format (+ ``group``)."""
    rng = np.random.default_rng(seed)
    periods = periods or QUARTERS
    rate = rubric.demo.finding_rate
    quality = {e: rng.normal(0, 1) for e in entities}
    rows: list[dict] = []
    for period in periods:
        for e in entities:
            quality[e] = 0.5 * quality[e] + 0.85 * rng.normal(0, 1)
            q = quality[e]
            for ind in rubric.indicators:
                own = ind.rule.demo_rows(rng, ind, q, period, e, rate)  # events draw their own rows
                if own is not None:
                    rows += [{"period": period, "entity": e, **r} for r in own]
                    continue
                unit_rows = []
                for spec in ind.rule.items(ind):
                    value = spec.item_kind.demo(rng, spec, q, rate, award=ind.rule.type == "award")
                    if value is None:
                        continue  # demo data ranks by measure (实绩), never by a given place
                    unit_rows.append({"period": period, "entity": e, "indicator": ind.code, "item": spec.name,
                                      "value": value, "ref": ""})
                rows += ind.rule.demo_fix(unit_rows, e)  # a rule may make its rows consistent (a site's type)
    frame = pd.DataFrame(rows)
    frame["note"] = DEMO_NOTE
    frame["group"] = frame["entity"].map(groups).fillna("") if groups else ""
    return frame[["period", "entity", "indicator", "item", "value", "ref", "note", "group"]].reset_index(drop=True)


def copy_unit(frame: pd.DataFrame, period: str, source: str, target: str) -> pd.DataFrame:
    """Replace ``target``'s rows in ``period`` by a copy of ``source``'s (refs renamed to stay distinct)."""
    keep = frame[~((frame["period"] == period) & (frame["entity"] == target))]
    copied = frame[(frame["period"] == period) & (frame["entity"] == source)].copy()
    copied["entity"] = target
    copied["ref"] = copied["ref"].str.replace(source, target, regex=False)
    return pd.concat([keep, copied], ignore_index=True)


def _top(league: pd.DataFrame, period: str, n: int) -> list[str]:
    part = league[league["period"] == period].sort_values(["rank", "entity"])
    return list(part["entity"].iloc[:n])


def _period_league(frame: pd.DataFrame, rubric: Rubric, period: str) -> pd.DataFrame:
    from scoring.engine import score

    league = score(frame[frame["period"] == period], rubric).league
    return league


def with_tie_scenarios(frame: pd.DataFrame, rubric: Rubric, periods: list[str]) -> pd.DataFrame:
    """Construct the ties an office must see handled (see module docstring); each is checked by scoring.

    Copying a unit moves the others' measured (实绩) ranks too, so every construction is verified and
    candidate pairs are tried in order until the intended tie appears.
    """
    if rubric.award is None or not rubric.grades or len(periods) < 7:
        return frame
    mark, pending = rubric.award.mark, rubric.award.pending_mark

    def first_that(period: str, pairs, tweak, ok):
        nonlocal frame
        for src, dst in pairs:
            for trial in tweak(copy_unit(frame, period, src, dst), period, dst):
                if ok(_period_league(trial, rubric, period)):
                    frame = trial
                    return True
        return False

    def ranked(period: str, n: int) -> list[str]:
        return _top(_period_league(frame, rubric, period), period, n)

    def as_is(trial, period, dst):
        return [trial]

    # 1. a full tie at the top: both pending (待定) until the office decides
    top = ranked(periods[3], 6)
    first_that(periods[3], [(top[0], d) for d in top[1:]], as_is, lambda lg: (lg["flag"] == pending).sum() == 2)

    # 2. a top tie broken by the tie-breakers: the copy's daily moves by 3 points (an event worth 3) and its
    #    showcase by 7 the other way (0.7·3 = 0.3·7), so finals stay equal and the tie-breakers decide
    showcase = next((i for i in rubric.indicators if i.kind == "score"), None)
    moves = [(i, lvl, -7 if i.kind == "bonus" else 7) for i in rubric.indicators if i.kind in ("bonus", "penalty")
             for lvl, pts in i.rule.event_levels().items() if pts == 3]
    if showcase is not None and moves:
        def shifted(trial, period, dst):
            sel = (trial["period"] == period) & (trial["entity"] == dst) & (trial["indicator"] == showcase.code)
            old = float(trial.loc[sel, "value"].iloc[0])
            out = []
            for ind, level, delta in moves:
                if 0 <= old + delta <= (showcase.rule.items(showcase)[0].hi or 100):
                    t = trial.copy()
                    t.loc[sel, "value"] = _short(old + delta)
                    out.append(pd.concat([t, t.loc[sel].assign(indicator=ind.code, item=level, value="1", ref="")],
                                         ignore_index=True))
            return out

        for period in [periods[i] for i in (5, 4, 2, 1, 7, 0) if i < len(periods)]:
            top = ranked(period, 6)
            if first_that(period, [(top[0], d) for d in top[1:]], shifted,
                          lambda lg: (lg["rank"] == 1).sum() == 2 and (lg["flag"] == mark).sum() == 1):
                break

    # 3. a tie at the grade cutoff: the quota's last place is shared, so more units get the grade
    quota = next((g.top for g in rubric.grades if g.top), None)
    if quota and quota > 1:
        near = ranked(periods[6], quota + 3)[quota - 2:]
        first_that(periods[6], list(zip(near, near[1:])), as_is, lambda lg: (lg["rank"] == quota).sum() >= 2)
    return frame.reset_index(drop=True)
