"""Read models of the trends page: any metric of every unit across periods, as long and pivoted frames.

A metric is named by a key: ``final``, ``rank``, ``bonus``, ``penalty``, ``comp:<component id>``,
``cat:<category code>:points|lost`` or ``ind:<indicator code>:points|lost``; :func:`metric_options` lists
the keys a rubric offers with their Chinese labels, so the page never knows a scheme's indicators.
"""
from __future__ import annotations

import pandas as pd

from queries.display import category_names, component_labels, ordered, round_to
from queries.statements import beside
from queries.store import Store
from scoring.rubric import Rubric

SQL = beside(__file__)

LONG_COLUMNS = ["期间", "单位", "数值"]
TOTALS = {"final": "总分", "rank": "名次", "bonus": "加分合计", "penalty": "减分合计"}
PART = {"points": "得分", "lost": "失分"}


def totals(store: Store, scheme: str) -> pd.DataFrame:
    """Every unit's totals in every period: period, grp, entity, base, bonus, penalty, final, rank, grade, flag."""
    return store.read(SQL.trend_totals, scheme=scheme)


def indicators(store: Store, scheme: str) -> pd.DataFrame:
    """Every unit's points and lost points per indicator in every period (with category and kind)."""
    return store.read(SQL.trend_indicators, scheme=scheme)


def metric_options(rubric: Rubric, ranked: bool = True) -> dict[str, str]:
    """{metric key: Chinese label} in the order the picker shows them. Only entries that mean something: no
    rank where units are not ranked (one unit), no lost points of a bonus or a penalty (they have no max to lose
    from: their points are the amount added or deducted)."""
    out = {"final": "总分"}
    if ranked:
        out["rank"] = "名次（总分）"
    out.update({f"comp:{cid}": name for cid, name in component_labels(rubric).items()})
    if any(i.kind == "bonus" for i in rubric.indicators):
        out["bonus"] = TOTALS["bonus"]
    if any(i.kind == "penalty" for i in rubric.indicators):
        out["penalty"] = TOTALS["penalty"]
    scored = {c.code: any(i.kind in ("base", "score") for i in c.indicators) for c in rubric.categories}
    for code, name in category_names(rubric).items():
        for part, word in PART.items():
            if part == "points" or scored[code]:
                out[f"cat:{code}:{part}"] = f"类别 {name}：{word}"
    for ind in rubric.indicators:
        label = f"指标 {ind.code} {ind.name}" if ind.code[:1].isdigit() else f"指标 {ind.name}"
        if ind.kind == "bonus":
            out[f"ind:{ind.code}:points"] = f"{label}（加分）"
        elif ind.kind == "penalty":
            out[f"ind:{ind.code}:points"] = f"{label}（扣分，负数）"
        else:
            for part, word in PART.items():
                out[f"ind:{ind.code}:{part}"] = f"{label}：{word}"
    return out


def metric_ranks(long: pd.DataFrame, higher_is_better: bool = True) -> pd.DataFrame:
    """Every unit's place by a metric in each period (competition ranking: 1, 1, 3), long format like ``long``:
    the bump chart of the chosen metric."""
    out = long.copy()
    out["数值"] = out.groupby("期间", sort=False)["数值"].rank(method="min", ascending=not higher_is_better)
    return out.dropna(subset=["数值"]).astype({"数值": "int64"}).reset_index(drop=True)


def metric_category(metric: str, rubric: Rubric) -> str | None:
    """The category a category or indicator metric belongs to (None for totals and components)."""
    kind, _, rest = metric.partition(":")
    code = rest.rpartition(":")[0]
    if kind == "cat":
        return code
    if kind == "ind":
        return rubric.indicator(code).category
    return None


def _long(frame: pd.DataFrame, value: str, rubric: Rubric) -> pd.DataFrame:
    """期间, 单位, 数值 in time order, rounded to the rubric's display decimals (ranks stay whole)."""
    values = frame[value].astype("float64")
    out = pd.DataFrame({"期间": frame["period"].astype(str), "单位": frame["entity"].astype(str),
                        "数值": values if value == "rank" else round_to(values, rubric.display_decimals)})
    pos = {p: i for i, p in enumerate(ordered(rubric, out["期间"].unique()))}
    out["pos"] = out["期间"].map(pos)
    return out.sort_values(["pos", "单位"], kind="stable").drop(columns="pos").reset_index(drop=True)


