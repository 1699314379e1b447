"""Text columns as integer codes, at C speed: the one encoding validation, the engine and ranking share.

Millions of observation rows carry a few hundred distinct texts (periods, units, indicators, items, values). Each
column is encoded once (Arrow dictionary encoding, one row per run of equal texts) and every check or split then
works on the integer codes; the result for a column's Arrow buffers is remembered, so validation and scoring of the
same rows pay for it once.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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
    if isinstance(getattr(values, "dtype", None), pd.CategoricalDtype):  # the rules' rows: codes already
        cat_codes = np.asarray(values.cat.codes)
        if not (cat_codes < 0).any():
            codes, seen = pd.factorize(cat_codes)  # renumbered in order of first appearance, as below
            return codes.astype("int64"), np.asarray(values.cat.categories, dtype=object)[seen]
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


CODED_COLUMNS = ("period", "group", "entity", "indicator", "item", "value", "ref")  # few distinct texts each


def as_categoricals(frame: pd.DataFrame, columns=CODED_COLUMNS) -> pd.DataFrame:
    """``frame`` with its text ``columns`` as Categoricals (codes from :func:`text_codes`, so mostly known already):
    slicing millions of rows then copies integers, not strings. A column with a non-text value stays as it is."""
    out = frame.copy(deep=False)
    for col in columns:
        if col in out.columns and len(out) and not isinstance(out[col].dtype, pd.CategoricalDtype):
            codes, uniques = text_codes(out[col])
            if all(isinstance(u, str) for u in uniques):
                out[col] = pd.Categorical.from_codes(codes, categories=pd.Index(uniques, dtype="str"))
    return out


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
