"""The rule registry and the contract every rule type follows.

A rule type is one small pydantic model: its fields are the parameters written in the rubric YAML
(``rule: {type: deduct, ...}``), ``items()`` declares the observation items it reads (so validation and templates
are generic), ``score()`` turns the rows of one indicator into exact points for every unit at once (vectorised,
never a Python loop per unit) and ``describe()`` renders the rule as the Chinese sentence shown on the rubric page.
Each subclass's docstring quotes the seed clause it implements.

Every optional hook a rule may offer is declared on :class:`Rule` with its default (datasette's hookspecs): other
modules call the hook, never probe for attributes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, ClassVar, Protocol

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

from scoring.exact import Q, frac
from scoring.kinds import ItemSpec
from scoring.problems import Problem

if TYPE_CHECKING:  # pragma: no cover
    from numpy.random import Generator

REGISTRY: dict[str, type["Rule"]] = {}

UNIT_KEYS = ["period", "entity"]
UNIT_POS = "_u"  # in rows passed by the engine: each row's position in ``units``
GROUP_POS = "_g"  # in ``units`` passed by the engine: the unit's (period, group) as an integer code


class IndicatorLike(Protocol):
    """What a rule reads of its indicator (scoring.rubric.Indicator)."""

    code: str
    name: str
    max: float
    kind: str


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
class ScoreContext:
    """What a rule may need beyond its own rows: the rubric's settings and what the caller wants back.

    ``tie_method``: how a rank ladder ranks equal measures (the rubric's setting). ``reasons``: build the reason
    texts (False when only points are wanted: a national rescore renders reasons when they are read).
    ``group_sizes``: units per (period, group), for checks that need them (a place beyond the group).
    """

    tie_method: str = "competition"
    reasons: bool = True
    group_sizes: dict | None = None
    values: object = None  # the engine's scoring.rules.values.ValueTable of every value text, built once
    places: dict | None = None  # indicator code → each unit's place, given (a unit scored alone, e.g. to render
    #   its reasons when read: its places were decided with the whole group and stored)


DEFAULT_CONTEXT = ScoreContext()


@dataclass(frozen=True)
class Judgement:
    """An item whose value an assessor chooses within what the rule allows (视情扣2-4分, a tier chosen on inspection).

    Each row of ``item`` may move within [``lo``, ``hi``] (numbers) or among ``labels`` (a tier, best first);
    ``better`` says which end earns more points. ``keep_zero``: a row whose value is 0 stays 0 (no deduction was
    judged, so none is assumed: "a judged deduction stays a deduction"). Used by :mod:`scoring.robustness`.
    """

    item: str
    lo: Fraction = Fraction(0)
    hi: Fraction = Fraction(0)
    better: str = "low"  # "low": the lower value earns more points (a deduction); "high": a bonus
    keep_zero: bool = False
    labels: tuple[str, ...] = ()


@dataclass
class RuleResult:
    """What a rule gives for every unit (aligned with ``units``).

    ``points``: exact points as a magnitude (a penalty's points are what it takes off; the indicator's kind
    gives the sign). ``reason``: the reason text per unit ("" when nothing was lost or earned; None when the
    context asked for no reasons). ``place``: the unit's place on a rank ladder (NaN elsewhere), kept so that a
    reason can be rendered later without the other units. ``raw``: points before a cap, when the rule has one.
    """

    points: Q
    reason: object = None
    place: np.ndarray | None = None
    raw: Q | None = None
    extra: dict = field(default_factory=dict)


class Rule(BaseModel):
    """Base of every rule type. Subclasses set ``type`` and implement ``items``, ``score`` and ``describe``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: ClassVar[str] = ""

    # -- the contract -------------------------------------------------------------------------------------------
    def items(self, ind: IndicatorLike) -> list[ItemSpec]:
        """The observation items this rule reads, with their kinds (validation and templates follow them)."""
        raise NotImplementedError

    def score(self, rows: pd.DataFrame, units: pd.DataFrame, ind: IndicatorLike,
              ctx: ScoreContext = DEFAULT_CONTEXT) -> RuleResult:
        """Exact points for every unit.

        ``rows``: this indicator's validated observations (columns period, group, entity, indicator, item, value,
        ref; from the engine the key columns are Categoricals and ``_u`` gives each row's position in ``units``).
        ``units``: one row per (period, group, entity) being scored (from the engine with ``_g``, the group code).
        """
        raise NotImplementedError

    def describe(self, ind: IndicatorLike) -> str:
        """The rule as a Chinese sentence for the rubric page."""
        raise NotImplementedError

    # -- optional hooks (defaults: nothing) ---------------------------------------------------------------------
    def check(self, rows: pd.DataFrame, ind: IndicatorLike, ctx: ScoreContext = DEFAULT_CONTEXT) -> list[Problem]:
        """Rule-specific errors beyond the item kinds' checks (a ref row whose value is not 1, a place beyond the
        group). ``rows`` carry ``line`` and ``num`` (the value as a float, NaN for labels)."""
        return []

    def warnings(self, rows: pd.DataFrame, ind: IndicatorLike, ctx: ScoreContext = DEFAULT_CONTEXT) -> list[Problem]:
        """Problems shown but not blocking (a possible double entry, a rate that looks like a fraction)."""
        return []

    def outcome_warnings(self, result: RuleResult, units: pd.DataFrame, ind: IndicatorLike) -> list[Problem]:
        """Warnings about what the scoring decided, when a reading of the seed (a rubric setting) decided it."""
        return []

    def max_points(self, ind: IndicatorLike) -> Fraction:
        """The indicator's full marks (a bonus or penalty: its cap)."""
        return frac(ind.max)

    def judgements(self, ind: IndicatorLike) -> list[Judgement]:
        """The items an assessor judges within a range (robustness of the awards to those judgements)."""
        return []

    def rank_step(self) -> Fraction | None:
        """Points lost per place on a rank ladder (None: not a ladder)."""
        return None

    def event_levels(self) -> dict[str, Fraction]:
        """Level item → points per event, for rules that score events by level (8.1 国家级 5 …)."""
        return {}

    def finding_amounts(self) -> dict[str, Fraction]:
        """Item → points per finding, for rules that list deductions (a recheck's rectification list)."""
        return {}

    def demo_rows(self, rng: "Generator", ind: IndicatorLike, quality: float, period: str, entity: str,
                  rate: float) -> list[dict] | None:
        """Demo rows (indicator, item, value, ref) for one unit, or None to let each item's kind draw a value."""
        return None

    def demo_fix(self, rows: list[dict], entity: str) -> list[dict]:
        """Make a unit's demo rows consistent (a site's type and the findings that apply to it)."""
        return rows
