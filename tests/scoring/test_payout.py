"""Contract-year windows, payout bands and money (scoring/payout.py), worked by hand from seed 003.

Seed 003 (一 9): "考核成绩统计周期：第一年为 2023 年 1 月-2023 年 11 月的月平均分数；第二年为 2023 年 12 月-2024 年 11 月的
月平均分数；第三年为 2024 年 12 月-2025 年 12 月的月平均分数"
Seed 003 (五 (二)): "90≤X 100%；80≤X<90 85%；70≤X<80 70%；60≤X<70 50%；X<60 0%"; "绩效考核金额=中标价*10%*考核系数";
"未通过一人按中标价*10%*0.5%扣除。"
"""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pandas as pd
import pytest
from pydantic import ValidationError

from scoring.payout import (Band, Money, Payout, Window, band_for, contract_years, lost_point_costs, payout_money,
                            payout_table, shortfall, window_of, year1_shortfall)
from scoring.rubric import load_rubric


@pytest.fixture(scope="module")
def haikou():
    return load_rubric("haikou-2023")


# -- windows: fixed, unequal, crossing calendar years -----------------------------------------------------------

def test_the_three_contract_years_are_the_seeds_month_windows(haikou):
    months = {w.id: w.months() for w in haikou.windows}
    assert {k: (v[0], v[-1], len(v)) for k, v in months.items()} == {
        "第一年": ("2023-01", "2023-11", 11), "第二年": ("2023-12", "2024-11", 12), "第三年": ("2024-12", "2025-12", 13)}
    assert months["第二年"][:3] == ["2023-12", "2024-01", "2024-02"]


@pytest.mark.parametrize("month, window", [("2023-01", "第一年"), ("2023-11", "第一年"), ("2023-12", "第二年"),
                                           ("2024-11", "第二年"), ("2024-12", "第三年"), ("2025-12", "第三年"),
                                           ("2022-12", None), ("2026-01", None)])
def test_window_of_a_month(haikou, month, window):
    found = window_of(month, haikou.windows)
    assert (found.id if found else None) == window


def test_a_window_must_be_months_in_order():
    with pytest.raises(ValidationError, match="after end"):
        Window(id="x", start="2024-02", end="2024-01")
    with pytest.raises(ValidationError, match="must look like 2023-01"):
        Window(id="x", start="2024-1", end="2024-02")


# -- bands: lower bounds inclusive ("80≤X<90") --------------------------------------------------------------------

@pytest.mark.parametrize("score, rate", [
    # exactly on a boundary pays the higher band: "$90 \leq X$", "$80 \leq X < 90$", …
    (105, 1.0), (90, 1.0), (Fraction(1079, 12), 0.85), (89.9999, 0.85), (80, 0.85), (79.99, 0.70), (70, 0.70),
    (60, 0.50), (Fraction(719, 12), 0.0), (0, 0.0), (-5, 0.0)])
def test_band_lower_bounds_are_inclusive(haikou, score, rate):
    assert band_for(score, haikou.payout).rate == rate


def test_bands_must_descend_and_end_with_a_catch_all():
    with pytest.raises(ValidationError, match="catches the rest"):
        Payout(pot_share=0.1, price=1, bands=[Band(min=90, rate=1), Band(min=60, rate=0.5)])
    with pytest.raises(ValidationError, match="highest min down"):
        Payout(pot_share=0.1, price=1, bands=[Band(min=60, rate=0.5), Band(min=90, rate=1), Band(rate=0)])


# -- money, by hand -----------------------------------------------------------------------------------------------

def test_payout_money_by_hand(haikou):
    # 中标价 11,265,500.00 → pot = 10% = 1,126,550.00; a mean of 88 → 85% = 957,567.50;
    # 6 persons short × 1,126,550.00 × 0.5% = 6 × 5,632.75 = 33,796.50; net 923,771.00
    money = payout_money(88, 11_265_500, 6, haikou.payout)
    assert money == Money(pot=Decimal("1126550.00"), rate=0.85, band="80≤X<90，支付85%",
                          band_amount=Decimal("957567.50"), deduction=Decimal("33796.50"), net=Decimal("923771.00"))


