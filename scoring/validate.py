"""Validate observations against a rubric, reporting every problem at once with its line.

Checks (vectorised over all rows): period format; entity present (and in the roster when one is
given); indicator and item known; value of the right kind (whole count ≥ 0, 1/0 or 是/否, number within
bounds, a 酌情扣分 of 0 or within its range, a known tier label); duplicate single-valued facts; a ref
row whose value is not 1; a rank indicator mixing 名次 and 实绩 in one period; one group per unit; and
completeness: every unit has every base indicator's items, every month, and its showcase score.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from scoring.exact import fmt_points
from scoring.problems import Problem
from scoring.rubric import Rubric
from scoring.rules.base import ItemSpec

PERIOD_PATTERNS = {
    "quarter": (re.compile(r"^\d{4}Q[1-4]$"), "2022Q3"),
    "month": (re.compile(r"^\d{4}-(0[1-9]|1[0-2])$"), "2023-05"),
    "year": (re.compile(r"^\d{4}$"), "2024"),
}
FLAG_WORDS = {"1": 1.0, "0": 0.0, "是": 1.0, "否": 0.0, "有": 1.0, "无": 0.0}
KIND_WORDS = {
    "count": "非负整数 (a whole number ≥ 0)",
    "flag": "1/0 或 是/否 (1/0, yes/no)",
    "number": "数字 (a number)",
    "judged": "数字 (a number)",
    "measure": "数字 (a number)",
    "label": "档次名称 (a tier label)",
}


def spec_table(rubric: Rubric) -> pd.DataFrame:
    """One row per (indicator, item) the rubric knows, with the item's spec."""
    rows = []
    for ind in rubric.indicators:
        for pos, spec in enumerate(ind.rule.items(ind)):
            rows.append({"indicator": ind.code, "item": spec.name, "spec_pos": pos, "ind_kind": ind.kind})
    return pd.DataFrame(rows)


def _spec(rubric: Rubric, code: str, item: str) -> ItemSpec:
    ind = rubric.indicator(code)
    return next(s for s in ind.rule.items(ind) if s.name == item)


def _who(row) -> str:
    return f"{row.period} {row.entity} 指标 {row.indicator}"


