"""The rule registry and the base class every rule type derives from.

A rule type is one small pydantic model: its fields are the parameters written in the rubric YAML
(``rule: {type: deduct, ...}``), ``items()`` declares the observation items it reads (so validation
and templates are generic), ``score()`` turns the rows of one indicator into points for every unit at
once (vectorised, never a Python loop per unit) and ``describe()`` renders the rule as the Chinese
sentence shown on the rubric page. Each subclass's docstring quotes the seed clause it implements.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel, ConfigDict

from scoring.problems import Problem

if TYPE_CHECKING:  # pragma: no cover
    from scoring.rubric import Indicator

REGISTRY: dict[str, type["Rule"]] = {}

UNIT_KEYS = ["period", "entity"]


def register(cls: type["Rule"]) -> type["Rule"]:
    """Class decorator: make a rule type available to rubric files under ``cls.type``."""
    if cls.type in REGISTRY:
        raise ValueError(f"rule type {cls.type!r} registered twice")
    REGISTRY[cls.type] = cls
    return cls


def rule_class(type_name: str) -> type["Rule"]:
    try:
        return REGISTRY[type_name]
    except KeyError:
        known = ", ".join(sorted(REGISTRY))
        raise KeyError(f"unknown rule type {type_name!r}; the registry has: {known}") from None


@dataclass(frozen=True)
class ItemSpec:
    """One observation item a rule reads.

    kind: "count" (whole number ≥ 0), "flag" (1/0, 是/否), "number" (within [lo, hi]),
    "judged" (0 or within [lo, hi]), "label" (one of ``labels``), "measure" (any number).
    ``required``: every unit must have it (False for event items, which may be absent).
    ``multi``: the item may appear on several rows for one unit (events); otherwise a second row is
    a duplicate. ``group``: items sharing a group are alternatives ("名次" or "实绩"): exactly one is
    required, and all units of a period must use the same one.
    """

    name: str
    kind: str
    required: bool = True
    multi: bool = False
    lo: float | None = None
    hi: float | None = None
    labels: tuple[str, ...] = ()
    group: str | None = None
    hint: str = ""
    empty_means: float | None = None  # value left empty is read as this number (event counts: 1)


class Rule(BaseModel):
    """Base of every rule type. Subclasses set ``type`` and implement the methods below."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: ClassVar[str] = ""

    def items(self, ind: "Indicator") -> list[ItemSpec]:
        raise NotImplementedError

    def check(self, rows: pd.DataFrame, ind: "Indicator") -> list[Problem]:
        """Rule-specific checks beyond the generic item checks (default: none)."""
        return []

    def score(self, rows: pd.DataFrame, units: pd.DataFrame, ind: "Indicator") -> pd.DataFrame:
        """Points for every unit.

        ``rows``: this indicator's validated observations (columns period, group, entity, indicator, item,
        value, num, ref; from the engine the key columns are Categoricals and ``_u`` gives each row's
        position in ``units``). ``units``: one row per (period, group, entity) being scored.
        Returns a frame aligned with ``units`` (same index) with columns ``points`` (float) and
        ``reason`` (str, "" when nothing was lost or earned).
        """
        raise NotImplementedError

    def describe(self, ind: "Indicator") -> str:
        raise NotImplementedError

    def max_points(self, ind: "Indicator") -> float:
        return float(ind.max)


# --- small vectorised helpers shared by rule types -------------------------------------------------
# The engine adds a column ``_u`` to the rows it passes to rules: each row's position in ``units``.
# With it the helpers place values by integer position (no merge on text keys); without it (a rule
# called directly, e.g. in a test) they fall back to matching on (period, entity).

UNIT_POS = "_u"
GROUP_POS = "_g"  # in ``units`` passed by the engine: the unit's (period, group) as an integer code


def unit_positions(rows: pd.DataFrame, units: pd.DataFrame) -> np.ndarray:
    """Each row's position in ``units`` (-1 when its unit is not there)."""
    if UNIT_POS in rows.columns:
        return rows[UNIT_POS].to_numpy(dtype="int64")
    if len(rows) == 0:
        return np.zeros(0, dtype="int64")
    index = pd.MultiIndex.from_frame(units[UNIT_KEYS].reset_index(drop=True))
    return index.get_indexer(pd.MultiIndex.from_frame(rows[UNIT_KEYS])).astype("int64")


