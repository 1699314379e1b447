"""Score a whole dataset at once: every entity × period × indicator, then totals, ranks, grades, awards.

The engine is generic: each indicator's rule scores all units in one vectorised call; what differs
between schemes lives in the rubric file, never in an ``if`` here.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from scoring.exact import round4
from scoring.problems import InputError, Problem, errors_only
from scoring.ranking import group_codes, rank_league
from scoring.rubric import Rubric
from scoring.rules.base import (GROUP_POS, UNIT_POS, first_rows, forget_text_codes, small_sort, text_codes,
                                unit_positions)
from scoring.validate import validate

TEXT = pa.large_string()  # what pandas' "str" dtype holds: no conversion when the detail frame is built
SIGN = {"base": 1.0, "score": 1.0, "bonus": 1.0, "penalty": -1.0}


@dataclass
class Scored:
    """What scoring gives: ``detail`` (one row per unit × indicator) and ``league`` (one row per unit)."""

    detail: pd.DataFrame
    league: pd.DataFrame
    warnings: list[Problem]


def unit_frame(obs: pd.DataFrame) -> pd.DataFrame:
    """One row per (period, group, entity) present in the observations, in a stable order."""
    return _units_and_positions(obs)[0]


def _units_and_positions(obs: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """:func:`unit_frame`, and each observation row's position in it (units factorised once, as integers)."""
    if len(obs) == 0:
        return obs[["period", "group", "entity"]].reset_index(drop=True), np.zeros(0, dtype="int64")
    period, _ = text_codes(obs["period"])
    entity, entities = text_codes(obs["entity"])
    codes, _ = pd.factorize(period * len(entities) + entity)
    first = first_rows(codes)  # a unit's group is the one on its first row
    units = obs[["period", "group", "entity"]].iloc[first].reset_index(drop=True)
    order = units.sort_values(["period", "group", "entity"], kind="stable").index.to_numpy()
    place = np.empty(len(order), dtype="int64")
    place[order] = np.arange(len(order))
    return units.iloc[order].reset_index(drop=True), place[codes]


def _as_array(arr) -> pa.Array:
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def _text_column(values) -> pa.Array:
    """A reason column as an Arrow string array (categorical reasons stay cheap: their texts are distinct)."""
    if isinstance(getattr(values, "dtype", None), pd.CategoricalDtype):
        texts = pa.array(np.asarray(values.categories, dtype=object).astype(str).astype(object), type=pa.string())
        return pa.DictionaryArray.from_arrays(pa.array(np.asarray(values.codes), type=pa.int32()), texts) \
            .cast(TEXT)
    if isinstance(values, pd.arrays.ArrowStringArray):
        return _as_array(pa.array(values)).cast(TEXT)
    obj = np.asarray(values, dtype=object)
    try:
        arr = _as_array(pa.array(obj, type=TEXT))
        if arr.null_count == 0:
            return arr
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        pass
    return pa.array(obj.astype(str).astype(object), type=TEXT)


CODED_COLUMNS = ("period", "group", "entity", "indicator", "item", "value", "ref")


def _rule_rows(obs: pd.DataFrame) -> pd.DataFrame:
    """The rows as rules read them: ``line`` and ``note`` left out (only checks and people read them) and
    the text columns as Categoricals (codes mostly known from validation), so that splitting millions of
    rows by indicator copies integers, not strings."""
    rows = obs.drop(columns=[c for c in ("line", "note") if c in obs.columns])
    for col in CODED_COLUMNS:
        if col in rows.columns and len(rows):
            codes, uniques = text_codes(rows[col])
            if all(isinstance(u, str) for u in uniques):
                rows[col] = pd.Categorical.from_codes(codes, categories=pd.Index(uniques, dtype="str"))
    return rows


