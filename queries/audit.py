"""The audit trail as people read it: one row per change (import, edit, undo, publish, reopen, award decision,
rubric change, rescore, restore of a backup, and a write the permission check refused).

The write door (:meth:`queries.store.Store.write`) writes every row: when, who (the signed-in account; the OS user
on the command line, with the name it declared by ``--who`` beside it), from where (``via``), what (a JSON detail:
rows added/changed/removed with before/after values, or the league as published) and why, with the (period, entity)
pairs it touches (``audit_scope``), so the audit page can filter an import of many units by one unit. An import that
changes nothing is still recorded (action ``import`` with ``"no_change": true``) but creates no batch, so there is
nothing to undo. Audit ids come from the sequence ``audit_ids`` and are unique (index ``audit_id_unique``).
A restore (store-wide: no scheme, shown under every scheme) keeps the rows the replaced store had after the
backup under fresh ids, each marked ``carried_over`` (see :mod:`documents.restore`).
"""
from __future__ import annotations

import json
import pandas as pd

from queries.statements import beside
from queries.store import Store

SQL = beside(__file__)

ACTION_LABELS = {
    "import": "导入", "edit": "修改", "undo": "撤销", "publish": "发布", "reopen": "重新打开",
    "award_decision": "红旗决定", "rubric_change": "细则变更", "rescore": "重新评分", "refused": "拒绝",
    "notice_settings": "通报设置",
    "restore": "恢复备份",
    "review": "开始公示", "draft": "退回草稿", "objection": "异议", "answer": "答复异议", "account_add": "新增账户",
    "account_reset": "重置密码", "account_disable": "停用账户", "account_enable": "启用账户", "passwd": "修改密码",
    "login": "登录", "login_failed": "登录失败",
}
FIELD_WORDS = {"issuer": "发文单位", "signature": "落款", "final": "总分", "rank": "名次", "grade": "等次", "flag": "红旗"}
KIND_LABELS = {"import": "导入", "edit": "表格修改", "bulk": "批量导入"}  # what kind of batch a change was


def unit_periods(n: int, periods) -> str:
    """How many units a change touched: 'N 个单位' in one period; over several periods the count is of
    unit-periods and says so ('104 个单位·期（8 个期间）')."""
    periods = [p for p in (periods or []) if p]
    if len(periods) > 1:
        return f"{n} 个单位·期（{len(periods)} 个期间）"
    return f"{n} 个单位"


def summary(action: str, detail: dict, periods: str = "") -> str:
    """One line in Chinese saying what an audit row did (``periods``: the row's periods, comma-separated)."""
    spans = detail.get("periods") or [p for p in periods.split(",") if p]
    if action in ("import", "edit"):
        what = "导入" if action == "import" else "修改"
        src = f" {detail['source']}" if detail.get("source") else ""
        if detail.get("bulk"):
            return (f"批量导入{src}：{unit_periods(detail.get('units', 0), spans)}、{detail.get('rows', 0)} 行"
                    f"（批次 #{detail.get('batch_id')}）")
        if detail.get("no_change"):
            return f"{what}{src}：与库中数据相同，无变化"
        return (f"{what}{src}：{unit_periods(detail.get('units', 0), spans)}，新增 {detail.get('added', 0)} 行、"
                f"修改 {detail.get('changed', 0)} 行、删除 {detail.get('removed', 0)} 行（批次 #{detail.get('batch_id')}）")
    if action == "undo":
        return (f"撤销批次 #{detail.get('batch_id')}（{KIND_LABELS.get(detail.get('kind', ''), '')} "
                f"{detail.get('source', '')}）：恢复 {unit_periods(detail.get('units', 0), spans)}此前的数据")
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
    if action == "rescore":
        group = f" {detail['group']} 组" if detail.get("group") else ""
        return f"重新评分 {detail.get('period', '')}{group}：{detail.get('units', 0)} 个单位"
    if action == "notice_settings":
        after = detail.get("after", {})
        return f"通报设置：发文单位“{after.get('issuer', '')}”，落款“{after.get('signature', '')}”"
    if action == "restore":
        return restore_summary(detail)
    if action == "review":
        return f"开始公示，截止 {detail.get('until', '')}"
    if action == "draft":
        return "公示中的期间退回草稿"
    if action == "objection":
        return f"异议 #{detail.get('objection_id')}：指标 {detail.get('indicator', '')}：{detail.get('text', '')}"
    if action == "answer":
        batch = f"，数据修改批次 #{detail['batch_id']}" if detail.get("batch_id") else ""
        return f"答复异议 #{detail.get('objection_id')}：{detail.get('verdict', '')}{batch}"
    if action.startswith("account_") or action == "passwd":
        return f"{ACTION_LABELS[action]} {detail.get('account', '')}"
    if action in ("login", "login_failed"):
        return f"{ACTION_LABELS[action]}（地址 {detail.get('client', '')}）"
    if action == "refused":
        return f"拒绝{ACTION_LABELS.get(detail.get('action', ''), detail.get('action', ''))}：{detail.get('message', '')}"
    return ""


def restore_summary(detail: dict) -> str:
    """What a restore did: which backup (its time and manifest hash), where the replaced store went, how many of
    its audit rows were kept."""
    replaced = detail.get("replaced") or {}
    kept = {"openable": f"；原数据库另存为 {replaced.get('kept')}",
            "unopenable": f"；原数据库无法打开，已移到 {replaced.get('kept')}"}.get(replaced.get("state"), "")
    carried = detail.get("carried_audit_rows", 0)
    return (f"从备份 {detail.get('backup', '')} 恢复（{detail.get('backup_created', '')} 的备份，清单 SHA-256 "
            f"{str(detail.get('manifest_sha256', ''))[:12]}…）{kept}"
            + (f"；保留原数据库其后的 {carried} 条审计记录" if carried else ""))


