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
import pyarrow as pa
import pyarrow.compute as pc

from scoring.exact import fmt_points
from scoring.problems import Problem
from scoring.rubric import Rubric
from scoring.rules.base import ItemSpec, Rule, first_rows, small_sort, text_codes

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


def period_pattern(rubric: Rubric) -> tuple[re.Pattern, str]:
    """The period format of a rubric: its kind's pattern, plus its phases' suffixes (``2024-自检``)."""
    pattern, example = PERIOD_PATTERNS[rubric.period_kind]
    suffixes = [p.suffix for p in rubric.phases if p.suffix]
    if not suffixes:
        return pattern, example
    alternatives = "|".join(re.escape(s) for s in suffixes)
    return re.compile(f"{pattern.pattern.rstrip('$')}({alternatives})?$"), f"{example} 或 {example}{suffixes[0]}"


def _who(row) -> str:
    return f"{row.period} {row.entity} 指标 {row.indicator}"


def _line_labels(n: int) -> pd.Series:
    """"第2行" … for rows without a line label (CSV line numbers: the header is line 1)."""
    numbers = pa.array(np.arange(2, n + 2)).cast(pa.string())
    return pd.Series(pc.binary_join_element_wise("第", numbers, "行", "").to_pandas(), dtype="str")


def _per_value(codes: np.ndarray, uniques: np.ndarray, check) -> np.ndarray:
    """``check`` (vectorised) applied once per distinct value, spread back to the rows."""
    return np.asarray(check(pd.Series(uniques, dtype="str")), dtype=bool)[codes] if len(codes) else \
        np.zeros(0, dtype=bool)


