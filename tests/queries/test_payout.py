"""The payout read model (Haikou): the rule as the page states it, the prices to enter, and the contract years
whose months are not all assessed yet — worded here, so the page does no arithmetic."""
from __future__ import annotations

import pytest

from queries.payout import PayoutWindow, payout_terms, payout_view
from queries.store import Store
from scoring.demo import demo_observations, demo_periods
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
    assert terms.windows == (PayoutWindow("第一年", "第一年（2023-01至2023-11）", 11265500.0),
                             PayoutWindow("第二年", "第二年（2023-12至2024-11）", 11265500.0),
                             PayoutWindow("第三年", "第三年（2024-12至2025-12）", 11265500.0))


def test_a_scheme_without_payout_has_no_terms(store):
    assert payout_terms(store, "zichuan-2022") is None


def test_missing_months_and_the_cost_picker_are_worded_for_the_page(haikou):
    view = payout_view(haikou, SCHEME)
    assert view.years[["合同年度", "已考核月数", "应考核月数"]].values.tolist() == [
        ["第一年（2023-01至2023-11）", 3, 11], ["第二年（2023-12至2024-11）", 12, 12]]
    assert view.incomplete == ("第一年（2023-01至2023-11）缺 8 个月",)
    assert view.cost_labels == {("第一年", UNIT): f"第一年（2023-01至2023-11） · {UNIT}",
                                ("第二年", UNIT): f"第二年（2023-12至2024-11） · {UNIT}"}