def carried_note(detail: dict) -> str:
    """The mark of an audit row kept from a store a restore replaced (its data change was undone by the restore)."""
    carried = detail.get("carried_over")
    if not isinstance(carried, dict):
        return ""
    return (f"（恢复备份前的记录，原编号 #{carried.get('original_id')}，其改动已被恢复 #{carried.get('restore_audit_id')} "
            f"撤销 undone by the restore）")


def audit_log(store: "Store", scheme: str = "", period: str = "", entity: str = "", limit: int = 2000) -> pd.DataFrame:
    """Audit rows, newest first, filtered by period and unit ("" = all), with a 操作 label and a summary."""
    rows = store.read(SQL.audit_rows, scheme=scheme, period=period, entity=entity, limit=limit)
    details = [json.loads(d) if d else {} for d in rows["detail"]]
    rows["label"] = [ACTION_LABELS.get(a, a) for a in rows["action"]]
    rows["summary"] = [summary(a, d, p or "") + carried_note(d) for a, d, p in zip(rows["action"], details,
                                                                               rows["period"])]
    rows["who"] = [who_label(w, v, dec) for w, v, dec in zip(rows["who"], rows["via"], rows["declared"].fillna(""))]
    return rows


def who_label(who: str, via: str, declared: str) -> str:
    """Who did it as the audit shows it: the signed-in account, or on the command line the OS account with the
    name it declared (``--who``) beside it, marked as declared."""
    if via == "cli":
        return f"{who}（命令行" + (f"，自称 {declared}）" if declared else "）")
    return who


def audit_filters(store: "Store", scheme: str = "") -> tuple[list[str], list[str]]:
    """The periods (newest first) and the units the audit rows of a scheme touch."""
    scope = store.read(SQL.audit_scope_values, scheme=scheme)
    periods = sorted(scope["period"].unique(), reverse=True)
    entities = sorted(e for e in scope["entity"].unique() if e)
    return periods, entities


def _value(v) -> str:
    return "（空）" if v is None or v == "" else str(v)


def detail_sentences(action: str, detail: dict) -> list[str]:
    """An audit row's detail as Chinese sentences (what the audit page shows instead of raw JSON)."""
    out = []
    if detail.get("source"):
        out.append(f"来源：{detail['source']}。")
    if detail.get("periods"):
        out.append(f"涉及期间：{'、'.join(detail['periods'])}。")
    if action in ("import", "edit", "bulk_load") and not detail.get("no_change"):
        n = detail.get("units", 0)
        out.append(f"涉及 {unit_periods(n, detail.get('periods'))}（同一单位在不同期间分别计数）；"
                   f"文件共 {detail.get('rows', 0)} 行，新增 {detail.get('added', 0)} 行、修改 {detail.get('changed', 0)} 行、"
                   f"删除 {detail.get('removed', 0)} 行；未变化的单位·期 {detail.get('units_unchanged', 0)} 个。"
                   if len(detail.get("periods") or []) > 1 else
                   f"涉及 {n} 个单位；文件共 {detail.get('rows', 0)} 行，新增 {detail.get('added', 0)} 行、"
                   f"修改 {detail.get('changed', 0)} 行、删除 {detail.get('removed', 0)} 行。")
    if detail.get("no_change"):
        out.append("导入的数据与库中完全相同，没有任何改变。")
    if action == "publish":
        league = detail.get("league", [])
        flags = [r["entity"] for r in league if r.get("flag")]
        out.append(f"发布时的榜单共 {len(league)} 个单位（细则版本 {detail.get('rubric_version')}）"
                   + (f"，红旗：{'、'.join(flags)}" if flags else "") + "。")
    if action == "award_decision":
        out.append(f"办公室决定由 {detail.get('award', '')} 获得本期红旗" +
                   (f"（组别：{detail['group']}）" if detail.get("group") else "") + "。")
    if action == "rubric_change":
        out.append(f"评分细则由第 {detail.get('old_version')} 版改为第 {detail.get('new_version')} 版；"
                   f"重新评分的期间：{'、'.join(detail.get('rescored', [])) or '无'}；"
                   f"保留发布结果的期间：{'、'.join(detail.get('published_kept', [])) or '无'}。")
    if action == "rescore":
        out.append(f"重新评分 {detail.get('period', '')}，共 {detail.get('units', 0)} 个单位。")
    if action == "notice_settings":
        for key in ("issuer", "signature"):
            before, after = detail.get("before", {}).get(key, ""), detail.get("after", {}).get(key, "")
            out.append(f"{FIELD_WORDS[key]}：由“{_value(before)}”改为“{_value(after)}”。")
    if action == "refused":
        out.append(f"被拒绝的操作：{ACTION_LABELS.get(detail.get('action', ''), detail.get('action', ''))}；"
                   f"原因：{detail.get('message', '')}")
    return out


def detail_changes(detail: dict) -> pd.DataFrame:
    """The row changes an import or edit made (期间, 单位, 指标, 项目, 关联, 原值, 新值, 变化) for the audit page."""
    columns = ["期间", "单位", "指标", "项目", "关联", "原值", "新值", "变化"]
    rows = [(c.get("period", ""), c.get("entity", ""), c.get("indicator", ""), c.get("item", ""), c.get("ref", ""),
             _value(c.get("before")), _value(c.get("after")),
             "新增" if c.get("before") is None else "删除" if c.get("after") is None else "修改")
            for c in detail.get("changes", [])]
    return pd.DataFrame(rows, columns=columns)
