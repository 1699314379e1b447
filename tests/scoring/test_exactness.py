"""Exact to the last digit: each defect a careful reviewer found in the float engine, as a worked example quoting
seed 002 (DESIGN.md, Exactness: compute exactly, rank measures exactly as entered, count the units strictly ahead
for 好, round half-up to 4 decimals once, at the end)."""
from __future__ import annotations

from fractions import Fraction

import pytest

from scoring.engine import score
from scoring.exact import Q, parse_decimal, rounded
from scoring.problems import InputError, Problem
from tests.conftest import (SEED_002, by_entity, fact, frame, named, place_fillers, quotes_not_in_seed, unit,
                            unquoted_tests, zichuan_only)


def test_indicator_points_are_added_unrounded():
    """Seed 002 (6): "当季度三个月考核平均分加权后作为此项得分。" — months 100, 100 and 99.003 give
    (299.003 ÷ 3) × 0.1 = 9.96676666… points: shown 9.9668, but added to the total unrounded."""
    rows = [fact("A镇", "6", "第1月", "100"), fact("A镇", "6", "第2月", "100"), fact("A镇", "6", "第3月", "99.003")]
    result = score(frame(rows), zichuan_only("6"))
    assert result.exact.indicators["6"].fractions() == [Fraction(299003, 30000)]
    assert by_entity(result.detail, "6") == {"A镇": (9.9668, 0.0332, "3个月平均99.6677分 −0.0332")}


def test_a_rounded_part_never_creates_a_tie_that_hands_over_the_flag(zichuan):
    """Seed 002 (三、结果运用): "根据日常评估和风采展示总分，评选出 4 个“好”等次，“好”等次中得分最高的授予“担当作为”流动红旗。"
    A镇: 好差评 9.96676666… (months 100, 100, 99.003), every other base item full: daily 99.9667666…,
    final 0.7 × daily + 0.3 × 80 = 93.9767366… → 93.9767. B镇: one 5.1 finding (daily 99), showcase 82.256:
    final 69.3 + 24.6768 = 93.9768. B镇 is first. Rounding 好差评 to 9.9668 before adding would make A镇 93.97676 →
    93.9768, a tie that does not exist, and the tie-break on daily would hand A镇 the flag."""
    rows = (unit("A镇", {("6", "第3月"): "99.003", ("showcase", ""): "80"})
            + unit("B镇", {("5.1", "问题次数"): "1", ("showcase", ""): "82.256"}))
    league = score(frame(rows), zichuan).league
    assert league[["entity", "daily", "final", "rank", "flag"]].to_dict("records") == [
        {"entity": "B镇", "daily": 99.0, "final": 93.9768, "rank": 1, "flag": "红旗"},
        {"entity": "A镇", "daily": 99.9668, "final": 93.9767, "rank": 2, "flag": ""},
    ]
    assert list(league["award_note"]) == ["", ""]  # no tie to break


def test_measures_are_ranked_exactly_as_entered():
    """Seed 002 (2.3): "根据工作落实情况，第一名得8分，每递减一个名次扣0.5分。" — 实绩 0.98764 and 0.98761 are different
    places (rounding both to 0.9876 would tie them and give the lower rate the higher points)."""
    rows = [fact("A镇", "2.3", "实绩", "0.98761"), fact("B镇", "2.3", "实绩", "0.98764"),
            fact("C镇", "2.3", "实绩", "0.987640"), fact("D镇", "2.3", "实绩", "0.5")]
    detail = score(frame(rows), zichuan_only("2.3")).detail
    assert by_entity(detail, "2.3", ("place", "points")) == {
        "A镇": (3.0, 7.0), "B镇": (1.0, 8.0), "C镇": (1.0, 8.0), "D镇": (4.0, 6.5)}


