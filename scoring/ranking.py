"""Ranks, grades and the award (the red flag), with exact comparison and explicit tie handling.

Seed 002 (三、结果运用): "根据日常评估和风采展示总分，评选出 4 个“好”等次，“好”等次中得分最高的授予“担当作为”流动红旗。"
- Ranks are competition ranks (1, 1, 3) within period and group, always: "评选出 4 个好" counts the units strictly
  ahead, whatever tie method the rank ladders use (the rubric's ``tie_method`` applies to the ladders only).
- Finals are compared exactly: the 4-decimal figures as integers in units of 0.0001.
- A grade by rank (``top: 4``) goes to every unit with rank ≤ 4, so a tie at the cutoff gives more (并列).
- The award is one physical flag for the rank-1 unit. A tie at rank 1 is broken by the rubric's
  tie-breakers (a local rule, labelled as such); if still tied, every tied unit is marked pending
  (待定) until the office records a decision.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.codes import text_codes
from scoring.exact import units4
from scoring.rubric import Rubric
from scoring.rules.rank import rank_within

GROUP_KEYS = ["period", "group"]


def rank_league(league: pd.DataFrame, rubric: Rubric, decisions: dict | None = None) -> pd.DataFrame:
    """Add ``rank``, ``grade``, ``flag`` and ``award_note`` to a league frame (one row per unit).

    ``decisions`` maps (period, group) → entity for pending awards the office has decided.
    """
    league = league.copy()
    codes = group_codes(league)
    key = units4(league["final"].to_numpy(dtype="float64"))
    league["rank"] = rank_within(key, codes, "competition")
    league["grade"] = ""
    for grade in reversed(rubric.grades):  # earlier grades win: apply them last
        hit = league["rank"] <= grade.top if grade.top is not None else key >= units4(grade.min_final)
        league.loc[np.asarray(hit) & (league["grade"] == ""), "grade"] = grade.name
    league["flag"] = ""
    league["award_note"] = ""
    if rubric.award is not None:
        _assign_award(league, rubric, decisions or {}, codes)
    league = league.sort_values(["period", "group", "rank", "entity"], kind="stable").reset_index(drop=True)
    return league


def group_codes(frame: pd.DataFrame) -> np.ndarray:
    """Integer code of each row's (period, group), the unit of competition."""
    if len(frame) == 0:
        return np.zeros(0, dtype="int64")
    period, _ = text_codes(frame["period"])
    group, groups = text_codes(frame["group"])
    return pd.factorize(period * len(groups) + group)[0]


def _assign_award(league: pd.DataFrame, rubric: Rubric, decisions: dict, codes: np.ndarray) -> None:
    award = rubric.award
    first = (league["rank"] == 1).to_numpy()
    cand = first & (league["grade"] == award.requires_grade).to_numpy() if award.requires_grade else first
    n_cands = np.bincount(codes[cand], minlength=codes.max(initial=-1) + 1)
    alone = cand & (n_cands[codes] == 1)  # the usual case: one rank-1 unit takes the award, no note
    league.loc[alone, "flag"] = award.mark
    shared = cand & (n_cands[codes] > 1)
    if not shared.any():
        return
    top = league[shared]
    names = {c.id: c.name for c in rubric.components}
    in_shared = first & np.isin(codes, np.unique(codes[shared]))  # rank-1 units of the groups with a tie only
    rank1_of = pd.Series(league.index[in_shared]).groupby(codes[in_shared]).agg(list).to_dict()
    for (period, group, code), cands in top.groupby(["period", "group", codes[shared]], sort=False):
        idx = list(cands.index)
        steps = []
        if len(idx) > 1:
            tied = "、".join(league.loc[idx, "entity"])
            steps.append(f"{tied} 总分并列第一")
            for tb in award.tie_breakers:
                vals = pd.Series(units4(league.loc[idx, tb].to_numpy(dtype="float64")), index=idx)
                best = vals.max()
                kept = list(vals[vals == best].index)
                if len(kept) < len(idx):
                    steps.append(f"比较{names.get(tb, tb)}：{'、'.join(league.loc[kept, 'entity'])}较高")
                idx = kept
                if len(idx) == 1:
                    break
        decided = decisions.get((period, group))
        if len(idx) == 1:
            league.loc[idx, "flag"] = award.mark
            if steps:
                steps.append(f"按{award.tie_breakers_label or '并列处理规则'}，{award.mark}授予 {league.loc[idx[0], 'entity']}")
        elif decided is not None and decided in set(league.loc[idx, "entity"]):
            winner = [i for i in idx if league.loc[i, "entity"] == decided]
            league.loc[winner, "flag"] = award.mark
            steps.append(f"仍并列，由办公室决定授予 {decided}")
        else:
            league.loc[idx, "flag"] = award.pending_mark
            steps.append(f"仍并列：{'、'.join(league.loc[idx, 'entity'])} 均标为{award.pending_mark}，请办公室决定")
        league.loc[rank1_of[code], "award_note"] = "；".join(steps)
