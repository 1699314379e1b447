"""Read models of the 数据管理 and 审计日志 pages: display-ready frames and small facts about a period's data.

Functions that read the store take it first (so pages can cache them with ``state.read``); the others shape
plain values for display. Pages only render what these return.
"""
from __future__ import annotations

import json

import pandas as pd

from queries.audit import KIND_LABELS, audit_log
from queries.display import ordered
from queries.publication import publication, publication_diff
from queries.statements import beside
from queries.store import Store, batches, facts
from queries.store.batches import EDIT_COLUMNS, ImportPlan
from scoring.intake import in_file_order
from scoring.problems import Problem
from scoring.rubric import Rubric

SQL = beside(__file__)
AUDIT_COLUMNS = {"audit_id": "编号", "ts": "时间", "who": "操作人", "label": "操作", "period": "期间",
                 "entity": "单位", "summary": "内容", "why": "理由"}


def scheme_choices(store: Store, presets: list[str]) -> list[str]:
    """Schemes to import into: those the store already holds first, then the other presets."""
    held = list(store.read(SQL.stored_schemes)["scheme"])
    return held + [p for p in presets if p not in held]


def fact_periods(store: Store, scheme: str) -> list[str]:
    """Periods with stored facts, newest first."""
    with store.reading() as cur:
        periods = facts.periods(cur, scheme)
    return ordered(store.rubric(scheme), periods)[::-1] if periods else []


def fact_units(store: Store, scheme: str, period: str) -> list[str]:
    return list(store.read(SQL.fact_units, scheme=scheme, period=period)["entity"])


def unit_facts(store: Store, scheme: str, period: str, entity: str) -> pd.DataFrame:
    """One unit's facts in a period, as the table editor shows them (indicator, item, value, ref, note)."""
    return store.read(SQL.unit_facts, scheme=scheme, period=period, entity=entity)[EDIT_COLUMNS]


def store_units(store: Store, scheme: str) -> pd.DataFrame:
    """The units the store knows for a scheme (entity, group), by name."""
    return store.read(SQL.scheme_units, scheme=scheme)


def last_change(store: Store, scheme: str, period: str) -> dict | None:
    """What undo would revert in a period (batch id, kind, source, who, ts, units), or None."""
    with store.reading() as cur:
        return batches.last_change(cur, scheme, period)


def stored_problems(store: Store, scheme: str) -> pd.DataFrame:
    """Stored values the engine now refuses (e.g. 有/无 typed for a yes/no item before it was refused), for the
    office to correct with the editor: 期间, 单位, 指标, 细项, 存储值, 问题. Their periods keep their results until
    corrected."""
    rows = store.read(SQL.stored_problems, scheme=scheme)
    return rows.rename(columns={"period": "期间", "entity": "单位", "indicator": "指标", "item": "细项",
                                "value": "存储值", "message": "问题"})


def plan_import(store: Store, rubric: Rubric, obs: pd.DataFrame) -> ImportPlan:
    """What importing ``obs`` would do (problems, new / changed / same units, locked periods); writes nothing."""
    with store.reading() as cur:
        return batches.plan(cur, rubric, obs)


def change_label(change: dict) -> str:
    kind = KIND_LABELS.get(change["kind"], change["kind"])
    return (f"批次 #{change['batch_id']}：{kind} {change['source']}（{change['who']}，{change['ts']:%Y-%m-%d %H:%M}，"
            f"{change['n_units']} 个单位）")


def publication_state(store: Store, scheme: str, period: str) -> dict | None:
    return publication(store, scheme, period)


def publication_differences(store: Store, scheme: str, period: str) -> pd.DataFrame:
    """The published table versus the current scoring, with Chinese column names (empty: no difference)."""
    diff = publication_diff(store, scheme, period)
    return diff.rename(columns={"entity": "单位", "field": "项目", "published": "发布时", "current": "当前"})


def problems_table(problems: list[Problem]) -> pd.DataFrame:
    """Problems as a table a clerk reads, in file order (then those naming a unit or period):
    位置 (line, sheet!row or period/unit), 类型, 问题."""
    problems = in_file_order(problems)
    return pd.DataFrame({"位置": [p.where for p in problems],
                         "类型": ["错误" if p.severity == "error" else "提醒" for p in problems],
                         "问题": [p.message for p in problems]})


def plan_summary(plan: ImportPlan) -> str:
    """What confirming an import will do, in one Chinese sentence."""
    periods = "、".join(plan.periods)
    new, changed, same = plan.count("new"), plan.count("changed"), plan.count("same")
    if new + changed == 0:
        return f"文件共 {len(plan.rows)} 行（{periods}），与库中数据完全相同，导入不会改变任何数据。"
    return (f"文件共 {len(plan.rows)} 行（{periods}）：{new} 个单位是新数据，{changed} 个单位的数据将被替换，"
            f"{same} 个单位与库中相同不变；文件中没有的单位不受影响。")


def audit_table(store: Store, scheme: str, period: str = "", entity: str = "") -> pd.DataFrame:
    """Audit rows for display (Chinese columns, newest first) plus the JSON ``detail`` column."""
    rows = audit_log(store, scheme, period, entity)
    out = rows[list(AUDIT_COLUMNS)].rename(columns=AUDIT_COLUMNS)
    out["detail"] = rows["detail"]
    return out


def audit_detail(detail: str) -> dict:
    return json.loads(detail) if detail else {}
