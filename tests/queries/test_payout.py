"""The payout read model (Haikou): the rule as the page states it, the prices to enter, and the contract years
whose months are not all assessed yet — worded here, so the page does no arithmetic."""
from __future__ import annotations

import pytest

from queries.payout import PayoutWindow, entered_terms, payout_terms, payout_view
from queries.store import Store
from scoring.demo import demo_observations, demo_periods
from scoring.payout import ContractTerms
from scoring.rubric import load_rubric

SCHEME = "haikou-2023"
UNIT = "政务大厅外包服务商（演示）"


@pytest.fixture(scope="module")
def haikou(tmp_path_factory):
    """Three months of the first contract year and all twelve of the second, for one operator."""
    rubric = load_rubric(SCHEME)
    months = demo_periods(rubric)
    obs = demo_observations(rubric, [UNIT], months[:3] + months[11:23], seed=3)
    with Store(tmp_path_factory.mktemp("haikou") / "haikou.duckdb") as store:
        store.import_observations(rubric, obs, who="测试", source="haikou.csv")
        yield store


def test_the_terms_state_the_rule_and_each_contract_years_price(haikou):
    terms = payout_terms(haikou, SCHEME)
    assert terms.rule == ("合同年度得分 = 统计周期内各月考核得分的平均数；付款档次：90≤X，支付100%；80≤X<90，支付85%；"
                          "70≤X<80，支付70%；60≤X<70，支付50%；X<60，不支付。绩效考核金额 = 中标价 × 10% × 考核系数，"
                          "鉴定每差一人扣 中标价 × 10% × 0.5%。")
    unentered = "中标价 11,265,500.00 元（细则默认，未录入）；鉴定人数未录入，不扣除"
    assert terms.windows == (PayoutWindow("第一年", "第一年（2023-01至2023-11）", 11265500.0, ContractTerms(), unentered),
                             PayoutWindow("第二年", "第二年（2023-12至2024-11）", 11265500.0, ContractTerms(), unentered),
                             PayoutWindow("第三年", "第三年（2024-12至2025-12）", 11265500.0, ContractTerms(), unentered))


def test_a_scheme_without_payout_has_no_terms(store):
    assert payout_terms(store, "zichuan-2022") is None


def test_missing_months_and_the_cost_picker_are_worded_for_the_page(haikou):
    view = payout_view(haikou, SCHEME)
    assert view.years[["合同年度", "已考核月数", "应考核月数"]].values.tolist() == [
        ["第一年（2023-01至2023-11）", 3, 11], ["第二年（2023-12至2024-11）", 12, 12]]
    assert view.incomplete == ("第一年（2023-01至2023-11）缺 8 个月",)
    assert view.cost_labels == {("第一年", UNIT): f"第一年（2023-01至2023-11） · {UNIT}",
                                ("第二年", UNIT): f"第二年（2023-12至2024-11） · {UNIT}"}


def test_stored_terms_decide_the_money_and_are_stated(tmp_path):
    """Seed 003 (五 (二) 注 2): "未通过一人按中标价*10%*0.5%扣除" — with 10,000,000 stored as the first year's price and
    50 of 56 persons certified, the page's year states what it uses and deducts 6 × 10,000,000 × 10% × 0.5% =
    30,000.00."""
    rubric = load_rubric(SCHEME)
    months = demo_periods(rubric)
    with Store(tmp_path / "h.duckdb") as store:
        store.import_observations(rubric, demo_observations(rubric, [UNIT], months[:11], seed=3), who="测试",
                                  source="h.csv")
        before = payout_view(store, SCHEME).years.iloc[0]
        store.set_contract_terms(SCHEME, "第一年", entered_terms(10_000_000, 56, 50, ContractTerms()), who="财务科")
        year = payout_view(store, SCHEME).years.iloc[0]
        window = payout_terms(store, SCHEME).windows[0]
    assert (before["中标价（元）"], before["鉴定扣除（元）"]) == (11265500.0, 0.0)
    assert (year["中标价（元）"], year["鉴定未达标人数"], year["鉴定扣除（元）"]) == (10000000.0, 6, 30000.0)
    assert window.stored == ContractTerms(10000000.0, 56, 50, None)
    assert window.in_use == "中标价 10,000,000.00 元（已录入）；应鉴定 56 人、通过 50 人，按细则计未达标 6 人"


def test_a_form_with_no_counts_enters_none():
    assert entered_terms(1.5, 0, 0, ContractTerms(staff=9)) == ContractTerms(1.5, None, None, 9)
    assert entered_terms(1.5, 0, 3, ContractTerms()) == ContractTerms(1.5, 0, 3, None)
