"""Read model of the 情景分析 page: the office's weights, quota and tie-breakers changed as scenarios (70/30 → 60/40 or
80/20, 4 好 → 3 or 5, tie-breakers off) — how the ranking, the 好 set and the flag move. The sensitivity analysis
composite-indicator practitioners run (COINr), on the real rubric, scored by the engine, never written.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from queries.display import component_labels, round_to, top_grade
from queries.league import award_column
from queries.robustness import scenarios
from queries.store import Store
from scoring.rubric import Rubric
from scoring.whatif import CURRENT, Scenario

WEIGHT_STEP = 0.1  # the standard weight scenarios move the first component's weight by this much either way


def has_scenarios(rubric: Rubric | None) -> bool:
    """Whether a scheme has settings worth a scenario: a weighted mix of components, a quota grade or an award."""
    if rubric is None:
        return True
    return _mixed(rubric) or bool(rubric.grades) or rubric.award is not None


def _mixed(rubric: Rubric) -> bool:
    """Two or more components weighted into one final (weights summing to 1), as 日常评估 70% + 风采展示 30%."""
    weights = list(rubric.final.values())
    return len(weights) >= 2 and all(0 < w < 1 for w in weights) and abs(sum(weights) - 1) < 1e-9


def weights_name(weights: dict[str, float]) -> str:
    """'权重 60/40' (percentages in the rubric's component order)."""
    return "权重 " + "/".join(f"{w * 100:g}" for w in weights.values())


def weight_scenario(rubric: Rubric, first: float) -> Scenario:
    """The first component weighted ``first`` (0–1) and the other(s) sharing the rest as in the rubric."""
    ids = list(rubric.final)
    rest = sum(rubric.final[c] for c in ids[1:])
    weights = {ids[0]: round(first, 4)}
    weights.update({c: round((1 - first) * rubric.final[c] / rest, 4) for c in ids[1:]})
    return Scenario(weights_name(weights), weights=weights)


def quota_scenario(rubric: Rubric, top: int) -> Scenario:
    return Scenario(f"{top}个“{top_grade(rubric).name}”", quota=top)


def no_tie_breakers() -> Scenario:
    return Scenario("不用并列规则", tie_breakers=False)


def standard_scenarios(rubric: Rubric) -> list[Scenario]:
    """The scenarios the page offers: the first weight ± 10 points, the quota ± 1, the tie-breakers off."""
    out = []
    if _mixed(rubric):
        first = next(iter(rubric.final.values()))
        out += [weight_scenario(rubric, w) for w in (first - WEIGHT_STEP, first + WEIGHT_STEP) if 0 < w < 1]
    grade = top_grade(rubric)
    if grade is not None and grade.top is not None:
        out += [quota_scenario(rubric, n) for n in (grade.top - 1, grade.top + 1) if n >= 1]
    if rubric.award is not None and rubric.award.tie_breakers:
        out.append(no_tie_breakers())
    return out


def first_weight(rubric: Rubric) -> tuple[str, int] | None:
    """The first component's name and weight in percent, when the final is a weighted mix (else None)."""
    if not _mixed(rubric):
        return None
    cid, weight = next(iter(rubric.final.items()))
    return component_labels(rubric)[cid], int(round(weight * 100))


def custom_scenario(rubric: Rubric, share: int | None = None, quota: int | None = None,
                    tie_breakers: bool = True) -> Scenario | None:
    """The office's own scenario: the first component at ``share`` percent, ``quota`` 好, tie-breakers on or off —
    None when it is the rubric's own settings."""
    update, names = {}, []
    mix, grade = first_weight(rubric), top_grade(rubric)
    if share is not None and mix is not None and share != mix[1]:
        weights = weight_scenario(rubric, share / 100)
        update["weights"], names = weights.weights, names + [weights.name]
    if quota is not None and grade is not None and grade.top is not None and quota != grade.top:
        update["quota"], names = int(quota), names + [quota_scenario(rubric, int(quota)).name]
    if not tie_breakers and rubric.award is not None and rubric.award.tie_breakers:
        update["tie_breakers"], names = False, names + [no_tie_breakers().name]
    return Scenario("自定义：" + "，".join(names), **update) if update else None


def describe(scenario: Scenario, rubric: Rubric) -> str:
    """The scenario in words: '日常评估 60% + 风采展示 40%'，'“好” 3 个'，'总分并列第一时不再比较…'."""
    names = component_labels(rubric)
    words = []
    weights = scenario.weights if scenario.weights is not None else rubric.final
    if scenario.weights is not None or scenario.name == CURRENT:
        words.append(" + ".join(f"{names.get(c, c)} {w * 100:g}%" for c, w in weights.items()))
    grade = top_grade(rubric)
    if grade is not None and grade.top is not None and (scenario.quota is not None or scenario.name == CURRENT):
        words.append(f"前 {scenario.quota or grade.top} 名评为“{grade.name}”")
    if scenario.tie_breakers is False:
        words.append("总分并列第一时不再依次比较" + "、".join(names.get(c, c) for c in rubric.award.tie_breakers))
    elif scenario.name == CURRENT and rubric.award is not None and rubric.award.tie_breakers:
        words.append("总分并列第一时依次比较" + "、".join(names.get(c, c) for c in rubric.award.tie_breakers))
    return "；".join(words)


@dataclass(frozen=True)
class ScenarioView:
    """What the page shows: per scenario a summary, every unit's rank per scenario, and the long detail."""

    summary: pd.DataFrame  # 情景, “好”单位, “好”变化, 红旗, 名次变动单位数, 设置
    ranks: pd.DataFrame  # 单位, then one rank column per scenario (现行 first), units in current rank order
    detail: pd.DataFrame  # 情景, 单位, 总分, 名次, 等次, 红旗 (long: one row per scenario × unit)
    order: tuple[str, ...]  # scenario names in order (现行 first)
    grade_name: str = ""
    mark: str = ""
    decimals: int = 2


def scenario_view(store: Store, scheme: str, period: str, grp: str | None,
                  wanted: tuple[Scenario, ...]) -> ScenarioView | None:
    """The scenarios of one period and group (None when the group has no facts)."""
    rubric = store.rubric(scheme)
    d = rubric.display_decimals
    table = scenarios(store, scheme, period, wanted)
    if table.empty:
        return None
    grp = str(table["group"].iloc[0]) if grp is None else grp
    table = table[table["group"] == grp]
    if table.empty:
        return None
    grade, mark = top_grade(rubric), rubric.award.mark if rubric.award else ""
    order = tuple(dict.fromkeys(table["scenario"]))
    now = table[table["scenario"] == CURRENT].sort_values(["rank", "entity"], kind="stable")
    units = list(now["entity"])
    detail = pd.DataFrame({"情景": table["scenario"], "单位": table["entity"], "总分": round_to(table["final"], d),
                           "名次": table["rank"].astype("int64"), "等次": table["grade"], "红旗": table["flag"]})
    detail = detail.rename(columns={"红旗": award_column(rubric)}).reset_index(drop=True)
    ranks = table.pivot(index="entity", columns="scenario", values="rank").reindex(index=units, columns=list(order))
    ranks = ranks.astype("int64").rename_axis(columns=None).reset_index().rename(columns={"entity": "单位"})
    by_name = {s.name: s for s in wanted}
    award = award_column(rubric)
    rows = []
    for name in order:
        part = table[table["scenario"] == name].sort_values(["rank", "entity"], kind="stable")
        good = list(part.loc[part["grade"] == grade.name, "entity"]) if grade else []
        was = list(now.loc[now["grade"] == grade.name, "entity"]) if grade else []
        moved = int((part.set_index("entity")["rank"] != now.set_index("entity")["rank"].reindex(part["entity"])).sum())
        held = part.loc[part["flag"] != "", ["entity", "flag"]]
        rows.append({"情景": name, f"“{grade.name if grade else '好'}”单位": "、".join(good) or "—",
                     f"“{grade.name if grade else '好'}”变化": _set_change(was, good),
                     award: "、".join(f"{e}（{f}）" if f != mark else e for e, f in held.to_numpy()) or "—",
                     "名次变动单位数": moved, "设置": describe(by_name.get(name, Scenario(CURRENT)), rubric)})
    summary = pd.DataFrame(rows)
    if grade is None:
        summary = summary.drop(columns=["“好”单位", "“好”变化"])
    if not mark:
        summary = summary.drop(columns=["奖项"])
    return ScenarioView(summary=summary, ranks=ranks, detail=detail, order=order,
                        grade_name=grade.name if grade else "", mark=mark, decimals=d)


def _set_change(was: list[str], now: list[str]) -> str:
    """'+岭子镇 −龙泉镇' (who gains and who loses against the current set), or '—'."""
    words = [f"+{e}" for e in now if e not in was] + [f"−{e}" for e in was if e not in now]
    return " ".join(words) or "—"