@pytest.mark.parametrize("score, net", [
    (95, "1126550.00"), (75, "788585.00"), (65, "563275.00"), (59, "0.00")])
def test_every_band_pays_its_share_of_the_pot(haikou, score, net):
    # 1,126,550 × 100% / 70% / 50% / 0%
    assert payout_money(score, 11_265_500, 0, haikou.payout).net == Decimal(net)


def test_a_shortfall_larger_than_the_band_amount_is_floored_at_zero_by_default(haikou):
    """Seed 003 (五 (二) 注 2): "未通过一人按中标价*10%*0.5%扣除" — the deduction comes out of the 绩效考核金额 (注 1:
    "绩效考核金额=中标价*10%*考核系数"), so the net is floored at 0 (reading A20, ``floor_at_zero: true``)."""
    # X<60 pays 0; 3 persons short cost 3 × 5,632.75 = 16,898.25, more than the band amount
    money = payout_money(50, 11_265_500, 3, haikou.payout)
    assert (money.net, money.floored) == (Decimal("0.00"), True)


def test_without_the_floor_a_shortfall_gives_a_negative_net(haikou):
    """Seed 003 (五 (二) 注 2): "未通过一人按中标价*10%*0.5%扣除" — with ``floor_at_zero: false`` the negative net is shown
    for the office to settle."""
    unfloored = haikou.payout.model_copy(update={"floor_at_zero": False})
    money = payout_money(50, 11_265_500, 3, unfloored)
    assert (money.net, money.floored) == (Decimal("-16898.25"), False)


@pytest.mark.parametrize("basis, expected", [("target", 2), ("every_unpassed", 9)])
def test_who_the_certification_deduction_counts_is_a_setting(haikou, basis, expected):
    """Seed 003 (五 (二) 注 2): "服务期年度内行政办事员通过率未达到实质性条款要求的，未通过一人按中标价*10%*0.5%扣除。"
    A target of 56 certified persons, 54 passed out of 63 staff: 2 short of the target (default), or 9 not passed
    (``shortfall_basis: every_unpassed``)."""
    payout = haikou.payout.model_copy(update={"shortfall_basis": basis})
    assert shortfall(payout, target=56, certified=54, staff=63 if basis == "every_unpassed" else None) == expected


@pytest.mark.parametrize("staff, passed, short", [
    # "在服务期第一年内 50%以上人员应通过…五级（初级工）鉴定": ⌈111 × 50%⌉ = 56 required
    (111, 50, 6), (111, 56, 0), (111, 80, 0), (110, 54, 1), (0, 0, 0)])
def test_year1_shortfall(staff, passed, short):
    assert year1_shortfall(staff, passed) == short


# -- contract-year means and what lost points cost -------------------------------------------------------------------

def monthly(finals: dict[str, float], entity: str = "V") -> pd.DataFrame:
    return pd.DataFrame({"period": list(finals), "entity": entity, "final": list(finals.values())})


def test_contract_year_mean_is_exact_and_reports_missing_months(haikou):
    # year 1: 2023-01 … 2023-11 with 2023-06 missing: (90 × 5 + 89 × 5) / 10 = 89.5 → 85%
    finals = {f"2023-{m:02d}": (90 if m <= 5 else 89) for m in range(1, 12) if m != 6}
    finals["2023-12"] = 100  # year 2
    years = contract_years(monthly(finals), haikou.windows)
    assert years.drop(columns="mean_exact").to_dict("records") == [
        {"window": "第一年", "name": "第一年（2023-01至2023-11）", "entity": "V", "n_months": 10, "n_expected": 11,
         "missing": "2023-06", "mean": 89.5},
        {"window": "第二年", "name": "第二年（2023-12至2024-11）", "entity": "V", "n_months": 1, "n_expected": 12,
         "missing": "、".join(f"2024-{m:02d}" for m in range(1, 12)), "mean": 100.0}]
    assert years["mean_exact"].tolist() == [Fraction(179, 2), Fraction(100)]


