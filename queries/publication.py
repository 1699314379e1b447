"""Read models of the publish lock: a period's publication, its table as published, and what differs now.

The lock itself (publish, reopen, the checks every write makes) is :mod:`queries.store.publishing`.
"""
from __future__ import annotations

import json

import pandas as pd

from queries.statements import beside
from queries.store import Store, scorer
from queries.store.publishing import LEAGUE_FIELDS
from scoring.exact import round4
from scoring.rubric import Rubric

SQL = beside(__file__)


def publication(store: Store, scheme: str, period: str) -> dict | None:
    """The publication of a period (published_at, who, why, is_open, locked, reopened_*), or None if never
    published."""
    row = store.read(SQL.publication, scheme=scheme, period=period)
    if row is None:
        return None
    row["is_open"] = bool(row["is_open"])
    row["locked"] = not row["is_open"]
    return row


def published_league(store: Store, scheme: str, period: str) -> pd.DataFrame:
    """The league table exactly as published (empty frame if the period was never published)."""
    pub = publication(store, scheme, period)
    if pub is None:
        return pd.DataFrame(columns=LEAGUE_FIELDS)
    return pd.DataFrame(json.loads(pub["league_json"]))


def publication_diff(store: Store, scheme: str, period: str, rubric: Rubric | None = None) -> pd.DataFrame:
    """Differences between the published table and the current scoring of the stored facts.

    ``rubric``: score with this rubric instead of the stored one (e.g. to see what a rubric change would do).
    Returns one row per difference: entity, field (a component, final, rank, grade, flag or 单位), published,
    current. Numbers are compared rounded half-up to 4 decimals. Empty when nothing differs.
    """
    published = published_league(store, scheme, period)
    cols = ["entity", "field", "published", "current"]
    if published.empty:
        return pd.DataFrame(columns=cols)
    rubric = rubric or store.rubric(scheme)
    with store.reading() as cur:
        current = scorer.score_period(cur, rubric, period).league
    fields = [c.id for c in rubric.components if c.id in published.columns and c.id in current.columns]
    fields += ["final", "rank", "grade", "flag"]
    pub = published.set_index("entity")
    now = current.set_index("entity")
    out = []
    for entity in sorted(set(pub.index) - set(now.index)):
        out.append((entity, "单位", "已发布", "当前没有该单位"))
    for entity in sorted(set(now.index) - set(pub.index)):
        out.append((entity, "单位", "发布时没有该单位", "当前有"))
    for entity in sorted(set(pub.index) & set(now.index)):
        for field in fields:
            a, b = pub.at[entity, field], now.at[entity, field]
            if field in ("grade", "flag"):
                a, b = str(a or ""), str(b or "")
            elif field == "rank":
                a, b = int(a), int(b)
            else:
                a, b = round4(float(a)), round4(float(b))
            if a != b:
                out.append((entity, field, a, b))
    return pd.DataFrame(out, columns=cols)
