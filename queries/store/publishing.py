"""The publish lock: a published period's league table is kept as published and the period is locked.

While locked, imports, edits, undo and award decisions of that period are refused (:class:`LockedError`)
until the office reopens it with a reason. Reopening keeps the published table; changes made afterwards
(or a later rubric change) show up in :func:`queries.publication.publication_diff` as differences, never as
a silent rewrite. Every check here reads inside the writing transaction (a publish cannot slip in between
a check and the write it guards).
"""
from __future__ import annotations

import json

import pandas as pd

from queries.statements import beside
from queries.store import results, rubric_versions, workflow
from queries.store.door import AuditEntry, Written
from queries.store.errors import LockedError, RefusedError

SQL = beside(__file__)
LEAGUE_FIELDS = ["grp", "entity", "base", "bonus", "penalty", "final", "rank", "grade", "flag", "award_note"]


def locked_message(period: str, action: str) -> str:
    return (f"{period} 的结果已发布并锁定，不能{action}；如确需更改，请先“重新打开”该期间并填写理由 "
            f"(period {period} is published and locked; reopen it with a reason first)")


def publications(cur, scheme: str) -> pd.DataFrame:
    """Every published period of a scheme: period, published_at, who, is_open, reopened_at/by, reopen_why."""
    return SQL.publications_of(cur, scheme=scheme)


def period_states(cur, scheme: str, periods: list[str]) -> tuple[list[str], list[str]]:
    """(locked, reopened): which of ``periods`` are published and locked, which were published then reopened."""
    pubs = publications(cur, scheme)
    pubs = pubs[pubs["period"].isin(list(periods))]
    locked = sorted(pubs.loc[~pubs["is_open"].astype(bool), "period"])
    reopened = sorted(pubs.loc[pubs["is_open"].astype(bool), "period"])
    return locked, reopened


def refuse_if_locked(cur, scheme: str, periods, action: str) -> list[str]:
    """Raise :class:`LockedError` naming every locked period; returns the reopened ones (a reason is required)."""
    locked, reopened = period_states(cur, scheme, list(periods))
    if locked:
        raise LockedError("\n".join(locked_message(p, action) for p in locked))
    return reopened


def require_reason(why: str | None, needed: bool, what: str = "此操作") -> None:
    """Refuse a change that needs a reason (e.g. to a reopened period) when ``why`` is empty."""
    if needed and not (why or "").strip():
        raise RefusedError(f"{what}必须填写理由 (a reason is required)")


def publish(cur, scheme: str, period: str, *, who: str, why: str = "") -> Written:
    """Write command: keep the period's current league table as published, lock the period and set it 已发布.
    From 公示 as it is; straight from 草稿 only with a stated reason. Refused while an objection is unanswered
    (listing them). Its value is the published table."""
    rubric = rubric_versions.current(cur, scheme)
    locked, _ = period_states(cur, scheme, [period])
    if locked:
        raise LockedError(f"{period} 已经发布并锁定 (already published)")
    if workflow.status_of(cur, scheme, period).status == workflow.DRAFT:
        require_reason(why, True, f"{period} 未经公示直接从草稿发布")
    workflow.refuse_if_unanswered(cur, scheme, period)
    league = results.league(cur, rubric, period)
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
    SQL.save_publication(cur, scheme=scheme, period=period, who=who, why=why or "",
                         league_json=json.dumps(table, ensure_ascii=False), rubric_version=rubric.version)
    workflow.set_status(cur, scheme, period, workflow.PUBLISHED, who=who, why=why)
    entry = AuditEntry.periods("publish", scheme, [period],
                               {"period": period, "rubric_version": rubric.version, "league": table}, why)
    return Written(pd.DataFrame(table), (entry,))


def reopen(cur, scheme: str, period: str, *, who: str, why: str) -> Written:
    """Write command: unlock a published period, back to 草稿; the reason is required and audited, the published
    table kept."""
    require_reason(why, True, "重新打开已发布的期间")
    locked, _ = period_states(cur, scheme, [period])
    if not locked:
        raise RefusedError(f"{period} 没有处于已发布锁定状态，无需重新打开 (period is not locked)")
    SQL.reopen_publication(cur, scheme=scheme, period=period, who=who, why=why)
    workflow.set_status(cur, scheme, period, workflow.DRAFT, who=who, why=why)
    return Written(None, (AuditEntry.periods("reopen", scheme, [period], {"period": period}, why),))
