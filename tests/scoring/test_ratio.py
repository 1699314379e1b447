"""The ratio rule (scoring/rules/ratio.py), worked by hand from seed 004.

Seed 004 (1.6.2): "对帮办代办工作进行满意度测评，对满意度不足95%的按比例进行扣分（0.05分）。"
Reading (docs/rubrics/rudong-2021.md §3, R1): points = 0.05 × min(1, 满意度 ÷ 95%); exactly 95% is not 不足95%.
"""
from __future__ import annotations

from fractions import Fraction

import pytest

from scoring.engine import score
from scoring.exact import Q
from scoring.rules.ratio import Ratio
from tests.scoring.preset_helpers import points, preset_only, rows


@pytest.fixture(scope="module")
def satisfaction():
    return preset_only("rudong-2021", "1.6.2")


@pytest.mark.parametrize("rate, pts, lost", [
    # "不足95%" is strictly below: 95 and above keep the whole 0.05
    ("100", 0.05, 0.0), ("95", 0.05, 0.0), ("95.0", 0.05, 0.0),
    # 0.05 × 94.9 / 95 = 0.049947… → 0.0499 (4 decimals, half-up)
    ("94.9", 0.0499, 0.0001),
    # 0.05 × 90 / 95 = 0.047368… → 0.0474
    ("90", 0.0474, 0.0026),
    # 0.05 × 76 / 95 = 0.04 exactly
    ("76", 0.04, 0.01),
    # 未测评: the clerk enters 0 → 0 points (A8)
    ("0", 0.0, 0.05)])
def test_satisfaction_below_95_percent_is_prorated(satisfaction, rate, pts, lost):
    detail = score(rows([("甲镇", "1.6.2", "满意度", rate)], "2021"), satisfaction).detail
    got = points(detail, "1.6.2")["甲镇"]
    assert got[:2] == (pts, lost)


def test_the_reason_names_the_rate_and_the_proportion(satisfaction):
    detail = score(rows([("甲镇", "1.6.2", "满意度", "90"), ("乙镇", "1.6.2", "满意度", "97")], "2021"),
                   satisfaction).detail
    assert points(detail, "1.6.2") == {
        "甲镇": (0.0474, 0.0026, "满意度90%，不足95%，按90÷95比例得0.0474分 −0.0026"), "乙镇": (0.05, 0.0, "")}


def test_a_rate_outside_0_100_is_an_error(satisfaction):
    from scoring.problems import InputError
    with pytest.raises(InputError) as err:
        score(rows([("甲镇", "1.6.2", "满意度", "96"), ("乙镇", "1.6.2", "满意度", "120")], "2021"), satisfaction)
    assert [p.where for p in err.value.problems] == ["第3行"]
    assert "0–100" in err.value.problems[0].message


def test_the_proportional_alternative_is_a_rubric_setting(satisfaction):
    # formula: proportional — 0.05 × 90% = 0.045 (R2 in the docs; a jump at 95%)
    ind = satisfaction.indicator("1.6.2")
    rule = Ratio(target=95, formula="proportional")
    rates = Q.from_fractions([90, 95, 100])
    assert rule.fraction(rates).fractions() == [Fraction(9, 10), 1, 1]
    assert ind.rule.fraction(rates).fractions() == [Fraction(90, 95), 1, 1]  # exact: 18/19, never a float


def test_describe_states_the_formula(satisfaction):
    ind = satisfaction.indicator("1.6.2")
    assert ind.describe() == ("满意度达到95%及以上得满分0.05分；不足95%的，按满意度÷95%的比例得分"
                              "（即满分×满意度÷95%）；未测评的填0，得0分。")
    assert Ratio(target=95, formula="proportional").describe(ind) == (
        "满意度达到95%及以上得满分0.05分；不足95%的，按满意度本身的比例得分（即满分×满意度÷100%）；未测评的填0，得0分。")


def test_a_rate_that_looks_like_a_fraction_is_flagged(satisfaction):
    result = score(rows([("甲镇", "1.6.2", "满意度", "0.935"), ("乙镇", "1.6.2", "满意度", "0")], "2021"), satisfaction)
    assert [(w.where, w.severity) for w in result.warnings] == [("第2行", "warning")]
    assert "是否把百分数填成了小数" in result.warnings[0].message
