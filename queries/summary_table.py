"""Read model of the 考核得分汇总表: every unit × every indicator of one or several periods, with a 小计 per
category, the components (日常评估, 风采展示), 总分, 名次 and 等次 — the table an analyst lays out by hand in Excel.

Two layouts of several periods:
- ``stacked`` (上下堆叠): one row per period and unit; columns grouped by category (category over indicator);
- ``side`` (左右并排): one row per unit; for each period its 小计s, components, 总分, 名次, 等次 (period over column).
Each column carries its two header levels (:attr:`SummaryTable.header`), so the XLSX export merges the upper one.
Numbers are rounded for display once here; a 小计 is the sum of the exact (4-decimal) points, then rounded. A table
with a period not yet 已发布 says 草稿 / 公示稿 in its title (:func:`queries.workflow.export_mark`).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from queries.display import category_heading, component_labels, ordered, period_label, round_to, top_grade
from queries.statements import beside
from queries.store import Store
from queries.workflow import export_mark

SQL = beside(__file__)
LAYOUTS = {"stacked": "上下堆叠（每期一组行）", "side": "左右并排（每期一组列）"}
SUBTOTAL = "小计"
TOTALS_HEADING = "合计"


@dataclass(frozen=True)
class SummaryTable:
    """The table as shown and exported: ``frame`` with flat, unique column names; ``header`` the (upper, lower)
    heading of each column (upper "" for the key columns 期间/单位); ``number_columns`` those holding points."""

    title: str
    frame: pd.DataFrame
    header: tuple[tuple[str, str], ...]
    number_columns: tuple[str, ...]
    decimals: int = 2
    layout: str = "stacked"
    marks: tuple[str, ...] = ()  # 草稿 / 公示稿 when a period is not yet 已发布 (in the title and the file name)


def _columns(rubric) -> list[tuple[str, str, str, tuple[str, ...], bool]]:
    """(upper heading, lower heading, flat name, indicator codes summed, whether it sums up its category) of the
    indicator part, in rubric order: each indicator, then the category's 小计 when it has several indicators (a
    category of one indicator is its own sum). Directly given scores (风采展示) are components, shown under 合计."""
    out = []
    for cat in rubric.categories:
        inds = [i for i in cat.indicators if i.kind != "score"]
        if not inds:
            continue
        heading = category_heading(cat.code, cat.name)
        for ind in inds:
            label = f"{ind.code} {ind.name}"
            out.append((heading, label, label, (ind.code,), len(inds) == 1))
        if len(inds) > 1:
            out.append((heading, SUBTOTAL, f"{cat.code} {SUBTOTAL}", tuple(i.code for i in inds), True))
    return out


def _period_block(rubric, points: pd.DataFrame, totals: pd.DataFrame, comps: pd.DataFrame,
                  period: str, subtotals_only: bool) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """One period: a frame indexed by unit and its columns' (upper, lower) headings."""
    d = rubric.display_decimals
    mine = points[points["period"] == period].pivot(index="entity", columns="indicator", values="points")
    tot = totals[totals["period"] == period].set_index("entity")
    block = pd.DataFrame(index=tot.sort_values(["rank", "entity"]).index)
    header = []
    for upper, lower, name, codes, sums_category in _columns(rubric):
        if subtotals_only and not sums_category:
            continue  # side by side: one column per category (its 小计), so several periods fit
        have = [c for c in codes if c in mine.columns]
        block[name] = round_to(mine.reindex(block.index)[have].sum(axis=1, min_count=1), d) if have else float("nan")
        header.append((upper, lower))
    names = component_labels(rubric)
    cw = comps[comps["period"] == period].pivot(index="entity", columns="component", values="value")
    for comp in rubric.components:
        if comp.id in cw.columns:
            block[names[comp.id]] = round_to(cw.reindex(block.index)[comp.id], d)
            header.append((TOTALS_HEADING, names[comp.id]))
    if len(rubric.components) > 1 or names.get(rubric.components[0].id) != "总分":
        block["总分"] = round_to(tot.loc[block.index, "final"], d)
        header.append((TOTALS_HEADING, "总分"))
    if len(block) > 1:
        block["名次"] = tot.loc[block.index, "rank"].astype("int64")
        header.append((TOTALS_HEADING, "名次"))
    if top_grade(rubric) is not None:
        block["等次"] = tot.loc[block.index, "grade"].astype(str)
        header.append((TOTALS_HEADING, "等次"))
    return block, header


def summary_table(store: Store, scheme: str, periods: tuple[str, ...], grp: str = "",
                  layout: str = "stacked") -> SummaryTable:
    """The 汇总表 of ``periods`` (time order kept) of one group in ``layout`` (see :data:`LAYOUTS`)."""
    if layout not in LAYOUTS:
        raise KeyError(f"unknown layout {layout!r} (known: {', '.join(LAYOUTS)})")
    rubric = store.rubric(scheme)
    periods = tuple(ordered(rubric, periods))
    args = {"scheme": scheme, "grp": grp, "periods": list(periods)}
    points = store.read(SQL.summary_points, **args)
    totals = store.read(SQL.summary_totals, **args)
    comps = store.read(SQL.summary_components, **args)
    words = [period_label(p, rubric.period_kind) for p in periods]
    marks = tuple(dict.fromkeys(m for m in (export_mark(store, scheme, p) for p in periods) if m))
    title = f"{rubric.name}考核得分汇总表（{'、'.join(words) if len(words) <= 3 else words[0] + '至' + words[-1]}）"
    title += f"（{'、'.join(marks)}）" if marks else ""
    blocks = [(p, *_period_block(rubric, points, totals, comps, p, layout == "side")) for p in periods
              if (totals["period"] == p).any()]
    if layout == "stacked":
        frames, header = [], [("", "期间"), ("", "单位")]
        for p, block, head in blocks:
            frames.append(block.reset_index(names="单位").assign(期间=p))
            header = header[:2] + head
        frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["期间", "单位"])
        frame = frame[["期间", "单位", *[c for c in frame.columns if c not in ("期间", "单位")]]]
    else:
        units = sorted({u for _, block, _ in blocks for u in block.index})
        if blocks:  # units in the order of the latest period's ranking
            latest = blocks[-1][1].index.tolist()
            units = latest + [u for u in units if u not in latest]
        frame, header = pd.DataFrame({"单位": units}), [("", "单位")]
        for p, block, head in blocks:
            for column in block.columns:
                frame[f"{p} {column}"] = block[column].reindex(units).to_numpy()
                header.append((period_label(p, rubric.period_kind), column))
    numbers = tuple(c for c in frame.columns if pd.api.types.is_float_dtype(frame[c]))
    return SummaryTable(title=title, frame=frame.reset_index(drop=True), header=tuple(header),
                        number_columns=numbers, decimals=rubric.display_decimals, layout=layout, marks=marks)