def by_unit(rows: pd.DataFrame, units: pd.DataFrame, values, mask=None, fill=np.nan) -> np.ndarray:
    """``values`` (aligned with ``rows``) placed at their unit's position; ``fill`` where a unit has none."""
    values = np.asarray(values)
    out = np.full(len(units), fill, dtype=values.dtype if values.dtype == object else "float64")
    pos = unit_positions(rows, units)
    keep = pos >= 0 if mask is None else (np.asarray(mask, dtype=bool) & (pos >= 0))
    out[pos[keep]] = values[keep]
    return out


def item_value(rows: pd.DataFrame, units: pd.DataFrame, item: str, default: float = 0.0) -> np.ndarray:
    """The numeric value of a single-valued ``item`` for every unit (``default`` where absent)."""
    num = rows["num"].to_numpy(dtype="float64")
    out = by_unit(rows, units, num, (rows["item"] == item).to_numpy(dtype=bool), default)
    out[np.isnan(out)] = default
    return out


def join_reasons(parts: list[pd.Series | np.ndarray], sep: str = "；") -> np.ndarray:
    """Join per-unit reason fragments, skipping empty ones (element-wise over units, no row loop)."""
    out: np.ndarray | None = None
    for part in parts:
        b = np.asarray(part, dtype=object)
        if out is None:
            out = b.copy()
            continue
        a_empty = out == ""
        b_empty = b == ""
        joined = np.where(a_empty | b_empty, out + b, out + sep + b)
        out = joined.astype(object)
    return out if out is not None else np.array([], dtype=object)


def fragment(mask: np.ndarray, text: pd.Series | np.ndarray) -> np.ndarray:
    """``text`` where ``mask`` is true, "" elsewhere."""
    out = np.where(mask, np.asarray(text, dtype=object), "")
    return out.astype(object)


def short_numbers(values) -> np.ndarray:
    """Numbers as short text (3 → "3", 2.5 → "2.5"), formatted once per distinct value."""
    arr = np.round(np.asarray(values, dtype="float64"), 4)
    if arr.size == 0:
        return np.array([], dtype=object)
    uniq, inv = np.unique(arr, return_inverse=True)
    words = np.array([f"{v:.4f}".rstrip("0").rstrip(".") for v in uniq], dtype=object)
    words[words == "-0"] = "0"
    return words[inv.reshape(-1)]


def num_text(values: np.ndarray) -> pd.Series:
    """Numbers as short text for reasons (3 → "3", 2.5 → "2.5")."""
    return pd.Series(short_numbers(values), dtype="str")


def distinct_text(build, *values) -> pd.Categorical:
    """Reason text per unit, built once per distinct combination of ``values`` (arrays aligned with units).

    A reason depends on a few numbers or labels with few distinct values (a place, a count, a label), so
    ``build`` (the same vectorised text code, called on the distinct combinations) stays cheap for tens of
    thousands of units. Every value the text uses must be among ``values``. Returns a Categorical.
    """
    n = len(values[0]) if values else 0
    if n == 0:
        return pd.Categorical(np.array([], dtype=object))
    combined = np.zeros(n, dtype="int64")
    for v in values:
        codes, uniques = pd.factorize(np.asarray(v), use_na_sentinel=False)
        combined, _ = pd.factorize(combined * len(uniques) + codes)
    first = np.unique(combined, return_index=True)[1]
    texts = np.asarray(build(*[np.asarray(v)[first] for v in values]), dtype=object)
    text_codes, categories = pd.factorize(texts)
    return pd.Categorical.from_codes(text_codes[combined], categories=categories)


_CODES: OrderedDict = OrderedDict()  # (buffers of an Arrow text column) -> (its array, codes, uniques)
_CODES_KEPT = 16
_CODES_LOCK = threading.Lock()  # a dashboard scores from several threads


def forget_text_codes() -> None:
    """Drop the remembered encodings (the engine calls it when a scoring is done, to free their memory)."""
    with _CODES_LOCK:
        _CODES.clear()


