"""The audit trail: one row per change (import, edit, undo, publish, reopen, award decision, rubric change).

Each row says when, who (the name typed at the start; the OS user on the command line), what (a JSON
detail: rows added/changed/removed with before/after values, or the league as published) and why. Each row
also records the (period, entity) pairs it touches (``audit_scope``), so the audit page can filter an
import of many units by one unit. An import that changes nothing is still recorded (action ``import`` with
``"no_change": true``) but creates no batch, so there is nothing to undo. Audit ids come from the
sequence ``audit_ids`` and are unique (index ``audit_id_unique``), even when two sessions write at once.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pandas as pd

from queries.sql import sql

if TYPE_CHECKING:  # pragma: no cover
    from queries.store import Store

ACTION_LABELS = {
    "import": "导入", "edit": "修改", "undo": "撤销", "publish": "发布", "reopen": "重新打开",
    "award_decision": "红旗决定", "rubric_change": "细则变更",
}
KIND_LABELS = {"import": "导入", "edit": "表格修改", "bulk": "批量导入"}  # what kind of batch a change was


def write_audit(store: "Store", cur, *, who: str, action: str, scheme: str, scope: pd.DataFrame,
                detail: dict, why: str = "") -> int:
    """Append one audit row and its scope (``scope``: period, entity; entity "" for a whole period).
    Returns its id (a fresh one from the ``audit_ids`` sequence)."""
    audit_id = int(cur.execute(sql("next_audit_id")).fetchone()[0])
    scope = scope[["period", "entity"]].drop_duplicates().reset_index(drop=True)
    periods = sorted(scope["period"].unique())
    entities = sorted(e for e in scope["entity"].unique() if e)
    store.run("insert_audit", cur, audit_id=audit_id, who=who, action=action, scheme=scheme,
              period=",".join(periods), entity=entities[0] if len(entities) == 1 else "",
              detail=json.dumps(detail, ensure_ascii=False, default=str), why=why or "")
    cur.register("scope_units", scope)
    store.run("insert_audit_scope", cur, audit_id=audit_id)
    cur.unregister("scope_units")
    return audit_id


def summary(action: str, detail: dict) -> str:
    """One line in Chinese saying what an audit row did."""
    if action in ("import", "edit"):
        what = "导入" if action == "import" else "修改"
        src = f" {detail['source']}" if detail.get("source") else ""
        if detail.get("bulk"):
            return f"批量导入{src}：{detail.get('units', 0)} 个单位、{detail.get('rows', 0)} 行（批次 #{detail.get('batch_id')}）"
        if detail.get("no_change"):
            return f"{what}{src}：与库中数据相同，无变化"
        return (f"{what}{src}：{detail.get('units', 0)} 个单位，新增 {detail.get('added', 0)} 行、"
                f"修改 {detail.get('changed', 0)} 行、删除 {detail.get('removed', 0)} 行（批次 #{detail.get('batch_id')}）")
    if action == "undo":
        return (f"撤销批次 #{detail.get('batch_id')}（{KIND_LABELS.get(detail.get('kind', ''), '')} "
                f"{detail.get('source', '')}）：恢复 {detail.get('units', 0)} 个单位此前的数据")
    if action == "publish":
        return f"发布榜单：{len(detail.get('league', []))} 个单位，期间锁定"
    if action == "reopen":
        return "重新打开已发布的期间（已发布的榜单保留）"
    if action == "award_decision":
        return f"决定 {detail.get('award', '')} 获得红旗"
    if action == "rubric_change":
        kept = detail.get("published_kept", [])
        return (f"评分细则由 version {detail.get('old_version')} 改为 version {detail.get('new_version')}："
                f"重新评分 {len(detail.get('rescored', []))} 个未发布的期间"
                + (f"，已发布的 {len(kept)} 个期间保留发布时的结果" if kept else ""))
    return ""


def audit_log(store: "Store", scheme: str = "", period: str = "", entity: str = "", limit: int = 2000) -> pd.DataFrame:
    """Audit rows, newest first, filtered by period and unit ("" = all), with a 操作 label and a summary."""
    rows = store.query("audit_rows", scheme=scheme, period=period, entity=entity, limit=limit)
    details = [json.loads(d) if d else {} for d in rows["detail"]]
    rows["label"] = [ACTION_LABELS.get(a, a) for a in rows["action"]]
    rows["summary"] = [summary(a, d) for a, d in zip(rows["action"], details)]
    return rows


def audit_filters(store: "Store", scheme: str = "") -> tuple[list[str], list[str]]:
    """The periods (newest first) and the units the audit rows of a scheme touch."""
    scope = store.query("audit_scope_values", scheme=scheme)
    periods = sorted(scope["period"].unique(), reverse=True)
    entities = sorted(e for e in scope["entity"].unique() if e)
    return periods, entities
