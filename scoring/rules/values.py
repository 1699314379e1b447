"""Small vectorised helpers shared by rule types: exact item values per unit, and reason texts.

The engine adds a column ``_u`` to the rows it passes to rules (each row's position in ``units``). With it the
helpers place values by integer position (no merge on text keys); without it (a rule called directly, e.g. in a
test) they match on (period, entity). Values are read exactly from the text typed (:class:`ValueTable`), never
from a float.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from scoring.codes import text_codes
from scoring.exact import Q, parse_decimal, round4
from scoring.kinds import FLAG_WORDS
from scoring.rules.base import UNIT_KEYS, UNIT_POS, ScoreContext


@dataclass(frozen=True)
class ValueTable:
    """The exact value of each distinct value text (0 where the text is not a number, e.g. a tier label)."""

    texts: np.ndarray
    q: Q
    number: np.ndarray  # the text is a number (or 是/否)
    empty: np.ndarray

    @classmethod
    def of(cls, texts) -> "ValueTable":
        texts = np.asarray(texts, dtype=object)
        exact: list[Fraction] = []
        number = np.zeros(len(texts), dtype=bool)
        for i, t in enumerate(texts):
            t = str(t).strip()
            v = FLAG_WORDS.get(t)
            if v is None:
                v = parse_decimal(t) if t else None
            number[i] = v is not None
            exact.append(v if v is not None else Fraction(0))
        return cls(texts, Q.from_fractions(exact), number, np.array([str(t).strip() == "" for t in texts], dtype=bool))


def value_codes(rows: pd.DataFrame, ctx: ScoreContext | None = None) -> tuple[np.ndarray, ValueTable]:
    """Each row's code into a :class:`ValueTable` of its value texts (the engine's table when it made one)."""
    col = rows["value"]
    table = ctx.values if ctx is not None else None
    if isinstance(col.dtype, pd.CategoricalDtype) and table is not None and len(table.texts) == len(col.cat.categories):
        return col.cat.codes.to_numpy(dtype="int64"), table
    codes, uniques = text_codes(col) if len(col) else (np.zeros(0, dtype="int64"), np.array([], dtype=object))
    return codes, ValueTable.of(uniques)


def row_q(rows: pd.DataFrame, ctx: ScoreContext | None = None, empty_means: Fraction | int | None = None) -> Q:
    """The exact value of every row (``empty_means`` where the value is empty, else 0 for non-numbers)."""
    codes, table = value_codes(rows, ctx)
    q = Q(table.q.num[codes] if len(codes) else np.zeros(0, dtype=table.q.num.dtype), table.q.den)
    if empty_means is not None and table.empty.any():
        q = q.where(~table.empty[codes], empty_means)
    return q


def unit_positions(rows: pd.DataFrame, units: pd.DataFrame) -> np.ndarray:
    """Each row's position in ``units`` (-1 when its unit is not there)."""
    if UNIT_POS in rows.columns:
        return rows[UNIT_POS].to_numpy(dtype="int64")
    if len(rows) == 0:
        return np.zeros(0, dtype="int64")
    index = pd.MultiIndex.from_frame(units[UNIT_KEYS].reset_index(drop=True).astype(str))
    return index.get_indexer(pd.MultiIndex.from_frame(rows[UNIT_KEYS].astype(str))).astype("int64")


def by_unit(rows: pd.DataFrame, units: pd.DataFrame, values, mask=None, fill=np.nan) -> np.ndarray:
    """``values`` (aligned with ``rows``) placed at their unit's position; ``fill`` where a unit has none."""
    values = np.asarray(values)
    out = np.full(len(units), fill, dtype=values.dtype if values.dtype == object else "float64")
    pos = unit_positions(rows, units)
    keep = pos >= 0 if mask is None else (np.asarray(mask, dtype=bool) & (pos >= 0))
    out[pos[keep]] = values[keep]
    return out


def q_by_unit(rows: pd.DataFrame, units: pd.DataFrame, values: Q, mask=None, fill=0) -> Q:
    """Exact ``values`` (aligned with ``rows``) placed at their unit's position; ``fill`` where a unit has none."""
    pos = unit_positions(rows, units)
    keep = pos >= 0 if mask is None else (np.asarray(mask, dtype=bool) & (pos >= 0))
    return values[keep].scatter(pos[keep], len(units), fill)


def item_q(rows: pd.DataFrame, units: pd.DataFrame, item: str, ctx: ScoreContext | None = None,
           default: int = 0) -> Q:
    """The exact value of a single-valued ``item`` for every unit (``default`` where absent)."""
    return q_by_unit(rows, units, row_q(rows, ctx), (rows["item"] == item).to_numpy(dtype=bool), default)


# --- reason texts --------------------------------------------------------------------------------------------------

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
    """Numbers as short text (3 → "3", 2.5 → "2.5"), formatted once per distinct value (4 decimals at most)."""
    arr = np.asarray(values, dtype="float64")
    if arr.size == 0:
        return np.array([], dtype=object)
    uniq, inv = np.unique(round4(arr), return_inverse=True)
    words = np.array([f"{v:.4f}".rstrip("0").rstrip(".") for v in uniq], dtype=object)
    words[words == "-0"] = "0"
    return words[inv.reshape(-1)]


def num_text(values) -> np.ndarray:
    """Numbers as short text for reasons (3 → "3", 2.5 → "2.5"); exact values are rounded half-up to 4 decimals.
    An object array: reasons are joined with ``+`` element-wise, and numpy does that for one unit (a reason
    rendered when read) without pandas' overhead per operation."""
    if isinstance(values, Q):
        values = values.to_float()
    return short_numbers(values)


def same_text(text: str, n: int) -> np.ndarray:
    """``text`` for each of ``n`` units (an object array, to join with others element-wise)."""
    return np.full(n, text, dtype=object)


SMALL = 64  # up to this many units, texts are built directly (factorising costs more than it saves)


def distinct_text(build, *values) -> pd.Categorical | np.ndarray:
    """Reason text per unit, built once per distinct combination of ``values`` (arrays aligned with units).

    A reason depends on a few numbers or labels with few distinct values (a place, a count, a label), so
    ``build`` (the same vectorised text code, called on the distinct combinations) stays cheap for tens of
    thousands of units. Every value the text uses must be among ``values`` (exact values: pass ``q.round4()``
    or ``q.to_float()``). Returns a Categorical (an object array for a few units).
    """
    n = len(values[0]) if values else 0
    if n == 0:
        return pd.Categorical(np.array([], dtype=object))
    if n <= SMALL:  # a few units (one unit's reasons when read, a small group): build every text directly
        return np.asarray(build(*[np.asarray(v) for v in values]), dtype=object)
    combined = np.zeros(n, dtype="int64")
    for v in values:
        codes, uniques = pd.factorize(np.asarray(v), use_na_sentinel=False)
        combined, _ = pd.factorize(combined * len(uniques) + codes)
    first = np.unique(combined, return_index=True)[1]
    texts = np.asarray(build(*[np.asarray(v)[first] for v in values]), dtype=object)
    codes_, categories = pd.factorize(texts)
    return pd.Categorical.from_codes(codes_[combined], categories=categories)
