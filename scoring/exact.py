"""Exact points: rationals computed without rounding, rounded half-up to 4 decimals once, at the end.

DESIGN.md (Exactness): "Points are computed exactly (rationals), summed exactly, and rounded half-up to 4 decimals
once, at the final figures that are compared and shown." A three-month mean is not a finite decimal (99.003 / 3),
so neither floats nor decimals are exact; :class:`Q` holds a vector of rationals as integer numerators over one
common denominator, so a rule scores millions of units with integer numpy arithmetic. Numerators are int64 while
they fit with a safety margin (every operation checks its bound first) and Python integers (numpy ``object``
arrays, exact at any size, slower) beyond that: a result is never wrong, at worst slower.

Inputs reach the engine as the decimal text a clerk typed (:func:`parse_decimal`), never as floats; rubric
constants (0.5, 0.002, 0.7) are read through their shortest decimal text (:func:`frac`). Rounding
(:meth:`Q.round4`) gives integers in units of 0.0001: comparison, ranking and ties use those integers, and what is
shown is that figure (a float only for display and storage: ``round4 / 10000``).
"""
from __future__ import annotations

import math
import unicodedata
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache

import numpy as np
import pandas as pd

DECIMALS = 4
SCALE = 10**DECIMALS
_TOL = 1e-7
_SAFE = 2**62  # an int64 numerator stays below this; beyond it the numerators become Python integers
Number = int | float | str | Fraction | Decimal


# --- constants and typed values -------------------------------------------------------------------------------

