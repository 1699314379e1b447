"""The publish lock: a published period's league table is kept as published and the period is locked.

While locked, imports, edits, undo and award decisions of that period are refused (:class:`RefusedError`)
until the office reopens it with a reason. Reopening keeps the published table; changes made afterwards
(or a later rubric change) show up in :func:`publication_diff` as differences, never as a silent rewrite.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pandas as pd

from queries.audit import write_audit
from scoring.exact import round4

if TYPE_CHECKING:  # pragma: no cover
    from queries.store import Store
    from scoring.rubric import Rubric

LEAGUE_FIELDS = ["grp", "entity", "base", "bonus", "penalty", "final", "rank", "grade", "flag", "award_note"]


class RefusedError(Exception):
    """The store refuses a change (locked period, missing name or reason, nothing to undo); says why in Chinese."""


class WriteConflictError(RefusedError):
    """Another session wrote the same rows at the same time (a DuckDB transaction conflict): retry."""

    MESSAGE = "另一位用户正在写入，请稍后重试 (another write is in progress; retry)"

    def __init__(self, message: str = MESSAGE):
        super().__init__(message)


def locked_message(period: str, action: str) -> str:
    return (f"{period} 的结果已发布并锁定，不能{action}；如确需更改，请先“重新打开”该期间并填写理由 "
            f"(period {period} is published and locked; reopen it with a reason first)")


def period_states(store: "Store", scheme: str, periods: list[str], cur=None) -> tuple[list[str], list[str]]:
    """(locked, reopened): which of ``periods`` are published and locked, and which were published then reopened.

    ``cur``: read inside that transaction (a writer checks the lock after BEGIN, so a publish cannot slip in
    between the check and the write).
    """
    pubs = store.query("publications_of", con=cur, scheme=scheme)
    pubs = pubs[pubs["period"].isin(list(periods))]
    locked = sorted(pubs.loc[~pubs["is_open"].astype(bool), "period"])
    reopened = sorted(pubs.loc[pubs["is_open"].astype(bool), "period"])
    return locked, reopened


def refuse_if_locked(store: "Store", scheme: str, periods, action: str, cur=None) -> list[str]:
    """Raise :class:`RefusedError` naming every locked period; returns the reopened ones (a reason is required).
    ``cur``: check inside that transaction (see :func:`period_states`)."""
    locked, reopened = period_states(store, scheme, list(periods), cur)
    if locked:
        raise RefusedError("\n".join(locked_message(p, action) for p in locked))
    return reopened


def require(who: str, why: str | None = None, why_needed: bool = False, what: str = "此操作") -> None:
    if not (who or "").strip():
        raise RefusedError("请先填写您的姓名（记入审计日志）(who is required)")
    if why_needed and not (why or "").strip():
        raise RefusedError(f"{what}必须填写理由 (a reason is required)")


def publication(store: "Store", scheme: str, period: str) -> dict | None:
    """The publication of a period (published_at, who, why, is_open, reopened_*), or None if never published."""
    found = store.query("publication", scheme=scheme, period=period)
    if found.empty:
        return None
    row = found.iloc[0].to_dict()
    row["is_open"] = bool(row["is_open"])
    row["locked"] = not row["is_open"]
    return row


def published_league(store: "Store", scheme: str, period: str) -> pd.DataFrame:
    """The league table exactly as published (empty frame if the period was never published)."""
    pub = publication(store, scheme, period)
    if pub is None:
        return pd.DataFrame(columns=LEAGUE_FIELDS)
    return pd.DataFrame(json.loads(pub["league_json"]))


def publish(store: "Store", scheme: str, period: str, who: str, why: str = "") -> pd.DataFrame:
    """Keep the period's current league table as published and lock the period. Returns the published table.

    Everything is read and checked inside the writing transaction, under the store's write lock."""
    require(who)
    with store.writing(), store.transaction() as cur:
        rubric = store.rubric(scheme)
        locked, _ = period_states(store, scheme, [period], cur)
        if locked:
            raise RefusedError(f"{period} 已经发布并锁定 (already published)")
        league = store.league(scheme, period, con=cur)
        if league.empty:
            raise RefusedError(f"{period} 还没有评分结果，不能发布 (no results to publish)")
        pending = rubric.award.pending_mark if rubric.award else None
        if pending and (league["flag"] == pending).any():
            names = "、".join(league.loc[league["flag"] == pending, "entity"])
            raise RefusedError(f"{period} 的红旗还是“{pending}”（{names}），请先在红旗评选页作出决定再发布 "
                               f"(a pending award must be decided before publishing)")
        comp_ids = [c.id for c in rubric.components if c.id in league.columns]
        rows = league[LEAGUE_FIELDS[:2] + comp_ids + LEAGUE_FIELDS[2:]].copy()
        rows["rank"] = rows["rank"].astype(int)
        table = json.loads(rows.to_json(orient="records", force_ascii=False))
        store.run("save_publication", cur, scheme=scheme, period=period, who=who, why=why or "",
                  league_json=json.dumps(table, ensure_ascii=False), rubric_version=rubric.version)
        write_audit(store, cur, who=who, action="publish", scheme=scheme,
                    scope=pd.DataFrame({"period": [period], "entity": [""]}),
                    detail={"period": period, "rubric_version": rubric.version, "league": table}, why=why)
    return pd.DataFrame(table)


def reopen(store: "Store", scheme: str, period: str, who: str, why: str) -> None:
    """Unlock a published period; the reason is required and audited, the published table is kept."""
    require(who, why, True, "重新打开已发布的期间")
    with store.writing(), store.transaction() as cur:
        locked, _ = period_states(store, scheme, [period], cur)
        if not locked:
            raise RefusedError(f"{period} 没有处于已发布锁定状态，无需重新打开 (period is not locked)")
        store.run("reopen_publication", cur, scheme=scheme, period=period, who=who, why=why)
        write_audit(store, cur, who=who, action="reopen", scheme=scheme,
                    scope=pd.DataFrame({"period": [period], "entity": [""]}), detail={"period": period}, why=why)


def publication_diff(store: "Store", scheme: str, period: str, rubric: "Rubric | None" = None) -> pd.DataFrame:
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
    current = store.score_periods(rubric, [period]).league
    fields = [c.id for c in rubric.components if c.id in published.columns and c.id in current.columns]
    fields += ["final", "rank", "grade", "flag"]
    pub = published.set_index("entity")
    cur = current.set_index("entity")
    out = []
    for entity in sorted(set(pub.index) - set(cur.index)):
        out.append((entity, "单位", "已发布", "当前没有该单位"))
    for entity in sorted(set(cur.index) - set(pub.index)):
        out.append((entity, "单位", "发布时没有该单位", "当前有"))
    for entity in sorted(set(pub.index) & set(cur.index)):
        for field in fields:
            a, b = pub.at[entity, field], cur.at[entity, field]
            if field in ("grade", "flag"):
                a, b = str(a or ""), str(b or "")
                same = a == b
            elif field == "rank":
                a, b = int(a), int(b)
                same = a == b
            else:
                a, b = round4(float(a)), round4(float(b))
                same = a == b
            if not same:
                out.append((entity, field, a, b))
    return pd.DataFrame(out, columns=cols)
