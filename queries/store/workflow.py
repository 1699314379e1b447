"""The life of a period (DESIGN § Roles and the life of a period): 草稿 (draft, the office only) → 公示 (public
review until a date: towns see their results and may object) → 已发布 (final and locked) → reopened with a
reason, back to 草稿.

- A period without a status row is a 草稿; a store made before statuses gets 已发布 for its published (locked)
  periods when it is opened (connection.sql).
- Facts change during 公示 only through an accepted objection (:mod:`queries.store.objections`) or after
  returning the period to 草稿 (:func:`back_to_draft`, with a reason, audited): imports, edits and undo are
  refused meanwhile (:func:`refuse_in_review`).
- Publishing and reopening (:mod:`queries.store.publishing`) set 已发布 and 草稿.

Each command is ``fn(cur, ...) -> Written`` for :meth:`queries.store.Store.write`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from queries.statements import beside
from queries.store.door import Actor, AuditEntry, Request, Written
from queries.store.errors import RefusedError

SQL = beside(__file__)
DRAFT, REVIEW, PUBLISHED = "草稿", "公示", "已发布"
STATUSES = (DRAFT, REVIEW, PUBLISHED)
VISIBLE = (REVIEW, PUBLISHED)  # what towns and analysts may see


class InReviewError(RefusedError):
    """The change touches a period in 公示: facts change only through an accepted objection."""


@dataclass(frozen=True)
class PeriodStatus:
    """A period's status; ``review_until`` the last day of its 公示 (None otherwise)."""

    period: str
    status: str = DRAFT
    review_until: date | None = None
    changed_by: str = ""
    why: str = ""

    def label(self, today: date | None = None) -> str:
        """草稿 / 公示中（至 2024-05-10）/ 公示期已结束（2024-05-10），待发布 / 已发布."""
        if self.status != REVIEW:
            return self.status
        until = f"{self.review_until:%Y-%m-%d}" if self.review_until else ""
        if self.review_until and today and today > self.review_until:
            return f"公示期已结束（{until}），待发布"
        return f"公示中（至 {until}）" if until else "公示中"

    @property
    def mark(self) -> str:
        """What an export's title carries: 草稿, 公示稿, or nothing for a published period."""
        return {DRAFT: "草稿", REVIEW: "公示稿"}.get(self.status, "")


def status_of(cur, scheme: str, period: str) -> PeriodStatus:
    row = SQL.status_of(cur, scheme=scheme, period=period)
    if row is None:
        return PeriodStatus(period)
    return PeriodStatus(period, row["status"], row["review_until"], row["changed_by"] or "", row["why"] or "")


def statuses(cur, scheme: str) -> dict[str, PeriodStatus]:
    """{period: status} of the periods of a scheme that are not drafts."""
    rows = SQL.statuses_of(cur, scheme=scheme)
    return {r.period: PeriodStatus(r.period, r.status, r.review_until, r.changed_by or "", r.why or "")
            for r in rows.itertuples(index=False)}


def set_status(cur, scheme: str, period: str, status: str, *, who: str, why: str = "",
               until: date | None = None) -> None:
    SQL.set_status(cur, scheme=scheme, period=period, status=status, review_until=until, who=who, why=why or "")


def refuse_in_review(cur, scheme: str, periods, action: str) -> None:
    """Raise :class:`InReviewError` naming every period in 公示 among ``periods``."""
    found = [p for p in sorted(set(periods)) if status_of(cur, scheme, p).status == REVIEW]
    if found:
        raise InReviewError("\n".join(
            f"{p} 正在公示，不能{action}：公示期间数据只能通过采纳异议修改；如确需修改，请先把该期间退回草稿并填写理由 "
            f"(period {p} is in public review)" for p in found))


def start_review(cur, scheme: str, period: str, *, until: date, today: date, who: str, why: str = "") -> Written:
    """Write command: a draft period goes to 公示 until ``until`` (inclusive; not before ``today``)."""
    current = status_of(cur, scheme, period)
    if current.status != DRAFT:
        raise RefusedError(f"{period} 当前为“{current.label(today)}”，只有草稿可以开始公示 (only a draft can go to review)")
    if not SQL.has_results(cur, scheme=scheme, period=period):
        raise RefusedError(f"{period} 还没有评分结果，不能公示 (no results to review)")
    if until < today:
        raise RefusedError(f"公示截止日期 {until:%Y-%m-%d} 早于今天 {today:%Y-%m-%d} (the review must end today or later)")
    set_status(cur, scheme, period, REVIEW, who=who, why=why, until=until)
    detail = {"period": period, "until": f"{until:%Y-%m-%d}"}
    return Written(None, (AuditEntry.periods("review", scheme, [period], detail, why),))


def back_to_draft(cur, scheme: str, period: str, *, who: str, why: str) -> Written:
    """Write command: a period in 公示 goes back to 草稿 (reason required, audited); towns no longer see it."""
    if not (why or "").strip():
        raise RefusedError("退回草稿必须填写理由 (a reason is required)")
    current = status_of(cur, scheme, period)
    if current.status != REVIEW:
        raise RefusedError(f"{period} 当前为“{current.status}”，只有公示中的期间可以退回草稿 (only a period in review)")
    set_status(cur, scheme, period, DRAFT, who=who, why=why)
    return Written(None, (AuditEntry.periods("draft", scheme, [period], {"period": period}, why),))


def open_objections(cur, scheme: str, period: str) -> pd.DataFrame:
    """The unanswered objections of a period (objection_id, entity, indicator, text, filed_by, filed_at)."""
    return SQL.open_objections(cur, scheme=scheme, period=period)


def refuse_if_unanswered(cur, scheme: str, period: str) -> None:
    """Raise :class:`RefusedError` listing every unanswered objection of the period (before publishing)."""
    rows = open_objections(cur, scheme, period)
    if len(rows):
        listed = "；".join(f"#{r.objection_id} {r.entity} 指标 {r.indicator}：{r.text}" for r in rows.itertuples())
        raise RefusedError(f"{period} 还有 {len(rows)} 条异议未答复，不能发布：{listed} "
                           f"(answer every objection before publishing)")


# -- verbs ------------------------------------------------------------------------------------------------------
def review(store, who, scheme: str, period: str, *, until: date, today: date, why: str = "") -> None:
    """The office puts a draft period in 公示 until ``until`` (towns see it and may object)."""
    store.write(who, Request("review", scheme, (period,), why=why), start_review, scheme, period, until=until,
                today=today, who=Actor.of(who).name, why=why)


def withdraw(store, who, scheme: str, period: str, *, why: str) -> None:
    """The office returns a period in 公示 to 草稿 (reason required)."""
    store.write(who, Request("draft", scheme, (period,), why=why), back_to_draft, scheme, period,
                who=Actor.of(who).name, why=why)
