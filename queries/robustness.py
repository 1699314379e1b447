"""Read models of robustness and what-if: the awards of a period against the judged items, a unit's scratch facts,
the office's weight and quota scenarios — scored by the engine from the stored facts, never written.

Each takes a :class:`~queries.store.Store`; the dashboard caches them by data version (so the selection page
computes a period's robustness once per change of the store).
"""
from __future__ import annotations

import pandas as pd

from queries.access import ScopedStore
from queries.store import RefusedError, Store, facts, scorer
from scoring.robustness import Robustness, analyse
from scoring.whatif import Scenario, WhatIf, unit_what_if, weight_scenarios


def _period_facts(store: Store, scheme: str, period: str) -> tuple[pd.DataFrame, dict]:
    """A period's stored facts and the office's recorded award decisions."""
    with store.reading() as cur:
        got = scorer.fetch_period(cur, store.rubric(scheme), period)
    return got.obs, scorer.decisions_of(got.decided)


def stored_robustness(store: Store, scheme: str, period: str) -> Robustness | None:
    """Per unit the range of finals and places the judged items allow, and per group the verdicts with witnesses
    (None when the period has no facts)."""
    rubric = store.rubric(scheme)
    obs, decisions = _period_facts(store, scheme, period)
    if obs.empty:
        return None
    clean, _ = scorer.check_stored(obs, rubric)
    return analyse(clean, rubric, decisions)


def unit_scratch(store: Store | ScopedStore, scheme: str, period: str, entity: str, edited: pd.DataFrame) -> WhatIf:
    """The unit's period re-scored with its facts replaced by ``edited`` (indicator, item, value, ref, note).

    Only for a unit whose facts the reader may read: a town account its own unit, in a period in 公示 or 已发布
    (its scoped view shows it no other unit's facts); else :class:`RefusedError`. To rank the unit, the other units'
    facts are then read from the store itself; what comes back is the unit's own re-score and the period's results
    (final, rank, grade, flag of every unit), which the reader sees anyway — never another unit's facts."""
    if isinstance(store, ScopedStore):
        with store.reading() as cur:
            own = facts.of_unit(cur, scheme, period, entity)
        if own.empty or (store.account.role == "town" and not store.account.owns(scheme, entity)):
            raise RefusedError(f"只能试算本账户可查看的单位：{entity} 在 {period} 不可试算 "
                               f"(what-if is only for a unit this account may read)")
        store = store.store
    obs, decisions = _period_facts(store, scheme, period)
    return unit_what_if(obs, store.rubric(scheme), period, entity, edited, decisions)


def scenarios(store: Store, scheme: str, period: str, wanted: tuple[Scenario, ...]) -> pd.DataFrame:
    """Per scenario × unit: final, rank, grade and flag (the rubric's own settings first, as 现行)."""
    obs, decisions = _period_facts(store, scheme, period)
    return weight_scenarios(obs, store.rubric(scheme), list(wanted), decisions)


