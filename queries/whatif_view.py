"""Read models of the unit page's what-if (假如…): the unit's own facts as a scratch table, and what the engine gives
when they are changed — daily, final, rank, 好 and flag before → after, and the points each change gains.

Nothing is written: :func:`queries.robustness.unit_scratch` re-scores in memory. A town reads its own unit's facts
only (its scoped view returns no other unit's), and the re-score refuses a unit the account may not read.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pandas as pd

from queries.display import component_labels, final_formula, round_to, rounded, top_grade
from queries.league import award_column, league as stored_league
from queries.robustness import unit_scratch
from queries.store import Store, facts
from scoring.problems import InputError
from scoring.whatif import FACT_COLUMNS

# the scratch table's columns (as the page shows them) → the fact columns they hold
EDIT_COLUMNS = {"编号": "indicator", "项目": "item", "数值": "value", "关联 ref": "ref", "备注": "note"}
NAME = "指标"  # shown beside 编号, not edited


@dataclass(frozen=True)
class Card:
    """One before → after figure: label, the value after, the change (None: unchanged; a rank's change is the
    places gained, "+1 位" = one place up), the value before, and whether the change is for the better."""

    label: str
    after: str
    delta: str | None
    before: str
    better: bool = True  # the change is for the better (drawn green, arrow up) or the worse (red, down)


@dataclass(frozen=True)
class WhatIfView:
    """What the what-if section shows for one scratch table."""

    changed: bool  # the scratch table differs from the stored facts (else nothing below is filled)
    problems: tuple[str, ...] = ()  # the edited facts do not validate: every problem (nothing re-scored)
    headline: str = ""
    cards: tuple[Card, ...] = ()
    gains: pd.DataFrame | None = None  # per changed indicator: the change, points before, after, gain
    league: pd.DataFrame | None = None  # the group after the change: final, rank, grade, flag, rank change
    formula: str = ""
    decimals: int = 2


def scratch_facts(store: Store, scheme: str, period: str, entity: str) -> pd.DataFrame:
    """The unit's stored facts of the period as the scratch table (编号, 指标, 项目, 数值, 关联 ref, 备注); empty when
    the reader may not read them (a town: another unit's)."""
    names = {i.code: i.name for i in store.rubric(scheme).indicators}
    with store.reading() as cur:
        rows = facts.of_unit(cur, scheme, period, entity)
    out = pd.DataFrame({label: rows[col].fillna("").astype(str) for label, col in EDIT_COLUMNS.items()})
    out.insert(1, NAME, out["编号"].map(names).fillna(""))
    return out.reset_index(drop=True)


def as_facts(table: pd.DataFrame) -> pd.DataFrame:
    """A scratch table back as fact rows (indicator, item, value, ref, note); blank rows dropped."""
    out = pd.DataFrame({col: table[label] if label in table else "" for label, col in EDIT_COLUMNS.items()})
    out = out[FACT_COLUMNS].fillna("").astype(str).apply(lambda c: c.str.strip())
    return out[(out != "").any(axis=1)].reset_index(drop=True)


def changes_by_indicator(before: pd.DataFrame, after: pd.DataFrame) -> dict[str, str]:
    """Per indicator whose facts differ (the note aside): the change in words ("问题次数 3→0；新增 省级 1")."""
    out = {}
    for code in sorted(set(before["indicator"]) | set(after["indicator"])):
        old = Counter(map(tuple, before.loc[before["indicator"] == code, ["item", "value", "ref"]].to_numpy()))
        new = Counter(map(tuple, after.loc[after["indicator"] == code, ["item", "value", "ref"]].to_numpy()))
        if old == new:
            continue
        gone, came = list((old - new).elements()), list((new - old).elements())
        words = []
        for item, value, ref in gone:
            twin = next((k for k in came if k[0] == item), None)
            if twin is None:
                words.append(f"删除 {item or '数值'} {value}")
            else:
                came.remove(twin)
                words.append(f"{item or '数值'} {value or '（空）'}→{twin[1] or '（空）'}")
        words += [f"新增 {item or '数值'} {value}" for item, value, _ref in came]
        out[code] = "；".join(words)
    return out


def what_if_view(store: Store, scheme: str, period: str, entity: str, table: pd.DataFrame) -> WhatIfView:
    """The what-if of one scratch table (the page's edited copy of :func:`scratch_facts`)."""
    rubric = store.rubric(scheme)
    d = rubric.display_decimals
    stored = as_facts(scratch_facts(store, scheme, period, entity))
    edited = as_facts(table)
    changed = changes_by_indicator(stored, edited)
    if not changed:
        return WhatIfView(changed=False, decimals=d)
    try:
        result = unit_scratch(store, scheme, period, entity, edited)
    except InputError as exc:
        return WhatIfView(changed=True, problems=tuple(str(p) for p in exc.problems), decimals=d)
    before, after = result.before, result.after
    names = {i.code: i.name for i in rubric.indicators}
    gains = result.gains.set_index("indicator")
    codes = [i.code for i in rubric.indicators if i.code in changed or i.code in gains.index]
    table = pd.DataFrame({
        "编号": codes, "指标": [names[c] for c in codes], "改动": [changed.get(c, "—") for c in codes],
        "修改前得分": round_to(gains["before"].reindex(codes), d), "修改后得分": round_to(gains["after"].reindex(codes), d),
        "得分变化": round_to(gains["gain"].reindex(codes).fillna(0.0), d)})
    grade = top_grade(rubric)
    cards = [_number_card(label, before[cid], after[cid], d) for cid, label in component_labels(rubric).items()]
    cards.append(_number_card("总分", before["final"], after["final"], d))
    climbed = int(before["rank"]) - int(after["rank"])  # places gained: +1 = one place up
    n = int((result.league["group"] == after["group"]).sum())
    cards.append(Card("名次", f"{int(after['rank'])} / {n}", f"{climbed:+d} 位" if climbed else None,
                      f"{int(before['rank'])} / {n}", climbed > 0))
    if grade is not None:
        cards.append(_word_card(f"“{grade.name}”等次", before["grade"], after["grade"], grade.name))
    if rubric.award is not None:
        cards.append(_word_card(rubric.award.mark, before["flag"], after["flag"], rubric.award.mark))
    return WhatIfView(changed=True, headline=_headline(before, after, d, grade.name if grade else "", rubric.award),
                      cards=tuple(cards), gains=table,
                      league=_league_after(result.league, after["group"], store, scheme, period, rubric),
                      formula=final_formula(rubric), decimals=d)


def _number_card(label: str, before: float, after: float, d: int) -> Card:
    b, a = rounded(before, d), rounded(after, d)
    delta = rounded(a - b, d)
    return Card(label, f"{a:.{d}f}", f"{delta:+.{d}f}" if delta else None, f"{b:.{d}f}", delta > 0)


def _word_card(label: str, before: str, after: str, best: str) -> Card:
    """A grade or an award: 获得 / 失去 ``best``, or another change (红旗 ↔ 待定) in words."""
    b, a = before or "—", after or "—"
    if a == b:
        return Card(label, a, None, b)
    delta = "获得" if a == best else "失去" if b == best else f"{b} → {a}"
    return Card(label, a, delta, b, a == best or (b != best and a != "—"))


def _headline(before: pd.Series, after: pd.Series, d: int, grade: str, award) -> str:
    b, a = rounded(before["final"], d), rounded(after["final"], d)
    words = [f"总分 {b:.{d}f} → {a:.{d}f}（{rounded(a - b, d):+.{d}f}）",
             f"名次 第 {int(before['rank'])} 名 → 第 {int(after['rank'])} 名"]
    if grade:
        had, has = before["grade"] == grade, after["grade"] == grade
        words.append({(False, True): f"新评为“{grade}”", (True, False): f"失去“{grade}”",
                      (True, True): f"仍为“{grade}”", (False, False): f"仍未评为“{grade}”"}[(had, has)])
    if award is not None and after["flag"] != before["flag"]:
        words.append({award.mark: f"获得{award.mark}", award.pending_mark: f"并列第一（{award.pending_mark}）"}.get(
            after["flag"], f"不再{'获得' + award.mark if before['flag'] == award.mark else award.pending_mark}"))
    return "试算结果：" + "，".join(words) + "。"


def _league_after(league: pd.DataFrame, group: str, store: Store, scheme: str, period: str,
                  rubric) -> pd.DataFrame:
    """The unit's group after the change, in ranked order, with each unit's rank before."""
    d = rubric.display_decimals
    part = league[league["group"] == group].sort_values(["rank", "entity"], kind="stable")
    before = _ranks_before(store, scheme, period)
    was = part["entity"].map(before).astype("Int64")
    return pd.DataFrame({"单位": part["entity"], "试算总分": round_to(part["final"], d),
                         "试算名次": part["rank"].astype("int64"), "原名次": was,
                         "等次": part["grade"], award_column(rubric): part["flag"]}).reset_index(drop=True)


def _ranks_before(store: Store, scheme: str, period: str) -> dict[str, int]:
    """The stored ranks of the period (the results every reader sees)."""
    table = stored_league(store, scheme, period)
    return dict(zip(table["entity"], table["rank"].astype(int)))
