"""Score a whole dataset at once: every entity × period × indicator, then totals, ranks, grades, awards.

The engine is generic: each indicator's rule scores all units in one vectorised call; what differs between schemes
lives in the rubric file, never in an ``if`` here. Points are exact (:class:`scoring.exact.Q`): every indicator's
points, the components, daily and final are summed unrounded and rounded half-up to 4 decimals once, at the end
(DESIGN.md, Exactness). The detail and league frames carry those 4-decimal figures; :class:`Exact` keeps the
exact values for whoever needs them (tests, robustness, what-if).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from scoring.codes import as_categoricals, first_rows, forget_text_codes, small_sort, text_codes
from scoring.exact import SCALE, Q, frac, units4
from scoring.problems import InputError, Problem, errors_only
from scoring.ranking import group_codes, rank_league
from scoring.rubric import Rubric
from scoring.rules.base import GROUP_POS, UNIT_POS, RuleResult, ScoreContext
from scoring.rules.values import ValueTable, unit_positions
from scoring.validate import validate

TEXT = pa.large_string()  # what pandas' "str" dtype holds: no conversion when the detail frame is built


@dataclass
class Exact:
    """The exact values behind the 4-decimal figures: per indicator (signed points, aligned with ``units``) and per
    league column (components, base, bonus, penalty, final)."""

    units: pd.DataFrame
    indicators: dict[str, Q]
    league: dict[str, Q]


@dataclass
class Points:
    """Per unit × indicator, as arrays (indicators in rubric order × units in ``units`` order): the 4-decimal signed
    points, the lost points (max − points for base indicators, so that points + lost = max as shown), each
    indicator's max, the places of rank ladders (NaN elsewhere) and the reasons (None when not built)."""

    units: pd.DataFrame
    codes: list[str]
    points: np.ndarray  # k × n
    lost: np.ndarray  # k × n
    maxes: np.ndarray  # k
    places: np.ndarray  # k × n
    reasons: list | None  # k Arrow text arrays, or None


class Scored:
    """What scoring gives: ``league`` (one row per unit), ``points`` (the per-indicator arrays), ``warnings``, the
    exact values (``exact``), and ``detail`` (one row per unit × indicator) built from the arrays when first read."""

    def __init__(self, points: Points, league: pd.DataFrame, warnings: list[Problem], rubric: Rubric,
                 exact: Exact | None = None):
        self.points = points
        self.league = league
        self.warnings = warnings
        self.exact = exact
        self._rubric = rubric
        self._detail: pd.DataFrame | None = None

    @property
    def detail(self) -> pd.DataFrame:
        """One row per unit × indicator (indicator-major, units in order): period, group, entity, indicator,
        category, kind, points, max, lost, reason, place."""
        if self._detail is None:
            self._detail = detail_frame(self.points, self._rubric)
        return self._detail


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


def _rule_rows(obs: pd.DataFrame) -> pd.DataFrame:
    """The rows as rules read them: ``line`` and ``note`` left out (only checks and people read them) and
    the text columns as Categoricals (codes mostly known from validation), so that splitting millions of
    rows by indicator copies integers, not strings."""
    return as_categoricals(obs.drop(columns=[c for c in ("line", "note") if c in obs.columns]))


