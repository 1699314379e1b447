"""Read models of a period's life: its status (草稿 / 公示中 until a date / 已发布) for the banner every page
shows and the marks exports carry, and the objections (异议) as the office and the towns read them.

The commands (review, back to draft, publish, objections and their answers) are in :mod:`queries.store.workflow`
and :mod:`queries.store.objections`. Read through :func:`queries.access.scoped`, a town sees only its own
objections and only periods in 公示 or 已发布.
"""
from __future__ import annotations

import pandas as pd

from queries.statements import beside
from queries.store import workflow
from queries.store.workflow import PeriodStatus

SQL = beside(__file__)
OBJECTION_COLUMNS = ["编号", "期间", "单位", "指标", "异议理由", "提出人", "提出时间", "状态", "答复", "答复人",
                     "答复时间", "数据修改批次"]


def period_status(store, scheme: str, period: str) -> PeriodStatus:
    """A period's status (a period without one is a 草稿)."""
    with store.reading() as cur:
        return workflow.status_of(cur, scheme, period)


def export_mark(store, scheme: str, period: str) -> str:
    """What the title (or file name) of an export of the period carries: 草稿, 公示稿, or "" once 已发布."""
    return period_status(store, scheme, period).mark


def objections(store, scheme: str, period: str = "", entity: str = "") -> pd.DataFrame:
    """Objections of a scheme, newest first (of one period and/or unit; "" = all), as the pages show them."""
    rows = store.read(SQL.objections_table, scheme=scheme, period=period, entity=entity)
    rows.columns = OBJECTION_COLUMNS
    rows["数据修改批次"] = rows["数据修改批次"].astype("Int64")
    return rows


def open_objections(store, scheme: str, period: str) -> pd.DataFrame:
    """The unanswered objections of a period (objection_id, entity, indicator, text, filed_by, filed_at)."""
    with store.reading() as cur:
        return workflow.open_objections(cur, scheme, period)