def frac(value: Number) -> Fraction:
    """A rubric constant or a typed value as an exact fraction: floats through their shortest decimal text
    (``0.1`` is one tenth, not the binary float nearest to it)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value!r}")
        return Fraction(repr(value))
    if isinstance(value, (int, np.integer)):
        return Fraction(int(value))
    return Fraction(Decimal(str(value)))


@lru_cache(maxsize=65536)
def parse_decimal(text: str) -> Fraction | None:
    """The exact value of a number as typed ("99.003", "1e3", " 5 "), or None when it is not a finite number.

    Trailing zeros change nothing ("2.50" = "2.5"). Width variants are read as ASCII (NFKC: "９９" = "99").
    """
    word = unicodedata.normalize("NFKC", str(text)).strip()
    if not word or not word.isascii():
        return None
    try:
        dec = Decimal(word)
    except (InvalidOperation, ValueError):
        return None
    if not dec.is_finite():
        return None
    exp = dec.as_tuple().exponent
    if isinstance(exp, int) and abs(exp) > 60:  # 1e-300 or 1e300 typed: not a score, and costly to carry exactly
        return None
    return Fraction(dec)


# --- the exact vector ---------------------------------------------------------------------------------------------

def _as_int_array(values) -> np.ndarray:
    arr = np.asarray(values)
    if arr.dtype == object or arr.dtype.kind in "iu":
        return arr.astype("int64") if arr.dtype.kind == "u" else arr
    if arr.dtype == bool:
        return arr.astype("int64")
    raise TypeError(f"numerators must be integers, not {arr.dtype}")


def _bound(arr: np.ndarray) -> int:
    """The largest absolute value in ``arr`` (0 when empty), as a Python integer."""
    if arr.size == 0:
        return 0
    if arr.dtype == object:
        return max(abs(int(v)) for v in arr.ravel())
    return max(abs(int(arr.max())), abs(int(arr.min())))


def _scaled(arr: np.ndarray, factor: int) -> np.ndarray:
    """``arr × factor`` exactly (int64 while it fits below 2**62, else Python integers)."""
    if factor == 1:
        return arr
    if arr.dtype != object and _bound(arr) * abs(factor) >= _SAFE:
        arr = arr.astype(object)
    return arr * factor


def _fits(*bounds: int) -> bool:
    return sum(bounds) < _SAFE


class Q:
    """A vector of exact rationals: integer numerators ``num`` over one positive common denominator ``den``.

    Operations keep exactness; scalars may be ints, Fractions or rubric floats (read with :func:`frac`).
    """

    __slots__ = ("num", "den")

    def __init__(self, num, den: int = 1):
        if den <= 0:
            raise ValueError("the denominator must be positive")
        self.num = _as_int_array(num)
        self.den = int(den)

    # construction
    @classmethod
    def zeros(cls, n: int) -> "Q":
        return cls(np.zeros(n, dtype="int64"))

    @classmethod
    def full(cls, n: int, value: Number) -> "Q":
        f = frac(value)
        return cls(_scaled(np.ones(n, dtype="int64"), f.numerator) if n else np.zeros(0, dtype="int64"),
                   f.denominator)

    @classmethod
    def from_fractions(cls, values) -> "Q":
        """From a sequence of Fractions (one per element)."""
        values = [frac(v) for v in values]
        den = math.lcm(*(v.denominator for v in values)) if values else 1
        nums = [v.numerator * (den // v.denominator) for v in values]
        big = any(abs(n) >= _SAFE for n in nums)
        return cls(np.array(nums, dtype=object if big else "int64"), den)

    @classmethod
    def from_codes(cls, codes: np.ndarray, distinct: list[Fraction]) -> "Q":
        """Element i is ``distinct[codes[i]]`` (values parsed once per distinct text, spread by code)."""
        table = cls.from_fractions(distinct)
        return cls(table.num[np.asarray(codes, dtype="int64")] if len(codes) else
                   np.zeros(0, dtype=table.num.dtype), table.den)

    @classmethod
    def concat(cls, parts: list["Q"]) -> "Q":
        if not parts:
            return cls.zeros(0)
        den = math.lcm(*(p.den for p in parts))
        nums = [_scaled(p.num, den // p.den) for p in parts]
        if any(n.dtype == object for n in nums):
            nums = [n.astype(object) for n in nums]
        return cls(np.concatenate(nums), den)

    # shape
    def __len__(self) -> int:
        return len(self.num)

    def __getitem__(self, index) -> "Q":
        return Q(self.num[index], self.den)

    def copy(self) -> "Q":
        return Q(self.num.copy(), self.den)

    # arithmetic
    def _common(self, other: "Q | Number") -> tuple[np.ndarray, np.ndarray, int]:
        if not isinstance(other, Q):
            f = frac(other)
            other = Q(np.array([f.numerator], dtype=object if abs(f.numerator) >= _SAFE else "int64"), f.denominator)
        den = self.den * other.den // math.gcd(self.den, other.den)
        a, b = _scaled(self.num, den // self.den), _scaled(other.num, den // other.den)
        if a.dtype != object and b.dtype != object and not _fits(_bound(a), _bound(b)):
            a, b = a.astype(object), b.astype(object)
        return a, b, den

    def __add__(self, other) -> "Q":
        a, b, den = self._common(other)
        return Q(a + b, den)._reduced()

    __radd__ = __add__

    def __sub__(self, other) -> "Q":
        a, b, den = self._common(other)
        return Q(a - b, den)._reduced()

    def __rsub__(self, other) -> "Q":
        return (-self) + other

    def __neg__(self) -> "Q":
        return Q(-self.num, self.den)

    def __mul__(self, other) -> "Q":
        if isinstance(other, Q):
            a, b = self.num, other.num
            if a.dtype != object and b.dtype != object and _bound(a) * _bound(b) >= _SAFE:
                a = a.astype(object)
            return Q(a * b, self.den * other.den)._reduced()
        f = frac(other)
        return Q(_scaled(self.num, f.numerator), self.den * f.denominator)._reduced()

    __rmul__ = __mul__

    def __truediv__(self, other: Number) -> "Q":
        f = frac(other)
        if f == 0:
            raise ZeroDivisionError("division by zero")
        return self * (1 / f)

    def _reduced(self) -> "Q":
        """The same values over the smallest common denominator (keeps numbers small)."""
        if self.den == 1 or self.num.size == 0:
            return self
        if self.num.dtype == object:
            g = math.gcd(self.den, *(int(v) for v in self.num))
        else:
            g = math.gcd(self.den, int(np.gcd.reduce(self.num)))
        if g <= 1:
            return self
        return Q(self.num // g, self.den // g)

    # comparison (element-wise, exact)
    def cmp(self, other) -> np.ndarray:
        """-1, 0 or 1 per element: the sign of ``self − other``."""
        a, b, _ = self._common(other)
        return np.sign(a - b).astype("int64")

    def __lt__(self, other) -> np.ndarray:
        return self.cmp(other) < 0

    def __le__(self, other) -> np.ndarray:
        return self.cmp(other) <= 0

    def __gt__(self, other) -> np.ndarray:
        return self.cmp(other) > 0

    def __ge__(self, other) -> np.ndarray:
        return self.cmp(other) >= 0

    def eq(self, other) -> np.ndarray:
        return self.cmp(other) == 0

    def positive(self) -> np.ndarray:
        return np.asarray(self.num > 0, dtype=bool)

    def minimum(self, other) -> "Q":
        a, b, den = self._common(other)
        return Q(np.where(a <= b, a, b), den)._reduced()

    def maximum(self, other) -> "Q":
        a, b, den = self._common(other)
        return Q(np.where(a >= b, a, b), den)._reduced()

    def where(self, mask, other) -> "Q":
        """``self`` where ``mask``, else ``other``."""
        a, b, den = self._common(other)
        return Q(np.where(np.asarray(mask, dtype=bool), a, b), den)._reduced()

    def scatter(self, positions: np.ndarray, n: int, fill: Number = 0) -> "Q":
        """A vector of length ``n``: element i of ``self`` at ``positions[i]``, ``fill`` elsewhere."""
        a, b, den = Q.full(n, fill)._common(self)
        if b.dtype == object and a.dtype != object:
            a = a.astype(object)
        a = a.copy()
        a[np.asarray(positions, dtype="int64")] = b
        return Q(a, den)._reduced()

    def floor(self) -> np.ndarray:
        """⌊value⌋ per element, as integers."""
        return self.num // self.den

    # sums
    def sum_by(self, positions: np.ndarray, n: int) -> "Q":
        """Sums of the elements by position (0 ≤ position < n): element i adds into slot ``positions[i]``."""
        positions = np.asarray(positions, dtype="int64")
        num = self.num
        if num.dtype != object and not _fits(_bound(num) * max(len(num), 1)):
            num = num.astype(object)
        out = np.zeros(n, dtype=num.dtype if num.dtype == object else "int64")
        if num.dtype == object:
            out[:] = 0
        np.add.at(out, positions, num)
        return Q(out, self.den)._reduced()

    # rounding
    def round4(self) -> np.ndarray:
        """Half-up (away from zero) to 4 decimals, as integers in units of 0.0001 (int64)."""
        num = self.num
        mag = np.abs(num)
        if num.dtype != object and _bound(num) * 2 * SCALE + self.den >= _SAFE:
            mag = mag.astype(object)
        r = (mag * (2 * SCALE) + self.den) // (2 * self.den)
        out = np.where(num < 0, -r, r)
        return out.astype("int64")

    def to_float(self) -> np.ndarray:
        """The 4-decimal figure as a float (display and storage; compare on :meth:`round4`)."""
        return self.round4() / SCALE + 0.0

    def exact_float(self) -> np.ndarray:
        """The nearest float to each exact value (for drawing only: never compared or shown as a score)."""
        if self.num.dtype == object:
            return np.array([float(Fraction(int(n), self.den)) for n in self.num], dtype="float64")
        return self.num / self.den

    def fractions(self) -> list[Fraction]:
        return [Fraction(int(n), self.den) for n in self.num]

    def __repr__(self) -> str:
        shown = ", ".join(str(f) for f in self.fractions()[:6])
        return f"Q([{shown}{', …' if len(self) > 6 else ''}])"


def rounded(value: Fraction | int) -> Fraction:
    """One exact value rounded half-up to 4 decimals (as a Fraction with denominator dividing 10000)."""
    v = frac(value)
    r = (abs(v.numerator) * 2 * SCALE + v.denominator) // (2 * v.denominator)
    return Fraction(-r if v < 0 else r, SCALE)


# --- display of figures that are already 4-decimal --------------------------------------------------------------

def round_half_up(values, decimals: int = DECIMALS):
    """Round half-up (away from zero for negatives) to ``decimals``; scalars, arrays or Series of floats.

    For showing figures that are already exact to 4 decimals (stored results): the tolerance of 1e-11 absorbs the
    float representation of a 4-decimal figure (93.9767 stored as 93.976699999…) without moving any value.
    """
    if isinstance(values, pd.Series):
        return pd.Series(round_half_up(values.to_numpy(dtype="float64"), decimals), index=values.index,
                         name=values.name)
    scale = 10.0**decimals
    arr = np.asarray(values, dtype="float64")
    out = np.sign(arr) * np.floor(np.abs(arr) * scale + 0.5 + _TOL * scale / SCALE) / scale
    out = out + 0.0  # turn -0.0 into 0.0
    if out.ndim == 0:
        return float(out)
    return out


def round4(values):
    """Round a float figure half-up to 4 decimals (stored or displayed figures; never used to compute points)."""
    return round_half_up(values, DECIMALS)


def units4(values) -> np.ndarray:
    """A 4-decimal float figure as integers in units of 0.0001 (exact comparison of stored figures)."""
    return np.rint(round4(np.asarray(values, dtype="float64")) * SCALE).astype("int64")


def fmt_points(value) -> str:
    """Shortest exact-looking form of a point amount for reasons: 3 → "3", 0.5 → "0.5", 0.002 → "0.002"."""
    if isinstance(value, Fraction):
        value = float(rounded(value))
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