def score_indicators(obs: pd.DataFrame, rubric: Rubric, units: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per unit × indicator: signed points, max, lost and reason (validated rows in, no checks here).

    Rows are laid out indicator by indicator (rubric order), each block in ``units`` order.
    """
    if units is None:
        units, pos = _units_and_positions(obs)
    else:
        units = units.reset_index(drop=True)
        pos = unit_positions(obs, units)
    n = len(units)
    rule_units = units.assign(**{GROUP_POS: group_codes(units)}) if n else units
    rows_all = _rule_rows(obs).assign(**{UNIT_POS: pos})
    codes, names = text_codes(obs["indicator"]) if len(obs) else (np.zeros(0, dtype="int64"), np.array([]))
    order = small_sort(codes)
    bounds = np.searchsorted(codes[order], np.arange(len(names) + 1))
    by_ind = {name: order[bounds[i]:bounds[i + 1]] for i, name in enumerate(names)}
    empty = np.zeros(0, dtype="int64")
    points, lost, place, maxes, reasons = [], [], [], [], []
    for ind in rubric.indicators:
        out = ind.rule.score(rows_all.iloc[by_ind.get(ind.code, empty)], rule_units, ind, rubric)
        magnitude = out["points"].to_numpy(dtype="float64")
        mx = ind.rule.max_points(ind)
        if ind.kind == "penalty":
            signed, gone = -magnitude, magnitude
        elif ind.kind == "bonus":
            signed, gone = magnitude, np.zeros(n)
        else:
            signed, gone = magnitude, mx - magnitude
        points.append(round4(signed))
        lost.append(round4(gone))
        maxes.append(np.full(n, mx))
        place.append(out["place"].to_numpy(dtype="float64") if "place" in out else np.full(n, np.nan))
        reasons.append(_text_column(out["reason"].array if hasattr(out["reason"], "array") else out["reason"]))
    k = len(rubric.indicators)
    inds = rubric.indicators
    text = {c: _tiled(_as_array(pa.array(units[c])).cast(TEXT), k) for c in ("period", "group", "entity")}
    text["indicator"] = _repeated([i.code for i in inds], n)
    text["category"] = _repeated([i.category for i in inds], n)
    text["kind"] = _repeated([i.kind for i in inds], n)
    text["reason"] = pa.concat_arrays(reasons) if k else pa.array([], type=TEXT)

    def numbers(parts: list[np.ndarray]) -> np.ndarray:
        return np.concatenate(parts) if k else np.zeros(0)

    columns = {c: pd.array(text[c], dtype="str") for c in ("period", "group", "entity", "indicator", "category",
                                                            "kind")}
    columns.update(points=numbers(points), max=numbers(maxes), lost=numbers(lost),
                   reason=pd.array(text["reason"], dtype="str"), place=numbers(place))
    return pd.DataFrame(columns)


def _tiled(arr: pa.Array, times: int) -> pa.Array:
    """A text array repeated ``times`` times end to end, built from its buffers (memory copies only)."""
    offsets = np.frombuffer(arr.buffers()[1], dtype="int64")[arr.offset:arr.offset + len(arr) + 1]
    start, end = int(offsets[0]), int(offsets[-1])
    data = arr.buffers()[2].to_pybytes()[start:end] if arr.buffers()[2] is not None else b""
    step = np.arange(times, dtype="int64")[:, None] * (end - start)
    all_offsets = np.append((offsets[:-1] - start)[None, :] + step, times * (end - start))
    return pa.LargeStringArray.from_buffers(len(arr) * times, pa.py_buffer(all_offsets.astype("int64")),
                                            pa.py_buffer(data * times))


def _repeated(words: list[str], times: int) -> pa.Array:
    """Each word repeated ``times`` times, word after word, built from buffers."""
    encoded = [w.encode("utf-8") for w in words]
    lengths = np.repeat(np.array([len(b) for b in encoded], dtype="int64"), times)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype("int64")
    return pa.LargeStringArray.from_buffers(len(lengths), pa.py_buffer(offsets),
                                            pa.py_buffer(b"".join(b * times for b in encoded)))


def _unit_sums(values: np.ndarray, pos: np.ndarray, n: int, levels: list[np.ndarray]) -> np.ndarray:
    """Per-unit sums in row order with pandas' compensated (Kahan) summation, as ``groupby().sum()`` gives.

    ``levels[r]`` holds the rows that are each unit's r-th row, so each step is one vectorised update.
    """
    total = np.zeros(n)
    comp = np.zeros(n)
    for rows in levels:
        v = values[rows]
        ok = ~np.isnan(v)
        p, v = pos[rows][ok], v[ok]
        y = v - comp[p]
        t = total[p] + y
        c = t - total[p] - y
        c[np.isnan(c)] = 0.0
        comp[p] = c
        total[p] = t
    return total


def _levels(pos: np.ndarray, n: int) -> list[np.ndarray]:
    """Rows grouped by their occurrence number within their unit (see :func:`_unit_sums`)."""
    if n and len(pos) % n == 0 and np.array_equal(pos, np.tile(np.arange(n), len(pos) // n)):
        return [np.arange(r * n, (r + 1) * n) for r in range(len(pos) // n)]  # score_indicators' layout
    order = np.argsort(pos, kind="stable")
    sorted_pos = pos[order]
    occurrence = np.empty(len(pos), dtype="int64")
    occurrence[order] = np.arange(len(pos)) - np.searchsorted(sorted_pos, sorted_pos, side="left")
    by_level = np.argsort(occurrence, kind="stable")
    bounds = np.searchsorted(occurrence[by_level], np.arange(occurrence.max(initial=-1) + 2))
    return [by_level[bounds[r]:bounds[r + 1]] for r in range(len(bounds) - 1)]


def totals(detail: pd.DataFrame, rubric: Rubric, units: pd.DataFrame,
           positions: np.ndarray | None = None) -> pd.DataFrame:
    """Components, base/bonus/penalty sums and the weighted final, one row per unit.

    ``positions``: each detail row's position in ``units`` when known (else matched on period and entity).
    """
    league = units.copy()
    n = len(units)
    pos = unit_positions(detail, units) if positions is None else np.asarray(positions, dtype="int64")
    keep = pos >= 0
    levels = _levels(pos[keep], n)
    points = detail["points"].to_numpy(dtype="float64")[keep]
    pos = pos[keep]

    def summed(mask) -> np.ndarray:
        return _unit_sums(np.where(np.asarray(mask)[keep], points, np.nan), pos, n, levels)

    for comp in rubric.components:
        codes = [i.code for i in rubric.component_indicators(comp)]
        league[comp.id] = summed(detail["indicator"].isin(codes))
        if comp.floor_at_zero:
            league[comp.id] = league[comp.id].clip(lower=0.0)
    for kind in ("base", "bonus", "penalty"):
        league[kind] = summed(detail["kind"] == kind)
    final = np.zeros(len(league))
    for comp_id, weight in rubric.final.items():
        final = final + weight * league[comp_id].to_numpy(dtype="float64")
    league["final"] = final
    for col in [c.id for c in rubric.components] + ["base", "bonus", "penalty", "final"]:
        league[col] = round4(league[col].to_numpy(dtype="float64"))
    return league


def score_valid(obs: pd.DataFrame, rubric: Rubric, decisions: dict | None = None) -> Scored:
    """Score observations that already passed :func:`scoring.validate.validate`."""
    units, pos = _units_and_positions(obs)
    detail = score_indicators(obs.assign(**{UNIT_POS: pos}), rubric, units)
    tiled = np.tile(np.arange(len(units)), len(rubric.indicators))
    league = rank_league(totals(detail, rubric, units, tiled), rubric, decisions)
    forget_text_codes()  # validation's encodings were for this scoring only
    return Scored(detail=detail, league=league, warnings=[])


def score(obs: pd.DataFrame, rubric: Rubric, roster: set[str] | None = None, decisions: dict | None = None) -> Scored:
    """Validate then score. Raises :class:`InputError` listing every error if the input is not clean."""
    clean, problems = validate(obs, rubric, roster)
    if errors_only(problems):
        raise InputError(problems)
    if clean.empty:
        raise InputError([Problem("文件 file", "没有任何观测数据行 (no observation rows)")])
    result = score_valid(clean, rubric, decisions)
    result.warnings = problems
    return result
