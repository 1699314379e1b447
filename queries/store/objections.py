"""Objections (异议) during 公示: a town picks one of its indicators and writes why; the office answers each with
采纳 (accepted: the unit's facts are changed through a batch linked to the objection, audited and rescored) or
驳回 (rejected, with a reason). Publishing a period with an unanswered objection is refused, listing them.

Each command is ``fn(cur, ...) -> Written`` for :meth:`queries.store.Store.write`; the verbs :func:`file` and
:func:`answer` name the command and what it is about (the permission check lets a town object on its own unit
only, and only the office answer).
"""
from __future__ import annotations

from datetime import date

import pandas as pd

from queries.statements import beside
from queries.store import batches, rubric_versions, workflow
from queries.store.door import Actor, AuditEntry, Request, Written
from queries.store.errors import RefusedError

SQL = beside(__file__)
OPEN, ACCEPTED, REJECTED = "待答复", "采纳", "驳回"


def file_objection(cur, scheme: str, period: str, entity: str, indicator: str, text: str, *, who: str,
                   today: date) -> Written:
    """Write command: a town's objection to one of its indicators, while the period is in 公示 (up to its last
    day). Its value is the objection id."""
    status = workflow.status_of(cur, scheme, period)
    if status.status != workflow.REVIEW:
        raise RefusedError(f"{period} 不在公示期（当前：{status.label(today)}），不能提出异议 (not in public review)")
    if status.review_until and today > status.review_until:
        raise RefusedError(f"{period} 的公示期已于 {status.review_until:%Y-%m-%d} 结束，不能再提出异议 (review is over)")
    if not text.strip():
        raise RefusedError("请写明异议理由 (say why)")
    rubric = rubric_versions.current(cur, scheme)
    if indicator not in {i.code for i in rubric.indicators}:
        raise RefusedError(f"指标 {indicator} 不在评分细则中 (unknown indicator)")
    if not SQL.has_unit(cur, scheme=scheme, period=period, entity=entity):
        raise RefusedError(f"{entity} 在 {period} 没有评分结果 (no results for this unit)")
    objection_id = int(SQL.next_objection_id(cur))
    SQL.insert_objection(cur, objection_id=objection_id, scheme=scheme, period=period, entity=entity,
                         indicator=indicator, text=text.strip(), who=who)
    entry = AuditEntry.periods("objection", scheme, [period], {"objection_id": objection_id, "indicator": indicator,
                                                               "text": text.strip()}, entity=entity)
    return Written(objection_id, (entry,))


def answer_objection(cur, objection_id: int, verdict: str, answer: str, *, who: str,
                     facts: pd.DataFrame | None = None) -> Written:
    """Write command: the office answers an objection. 驳回 needs a reason; 采纳 needs the unit's corrected facts
    (``facts``: columns indicator, item, value, ref, note, as the table editor gives them), written as a batch
    linked to the objection (undoable, audited with before/after values) and the period rescored — the one way
    facts change during 公示. Refused once the period is published. Its value is the batch id (None for 驳回)."""
    row = SQL.objection(cur, objection_id=objection_id)
    if row is None:
        raise RefusedError(f"没有编号为 #{objection_id} 的异议 (no such objection)")
    if row["status"] != OPEN:
        raise RefusedError(f"异议 #{objection_id} 已答复（{row['status']}）(already answered)")
    scheme, period, entity = row["scheme"], row["period"], row["entity"]
    if workflow.status_of(cur, scheme, period).status == workflow.PUBLISHED:
        raise RefusedError(f"{period} 已发布，不能再答复异议；请先重新打开 (the period is published)")
    if verdict not in (ACCEPTED, REJECTED):
        raise RefusedError(f"答复应为“{ACCEPTED}”或“{REJECTED}” (accept or reject)")
    if verdict == REJECTED and not answer.strip():
        raise RefusedError("驳回异议必须填写理由 (a reason is required to reject)")
    audit: list[AuditEntry] = []
    batch_id = None
    if verdict == ACCEPTED:
        if facts is None:
            raise RefusedError("采纳异议必须同时修改该单位的数据 (accepting changes the facts)")
        written = batches.edit_unit(cur, scheme, period, entity, facts, who=who, why=answer or f"采纳异议 #{objection_id}",
                                    objection=objection_id)
        if written.value is None:
            raise RefusedError("数据没有改动：采纳异议必须修改该单位的数据；不需修改时请驳回并说明理由 "
                               "(accepting needs a change of the facts)")
        batch_id = written.value
        audit += list(written.audit)
    SQL.answer_objection(cur, objection_id=objection_id, status=verdict, answer=answer.strip(), who=who,
                         batch_id=batch_id)
    audit.append(AuditEntry.periods("answer", scheme, [period], {"objection_id": objection_id, "verdict": verdict,
                                                                 "batch_id": batch_id}, answer.strip(), entity))
    return Written(batch_id, tuple(audit))


# -- verbs ------------------------------------------------------------------------------------------------------
def file(store, actor: Actor | str, scheme: str, period: str, entity: str, indicator: str, text: str, *,
         today: date) -> int:
    """A town files an objection on its own unit's indicator; returns its id."""
    return store.write(actor, Request("objection", scheme, (period,), entity), file_objection, scheme, period,
                       entity, indicator, text, who=Actor.of(actor).name, today=today)


def answer(store, actor: Actor | str, objection_id: int, verdict: str, reason: str,
           facts: pd.DataFrame | None = None) -> int | None:
    """The office answers an objection (采纳 with the corrected facts, or 驳回 with a reason)."""
    with store.reading() as cur:
        row = SQL.objection(cur, objection_id=objection_id)
    scheme, period, entity = (row["scheme"], row["period"], row["entity"]) if row else ("", "", "")
    return store.write(actor, Request("answer", scheme, (period,) if period else (), entity, reason),
                       answer_objection, objection_id, verdict, reason, who=Actor.of(actor).name, facts=facts)
