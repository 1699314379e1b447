"""The rule registry and the base class every rule type derives from.

A rule type is one small pydantic model: its fields are the parameters written in the rubric YAML
(``rule: {type: deduct, ...}``), ``items()`` declares the observation items it reads (so validation
and templates are generic), ``score()`` turns the rows of one indicator into points for every unit at
once (vectorised, never a Python loop per unit) and ``describe()`` renders the rule as the Chinese
sentence shown on the rubric page. Each subclass's docstring quotes the seed clause it implements.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import numpy as np
import pandas as pd
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

        ``rows``: this indicator's validated observations (columns period, group, entity, item, value,
        num, ref, line). ``units``: one row per (period, group, entity) being scored.
        Returns a frame aligned with ``units`` (same index) with columns ``points`` (float) and
        ``reason`` (str, "" when nothing was lost or earned).
        """
        raise NotImplementedError

    def describe(self, ind: "Indicator") -> str:
        raise NotImplementedError

    def max_points(self, ind: "Indicator") -> float:
        return float(ind.max)


# --- small vectorised helpers shared by rule types -------------------------------------------------


def item_value(rows: pd.DataFrame, units: pd.DataFrame, item: str, default: float = 0.0) -> np.ndarray:
    """The numeric value of a single-valued ``item`` for every unit (``default`` where absent)."""
    sel = rows.loc[rows["item"] == item, ["period", "entity", "num"]]
    merged = units[UNIT_KEYS].merge(sel, on=UNIT_KEYS, how="left")
    return merged["num"].fillna(default).to_numpy(dtype="float64")


def item_sum(rows: pd.DataFrame, units: pd.DataFrame, values: pd.Series) -> np.ndarray:
    """Sum ``values`` (aligned with ``rows``) per unit; 0 where a unit has no rows."""
    if len(rows) == 0:
        return np.zeros(len(units))
    s = pd.DataFrame({"period": rows["period"], "entity": rows["entity"], "v": values.to_numpy()})
    g = s.groupby(UNIT_KEYS, sort=False)["v"].sum().rename("v").reset_index()
    merged = units[UNIT_KEYS].merge(g, on=UNIT_KEYS, how="left")
    return merged["v"].fillna(0.0).to_numpy(dtype="float64")


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


def num_text(values: np.ndarray) -> pd.Series:
    """Numbers as short text for reasons (3 → "3", 2.5 → "2.5")."""
    s = pd.Series(np.round(np.asarray(values, dtype="float64"), 4))
    txt = s.map(lambda v: f"{v:.4f}".rstrip("0").rstrip("."))
    return txt.replace("-0", "0")
