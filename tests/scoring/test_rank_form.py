"""A rank indicator's form inferred from the rows (issue 15): the template pre-fills 实绩 rows, the department gives
名次; when every unit of a period gave one form, the blank rows of the other are dropped with one warning per
indicator, and everything else is still an error."""
from __future__ import annotations

import pandas as pd

from scoring.engine import score
from scoring.problems import Problem
from scoring.rank_form import drop_blank_alternatives
from scoring.validate import validate
from tests.conftest import PERIOD, fact, frame, unit

UNITS = ("A镇", "B镇", "C镇")


def with_blank_measures(code: str, units=UNITS) -> list[dict]:
    """Each unit's full rows (名次 given for every rank indicator), then the template's blank 实绩 row of ``code`` for
    each of ``units`` appended below (as a filled and re-saved template holds them)."""
    rows = [r for k, u in enumerate(UNITS) for r in unit(u, {(code, "名次"): str(k + 1)})]
    return rows + [fact(u, code, "实绩", "") for u in units]


def test_blank_measure_rows_are_dropped_when_every_unit_gave_its_place(zichuan):
    """Seed 002 (2.3): "根据工作落实情况，第一名得8分，每递减一个名次扣0.5分。" — the department gives places; the
    three blank 实绩 rows the template pre-filled are ignored, with one warning naming the indicator and the lines,
    and the league is the league of the rows without them."""
    rows = with_blank_measures("2.3")
    n = len(rows)
    clean, problems = validate(frame(rows), zichuan)
    assert problems == [Problem("指标 2.3", f"强化帮办代办服务：每个单位都填写了名次，3 行空白的实绩已忽略（第{n - 1}行、第{n}行、"
                                          f"第{n + 1}行） (blank 实绩 rows dropped: every unit gave its 名次)", "warning")]
    assert len(clean) == n - 3
    without = score(frame(rows[:-3]), zichuan).league
    pd.testing.assert_frame_equal(score(frame(rows), zichuan).league, without)


def test_blank_place_rows_are_dropped_when_every_unit_gave_its_measure(zichuan):
    """Seed 002 (2.3): "第一名得8分，每递减一个名次扣0.5分。" — the other way round (a CSV with both forms listed):
    every unit gave its 实绩, so the blank 名次 rows go and the units are ranked on the measures."""
    rows = [r for k, u in enumerate(UNITS) for r in unit(u, {("2.3", "实绩"): str(90 + k)})]
    rows += [fact(u, "2.3", "名次", " ") for u in UNITS]
    clean, problems = validate(frame(rows), zichuan)
    assert [(p.where, p.severity) for p in problems] == [("指标 2.3", "warning")]
    assert "每个单位都填写了实绩，3 行空白的名次已忽略" in problems[0].message
    assert sorted(clean.loc[clean["indicator"] == "2.3", "item"]) == ["实绩"] * 3
    detail = score(frame(rows), zichuan).detail
    places = detail[detail["indicator"] == "2.3"].set_index("entity")["place"].to_dict()
    assert places == {"A镇": 3.0, "B镇": 2.0, "C镇": 1.0}


def test_a_unit_without_either_form_keeps_the_errors(zichuan):
    """Seed 002 (2.3): "根据工作落实情况，第一名得8分" — C镇 has only the blank 实绩 row: no form is given by every
    unit, nothing is dropped: the blank row is an error naming its line, and the period mixes the forms, as
    before."""
    rows = [r for u in UNITS for r in unit(u, {("2.3", "名次"): None if u == "C镇" else "1"})]
    rows.append(fact("C镇", "2.3", "实绩", ""))
    _, problems = validate(frame(rows), zichuan)
    errors = [p for p in problems if p.severity == "error"]
    assert [p.where for p in errors] == [f"第{len(rows) + 1}行", f"{PERIOD} 指标 2.3"]
    assert "value 为空" in errors[0].message and "有的单位填名次、有的填实绩" in errors[1].message
    assert not [p for p in problems if p.severity == "warning"]


def test_a_filled_measure_beside_a_place_is_still_both(zichuan):
    """Seed 002 (2.3): "每递减一个名次扣0.5分" — a non-blank 实绩 next to the unit's 名次 is a fact, never dropped:
    the unit filled both forms, which stays an error; the other units' blank rows are dropped."""
    rows = with_blank_measures("2.3", units=("A镇", "B镇"))
    rows.append(fact("C镇", "2.3", "实绩", "95"))
    _, problems = validate(frame(rows), zichuan)
    assert [(p.where, p.severity) for p in problems] == [
        ("指标 2.3", "warning"), (f"{PERIOD} C镇 指标 2.3", "error"), (f"{PERIOD} 指标 2.3", "error")]
    assert "同时填写了名次和实绩" in problems[1].message and "必须统一为一种" in problems[2].message


def test_lines_keep_their_numbers_after_rows_are_dropped(zichuan):
    """Seed 002 (2.3): "第一名得8分" — an error below the dropped rows still names the line of the file (a CSV
    without line labels: the header is line 1)."""
    rows = with_blank_measures("3.1") + [fact("A镇", "9.9", "", "1")]
    obs = frame(rows).drop(columns=["line", "row"])
    _, problems = validate(obs, zichuan)
    assert [(p.where, p.severity) for p in problems] == [("指标 3.1", "warning"), (f"第{len(rows) + 1}行", "error")]


def test_nothing_to_drop_returns_the_rows_themselves(zichuan):
    """Seed 002 (2.3): "第一名得8分" — places for every unit and no blank rows: the frame comes back untouched."""
    obs = frame([r for u in UNITS for r in unit(u)])
    got, warnings = drop_blank_alternatives(obs, zichuan)
    assert got is obs and warnings == []
