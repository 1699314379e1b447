"""Read models of the rubric page: the rubric's settings in sentences and its indicator tree."""
from __future__ import annotations

import pandas as pd

from queries.display import KIND_LABELS, PERIOD_WORDS, category_heading, final_formula
from scoring.rubric import Rubric


def rubric_facts(rubric: Rubric) -> list[str]:
    """The rubric's settings in sentences (markdown): formula, components, grades, award, ties, notes."""
    facts = [f"**{rubric.name}** · 版本 v{rubric.version} · 评估周期：{PERIOD_WORDS[rubric.period_kind]}"
             + (f" · 依据：{rubric.seed}" if rubric.seed else ""), f"**总分** = {final_formula(rubric)}"]
    for comp in rubric.components:
        signed = [("− " if k == "penalty" else "+ ") + KIND_LABELS[k] for k in comp.kinds]
        named = [f"+ {rubric.indicator(code).name}" for code in comp.indicators]
        parts = " ".join(signed + named).removeprefix("+ ")
        floor = "（不低于 0）" if comp.floor_at_zero else ""
        facts.append(f"**{comp.name}** = {parts}{floor}")
    for g in rubric.grades:
        facts.append(f"**“{g.name}”等次**：" + (f"名次前 {g.top} 名（并列者均获评）" if g.top
                                              else f"总分 ≥ {g.min_final:g}"))
    if rubric.award:
        facts.append(f"**{rubric.award.name}**：{rubric.award.clause}")
        if rubric.award.tie_breakers_label:
            facts.append(f"**并列处理**：{rubric.award.tie_breakers_label}")
    if rubric.tie_method_note:
        facts.append(f"**排名方式**：{rubric.tie_method_note}")
    facts += [f"**评估阶段**：{p.name}" + (f"（{p.when}）" if p.when else "") for p in rubric.phases]
    facts += [f"**考核年度**：{w.name or w.id}" for w in rubric.windows]
    return facts + list(rubric.notes)


def rubric_tree(rubric: Rubric) -> list[tuple[str, pd.DataFrame]]:
    """[(category heading, its indicators: code, name, kind, max, rule sentence, method, department, clause)]."""
    out = []
    for cat in rubric.categories:
        total = f"（{cat.max:g} 分）" if cat.max else ""
        rows = pd.DataFrame([{
            "编号": i.code, "指标": i.name, "类型": KIND_LABELS.get(i.kind, i.kind), "满分/上限": float(i.max),
            "计分规则": i.describe(), "考核方式": i.method, "责任科室": i.dept, "原文": i.clause,
        } for i in cat.indicators], columns=["编号", "指标", "类型", "满分/上限", "计分规则", "考核方式", "责任科室", "原文"])
        out.append((f"{category_heading(cat.code, cat.name)}{total}", rows))
    return out
