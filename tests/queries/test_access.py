"""What each account may read, enforced in the read models (queries.access.scoped): towns and analysts see periods in
公示 or 已发布 only; a town sees its own unit's facts, reasons and objections and the other units' per-indicator points
without reasons; neither reads the audit trail, change batches or accounts."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from queries.access import ScopedStore, scoped, unit_choices
from queries.audit import audit_log
from queries.data_views import unit_facts
from queries.league import periods, reading_warnings, schemes
from queries.store import Actor, accounts, objections, workflow
from queries.trends import metric_long
from queries.unit import indicator_detail, unit_view
from queries.workflow import objections as objection_table
from tests.queries.helpers import SCHEME, quarter

TODAY = date(2024, 5, 6)


@pytest.fixture
def shared(store, zichuan):
    """2022Q2 in 公示 (A镇 lost 2 points of 5.1 with a note), 2022Q3 a draft; a town (A镇) and an analyst."""
    q2 = quarter("2022Q2", {"A镇": {("5.1", "问题次数"): "2"}, "B镇": {("4.1", "设备故障次数"): "1"}})
    q2.loc[(q2["entity"] == "B镇") & (q2["indicator"] == "4.1") & (q2["item"] == "设备故障次数"), "note"] = "B镇的备注"
    store.import_observations(zichuan, pd.concat([q2, quarter("2022Q3")]), who="张三", source="a.csv")
    accounts.add(store, "管理员", "a-town", "town", ((SCHEME, "A镇"),), "town-pass-1", must_change=False)
    accounts.add(store, "管理员", "analyst", "analyst", (), "analyst-pass-1", must_change=False)
    workflow.review(store, "王主任", SCHEME, "2022Q2", until=date(2024, 5, 12), today=TODAY)
    objections.file(store, Actor("a-town", "dashboard"), SCHEME, "2022Q2", "A镇", "5.1", "有误", today=TODAY)
    return store


def as_account(store, name):
    return scoped(store, accounts.account(store, name))


def test_the_office_reads_the_store_itself(shared):
    office = accounts.Account("office", "office")
    assert scoped(shared, office) is shared
    assert periods(shared, SCHEME) == ["2022Q2", "2022Q3"]


@pytest.mark.parametrize("name", ["a-town", "analyst"])
def test_drafts_are_not_read_by_towns_or_analysts(shared, name):
    reader = as_account(shared, name)
    assert isinstance(reader, ScopedStore)
    assert periods(reader, SCHEME) == ["2022Q2"]
    assert schemes(reader)[["scheme", "n_periods"]].values.tolist() == [[SCHEME, 1]]
    assert sorted(metric_long(reader, SCHEME, "final", "")["期间"].unique()) == ["2022Q2"]
    assert unit_facts(reader, SCHEME, "2022Q3", "A镇").empty
    assert audit_log(reader, SCHEME).empty
    with reader.reading() as cur:
        assert cur.execute("SELECT count(*) FROM accounts").fetchone() == (0,)
        assert cur.execute("SELECT count(*) FROM batches").fetchone() == (0,)
    workflow.withdraw(shared, "王主任", SCHEME, "2022Q2", why="重算")
    assert periods(reader, SCHEME) == []


def test_a_town_reads_its_own_facts_and_reasons_and_only_the_points_of_others(shared):
    town = as_account(shared, "a-town")
    assert unit_choices(town, SCHEME, "2022Q2", "") == ["A镇"]
    assert unit_choices(as_account(shared, "analyst"), SCHEME, "2022Q2", "") == ["A镇", "B镇", "C镇"]
    own = indicator_detail(town, SCHEME, "2022Q2", "A镇").set_index("indicator")
    other = indicator_detail(town, SCHEME, "2022Q2", "B镇").set_index("indicator")
    assert (own.at["5.1", "points"], own.at["5.1", "reason"]) == (3.0, "现场管理问题 2 次 −2")
    assert (other.at["4.1", "points"], other.at["4.1", "reason"]) == (4.0, "")  # the points, never the reason
    assert set(other["reason"]) == {""}
    assert len(unit_facts(town, SCHEME, "2022Q2", "A镇")) == 23
    assert unit_facts(town, SCHEME, "2022Q2", "B镇").empty  # no facts, no notes of another unit
    assert unit_view(town, SCHEME, "2022Q2", "B镇").event_rows.empty
    assert objection_table(town, SCHEME, "2022Q2")["单位"].tolist() == ["A镇"]


def test_an_analyst_reads_every_unit_of_a_period_in_review(shared):
    analyst = as_account(shared, "analyst")
    detail = indicator_detail(analyst, SCHEME, "2022Q2", "B镇").set_index("indicator")
    assert detail.at["4.1", "reason"] == "设备故障 1 次 −1"
    facts = unit_facts(analyst, SCHEME, "2022Q2", "B镇")
    assert facts.loc[facts["indicator"] == "4.1", "note"].tolist() == ["", "B镇的备注"]


def test_reading_warnings_and_stored_problems_follow_the_scope(shared):
    """A reading warning names its unit (period, entity, indicator): a town reads its own unit's only, the analyst
    every unit's in periods it may see; values the engine refuses (stored problems) are for the office's data page
    only."""
    shared.con.execute("""INSERT INTO result_warnings VALUES
        ('zichuan-2022', '2022Q2', '2022Q2 A镇 指标 8.4', '读法甲'), ('zichuan-2022', '2022Q2', '2022Q2 B镇 指标 8.4', '读法乙'),
        ('zichuan-2022', '2022Q3', '2022Q3 A镇 指标 8.4', '草稿期')""")
    shared.con.execute("INSERT INTO stored_problems VALUES ('zichuan-2022', '2022Q2', 'A镇', '4.1', '未设', '有', '请填写1或0')")
    assert reading_warnings(shared, SCHEME, "2022Q2") == ["2022Q2 A镇 指标 8.4：读法甲", "2022Q2 B镇 指标 8.4：读法乙"]
    assert reading_warnings(as_account(shared, "analyst"), SCHEME, "2022Q2") == [
        "2022Q2 A镇 指标 8.4：读法甲", "2022Q2 B镇 指标 8.4：读法乙"]
    assert reading_warnings(as_account(shared, "a-town"), SCHEME, "2022Q2") == ["2022Q2 A镇 指标 8.4：读法甲"]
    for name in ("a-town", "analyst"):
        assert reading_warnings(as_account(shared, name), SCHEME, "2022Q3") == []
        with as_account(shared, name).reading() as cur:
            assert cur.execute("SELECT count(*) FROM stored_problems").fetchone() == (0,)
