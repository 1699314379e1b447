"""The what-if read models (queries/whatif_view.py, queries/robustness.unit_scratch) per account: a town tries only
its own unit, in a period it may see, yet is ranked against every unit exactly; nothing is ever written."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from queries.access import scoped
from queries.robustness import unit_scratch
from queries.store import RefusedError, accounts, workflow
from queries.whatif_view import as_facts, changes_by_indicator, scratch_facts, what_if_view
from scoring.engine import score
from tests.conftest import SEED_002, frame, quotes_not_in_seed, unit, unquoted_tests
from tests.queries.helpers import SCHEME, snapshot

ROWS = (unit("A镇", {("2.2", "酌情扣分"): "2", ("showcase", ""): "90"})
        + unit("B镇", {("5.1", "问题次数"): "3", ("showcase", ""): "96"})
        + unit("C镇", {("1.1", ""): "标准型", ("showcase", ""): "80"})
        + unit("D镇", {("1.1", ""): "基础型", ("showcase", ""): "80"}))


@pytest.fixture
def shared(store, zichuan):
    """2022Q2 (ROWS) in 公示, 2022Q3 (the same facts) a draft; a town bound to A镇 and an analyst."""
    q3 = frame(ROWS).assign(period="2022Q3")
    store.import_observations(zichuan, pd.concat([frame(ROWS), q3]), who="张三", source="q.csv")
    accounts.add(store, "管理员", "a-town", "town", ((SCHEME, "A镇"),), "town-pass-1", must_change=False)
    accounts.add(store, "管理员", "analyst", "analyst", (), "analyst-pass-1", must_change=False)
    workflow.review(store, "王主任", SCHEME, "2022Q2", until=date(2024, 5, 12), today=date(2024, 5, 6))
    return store


def as_account(store, name):
    return scoped(store, accounts.account(store, name))


def no_2_2(table: pd.DataFrame) -> pd.DataFrame:
    """The scratch table with nothing deducted on 2.2 (0 instead of 2)."""
    out = table.copy()
    out.loc[out["编号"] == "2.2", "数值"] = "0"
    return out


def test_a_town_tries_its_own_unit_and_gets_exactly_the_engine_result(shared):
    """Seed 002 (2.2): "人员培训、工作制度落实不到位的，视情扣2-4分。" — A镇's town account sees only its own facts, yet its
    what-if is ranked against every unit: without its 2.2 deduction of 2 it would score 97.0 and pass B镇 (96.7) —
    exactly what scoring the edited file gives."""
    town = as_account(shared, "a-town")
    table = scratch_facts(town, SCHEME, "2022Q2", "A镇")
    assert table.columns.tolist() == ["编号", "指标", "项目", "数值", "关联 ref", "备注"]
    assert as_facts(table).to_dict("records") == frame(ROWS).query("entity == 'A镇'")[
        ["indicator", "item", "value", "ref", "note"]].sort_values(["indicator", "item"]).to_dict("records")
    result = unit_scratch(town, SCHEME, "2022Q2", "A镇", as_facts(no_2_2(table)))
    edited = [dict(r, value="0") if (r["entity"], r["indicator"]) == ("A镇", "2.2") else r for r in ROWS]
    real = score(frame(edited), shared.rubric(SCHEME)).league.set_index("entity")
    cols = ["daily", "showcase", "final", "rank", "grade", "flag"]
    assert result.after[cols].tolist() == real.loc["A镇", cols].tolist() == [100.0, 90.0, 97.0, 1, "好", "红旗"]
    view = what_if_view(town, SCHEME, "2022Q2", "A镇", no_2_2(table))
    assert view.headline == "试算结果：总分 95.60 → 97.00（+1.40），名次 第 2 名 → 第 1 名，仍为“好”，获得红旗。"
    assert [(c.label, c.after, c.delta, c.before) for c in view.cards] == [
        ("日常评估", "100.00", "+2.00", "98.00"), ("风采展示", "90.00", None, "90.00"), ("总分", "97.00", "+1.40", "95.60"),
        ("名次", "1 / 4", "+1 位", "2 / 4"), ("“好”等次", "好", None, "好"), ("红旗", "红旗", "获得", "—")]
    assert view.gains.values.tolist() == [["2.2", "加强人员队伍建设", "酌情扣分 2→0", 4.0, 6.0, 2.0]]
    assert view.league.values.tolist() == [["A镇", 97.0, 1, 2, "好", "红旗"], ["B镇", 96.7, 2, 1, "好", ""],
                                           ["C镇", 91.2, 3, 3, "好", ""], ["D镇", 87.0, 4, 4, "好", ""]]


def test_a_town_cannot_reach_another_units_what_if(shared):
    """Seed 002 (2.2): "人员培训、工作制度落实不到位的，视情扣2-4分。" — A镇's account asking for B镇's what-if gets B镇's
    facts as nothing, and its re-score is refused, whatever scratch table it sends; so is its own unit in a draft."""
    town = as_account(shared, "a-town")
    assert scratch_facts(town, SCHEME, "2022Q2", "B镇").empty
    own = scratch_facts(town, SCHEME, "2022Q2", "A镇")
    with pytest.raises(RefusedError, match="只能试算本账户可查看的单位：B镇 在 2022Q2 不可试算"):
        what_if_view(town, SCHEME, "2022Q2", "B镇", no_2_2(own))
    with pytest.raises(RefusedError, match="只能试算本账户可查看的单位"):
        unit_scratch(town, SCHEME, "2022Q2", "B镇", as_facts(own))
    with pytest.raises(RefusedError, match="A镇 在 2022Q3 不可试算"):
        unit_scratch(town, SCHEME, "2022Q3", "A镇", as_facts(own))
    analyst = as_account(shared, "analyst")  # reads every unit in 公示, no draft
    theirs = scratch_facts(analyst, SCHEME, "2022Q2", "B镇")
    assert unit_scratch(analyst, SCHEME, "2022Q2", "B镇", as_facts(theirs)).after["final"] == 96.7
    with pytest.raises(RefusedError):
        unit_scratch(analyst, SCHEME, "2022Q3", "B镇", as_facts(theirs))


def test_nothing_is_written(shared):
    """Seed 002 (2.2): "人员培训、工作制度落实不到位的，视情扣2-4分。" — trying what-ifs, valid or not (a 5 is outside 0
    or 2–4), leaves every table of the store as it was (facts, results, audit trail, data version)."""
    before, version = snapshot(shared), shared.data_version()
    town = as_account(shared, "a-town")
    table = scratch_facts(town, SCHEME, "2022Q2", "A镇")
    assert what_if_view(town, SCHEME, "2022Q2", "A镇", no_2_2(table)).changed
    bad = table.copy()
    bad.loc[bad["编号"] == "2.2", "数值"] = "5"
    assert what_if_view(shared, SCHEME, "2022Q3", "A镇", bad).problems == (
        "[错误 error] 修改表第6行: 指标 2.2 的 酌情扣分 应在 0 或 2–4 之间，实际为 “5” (out of range 0 或 2–4)",)
    assert (snapshot(shared), shared.data_version()) == (before, version)


def test_changes_are_worded_per_indicator():
    """Seed 002 (8.2): "政务服务工作获得市级以上表彰，国家级每次加3分" — a changed count, an added event and a removed one, in words."""
    before = pd.DataFrame([["5.1", "问题次数", "3", ""], ["8.2", "市级", "1", ""]],
                          columns=["indicator", "item", "value", "ref"])
    after = pd.DataFrame([["5.1", "问题次数", "0", ""], ["8.2", "国家级", "1", ""]],
                         columns=["indicator", "item", "value", "ref"])
    assert changes_by_indicator(before, after) == {"5.1": "问题次数 3→0", "8.2": "删除 市级 1；新增 国家级 1"}


def test_every_what_if_view_test_quotes_the_seed():
    assert unquoted_tests(globals()) == []


def test_what_if_view_quotes_are_verbatim_from_the_seed():
    assert SEED_002.exists() and quotes_not_in_seed(globals()) == []