def validate(obs: pd.DataFrame, rubric: Rubric, roster: set[str] | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Check ``obs`` (from :mod:`scoring.reader`) against ``rubric``.

    Returns the rows with a parsed ``num`` column, and every problem found (errors and warnings).
    The returned frame is only meaningful when there are no errors.
    """
    problems: list[Problem] = []
    obs = obs.reset_index(drop=True).copy()
    for col in ("ref", "note", "group"):
        if col not in obs.columns:
            obs[col] = ""
    if "line" not in obs.columns:
        obs["line"] = [f"第{i + 2}行" for i in range(len(obs))]
    obs["num"] = np.nan

    # -- period, entity -------------------------------------------------------------------------
    pattern, example = PERIOD_PATTERNS[rubric.period_kind]
    bad_period = ~obs["period"].str.match(pattern)
    for line, value in zip(obs.loc[bad_period, "line"], obs.loc[bad_period, "period"]):
        problems.append(Problem(line, f"期间 period “{value}” 格式不对，应为 {example} 这样的格式"
                                      f" (period must look like {example})"))
    no_entity = obs["entity"] == ""
    for line in obs.loc[no_entity, "line"]:
        problems.append(Problem(line, "单位 entity 为空 (entity is empty)"))
    if roster is not None:
        unknown = ~no_entity & ~obs["entity"].isin(list(roster))
        for line, value in zip(obs.loc[unknown, "line"], obs.loc[unknown, "entity"]):
            problems.append(Problem(line, f"单位 “{value}” 不在名单中 (unknown entity)"))

    # -- indicator and item ------------------------------------------------------------------------
    specs = spec_table(rubric)
    known_codes = {i.code for i in rubric.indicators}
    unknown_ind = ~obs["indicator"].isin(list(known_codes))
    for line, value in zip(obs.loc[unknown_ind, "line"], obs.loc[unknown_ind, "indicator"]):
        problems.append(Problem(line, f"指标 indicator “{value}” 不在细则 {rubric.id} 中 (unknown indicator)"))
    merged = obs[["indicator", "item"]].merge(specs, on=["indicator", "item"], how="left")
    obs["spec_pos"] = merged["spec_pos"].to_numpy()
    unknown_item = ~unknown_ind & obs["spec_pos"].isna()
    for row in obs.loc[unknown_item].itertuples():
        ind = rubric.indicator(row.indicator)
        allowed = "、".join(f"“{s.name}”" if s.name else "（空）" for s in ind.rule.items(ind))
        problems.append(Problem(row.line, f"指标 {row.indicator} 没有细项 item “{row.item}”，可填：{allowed} "
                                          f"(unknown item)"))

    # -- values, per item kind ------------------------------------------------------------------------
    known = obs["spec_pos"].notna()
    raw_num = pd.to_numeric(obs["value"], errors="coerce")
    for (code, pos), idx in obs[known].groupby(["indicator", "spec_pos"]).groups.items():
        ind = rubric.indicator(code)
        spec = ind.rule.items(ind)[int(pos)]
        problems += _check_values(obs, idx, raw_num, spec, code)

    # -- duplicates of single-valued facts ----------------------------------------------------------------
    single = known & ~obs["spec_pos"].isna()
    multi_items = {(i.code, s.name) for i in rubric.indicators for s in i.rule.items(i) if s.multi}
    is_multi = pd.Series([(c, it) in multi_items for c, it in zip(obs["indicator"], obs["item"])], index=obs.index,
                         dtype=bool) if len(obs) else pd.Series([], dtype=bool)
    keyed = obs[single & ~is_multi]
    dup = keyed[keyed.duplicated(["period", "entity", "indicator", "item"], keep=False)]
    for _, grp in dup.groupby(["period", "entity", "indicator", "item"], sort=False):
        first = grp.iloc[0]
        lines = "、".join(grp["line"])
        problems.append(Problem(lines, f"{_who(first)} 的 {first['item'] or '（空）'} 重复填写了 {len(grp)} 次，"
                                       f"只能有一行 (duplicate fact)"))

    # -- rule-specific checks (ref rows must have value 1, ...) -------------------------------------------
    by_ind = dict(tuple(obs[known].groupby("indicator", sort=False)))
    for ind in rubric.indicators:
        rows = by_ind.get(ind.code)
        if rows is not None:
            problems += ind.rule.check(rows, ind)
            warn = getattr(ind.rule, "warnings", None)
            if warn:
                problems += warn(rows, ind)

    # -- one group per unit --------------------------------------------------------------------------
    groups = obs.groupby(["period", "entity"], sort=False)["group"].nunique()
    for (period, entity) in groups[groups > 1].index:
        problems.append(Problem(f"{period} {entity}", "同一单位在同一期间填写了不同的 group (one unit, several groups)"))

    # rows with a bad period or no entity are reported above; they must not invent incomplete units
    problems += _check_alternatives_and_completeness(obs[known & ~bad_period & ~no_entity], rubric)
    return obs.drop(columns=["spec_pos"]), problems


def _check_values(obs: pd.DataFrame, idx, raw_num: pd.Series, spec: ItemSpec, code: str) -> list[Problem]:
    problems: list[Problem] = []
    values = obs.loc[idx, "value"]
    nums = raw_num.loc[idx]
    lines = obs.loc[idx, "line"]
    empty = values == ""
    label = f"指标 {code} 的 {spec.name or '得分'}"
    if spec.kind == "label":
        ok = values.isin(list(spec.labels))
        for line, v in zip(lines[~ok], values[~ok]):
            problems.append(Problem(line, f"{label} 应为 {'／'.join(spec.labels)} 之一，实际为 “{v}” (unknown tier label)"))
        return problems
    if spec.kind == "flag":
        parsed = values.map(FLAG_WORDS)
        ok = parsed.notna()
        for line, v in zip(lines[~ok], values[~ok]):
            problems.append(Problem(line, f"{label} 只能填 1/0 或 是/否，实际为 “{v}” (must be 1/0, 是/否)"))
        obs.loc[idx, "num"] = parsed.astype("float64")
        return problems
    if spec.empty_means is not None:
        nums = nums.where(~empty, spec.empty_means)
        empty = empty & False
    for line in lines[empty]:
        problems.append(Problem(line, f"{label} 的 value 为空，应填{KIND_WORDS[spec.kind]} (value is empty)"))
    nonnum = ~empty & nums.isna()
    for line, v in zip(lines[nonnum], values[nonnum]):
        problems.append(Problem(line, f"{label} 应为{KIND_WORDS[spec.kind]}，实际为 “{v}” (not a number)"))
    good = nums.notna()
    if spec.kind == "count":
        lo = spec.lo if spec.lo is not None else 0
        bad = good & ((nums < lo) | (nums != np.floor(nums)))
        for line, v in zip(lines[bad], values[bad]):
            what = "不能为负数" if float(v) < 0 else ("不能有小数" if float(v) != int(float(v)) else f"不能小于 {fmt_points(lo)}")
            problems.append(Problem(line, f"{label} 应为整数且不小于 {fmt_points(lo)}，实际为 “{v}”，{what} "
                                          f"(must be a whole number ≥ {fmt_points(lo)})"))
    elif spec.kind in ("number", "judged"):
        inside = (nums >= spec.lo) & (nums <= spec.hi)
        ok = inside | ((nums == 0) if spec.kind == "judged" else False)
        bad = good & ~ok
        rng = f"{fmt_points(spec.lo)}–{fmt_points(spec.hi)}"
        allowed = f"0 或 {rng}" if spec.kind == "judged" else rng
        for line, v in zip(lines[bad], values[bad]):
            problems.append(Problem(line, f"{label} 应在 {allowed} 之间，实际为 “{v}” (out of range {allowed})"))
    obs.loc[idx, "num"] = nums.astype("float64")
    return problems


def _check_alternatives_and_completeness(obs: pd.DataFrame, rubric: Rubric) -> list[Problem]:
    """Every unit has every required item; 名次/实绩 alternatives: exactly one, the same for all in a period."""
    problems: list[Problem] = []
    units = obs[["period", "entity"]].drop_duplicates()
    if units.empty:
        return problems
    present = obs[["period", "entity", "indicator", "item"]].drop_duplicates()
    for ind in rubric.indicators:
        specs = ind.rule.items(ind)
        required = [s for s in specs if s.required and s.group is None]
        alt_groups = sorted({s.group for s in specs if s.required and s.group is not None})
        mine = present[present["indicator"] == ind.code]
        for spec in required:
            have = mine[mine["item"] == spec.name][["period", "entity"]].assign(_h=True)
            m = units.merge(have, on=["period", "entity"], how="left")
            for p, e in zip(m.loc[m["_h"].isna(), "period"], m.loc[m["_h"].isna(), "entity"]):
                what = f"细项 “{spec.name}”" if spec.name else "得分"
                problems.append(Problem(f"{p} {e} 指标 {ind.code}", f"缺少 {ind.name} 的{what}，不能按 0 分处理，"
                                                                   f"请补录 (missing)"))
        for grp in alt_groups:
            names = [s.name for s in specs if s.group == grp]
            alt = mine[mine["item"].isin(names)]
            counts = alt.groupby(["period", "entity"]).size().rename("n").reset_index()
            m = units.merge(counts, on=["period", "entity"], how="left")
            for p, e in zip(m.loc[m["n"].isna(), "period"], m.loc[m["n"].isna(), "entity"]):
                problems.append(Problem(f"{p} {e} 指标 {ind.code}",
                                        f"缺少 {ind.name} 的{'或'.join(names)}，不能按 0 分处理，请补录 (missing)"))
            for p, e in zip(m.loc[m["n"] > 1, "period"], m.loc[m["n"] > 1, "entity"]):
                problems.append(Problem(f"{p} {e} 指标 {ind.code}",
                                        f"同时填写了{'和'.join(names)}，只能填其中一种 (both place and measure)"))
            mix = alt.groupby("period")["item"].nunique()
            for p in mix[mix > 1].index:
                problems.append(Problem(f"{p} 指标 {ind.code}",
                                        f"同一期间内有的单位填{names[0]}、有的填{names[1]}，必须统一为一种"
                                        f" (a rank indicator mixes {names[0]} and {names[1]})"))
    return problems