def _buffers_key(arr) -> tuple | None:
    """What identifies an Arrow column's data: its type and the addresses, offsets and lengths of its buffers."""
    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    try:
        return (str(arr.type),) + tuple((c.offset, len(c)) + tuple(b.address if b is not None else 0
                                                                    for b in c.buffers()) for c in chunks)
    except (AttributeError, NotImplementedError):
        return None


def text_codes(values) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes (in order of first appearance) and distinct values of a text column, at C speed.

    Arrow buffers are immutable, so the result for a column's buffers is remembered (the last few columns):
    validation and scoring encode the same columns of the same rows, and pay for it once.
    """
    try:
        arr = pa.array(values)
        key = _buffers_key(arr)
        with _CODES_LOCK:
            hit = _CODES.get(key) if key is not None else None
            if hit is not None:
                _CODES.move_to_end(key)
        if hit is not None:
            return hit[1].astype("int64"), hit[2]
        found = _encode(arr)
        if found is not None:
            if key is not None:  # keeping ``arr`` keeps its buffers (and so their addresses) alive
                with _CODES_LOCK:
                    _CODES[key] = (arr, found[0].astype("int32"), found[1])
                    while len(_CODES) > _CODES_KEPT:
                        _CODES.popitem(last=False)
            return found
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        pass
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=False)
    return codes.astype("int64"), np.asarray(uniques, dtype=object)


def _encode(arr) -> tuple[np.ndarray, np.ndarray] | None:
    if pa.types.is_dictionary(arr.type):  # a Categorical: its codes, renumbered in order of first appearance
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        if arr.null_count:
            return None
        codes, first = pd.factorize(arr.indices.to_numpy(zero_copy_only=False))
        return codes.astype("int64"), np.asarray(arr.dictionary.take(pa.array(first)).cast(pa.string()).to_pylist(),
                                                 dtype=object)
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        arr = arr.cast(pa.string())
    if arr.null_count:
        return None
    if len(arr) > 1:  # rows of one unit (period, group) usually sit together: encode one row per run
        changed = pc.not_equal(arr.slice(1), arr.slice(0, len(arr) - 1))
        changed = changed.to_numpy() if isinstance(changed, pa.ChunkedArray) else changed.to_numpy(zero_copy_only=False)
        starts = np.concatenate([[0], np.flatnonzero(changed) + 1])
        if len(starts) * 4 < len(arr):
            run_codes, uniques = _encode(arr.take(pa.array(starts)))
            return np.repeat(run_codes, np.diff(np.append(starts, len(arr)))), uniques
    encoded = pc.dictionary_encode(arr)  # chunks share one dictionary (one memo table)
    chunks = encoded.chunks if isinstance(encoded, pa.ChunkedArray) else [encoded]
    if not chunks:
        return np.zeros(0, dtype="int64"), np.array([], dtype=object)
    codes = np.concatenate([c.indices.to_numpy(zero_copy_only=False) for c in chunks]).astype("int64")
    return codes, np.asarray(chunks[-1].dictionary.to_pylist(), dtype=object)


def first_rows(codes: np.ndarray, n: int | None = None) -> np.ndarray:
    """The index of each code's first occurrence (codes 0..n-1), in one pass (no sort)."""
    codes = np.asarray(codes)
    n = int(codes.max(initial=-1)) + 1 if n is None else n
    first = np.full(n, len(codes), dtype="int64")
    seen_first = np.flatnonzero(~pd.Series(codes).duplicated().to_numpy())  # hashing, no sort
    first[codes[seen_first]] = seen_first
    return first


def small_sort(codes: np.ndarray) -> np.ndarray:
    """A stable argsort of small non-negative integer codes (a radix sort on 16 bits when they fit)."""
    codes = np.asarray(codes)
    if len(codes) and 0 <= codes.min() and codes.max() < 2**15:
        return np.argsort(codes.astype("int16"), kind="stable")
    return np.argsort(codes, kind="stable")


def text_order(values) -> np.ndarray:
    """Each row's text as its rank among the distinct texts in sorted order (sorting on it = sorting on the text)."""
    codes, uniques = text_codes(values)
    rank = np.empty(len(uniques), dtype="int64")
    rank[np.argsort(np.asarray(uniques, dtype=str), kind="stable")] = np.arange(len(uniques))
    return rank[codes]