def metric_long(store: Store, scheme: str, metric: str, grp: str) -> pd.DataFrame:
    """Every unit of a group in every period (time order): one metric, long format (期间, 单位, 数值)."""
    rubric = store.rubric(scheme)
    if metric in TOTALS:
        mine = totals(store, scheme)
        mine = mine[mine["grp"] == grp]
        if metric == "penalty":
            mine = mine.assign(penalty=-mine["penalty"])  # shown as a positive amount deducted
        return _long(mine, metric, rubric)
    kind, _, rest = metric.partition(":")
    if kind == "comp":
        comps = store.read(SQL.trend_components, scheme=scheme)
        return _long(comps[(comps["grp"] == grp) & (comps["component"] == rest)], "value", rubric)
    code, _, part = rest.rpartition(":")
    if kind not in ("cat", "ind") or part not in PART:
        raise KeyError(f"unknown trend metric {metric!r}")
    detail = indicators(store, scheme)
    detail = detail[(detail["grp"] == grp) & (detail["category" if kind == "cat" else "indicator"] == code)]
    summed = detail.groupby(["period", "entity"], as_index=False)[part].sum()
    return _long(summed, part, rubric)


def select(long: pd.DataFrame, units: list[str] | None, periods: list[str] | None) -> pd.DataFrame:
    """The slice of a long frame for some units and periods (None = all)."""
    keep = pd.Series(True, index=long.index)
    if units is not None:
        keep &= long["单位"].isin(units)
    if periods is not None:
        keep &= long["期间"].isin(periods)
    return long[keep].reset_index(drop=True)


def pivot(long: pd.DataFrame, higher_is_better: bool = True) -> pd.DataFrame:
    """Units × periods (a column per period), best average first; the table under the heatmap."""
    if long.empty:
        return pd.DataFrame(columns=["单位"])
    wide = long.pivot(index="单位", columns="期间", values="数值")[list(dict.fromkeys(long["期间"]))]
    order = wide.mean(axis=1).sort_values(ascending=not higher_is_better, kind="stable").index
    wide = wide.loc[order]
    wide.columns = [str(c) for c in wide.columns]
    return wide.reset_index()


def category_means(store: Store, scheme: str, grp: str, units: list[str] | None = None,
                   periods: list[str] | None = None, within: str | None = None) -> pd.DataFrame:
    """Per period and scored category: the units' mean points, the category max and the mean share (得分率 %).
    ``within`` a category code: the same per indicator of that category (column 类别 then names the indicator).

    Bonus/penalty categories have no fixed max and are left out (see the metric picker for them).
    """
    rubric = store.rubric(scheme)
    detail = indicators(store, scheme)
    detail = detail[(detail["grp"] == grp) & detail["kind"].isin(["base", "score"])]
    if units is not None:
        detail = detail[detail["entity"].isin(units)]
    if periods is not None:
        detail = detail[detail["period"].isin(periods)]
    if within is not None:  # one category's indicators, each as a line
        detail = detail[detail["category"] == within].copy()
        names = {i.code: f"{i.code} {i.name}" for i in rubric.indicators}
        detail["category"] = detail["indicator"]
        order = {i.code: n for n, i in enumerate(rubric.indicators)}
    per_unit = detail.groupby(["period", "category", "entity"], as_index=False)[["points", "max"]].sum()
    means = per_unit.groupby(["period", "category"], as_index=False)[["points", "max"]].mean()
    if within is None:
        order = {c.code: n for n, c in enumerate(rubric.categories)}
        names = category_names(rubric)
    when = {p: n for n, p in enumerate(ordered(rubric, means["period"].unique()))}
    means = means.assign(order=means["category"].map(order), when=means["period"].map(when))
    means = means.sort_values(["when", "order"], kind="stable")
    d = rubric.display_decimals
    return pd.DataFrame({
        "期间": means["period"].astype(str), "类别": means["category"].map(names).fillna(means["category"]),
        "平均得分": round_to(means["points"], d), "满分": round_to(means["max"], d),
        "得分率%": round_to(100 * means["points"] / means["max"].where(means["max"] > 0), 2),
    }).reset_index(drop=True)


def lower_is_better(metric: str) -> bool:
    """Metrics where a smaller number is better (rank, lost points, penalties)."""
    return metric == "rank" or metric == "penalty" or metric.endswith(":lost")