def validate(obs: pd.DataFrame, rubric: Rubric, roster: set[str] | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Check ``obs`` (from :mod:`scoring.reader`) against ``rubric``.

    Returns the rows with a parsed ``num`` column, and every problem found (errors and warnings).
    The returned frame is only meaningful when there are no errors. Text columns are turned into
    integer codes once (Arrow dictionary encoding); every check then works on the codes or on the
    distinct values, so millions of rows validate in seconds. Messages are built only for bad rows.
    """
    problems: list[Problem] = []
    obs = obs.reset_index(drop=True).copy()
    for col in ("ref", "note", "group"):
        if col not in obs.columns:
            obs[col] = ""
    if "line" not in obs.columns:
        obs["line"] = _line_labels(len(obs))
    lines = obs["line"]
    period, periods = text_codes(obs["period"])
    entity, entities = text_codes(obs["entity"])
    unit = pd.factorize(period * max(len(entities), 1) + entity)[0]  # (period, entity), first-seen order

    # -- period, entity -------------------------------------------------------------------------
    pattern, example = period_pattern(rubric)
    bad_period = _per_value(period, periods, lambda s: ~s.str.match(pattern).astype(bool))
    for line, value in zip(lines[bad_period], obs.loc[bad_period, "period"]):
        problems.append(Problem(line, f"期间 period “{value}” 格式不对，应为 {example} 这样的格式"
                                      f" (period must look like {example})"))
    no_entity = _per_value(entity, entities, lambda s: s == "")
    for line in lines[no_entity]:
        problems.append(Problem(line, "单位 entity 为空 (entity is empty)"))
    unknown = np.zeros(len(obs), dtype=bool)
    if roster is not None:
        unknown = ~no_entity & ~_per_value(entity, entities, lambda s: s.isin(list(roster)))
        for line, value in zip(lines[unknown], obs.loc[unknown, "entity"]):
            problems.append(Problem(line, f"单位 “{value}” 不在名单中 (unknown entity)"))

    # -- indicator and item ------------------------------------------------------------------------
    specs = [(ind, pos, spec) for ind in rubric.indicators for pos, spec in enumerate(ind.rule.items(ind))]
    spec_id: dict[tuple[str, str], int] = {}
    for sid, (ind, _, spec) in enumerate(specs):
        spec_id.setdefault((ind.code, spec.name), sid)
    indicator, indicators = text_codes(obs["indicator"])
    item, items = text_codes(obs["item"])
    known_codes = {i.code for i in rubric.indicators}
    unknown_ind = np.array([c not in known_codes for c in indicators], dtype=bool)[indicator] if len(obs) else \
        np.zeros(0, dtype=bool)
    for line, value in zip(lines[unknown_ind], obs.loc[unknown_ind, "indicator"]):
        problems.append(Problem(line, f"指标 indicator “{value}” 不在细则 {rubric.id} 中 (unknown indicator)"))
    pair, pairs = pd.factorize(indicator * max(len(items), 1) + item)
    n_items = max(len(items), 1)
    sid_of_pair = np.array([spec_id.get((indicators[p // n_items], items[p % n_items]), -1) for p in pairs],
                           dtype="int64")
    sid = sid_of_pair[pair] if len(obs) else np.zeros(0, dtype="int64")
    known = sid >= 0
    obs["spec_pos"] = np.where(known, np.array([pos for _, pos, _ in specs] + [-1])[sid], np.nan)
    unknown_item = ~unknown_ind & ~known
    for row in obs.loc[unknown_item].itertuples():
        ind = rubric.indicator(row.indicator)
        allowed = "、".join(f"“{s.name}”" if s.name else "（空）" for s in ind.rule.items(ind))
        problems.append(Problem(row.line, f"指标 {row.indicator} 没有细项 item “{row.item}”，可填：{allowed} "
                                          f"(unknown item)"))

    # -- values, per item kind ------------------------------------------------------------------------
    value, values = text_codes(obs["value"])
    numbers = pd.to_numeric(pd.Series(values, dtype=obs["value"].dtype), errors="coerce").to_numpy(dtype="float64")
    num = np.full(len(obs), np.nan)
    order = small_sort(sid + 1)
    bounds = np.searchsorted(sid[order], np.arange(len(specs) + 1))  # unknown items (-1) sort first
    rows_of = {s: order[bounds[s]:bounds[s + 1]] for s in range(len(specs)) if bounds[s + 1] > bounds[s]}
    for s in sorted(rows_of, key=lambda s: (specs[s][0].code, specs[s][1])):  # as groupby(indicator, item) sorts
        ind, _, spec = specs[s]
        problems += _check_values(rows_of[s], value, values, numbers, lines, num, spec, ind.code)
    obs["num"] = num

    # -- duplicates of single-valued facts ----------------------------------------------------------------
    multi = np.array([spec.multi for _, _, spec in specs] + [True], dtype=bool)
    keyed = np.flatnonzero(known & ~multi[sid])
    key = unit[keyed].astype("int64") * (len(specs) + 1) + sid[keyed]
    if len(key) and key.max() < 8 * len(key) + 1024:  # the usual case: count keys, no hashing
        dup = keyed[np.bincount(key)[key] > 1]
    else:
        dup = keyed[pd.Series(key).duplicated(keep=False).to_numpy()]
    if len(dup):
        rows = obs.iloc[dup]
        for _, grp in rows.groupby(unit[dup] * (len(specs) + 1) + sid[dup], sort=False):
            first = grp.iloc[0]
            joined = "、".join(grp["line"])
            problems.append(Problem(joined, f"{_who(first)} 的 {first['item'] or '（空）'} 重复填写了 {len(grp)} 次，"
                                            f"只能有一行 (duplicate fact)"))

    # -- rule-specific checks (ref rows must have value 1, ...) -------------------------------------------
    coded = obs.assign(**{c: pd.Categorical.from_codes(codes, categories=pd.Index(uniques, dtype="str"))
                          for c, codes, uniques in (("period", period, periods), ("entity", entity, entities),
                                                    ("indicator", indicator, indicators), ("item", item, items),
                                                    ("value", value, values))
                          if len(obs) and all(isinstance(u, str) for u in uniques)})  # cheap to split
    for ind in rubric.indicators:
        warn = getattr(ind.rule, "warnings", None)
        if type(ind.rule).check is Rule.check and not warn:
            continue  # nothing to check beyond the items
        mine = [r for s, r in rows_of.items() if specs[s][0].code == ind.code]
        if mine:
            rows = coded.iloc[np.sort(np.concatenate(mine))]
            problems += ind.rule.check(rows, ind)
            if warn:
                problems += warn(rows, ind)

    # -- one group per unit --------------------------------------------------------------------------
    group, groups = text_codes(obs["group"])
    unit_first = first_rows(unit)
    if len(obs) and (group != group[unit_first][unit]).any():  # some unit has rows in another group
        unit_groups = np.unique(unit.astype("int64") * max(len(groups), 1) + group) // max(len(groups), 1)
        several = np.flatnonzero(np.bincount(unit_groups, minlength=len(unit_first)) > 1)
        for p, e in zip(obs["period"].iloc[unit_first[several]], obs["entity"].iloc[unit_first[several]]):
            problems.append(Problem(f"{p} {e}", "同一单位在同一期间填写了不同的 group (one unit, several groups)"))

    # rows with a bad period, no entity or an entity not on the roster are reported above; they must not
    # invent incomplete units (one typo is one problem, not one per missing indicator)
    ok = known & ~bad_period & ~no_entity & ~unknown
    problems += _check_alternatives_and_completeness(obs, np.flatnonzero(ok), unit, sid, specs, rubric)
    return obs.drop(columns=["spec_pos"]), problems


def _check_values(idx: np.ndarray, value: np.ndarray, values: np.ndarray, numbers: np.ndarray, lines: pd.Series,
                  num: np.ndarray, spec: ItemSpec, code: str) -> list[Problem]:
    """Check the rows ``idx`` of one item against its kind; writes their parsed number into ``num``.

    Each test runs once per distinct value (``values``, parsed as ``numbers``), then spreads to the rows.
    """
    problems: list[Problem] = []
    mine = value[idx]
    seen = np.zeros(len(values), dtype=bool)
    seen[mine] = True
    distinct = np.flatnonzero(seen)  # the distinct values of these rows, in code order (no sort)
    inv = (np.cumsum(seen) - 1)[mine]
    words = pd.Series(values[distinct], dtype="str")
    nums_d = numbers[distinct]
    label = f"指标 {code} 的 {spec.name or '得分'}"

    def report(bad_d: np.ndarray, message) -> None:
        bad = np.asarray(bad_d, dtype=bool)[inv]
        if bad.any():
            for line, v in zip(lines.iloc[idx[bad]], values[value[idx[bad]]]):
                problems.append(Problem(line, message(v)))

    if spec.kind == "label":
        report(~words.isin(list(spec.labels)).to_numpy(),
               lambda v: f"{label} 应为 {'／'.join(spec.labels)} 之一，实际为 “{v}” (unknown tier label)")
        return problems
    if spec.kind == "flag":
        parsed = words.map(FLAG_WORDS).to_numpy(dtype="float64")
        report(np.isnan(parsed), lambda v: f"{label} 只能填 1/0 或 是/否，实际为 “{v}” (must be 1/0, 是/否)")
        num[idx] = parsed[inv]
        return problems
    empty = (words == "").to_numpy()
    if spec.empty_means is not None:
        nums_d = np.where(empty, spec.empty_means, nums_d)
        empty = empty & False
    report(empty, lambda v: f"{label} 的 value 为空，应填{KIND_WORDS[spec.kind]} (value is empty)")
    nums_d = np.where(np.isinf(nums_d), np.nan, nums_d)  # "inf" / "-inf" parse as numbers; no count or score is infinite
    report(~empty & np.isnan(nums_d), lambda v: f"{label} 应为{KIND_WORDS[spec.kind]}，实际为 “{v}” (not a number)")
    good = ~np.isnan(nums_d)
    with np.errstate(invalid="ignore"):
        if spec.kind == "count":
            lo = spec.lo if spec.lo is not None else 0

            def whole(v):
                what = "不能为负数" if float(v) < 0 else ("不能有小数" if float(v) != int(float(v)) else f"不能小于 {fmt_points(lo)}")
                return (f"{label} 应为整数且不小于 {fmt_points(lo)}，实际为 “{v}”，{what} "
                        f"(must be a whole number ≥ {fmt_points(lo)})")

            report(good & ((nums_d < lo) | (nums_d != np.floor(nums_d))), whole)
        elif spec.kind in ("number", "judged"):
            inside = (nums_d >= spec.lo) & (nums_d <= spec.hi)
            ok = inside | ((nums_d == 0) if spec.kind == "judged" else False)
            rng = f"{fmt_points(spec.lo)}–{fmt_points(spec.hi)}"
            allowed = f"0 或 {rng}" if spec.kind == "judged" else rng
            report(good & ~ok, lambda v: f"{label} 应在 {allowed} 之间，实际为 “{v}” (out of range {allowed})")
    num[idx] = nums_d[inv]
    return problems


def _check_alternatives_and_completeness(obs: pd.DataFrame, rows: np.ndarray, unit: np.ndarray, sid: np.ndarray,
                                         specs: list, rubric: Rubric) -> list[Problem]:
    """Every unit has every required item; 名次/实绩 alternatives: exactly one, the same for all in a period.

    ``rows``: positions of the rows to consider; ``unit``/``sid``: each row's unit and item codes.
    """
    problems: list[Problem] = []
    if len(rows) == 0:
        return problems
    local, _ = pd.factorize(unit[rows])  # the units among these rows, in first-seen order
    first = rows[first_rows(local)]
    unit_period = obs["period"].iloc[first].to_numpy(dtype=object)
    unit_entity = obs["entity"].iloc[first].to_numpy(dtype=object)
    present = np.zeros((len(first), len(specs)), dtype=bool)
    present[local, sid[rows]] = True
    base = {}
    for s, (ind, pos, _) in enumerate(specs):
        base.setdefault(ind.code, s - pos)
    for ind in rubric.indicators:
        item_specs = ind.rule.items(ind)
        start = base[ind.code]
        for pos, spec in enumerate(item_specs):
            if not spec.required or spec.group is not None:
                continue
            for p, e in zip(unit_period[~present[:, start + pos]], unit_entity[~present[:, start + pos]]):
                what = f"细项 “{spec.name}”" if spec.name else "得分"
                problems.append(Problem(f"{p} {e} 指标 {ind.code}", f"缺少 {ind.name} 的{what}，不能按 0 分处理，"
                                                                   f"请补录 (missing)"))
        for grp in sorted({s.group for s in item_specs if s.required and s.group is not None}):
            cols = [start + pos for pos, s in enumerate(item_specs) if s.group == grp]
            names = [s.name for s in item_specs if s.group == grp]
            n = present[:, cols].sum(axis=1)
            for p, e in zip(unit_period[n == 0], unit_entity[n == 0]):
                problems.append(Problem(f"{p} {e} 指标 {ind.code}",
                                        f"缺少 {ind.name} 的{'或'.join(names)}，不能按 0 分处理，请补录 (missing)"))
            for p, e in zip(unit_period[n > 1], unit_entity[n > 1]):
                problems.append(Problem(f"{p} {e} 指标 {ind.code}",
                                        f"同时填写了{'和'.join(names)}，只能填其中一种 (both place and measure)"))
            used = pd.DataFrame(present[:, cols]).groupby(unit_period, sort=True).any().sum(axis=1)
            for p in used[used > 1].index:
                problems.append(Problem(f"{p} 指标 {ind.code}",
                                        f"同一期间内有的单位填{names[0]}、有的填{names[1]}，必须统一为一种"
                                        f" (a rank indicator mixes {names[0]} and {names[1]})"))
    return problems