def test_good_counts_the_units_strictly_ahead_even_with_dense_ladders():
    """Seed 002 (三、结果运用): "根据日常评估和风采展示总分，评选出 4 个“好”等次" — with ``tie_method: dense`` (a setting of the
    rank ladders) finals 100, 99, 99, 98, 98, 97, 96 have dense ranks 1, 2, 2, 3, 3, 4, 5 and "rank ≤ 4" would give 好 to
    six units; the league's rank is the competition rank 1, 2, 2, 4, 4, 6, 7 and 好 goes to the five units ranked
    4th or better (the tie at 4th shared)."""
    rubric = zichuan_only("showcase", tie_method="dense", grades=[{"name": "好", "top": 4}], final={"showcase": 1},
                          components=[{"id": "showcase", "name": "风采展示", "indicators": ["showcase"]}])
    finals = {"A镇": "100", "B镇": "99", "C镇": "99", "D镇": "98", "E镇": "98", "F镇": "97", "G镇": "96"}
    league = score(frame([fact(e, "showcase", "", v) for e, v in finals.items()]), rubric).league
    assert [(e, r, g) for e, r, g in league[["entity", "rank", "grade"]].itertuples(index=False)] == [
        ("A镇", 1, "好"), ("B镇", 2, "好"), ("C镇", 2, "好"), ("D镇", 4, "好"), ("E镇", 4, "好"), ("F镇", 6, ""),
        ("G镇", 7, "")]


def test_a_dense_ladder_still_ranks_measures_densely():
    """Seed 002 (2.3): "根据工作落实情况，第一名得8分，每递减一个名次扣0.5分。" — ``tie_method`` applies to the ladders:
    dense places 1, 1, 2 (the third unit loses one step, not two)."""
    rows = [fact("A镇", "2.3", "实绩", "90"), fact("B镇", "2.3", "实绩", "90"), fact("C镇", "2.3", "实绩", "80")]
    detail = score(frame(rows), zichuan_only("2.3", tie_method="dense")).detail
    assert by_entity(detail, "2.3", ("place", "points")) == {"A镇": (1.0, 8.0), "B镇": (1.0, 8.0), "C镇": (2.0, 7.5)}


@pytest.mark.parametrize("word", ["有", "无"])
def test_have_or_have_not_is_refused_as_a_flag(word):
    """Seed 002 (4.1): "未按要求设置自助服务区的扣2分" — for the item 未设自助服务区 a clerk who types 有 ("we have the
    area") would be deducted 2 points: 有/无 is refused, with what to type instead."""
    with pytest.raises(InputError) as exc:
        score(frame([fact("A镇", "4.1", "未设自助服务区", word), fact("A镇", "4.1", "设备故障次数", "0")]),
              zichuan_only("4.1"))
    assert exc.value.problems == [Problem(
        "第2行", f"指标 4.1 的 未设自助服务区 填了 “{word}”，意思不明确：请按“未设自助服务区”是否属实填 是 或 否（1 或 0）；"
                 f"例如存在“未设自助服务区”的情况填 是 (有/无 is ambiguous: type 是/否 or 1/0)")]


@pytest.mark.parametrize("word, points", [("是", 3.0), ("否", 5.0), ("1", 3.0), ("0", 5.0), ("1.0", 3.0)])
def test_flags_read_one_zero_and_yes_no(word, points):
    """Seed 002 (4.1): "未按要求设置自助服务区的扣2分" — 1/是 means the area is missing."""
    detail = score(frame([fact("A镇", "4.1", "未设自助服务区", word), fact("A镇", "4.1", "设备故障次数", "0")]),
                   zichuan_only("4.1")).detail
    assert by_entity(detail, "4.1", ("points",)) == {"A镇": (points,)}


