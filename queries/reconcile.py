"""Shown to 2 decimals, ranked to 4: what a page says so that shown numbers reconcile.

- :func:`score_parts`: a unit's final built up from its parts as the town page shows it — 基础分 + 加分 − 减分 =
  日常评估, then the final's formula — each part rounded for display; where the shown parts do not add up to the
  shown total (rounding), a note gives the 4-decimal figures that decided it.
- :func:`rank_notes`: where two units of a league show the same total at the display decimals but have
  different ranks, a note with the 4-decimal finals that separated them.
"""
from __future__ import annotations

import pandas as pd

from queries.display import component_labels, final_formula, rounded
from scoring.rubric import Rubric

PART_NAMES = {"base": "基础分", "bonus": "加分", "penalty": "减分", "score": "评分"}
PARTS_COLUMNS = ["部分", "满分", "得分", "失分"]
SIGNS = {"base": "+", "bonus": "+", "penalty": "−", "score": "+"}


def _fmt(value: float, d: int) -> str:
    return f"{value:.{d}f}"


def score_parts(rubric: Rubric, detail: pd.DataFrame, league_row: pd.Series) -> tuple[pd.DataFrame, list[str]]:
    """(table, notes): rows 部分, 满分, 得分, 失分 — per component its parts by kind (基础分, 加分, 减分 shown as a
    positive amount deducted) and the component as the sum of them, then 总分 by the final's formula.

    ``detail``: the unit's per-indicator rows (indicator, kind, points, max); ``league_row``: its league row (the
    components by id, final). Notes appear only where shown parts do not add up to the shown total.
    """
    d = rubric.display_decimals
    names = component_labels(rubric)
    rows, notes = [], []
    for comp in rubric.components:
        codes = {i.code for i in rubric.component_indicators(comp)}
        part = detail[detail["indicator"].isin(codes)]
        if comp.id not in league_row.index:
            continue
        value4 = float(league_row[comp.id])
        kinds = [k for k in ("base", "score", "bonus", "penalty") if (part["kind"] == k).any()]
        exact, shown = [], []
        for kind in kinds:
            of_kind = part[part["kind"] == kind]
            got4 = float(of_kind["points"].sum())
            amount4 = -got4 if kind == "penalty" else got4
            if kind in ("base", "score"):
                top = rounded(of_kind["max"].sum(), d)
                got = rounded(got4, d)
                label = PART_NAMES[kind] if len(kinds) > 1 else names[comp.id]
                rows.append({"部分": label, "满分": top, "得分": got, "失分": rounded(top - got, d)})
            else:
                rows.append({"部分": PART_NAMES[kind], "满分": None, "得分": rounded(amount4, d), "失分": None})
            exact.append((kind, amount4))
            shown.append((kind, rounded(amount4, d)))
        if len(kinds) > 1:
            formula = " ".join(f"{SIGNS[k] if n else ''} {PART_NAMES[k]}".strip() for n, (k, _) in enumerate(shown))
            rows.append({"部分": f"{names[comp.id]} = {formula}", "满分": None, "得分": rounded(value4, d),
                         "失分": None})
            total_shown = sum(-v if k == "penalty" else v for k, v in shown)
            if rounded(total_shown, d) != rounded(value4, d):
                four = " ".join(f"{SIGNS[k] if n else ''} {PART_NAMES[k]} {_fmt(v, 4)}".strip()
                                for n, (k, v) in enumerate(exact))
                notes.append(f"{names[comp.id]}：显示的各部分按 {d} 位小数四舍五入，相加为 {_fmt(total_shown, d)}，"
                             f"与显示的 {names[comp.id]} {_fmt(rounded(value4, d), d)} 不同；按 4 位小数：{four} "
                             f"= {_fmt(value4, 4)}。")
    final4 = float(league_row["final"])
    if len(rubric.final) > 1 or any(w != 1 for w in rubric.final.values()):
        rows.append({"部分": f"总分 = {final_formula(rubric)}", "满分": None, "得分": rounded(final4, d), "失分": None})
        parts = {cid: rounded(float(league_row[cid]), d) for cid in rubric.final}
        total_shown = sum(parts[cid] * w for cid, w in rubric.final.items())
        if rounded(total_shown, d) != rounded(final4, d):
            four = " + ".join(f"{names[cid]} {_fmt(float(league_row[cid]), 4)} × {w * 100:g}%"
                              for cid, w in rubric.final.items())
            notes.append(f"总分：按显示的 {d} 位小数计算为 {_fmt(total_shown, d)}，与显示的总分 "
                         f"{_fmt(rounded(final4, d), d)} 不同；按 4 位小数：{four} = {_fmt(final4, 4)}。")
    return pd.DataFrame(rows, columns=PARTS_COLUMNS), notes


def rank_notes(league: pd.DataFrame, rubric: Rubric) -> list[str]:
    """Pairs of units next in rank that show the same final at the display decimals but rank differently."""
    d = rubric.display_decimals
    if d >= 4:
        return []
    order = league.sort_values(["rank", "entity"]).reset_index(drop=True)
    notes = []
    for a, b in zip(order.iloc[:-1].itertuples(), order.iloc[1:].itertuples()):
        if a.rank != b.rank and rounded(a.final, d) == rounded(b.final, d):
            notes.append(f"{a.entity}（第 {a.rank} 名）与 {b.entity}（第 {b.rank} 名）显示的总分同为 "
                         f"{_fmt(rounded(a.final, d), d)}，按 4 位小数比较：{_fmt(a.final, 4)} > {_fmt(b.final, 4)}，"
                         "所以名次不同。")
    return notes

