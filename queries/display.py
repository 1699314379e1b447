"""How read models show numbers, periods and rubric names to people (shared by every read-model module).

DESIGN.md: compare on 4 decimals, display 2 — or the rubric's ``display_decimals`` (Rudong shows 4, its
points are 0.002 steps). Values are rounded half-up here, once, so a page, its download and its chart all
show the same number.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.exact import round_half_up
from scoring.phases import sort_periods, split_period
from scoring.rubric import Grade, Rubric

KIND_LABELS = {"base": "基础指标", "score": "评分", "bonus": "加分", "penalty": "减分"}
PERIOD_WORDS = {"quarter": "季度", "month": "月", "year": "年"}
BOARD_TITLES = {"quarter": "季度榜单", "month": "月度榜单", "year": "年度榜单"}


def round_to(values, decimals: int = 2) -> np.ndarray:
    """Display rounding: :func:`scoring.exact.round_half_up` as a float array."""
    return np.asarray(round_half_up(values, decimals), dtype="float64")


def rounded(value, decimals: int = 2) -> float | None:
    """One value rounded for display; None/NaN give None."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return float(round_to(value, decimals))


def period_label(period: str, kind: str = "quarter") -> str:
    """'2022Q4' → '2022年第4季度', '2023-05' → '2023年5月', '2024' → '2024年度'; anything else unchanged."""
    if kind == "quarter" and len(period) == 6 and period[4] == "Q":
        return f"{period[:4]}年第{period[5]}季度"
    if kind == "month" and len(period) == 7 and period[4] == "-" and period[5:].isdigit():
        return f"{period[:4]}年{int(period[5:])}月"
    if kind == "year" and len(period) == 4:
        return f"{period}年度"
    return period


def ordered(rubric: Rubric, periods) -> list[str]:
    """Periods in time order (assessment phases: 自检 before the period of record before 复检)."""
    return sort_periods(rubric, [str(p) for p in periods])


def record_periods(rubric: Rubric, periods) -> list[str]:
    """The periods that count as results: every period, except an assessment phase's self-check and recheck (the
    统一考核 is the score of record: Liaoning's 自检 is a unit's own reading, never averaged with it)."""
    return [p for p in map(str, periods) if (phase := split_period(rubric, p)[1]) is None or phase.role == "record"]


def component_labels(rubric: Rubric) -> dict[str, str]:
    return {c.id: c.name for c in rubric.components}


def final_formula(rubric: Rubric) -> str:
    """The final score in words: '日常评估 × 70% + 风采展示 × 30%'."""
    names = component_labels(rubric)
    return " + ".join(f"{names.get(cid, cid)} × {weight * 100:g}%" for cid, weight in rubric.final.items())


def top_grade(rubric: Rubric) -> Grade | None:
    return rubric.grades[0] if rubric.grades else None


def category_heading(code: str, name: str) -> str:
    """'1 基层服务场所标准化建设'; a category whose code is a word (showcase) shows its name only."""
    return f"{code} {name}" if code[:1].isdigit() else name


def category_names(rubric: Rubric) -> dict[str, str]:
    return {c.code: category_heading(c.code, c.name) for c in rubric.categories}


def cutoff_of(league: pd.DataFrame, grade: Grade | None) -> float | None:
    """The lowest final that still earned the top grade (by rank), or the grade's minimum score."""
    if grade is None:
        return None
    if grade.min_final is not None:
        return float(grade.min_final)
    holders = league[league["grade"] == grade.name]
    return float(holders["final"].min()) if len(holders) else None