def test_a_mean_one_thirteenth_below_a_boundary_stays_below(haikou):
    # year 3 has 13 months: 12 × 90 + 89 = 1169; 1169 / 13 = 89.923… → 85%, never rounded up to 90
    finals = {m: 90 for m in haikou.windows[2].months()}
    finals["2025-12"] = 89
    years = contract_years(monthly(finals), haikou.windows)
    assert years["mean_exact"].iloc[0] == Fraction(1169, 13)
    assert band_for(years["mean_exact"].iloc[0], haikou.payout).rate == 0.85


def test_lost_point_costs_is_the_money_a_band_drop_cost(haikou):
    # Two months of year 1: 100, and 75 = 100 − 24 (3A) − 1 (6); indicator 4 lost nothing (not listed).
    # Mean 87.5 → 85%. Had 3A kept its 24 points the mean would be 99.5 → 100%: it cost
    # 1,126,550 × (100% − 85%) = 168,982.50. Indicator 6's point would give 88 → still 85%: it cost nothing.
    finals = {"2023-01": 100, "2023-02": 75}
    lost = pd.DataFrame({"period": ["2023-02", "2023-02", "2023-02"], "entity": "V",
                         "indicator": ["3A", "6", "4"], "lost": [24.0, 1.0, 0.0]})
    years = contract_years(monthly(finals), haikou.windows)
    assert years["mean_exact"].iloc[0] == Fraction(175, 2)  # 87.5 → 85%
    costs = lost_point_costs(lost, years, haikou.windows[0], "V", haikou.payout, 11_265_500)
    assert costs.to_dict("records") == [
        {"indicator": "3A", "lost": 24.0, "mean_effect": 12.0, "band_if_kept": "90≤X，支付100%",
         "net_if_kept": Decimal("1126550.00"), "cost": Decimal("168982.50")},
        {"indicator": "6", "lost": 1.0, "mean_effect": 0.5, "band_if_kept": "80≤X<90，支付85%",
         "net_if_kept": Decimal("957567.50"), "cost": Decimal("0.00")}]


def test_lost_point_costs_of_a_window_without_months_is_empty(haikou):
    years = contract_years(monthly({"2023-01": 100}), haikou.windows)
    lost = pd.DataFrame(columns=["period", "entity", "indicator", "lost"])
    assert lost_point_costs(lost, years, haikou.windows[1], "V", haikou.payout, 1).empty


def test_windows_and_payout_describe_themselves(haikou):
    assert [w.describe() for w in haikou.windows] == [
        "第一年：2023-01至2023-11共11个月的月度考核得分的平均分。",
        "第二年：2023-12至2024-11共12个月的月度考核得分的平均分。",
        "第三年：2024-12至2025-12共13个月的月度考核得分的平均分。"]
    assert haikou.payout.describe() == (
        "合同年度均分分档付款：90≤X，支付100%；80≤X<90，支付85%；70≤X<80，支付70%；60≤X<70，支付50%；X<60，不支付。"
        "绩效考核金额＝中标价×10%×考核系数；行政办事员鉴定每差一人，扣中标价×10%×0.5%。")


def test_payout_table_uses_entered_prices_and_shortfalls(haikou):
    years = contract_years(monthly({"2023-01": 95, "2023-12": 65}), haikou.windows)
    table = payout_table(years, haikou.windows, haikou.payout, prices={"第二年": 10_000_000}, shorts={"第二年": 1})
    # year 1: default price 11,265,500 → 100% of 1,126,550.00; year 2: 10,000,000 → pot 1,000,000 × 50% = 500,000
    # less 1 × 1,000,000 × 0.5% = 5,000 → 495,000.00
    assert [(r.window, r.rate, str(r.pot), str(r.net)) for r in table.itertuples()] == [
        ("第一年", 1.0, "1126550.00", "1126550.00"), ("第二年", 0.5, "1000000.00", "495000.00")]
