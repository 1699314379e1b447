"""Read models of one unit against others: the town's "where did we lose, against whom" and its lost points
indicator by indicator over the periods.

:func:`comparison` puts the unit beside the leader and beside the last unit that still earned the top grade (the
last 好), indicator by indicator: our points, theirs, the difference, sorted by where we lose most. It reads the
other units' per-indicator points only — never their facts, reasons or notes — so a town account may see it.
:func:`lost_matrix` is the unit's lost points as indicators × periods with the change from the period before.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from queries.display import KIND_LABELS, category_heading, category_names, ordered, round_to, top_grade
from queries.league import group_league
from queries.statements import beside
from queries.store import Store

SQL = beside(__file__)
UP, DOWN, SAME = "↑", "↓", "→"  # more lost than the period before, less lost, the same
TOTAL = "合计（基础指标失分 + 减分）"


@dataclass(frozen=True)
class Comparison:
    """One unit beside the leader and the last graded unit, per indicator (only points)."""

    entity: str
    rivals: tuple[tuple[str, str], ...]  # (role in words, unit): e.g. ("第一名", "岭子镇"), ("最后一个“好”", …)
    table: pd.DataFrame  # 编号, 指标, 类别, 满分, <entity>, <rival>…, 差距（<role>）…  sorted by where we lose most
    decimals: int = 2
    note: str = ""  # e.g. "本单位即第一名"


def _rivals(league: pd.DataFrame, rubric, entity: str) -> list[tuple[str, str]]:
    """The leader and the last unit with the top grade (by rank, then name), other than ``entity``."""
    order = league.sort_values(["rank", "entity"])
    out = [("第一名", str(order["entity"].iloc[0]))]
    grade = top_grade(rubric)
    if grade is not None:
        graded = order[order["grade"] == grade.name]
        if len(graded):
            out.append((f"最后一个“{grade.name}”", str(graded["entity"].iloc[-1])))
    seen, unique = {entity}, []
    for role, unit in out:
        if unit not in seen:
            unique.append((role, unit))
            seen.add(unit)
    return unique


def comparison(store: Store, scheme: str, period: str, entity: str, grp: str | None = None) -> Comparison | None:
    """``entity`` against the leader and the last graded unit of its group in ``period`` (None: not scored)."""
    rubric = store.rubric(scheme)
    d = rubric.display_decimals
    league = group_league(store, scheme, period, grp)
    if entity not in set(league["entity"]):
        return None
    rivals = _rivals(league, rubric, entity)
    units = [entity] + [u for _, u in rivals]
    points = store.read(SQL.points_of_units, scheme=scheme, period=period, entities=units)
    wide = points.pivot(index="indicator", columns="entity", values="points")
    top = points.groupby("indicator")["max"].max()
    cats = category_names(rubric)
    rows = []
    for n, ind in enumerate(rubric.indicators):
        if ind.code not in wide.index:
            continue
        row = {"编号": ind.code, "指标": ind.name, "类别": cats.get(ind.category, ind.category),
               "类型": KIND_LABELS.get(ind.kind, ind.kind), "满分": float(top[ind.code]), "order": n}
        for unit in units:
            row[unit] = float(wide.at[ind.code, unit]) if unit in wide.columns else np.nan
        rows.append(row)
    table = pd.DataFrame(rows)
    for column in ["满分", *units]:
        table[column] = round_to(table[column], d)
    gap_columns = []
    for role, unit in rivals:
        column = f"差距（比{role}）"
        table[column] = round_to(table[entity] - table[unit], d)  # from the shown (rounded) points: adds up on paper
        gap_columns.append(column)
    if gap_columns:
        table["_worst"] = table[gap_columns].min(axis=1)
        table = table.sort_values(["_worst", "order"], kind="stable").drop(columns="_worst")
    table = table.drop(columns="order").reset_index(drop=True)
    note = "" if len(rivals) == 2 or top_grade(rubric) is None else f"{entity} 本身是第一名或最后一个获评单位。"
    if not rivals:
        note = f"{entity} 是本期第一名，没有可对比的单位。"
    return Comparison(entity=entity, rivals=tuple(rivals), table=table, decimals=d, note=note)


def change_arrow(before: float, now: float) -> str:
    """↑ more lost than the period before, ↓ less, → the same, '' when there is no period before."""
    if pd.isna(before) or pd.isna(now):
        return ""
    return UP if now > before else DOWN if now < before else SAME


@dataclass(frozen=True)
class LostMatrix:
    """A unit's lost points: indicators × periods (numbers for the heatmap, text with arrows for the table)."""

    periods: tuple[str, ...]
    numbers: pd.DataFrame  # 编号, 指标, <period>… (lost points, display-rounded); the total row after the
    # base indicators and penalties, the scored parts (风采展示) after it
    shown: pd.DataFrame  # the same as text with change arrows ("1.50 ↑")
    decimals: int = 2
    n_indicators: int = 0  # the first rows: base indicators and penalties (the heatmap's rows, on one scale)


def lost_matrix(store: Store, scheme: str, entity: str) -> LostMatrix:
    """Every indicator (that can lose points) × every period of ``entity``, time order; the change arrow compares
    a cell with the same indicator in the period before."""
    rubric = store.rubric(scheme)
    d = rubric.display_decimals
    rows = store.read(SQL.unit_losses, scheme=scheme, entity=entity)
    periods = ordered(rubric, rows["period"].unique())
    wide = rows.pivot_table(index="indicator", columns="period", values="lost", aggfunc="sum")
    codes = [i for i in rubric.indicators if i.code in wide.index]
    daily = [i for i in codes if i.kind != "score"]  # the scored parts apart (风采展示 is on its own scale)
    ordered_codes = daily + [i for i in codes if i.kind == "score"]
    numbers = pd.DataFrame({"编号": [i.code for i in ordered_codes],
                            "指标": [category_heading(i.code, i.name)
                                   for i in ordered_codes]})
    for p in periods:
        numbers[p] = (round_to(wide.loc[[i.code for i in ordered_codes], p].to_numpy(dtype="float64"), d)
                      if codes else [])
    total = {"编号": TOTAL, "指标": TOTAL}
    total.update({p: float(round_to(numbers[p].iloc[:len(daily)].sum(), d)) for p in periods})
    numbers = pd.concat([numbers.iloc[:len(daily)], pd.DataFrame([total]), numbers.iloc[len(daily):]],
                        ignore_index=True)
    shown = numbers[["指标"]].copy()
    for n, p in enumerate(periods):
        before = numbers[periods[n - 1]] if n else pd.Series(np.nan, index=numbers.index)
        shown[p] = [("—" if pd.isna(v) else f"{v:.{d}f}") + (f" {change_arrow(b, v)}" if n else "")
                    for b, v in zip(before, numbers[p])]
    return LostMatrix(periods=tuple(periods), numbers=numbers, shown=shown, decimals=d, n_indicators=len(daily))