def score_indicators(obs: pd.DataFrame, rubric: Rubric, units: pd.DataFrame | None = None,
                     reasons: bool = True, places: dict | None = None) -> tuple[Points, Exact, list[Problem]]:
    """Per unit × indicator: signed points, max, lost and reason (validated rows in, no checks here).

    Returns the per-indicator arrays (4-decimal figures), the exact signed points per indicator, and the warnings
    of readings that decided an outcome. ``reasons=False`` builds no reason texts (points only). ``places``:
    indicator code → each unit's place (aligned with ``units``), given instead of ranked (a unit scored alone with
    its stored places).
    """
    if units is None:
        units, pos = _units_and_positions(obs)
    else:
        units = units.reset_index(drop=True)
        pos = unit_positions(obs, units)
    n = len(units)
    rule_units = units.assign(**{GROUP_POS: group_codes(units)}) if n else units
    rows_all = _rule_rows(obs).assign(**{UNIT_POS: pos})
    values = rows_all["value"]
    table = ValueTable.of(values.cat.categories) if isinstance(values.dtype, pd.CategoricalDtype) else None
    ctx = ScoreContext(tie_method=rubric.tie_method, reasons=reasons, values=table, places=places)
    codes, names = text_codes(obs["indicator"]) if len(obs) else (np.zeros(0, dtype="int64"), np.array([]))
    order = small_sort(codes)
    bounds = np.searchsorted(codes[order], np.arange(len(names) + 1))
    by_ind = {name: (bounds[i], bounds[i + 1]) for i, name in enumerate(names)}
    rows_sorted = rows_all.iloc[order]  # by indicator (one copy), each indicator's rows a slice of it
    results: dict[str, RuleResult] = {}
    warnings: list[Problem] = []
    for ind in rubric.indicators:
        start, stop = by_ind.get(ind.code, (0, 0))
        results[ind.code] = res = ind.rule.score(rows_sorted.iloc[start:stop], rule_units, ind, ctx)
        warnings += ind.rule.outcome_warnings(res, units, ind)
    for net in rubric.net_events:
        warnings += _net_events(net, results, units, rubric)
    k = len(rubric.indicators)
    points, lost, place = np.zeros((k, n)), np.zeros((k, n)), np.full((k, n), np.nan)
    maxes, texts, exact = np.zeros(k), [], {}
    for j, ind in enumerate(rubric.indicators):
        res = results[ind.code]
        signed = -res.points if ind.kind == "penalty" else res.points
        exact[ind.code] = signed
        maxes[j] = float(ind.rule.max_points(ind))
        shown = signed.round4()
        points[j] = shown / SCALE
        if ind.kind == "penalty":
            lost[j] = -shown / SCALE
        elif ind.kind != "bonus":
            lost[j] = (int(units4(maxes[j])) - shown) / SCALE  # points + lost = max, as shown
        if res.place is not None:
            place[j] = res.place
        if reasons:
            texts.append(_text_column(res.reason.array if hasattr(res.reason, "array") else res.reason))
    codes_ = [i.code for i in rubric.indicators]
    return Points(units, codes_, points + 0.0, lost + 0.0, maxes, place, texts if reasons else None), \
        Exact(units, exact, {}), warnings


def detail_frame(p: Points, rubric: Rubric) -> pd.DataFrame:
    """The per-indicator arrays as one row per unit × indicator (indicator-major), built from Arrow buffers."""
    k, n = len(p.codes), len(p.units)
    inds = rubric.indicators
    units = p.units
    text = {c: _tiled(_as_array(pa.array(units[c].astype(str))).cast(TEXT), k) for c in ("period", "group", "entity")}
    text["indicator"] = _repeated([i.code for i in inds], n)
    text["category"] = _repeated([i.category for i in inds], n)
    text["kind"] = _repeated([i.kind for i in inds], n)
    text["reason"] = pa.concat_arrays(p.reasons) if k and p.reasons is not None else _repeated([""], n * k)
    columns = {c: pd.array(text[c], dtype="str") for c in ("period", "group", "entity", "indicator", "category",
                                                            "kind")}
    columns.update(points=p.points.reshape(-1), max=np.repeat(p.maxes, n), lost=p.lost.reshape(-1),
                   reason=pd.array(text["reason"], dtype="str"), place=p.places.reshape(-1))
    return pd.DataFrame(columns)


def _net_events(net, results: dict[str, RuleResult], units: pd.DataFrame, rubric: Rubric) -> list[Problem]:
    """The reading "加减分相抵": a bonus and a penalty indicator netted, the net clamped to ±cap (rubric
    ``net_events``). Rewrites both indicators' points (the positive part to the bonus, the negative to the
    penalty) and warns where netting gave another result than capping each side on its own."""
    bonus, penalty = results[net.bonus], results[net.penalty]
    b_raw = bonus.raw if bonus.raw is not None else bonus.points
    p_raw = penalty.raw if penalty.raw is not None else penalty.points
    cap = frac(net.cap)
    value = (b_raw - p_raw).minimum(cap).maximum(-cap)
    separate = bonus.points - penalty.points
    names = rubric.indicator(net.bonus).name, rubric.indicator(net.penalty).name
    new_bonus, new_penalty = value.maximum(0), (-value).maximum(0)
    results[net.bonus] = RuleResult(new_bonus, _netted_reason(bonus, new_bonus, f"与{names[1]}相抵后计", "+"),
                                    bonus.place, b_raw)
    results[net.penalty] = RuleResult(new_penalty, _netted_reason(penalty, new_penalty, f"与{names[0]}相抵后计", "−"),
                                      penalty.place, p_raw)
    differs = ~value.eq(separate)
    shown = value.to_float()
    return [Problem(f"{p} {e} 指标 {net.bonus}/{net.penalty}",
                    f"按“{net.reading or '加减分相抵'}”读法，{names[0]}与{names[1]}相抵后计{v:+.4g}分（在 ±"
                    f"{float(cap):g} 分以内），与分别封顶的结果不同 (net of bonus and penalty, clamped)", "warning")
            for p, e, v in zip(units["period"].astype(str)[differs], units["entity"].astype(str)[differs],
                               shown[differs])]


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


