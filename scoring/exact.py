"""Exact comparison of scores.

DESIGN.md: compute exactly, "compare and rank on values rounded half-up to 4 decimals, so scores
equal on paper are equal in the program (0.7·92.4 + 0.3·81.4 must equal 0.7·93 + 0.3·80)".

Scores are computed in float64 (vectorised over millions of rows). Every input has at most a few
decimals and every intermediate is a short sum/product/mean, so the float error is below 1e-9; we
round half-up to 4 decimals with a tolerance of 1e-7 in units of the 4th decimal, which absorbs
that error without ever moving a genuine value (a test checks this against ``fractions.Fraction``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

DECIMALS = 4
_SCALE = 10**DECIMALS
_TOL = 1e-7


def round_half_up(values, decimals: int = DECIMALS):
    """Round half-up (away from zero for negatives) to ``decimals``; scalars, arrays or Series.

    The tolerance is the same absolute amount (1e-11) at every precision, so a value equal on paper rounds
    the same way whether it is compared (4 decimals) or displayed (2, or a rubric's ``display_decimals``).
    """
    if isinstance(values, pd.Series):
        return pd.Series(round_half_up(values.to_numpy(dtype="float64"), decimals), index=values.index,
                         name=values.name)
    scale = 10.0**decimals
    arr = np.asarray(values, dtype="float64")
    out = np.sign(arr) * np.floor(np.abs(arr) * scale + 0.5 + _TOL * scale / _SCALE) / scale
    out = out + 0.0  # turn -0.0 into 0.0
    if out.ndim == 0:
        return float(out)
    return out


def round4(values):
    """Round half-up to 4 decimals: the precision every comparison and rank uses."""
    return round_half_up(values, DECIMALS)


def fmt_points(value: float) -> str:
    """Shortest exact-looking form of a point amount for reasons: 3 → "3", 0.5 → "0.5", 0.002 → "0.002"."""
    v = round4(value)
    text = f"{v:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def fmt_points_many(values) -> np.ndarray:
    """:func:`fmt_points` of every value (an object array), formatting each distinct value once."""
    arr = np.asarray(values, dtype="float64")
    if arr.size == 0:
        return np.array([], dtype=object)
    uniq, inv = np.unique(round4(arr), return_inverse=True)
    words = np.array([fmt_points(v) for v in uniq], dtype=object)
    return words[inv.reshape(-1)]