def test_a_place_beyond_the_units_ranked_is_an_error_naming_the_line():
    """Seed 002 (2.3): "第一名得8分，每递减一个名次扣0.5分。" — 名次 30 among 13 units is a typing error, never a silent 0."""
    rows = [fact(f"{i}镇", "2.3", "名次", str(i)) for i in range(1, 13)] + [fact("十三镇", "2.3", "名次", "30")]
    with pytest.raises(InputError) as exc:
        score(frame(rows), zichuan_only("2.3"))
    assert exc.value.problems == [Problem(
        "第14行", "十三镇 指标 2.3 的名次为 “30”，但 2022Q2 只有 13 个单位参加排名，名次不能大于 13 "
                 "(place beyond the 13 units ranked)")]


def test_the_last_place_of_a_full_group_is_accepted():
    """Seed 002 (3.2): "根据工作落实情况，第一名得4分，每递减一个名次扣0.2分。" — 名次 13 of 13: 4 − 0.2 × 12 = 1.6."""
    rows = [fact("A镇", "3.2", "名次", "13")]
    detail = score(frame(rows + place_fillers("3.2", rows, 13)), zichuan_only("3.2")).detail
    assert named(by_entity(detail, "3.2", ("points",))) == {"A镇": (1.6,)}


def test_the_seeds_wording_of_a_level_is_accepted_and_shown():
    """Seed 002 (8.4): "工作不落实、不到位被省级及以上通报的，每次扣3分" — the item in files is 省级通报 (the public
    format); 省级及以上通报 is accepted as an alias, and reasons and the rubric page use the seed's wording."""
    rubric = zichuan_only("8.4")
    rows = [fact("A镇", "8.4", "省级通报", "1"), fact("B镇", "8.4", "省级及以上通报", "1")]
    assert by_entity(score(frame(rows), rubric).detail, "8.4") == {
        "A镇": (-3.0, 3.0, "省级及以上通报 1次 −3，合计−3"), "B镇": (-3.0, 3.0, "省级及以上通报 1次 −3，合计−3")}
    assert "省级及以上通报每次扣3分" in rubric.indicator("8.4").describe()


# --- the exact arithmetic itself ---------------------------------------------------------------------------------

def test_exact_values_are_read_from_the_text_typed():
    """Seed 002 (6): "当季度三个月考核平均分加权后作为此项得分。" — the months are read as typed, trailing zeros aside."""
    assert [parse_decimal(t) for t in ("99.003", "99.0030", "1e2", " 7 ", "abc", "inf", "")] == [
        Fraction(99003, 1000), Fraction(99003, 1000), Fraction(100), Fraction(7), None, None, None]


def test_half_up_rounding_happens_once_and_away_from_zero():
    """Seed 002 (三、结果运用): "其中日常评估占 70%，风采展示占 30%。" — 0.7 × 92.4 + 0.3 × 81.4 = 89.1 exactly; halves round
    away from zero at the 5th decimal."""
    q = Q.from_fractions([Fraction(7, 10) * Fraction("92.4") + Fraction(3, 10) * Fraction("81.4"),
                          Fraction("1.00005"), Fraction("-1.00005"), Fraction("1.000049999")])
    assert q.round4().tolist() == [891000, 10001, -10001, 10000]
    assert rounded(Fraction(299003, 30000)) == Fraction("9.9668")


def test_large_numerators_stay_exact():
    """Seed 002 (三、结果运用): "得分由日常评估和风采展示两部分构成" — sums never overflow: beyond int64 the numerators
    become Python integers."""
    big = Q.from_fractions([Fraction(10**17 + 1, 3), Fraction(1, 7)])
    total = big * 1000 + big * 1000
    assert total.fractions() == [Fraction(2 * (10**17 + 1) * 1000, 3), Fraction(2000, 7)]


def test_every_exactness_test_quotes_the_seed():
    assert unquoted_tests(globals()) == []


@pytest.mark.skipif(not SEED_002.exists(), reason="the copy of seed 002 is missing from tests/fixtures/seeds")
def test_exactness_quotes_are_verbatim_from_the_seed():
    assert quotes_not_in_seed(globals()) == []