def _netted_reason(side: RuleResult, points: Q, words: str, sign: str):
    """A side's reason with "；与…相抵后计±x分" where netting changed its points (None when no reasons)."""
    if side.reason is None:
        return None
    text = np.asarray(side.reason, dtype=object).astype(str).astype(object)
    changed = ~points.eq(side.points)
    shown = points.to_float()
    text[changed] = [f"{t}{'；' if t else ''}{words}{sign if v else ''}{v:g}分"
                     for t, v in zip(text[changed], shown[changed])]
    return text


def totals(exact: Exact, rubric: Rubric) -> pd.DataFrame:
    """Components, base/bonus/penalty sums and the weighted final, one row per unit: summed exactly from the
    indicators' exact points and rounded half-up to 4 decimals once. Fills ``exact.league``."""
    league = exact.units.copy()
    n = len(league)

    def summed(indicators) -> Q:
        total = Q.zeros(n)
        for ind in indicators:
            total = total + exact.indicators[ind.code]
        return total

    values: dict[str, Q] = {}
    for comp in rubric.components:
        values[comp.id] = summed(rubric.component_indicators(comp))
        if comp.floor_at_zero:
            values[comp.id] = values[comp.id].maximum(0)
    for kind in ("base", "bonus", "penalty"):
        values[kind] = summed([i for i in rubric.indicators if i.kind == kind])
    final = Q.zeros(n)
    for comp_id, weight in rubric.final.items():
        final = final + values[comp_id] * frac(weight)
    values["final"] = final
    for col, q in values.items():
        league[col] = q.to_float()
    exact.league = values
    return league


def score_valid(obs: pd.DataFrame, rubric: Rubric, decisions: dict | None = None, reasons: bool = True) -> Scored:
    """Score observations that already passed :func:`scoring.validate.validate`."""
    units, pos = _units_and_positions(obs)
    points, exact, warnings = score_indicators(obs.assign(**{UNIT_POS: pos}), rubric, units, reasons)
    league = rank_league(totals(exact, rubric), rubric, decisions)
    forget_text_codes()  # validation's encodings were for this scoring only
    return Scored(points, league, warnings, rubric, exact)


def unit_detail(obs: pd.DataFrame, rubric: Rubric, places: dict[str, float]) -> pd.DataFrame:
    """One unit's detail (points, max, lost, reason, place) from its own rows alone, with the places it was given
    when its group was scored (indicator code → place): the same figures and reasons as the group's scoring.
    Rendering reasons this way when they are read means the store need not keep them."""
    units, pos = _units_and_positions(obs)
    if len(units) != 1:
        raise ValueError(f"unit_detail scores one unit, not {len(units)}")
    given = {code: np.array([place], dtype="float64") for code, place in places.items()}
    points, _, _ = score_indicators(obs.assign(**{UNIT_POS: pos}), rubric, units, True, given)
    forget_text_codes()
    return detail_frame(points, rubric)


def score(obs: pd.DataFrame, rubric: Rubric, roster: set[str] | None = None, decisions: dict | None = None) -> Scored:
    """Validate then score. Raises :class:`InputError` listing every error if the input is not clean."""
    clean, problems = validate(obs, rubric, roster)
    if errors_only(problems):
        raise InputError(problems)
    if clean.empty:
        raise InputError([Problem("文件 file", "没有任何观测数据行 (no observation rows)")])
    result = score_valid(clean, rubric, decisions)
    result.warnings = problems + result.warnings
    return result
