"""Validate observations against a rubric, reporting every problem at once with its line.

Validation is a list of checks (:data:`CHECKS`), each a small function over one shared :class:`Batch` (the rows
with their text columns encoded once as integer codes), run in order and collecting every problem:
period format and phase coverage; entity present (and on the roster when one is given); indicator and item known
(an item may be written with the seed's wording, an alias); each value read by its item's kind
(:mod:`scoring.kinds`: whole counts, 1/0 or 是/否, numbers within bounds, a 酌情扣分 of 0 or within its range, a
known tier label) — once per distinct value; duplicate single-valued facts; each rule's own checks (a ref row whose
value is not 1, a place beyond the group); one group per unit; and completeness: every unit has every base
indicator's items, every month and its showcase score, and a rank indicator uses 名次 or 实绩 for all units of a
period, never a mix. Before the checks, the blank rows of a rank form no unit used are dropped with a warning
(:mod:`scoring.rank_form`: the template pre-fills both forms).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from scoring.codes import as_categoricals, first_rows, small_sort, text_codes
from scoring.kinds import ItemSpec
from scoring.phases import split_period
from scoring.problems import Problem
from scoring.rank_form import drop_blank_alternatives
from scoring.reader import csv_line_labels
from scoring.rubric import Indicator, Rubric
from scoring.rules.base import Rule, ScoreContext

PERIOD_PATTERNS = {
    "quarter": (re.compile(r"^\d{4}Q[1-4]$"), "2022Q3"),
    "month": (re.compile(r"^\d{4}-(0[1-9]|1[0-2])$"), "2023-05"),
    "year": (re.compile(r"^\d{4}$"), "2024"),
}


def period_pattern(rubric: Rubric) -> tuple[re.Pattern, str]:
    """The period format of a rubric: its kind's pattern, plus its phases' suffixes (``2024-自检``)."""
    pattern, example = PERIOD_PATTERNS[rubric.period_kind]
    suffixes = [p.suffix for p in rubric.phases if p.suffix]
    if not suffixes:
        return pattern, example
    alternatives = "|".join(re.escape(s) for s in suffixes)
    return re.compile(f"{pattern.pattern.rstrip('$')}({alternatives})?$"), f"{example} 或 {example}{suffixes[0]}"


@dataclass
class Batch:
    """The rows being validated, encoded once, and what the checks have found so far."""

    obs: pd.DataFrame
    rubric: Rubric
    roster: set[str] | None
    lines: pd.Series
    rows_no: np.ndarray  # each row's line/sheet row number (-1 when unknown)
    period: np.ndarray
    periods: np.ndarray
    entity: np.ndarray
    entities: np.ndarray
    unit: np.ndarray  # (period, entity) code, in first-seen order
    specs: list[tuple[Indicator, int, ItemSpec]]
    problems: list[Problem] = field(default_factory=list)
    sid: np.ndarray | None = None  # each row's index into ``specs`` (-1: unknown indicator or item)
    rows_of: dict[int, np.ndarray] = field(default_factory=dict)  # spec index → its rows
    bad_period: np.ndarray | None = None
    no_entity: np.ndarray | None = None
    unknown_entity: np.ndarray | None = None

    def at(self, i: int, message: str, severity: str = "error", column: str = "") -> Problem:
        """A problem on row ``i`` (named by its line)."""
        row = int(self.rows_no[i])
        return Problem(str(self.lines.iloc[i]), message, severity, row=row if row >= 0 else None, column=column)

    def report(self, mask: np.ndarray, message: Callable[[int], str], severity: str = "error",
               column: str = "") -> None:
        """A problem for every row in ``mask`` (messages built only for those rows)."""
        for i in np.flatnonzero(mask):
            self.problems.append(self.at(int(i), message(int(i)), severity, column))

    def value(self, column: str, i: int) -> str:
        return str(self.obs[column].iloc[i])


def _per_value(codes: np.ndarray, uniques: np.ndarray, check) -> np.ndarray:
    """``check`` (vectorised) applied once per distinct value, spread back to the rows."""
    return np.asarray(check(pd.Series(uniques, dtype="str")), dtype=bool)[codes] if len(codes) else \
        np.zeros(0, dtype=bool)


# --- the checks, in order ---------------------------------------------------------------------------------------

def check_periods(b: Batch) -> None:
    """Period format; a phase period (2024-复检) holds only the groups its phase covers."""
    pattern, example = period_pattern(b.rubric)
    b.bad_period = _per_value(b.period, b.periods, lambda s: ~s.str.match(pattern).astype(bool))
    b.report(b.bad_period, lambda i: f"期间 period “{b.value('period', i)}” 格式不对，应为 {example} 这样的格式"
                                     f" (period must look like {example})", column="period")
    for p_code, period in enumerate(b.periods):
        _, phase = split_period(b.rubric, str(period)) if b.rubric.phases else ("", None)
        if phase is None or not phase.groups:
            continue
        outside = (b.period == p_code) & ~b.obs["group"].isin(phase.groups).to_numpy(dtype=bool)
        b.report(outside & ~b.bad_period, lambda i: f"{period} 属于{phase.name}，只覆盖 {'、'.join(phase.groups)}；"
                                                    f"{b.value('entity', i)} 的 group 为 “{b.value('group', i)}”，"
                                                    f"不在{phase.name}范围内 (phase {phase.id} covers only "
                                                    f"{', '.join(phase.groups)})", column="group")


def check_entities(b: Batch) -> None:
    """Entity present, and on the roster when one is given."""
    b.no_entity = _per_value(b.entity, b.entities, lambda s: s == "")
    b.report(b.no_entity, lambda i: "单位 entity 为空 (entity is empty)", column="entity")
    b.unknown_entity = np.zeros(len(b.obs), dtype=bool)
    if b.roster is not None:
        roster = list(b.roster)
        b.unknown_entity = ~b.no_entity & ~_per_value(b.entity, b.entities, lambda s: s.isin(roster))
        b.report(b.unknown_entity, lambda i: f"单位 “{b.value('entity', i)}” 不在名单中 (unknown entity)",
                 column="entity")


def check_items(b: Batch) -> None:
    """Indicator and item known; an alias (the seed's wording of an item) is read as the item."""
    spec_id: dict[tuple[str, str], int] = {}
    for s, (ind, _, spec) in enumerate(b.specs):
        for name in (spec.name, *spec.aliases):
            spec_id.setdefault((ind.code, name), s)
    obs = b.obs
    indicator, indicators = text_codes(obs["indicator"])
    item, items = text_codes(obs["item"])
    known_codes = {i.code for i in b.rubric.indicators}
    unknown_ind = np.array([c not in known_codes for c in indicators], dtype=bool)[indicator] if len(obs) else \
        np.zeros(0, dtype=bool)
    b.report(unknown_ind, lambda i: f"指标 indicator “{b.value('indicator', i)}” 不在细则 {b.rubric.id} 中 "
                                    f"(unknown indicator)", column="indicator")
    n_items = max(len(items), 1)
    pair, pairs = pd.factorize(indicator * n_items + item)
    sid_of_pair = np.array([spec_id.get((indicators[p // n_items], items[p % n_items]), -1) for p in pairs],
                           dtype="int64")
    b.sid = sid_of_pair[pair] if len(obs) else np.zeros(0, dtype="int64")
    aliased = [k for k, (p, s) in enumerate(zip(pairs, sid_of_pair))
               if s >= 0 and items[p % n_items] != b.specs[s][2].name]
    if aliased:  # rows naming an item by its alias (the seed's wording) now carry the item's name
        hit = np.isin(pair, aliased)
        obs.loc[hit, "item"] = [b.specs[s][2].name for s in b.sid[hit]]
    unknown_item = ~unknown_ind & (b.sid < 0)
    for i in np.flatnonzero(unknown_item):
        ind = b.rubric.indicator(b.value("indicator", i))
        allowed = "、".join(f"“{s.name}”" if s.name else "（空）" for s in ind.rule.items(ind))
        b.problems.append(b.at(int(i), f"指标 {ind.code} 没有细项 item “{b.value('item', i)}”，可填：{allowed} "
                                       f"(unknown item)", column="item"))
    order = small_sort(b.sid + 1)
    bounds = np.searchsorted(b.sid[order], np.arange(len(b.specs) + 1))  # unknown items (-1) sort first
    b.rows_of = {s: order[bounds[s]:bounds[s + 1]] for s in range(len(b.specs)) if bounds[s + 1] > bounds[s]}


def check_values(b: Batch) -> None:
    """Each value read by its item's kind, once per distinct value; the number of each row goes to ``num``."""
    value, values = text_codes(b.obs["value"])
    num = np.full(len(b.obs), np.nan)
    for s in sorted(b.rows_of, key=lambda s: (b.specs[s][0].code, b.specs[s][1])):  # indicator, item order
        ind, _, spec = b.specs[s]
        idx = b.rows_of[s]
        mine = value[idx]
        seen = np.zeros(len(values), dtype=bool)
        seen[mine] = True
        distinct = np.flatnonzero(seen)
        verdicts = [spec.item_kind.read(str(values[d]), spec, spec.label(ind.code)) for d in distinct]
        where = np.full(len(values), -1)
        where[distinct] = np.arange(len(distinct))
        row_verdict = where[mine]
        errors = np.array([bool(v.error) for v in verdicts], dtype=bool)
        warns = np.array([bool(v.warning) for v in verdicts], dtype=bool)
        numbers = np.array([float(v.value) if v.value is not None else np.nan for v in verdicts], dtype="float64")
        for k in np.flatnonzero(errors[row_verdict]):
            b.problems.append(b.at(int(idx[k]), verdicts[row_verdict[k]].error, column="value"))
        for k in np.flatnonzero(warns[row_verdict]):
            b.problems.append(b.at(int(idx[k]), verdicts[row_verdict[k]].warning, "warning", column="value"))
        num[idx] = numbers[row_verdict]
    b.obs["num"] = num


def check_duplicates(b: Batch) -> None:
    """A single-valued fact written twice for one unit (events may repeat)."""
    known = b.sid >= 0
    multi = np.array([spec.multi for _, _, spec in b.specs] + [True], dtype=bool)
    keyed = np.flatnonzero(known & ~multi[b.sid])
    key = b.unit[keyed].astype("int64") * (len(b.specs) + 1) + b.sid[keyed]
    if len(key) and key.max() < 8 * len(key) + 1024:  # the usual case: count keys, no hashing
        dup = keyed[np.bincount(key)[key] > 1]
    else:
        dup = keyed[pd.Series(key).duplicated(keep=False).to_numpy()]
    if not len(dup):
        return
    rows = b.obs.iloc[dup]
    for _, grp in rows.groupby(b.unit[dup] * (len(b.specs) + 1) + b.sid[dup], sort=False):
        first = grp.iloc[0]
        joined = "、".join(grp["line"])
        b.problems.append(Problem(joined, f"{first['period']} {first['entity']} 指标 {first['indicator']} 的 "
                                          f"{first['item'] or '（空）'} 重复填写了 {len(grp)} 次，只能有一行 "
                                          f"(duplicate fact)", row=int(b.rows_no[grp.index[0]]) if
                                  b.rows_no[grp.index[0]] >= 0 else None))


def check_rules(b: Batch) -> None:
    """Each rule's own checks and warnings, on its indicator's rows (key columns as Categoricals); rules that
    declare none (the base class's hooks) are skipped without slicing their rows."""
    obs = b.obs
    ctx = ScoreContext(tie_method=b.rubric.tie_method, group_sizes=_group_sizes(b))
    ordinal = {ind.code: j for j, ind in enumerate(b.rubric.indicators)}
    spec_ind = np.array([ordinal[ind.code] for ind, _, _ in b.specs], dtype="int64")
    row_ind = np.where(b.sid >= 0, spec_ind[np.maximum(b.sid, 0)], -1) if len(spec_ind) else b.sid
    order = small_sort(row_ind + 1)  # rows by indicator (known items only), in file order within one
    bounds = np.searchsorted(row_ind[order], np.arange(-1, len(ordinal) + 1))
    coded = None
    for j, ind in enumerate(b.rubric.indicators):
        rule = type(ind.rule)
        if rule.check is Rule.check and rule.warnings is Rule.warnings:
            continue
        if bounds[j + 2] == bounds[j + 1]:
            continue
        if coded is None:  # the columns rules read, text as Categoricals, sorted by indicator once: sliced below
            coded = as_categoricals(obs[[c for c in RULE_COLUMNS if c in obs.columns]]).iloc[order[bounds[1]:]]
        rows = coded.iloc[bounds[j + 1] - bounds[1]:bounds[j + 2] - bounds[1]]
        b.problems.extend(ind.rule.check(rows, ind, ctx))
        b.problems.extend(ind.rule.warnings(rows, ind, ctx))


RULE_COLUMNS = ["period", "group", "entity", "indicator", "item", "value", "ref", "num", "line"]


def _group_sizes(b: Batch) -> dict[tuple[str, str], int]:
    """Units per (period, group) among the rows that name a valid period and entity."""
    ok = np.flatnonzero(~b.bad_period & ~b.no_entity & ~b.unknown_entity)
    if not len(ok):
        return {}
    group, groups = text_codes(b.obs["group"])
    first = ok[first_rows(pd.factorize(b.unit[ok])[0])]  # one row per unit
    key = b.period[first].astype("int64") * max(len(groups), 1) + group[first]
    keys, counts = np.unique(key, return_counts=True)
    n_groups = max(len(groups), 1)
    return {(str(b.periods[k // n_groups]), str(groups[k % n_groups])): int(c) for k, c in zip(keys, counts)}


def check_groups(b: Batch) -> None:
    """One group per unit and period."""
    group, groups = text_codes(b.obs["group"])
    unit_first = first_rows(b.unit)
    if not len(b.obs) or not (group != group[unit_first][b.unit]).any():
        return
    unit_groups = np.unique(b.unit.astype("int64") * max(len(groups), 1) + group) // max(len(groups), 1)
    several = np.flatnonzero(np.bincount(unit_groups, minlength=len(unit_first)) > 1)
    for p, e in zip(b.obs["period"].iloc[unit_first[several]], b.obs["entity"].iloc[unit_first[several]]):
        b.problems.append(Problem(f"{p} {e}", "同一单位在同一期间填写了不同的 group (one unit, several groups)"))


def check_completeness(b: Batch) -> None:
    """Every unit has every required item; 名次/实绩 alternatives: exactly one, the same for all in a period.

    Rows with a bad period, no entity or an entity not on the roster are reported above; they must not invent
    incomplete units (one typo is one problem, not one per missing indicator).
    """
    rows = np.flatnonzero((b.sid >= 0) & ~b.bad_period & ~b.no_entity & ~b.unknown_entity)
    if len(rows) == 0:
        return
    obs, specs = b.obs, b.specs
    local, _ = pd.factorize(b.unit[rows])  # the units among these rows, in first-seen order
    first = rows[first_rows(local)]
    unit_period = obs["period"].iloc[first].to_numpy(dtype=object)
    unit_entity = obs["entity"].iloc[first].to_numpy(dtype=object)
    present = np.zeros((len(first), len(specs)), dtype=bool)
    present[local, b.sid[rows]] = True
    period_codes, period_names = None, None  # the units' periods, coded when a rank indicator needs them
    base = {}
    for s, (ind, pos, _) in enumerate(specs):
        base.setdefault(ind.code, s - pos)
    for ind in b.rubric.indicators:
        item_specs = ind.rule.items(ind)
        start = base[ind.code]
        for pos, spec in enumerate(item_specs):
            if not spec.required or spec.group is not None:
                continue
            for p, e in zip(unit_period[~present[:, start + pos]], unit_entity[~present[:, start + pos]]):
                what = f"细项 “{spec.name}”" if spec.name else "得分"
                b.problems.append(Problem(f"{p} {e} 指标 {ind.code}", f"缺少 {ind.name} 的{what}，不能按 0 分处理，"
                                                                     f"请补录 (missing)"))
        for grp in sorted({s.group for s in item_specs if s.required and s.group is not None}):
            cols = [start + pos for pos, s in enumerate(item_specs) if s.group == grp]
            names = [s.name for s in item_specs if s.group == grp]
            n = present[:, cols].sum(axis=1)
            for p, e in zip(unit_period[n == 0], unit_entity[n == 0]):
                b.problems.append(Problem(f"{p} {e} 指标 {ind.code}",
                                          f"缺少 {ind.name} 的{'或'.join(names)}，不能按 0 分处理，请补录 (missing)"))
            for p, e in zip(unit_period[n > 1], unit_entity[n > 1]):
                b.problems.append(Problem(f"{p} {e} 指标 {ind.code}",
                                          f"同时填写了{'和'.join(names)}，只能填其中一种 (both place and measure)"))
            if period_names is None:
                period_codes, period_names = pd.factorize(unit_period, sort=True)
            used = sum((np.bincount(period_codes, weights=present[:, c], minlength=len(period_names)) > 0)
                       .astype(int) for c in cols)  # forms used per period
            for p in period_names[used > 1]:
                b.problems.append(Problem(f"{p} 指标 {ind.code}",
                                          f"同一期间内有的单位填{names[0]}、有的填{names[1]}，必须统一为一种"
                                          f" (a rank indicator mixes {names[0]} and {names[1]})"))


CHECKS: list[Callable[[Batch], None]] = [check_periods, check_entities, check_items, check_values,
                                         check_duplicates, check_rules, check_groups, check_completeness]


def prepare(obs: pd.DataFrame, rubric: Rubric, roster: set[str] | None = None) -> Batch:
    """The rows with their text columns encoded once, ready for the checks."""
    obs = obs.reset_index(drop=True).copy()
    for col in ("ref", "note", "group"):
        if col not in obs.columns:
            obs[col] = ""
    if "row" in obs.columns:
        rows_no = pd.to_numeric(obs["row"], errors="coerce").fillna(-1).to_numpy(dtype="int64")
    elif "line" not in obs.columns:
        rows_no = np.arange(2, len(obs) + 2)
    else:
        rows_no = np.full(len(obs), -1)
    if "line" not in obs.columns:
        obs["line"] = csv_line_labels(len(obs))
    period, periods = text_codes(obs["period"])
    entity, entities = text_codes(obs["entity"])
    unit = pd.factorize(period * max(len(entities), 1) + entity)[0]
    specs = [(ind, pos, spec) for ind in rubric.indicators for pos, spec in enumerate(ind.rule.items(ind))]
    return Batch(obs, rubric, roster, obs["line"], rows_no, period, periods, entity, entities, unit, specs)


def validate(obs: pd.DataFrame, rubric: Rubric, roster: set[str] | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Check ``obs`` (from :mod:`scoring.reader`) against ``rubric``; every check runs, every problem is kept.

    Returns the rows with a ``num`` column (each value as a float, for display and checks; scoring reads the
    value text exactly) and every problem found (errors and warnings). The returned frame is only meaningful when
    there are no errors. Text columns are encoded once; every check works on the codes or on the distinct values,
    so millions of rows validate in seconds. Messages are built only for bad rows.
    """
    obs, dropped = drop_blank_alternatives(obs, rubric)  # the blank rows of a rank form nobody used
    batch = prepare(obs, rubric, roster)
    batch.problems.extend(dropped)
    for check in CHECKS:
        check(batch)
    return batch.obs, batch.problems
