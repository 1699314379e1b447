"""The life of a period: 草稿 → 公示 (towns object) → 已发布 → reopened, back to 草稿; facts change during 公示 only
through an accepted objection or after returning to 草稿; publishing with an unanswered objection is refused."""
from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest

from queries.league import league
from queries.store import Actor, RefusedError, Store, accounts, objections, workflow
from queries.store.workflow import InReviewError
from queries.workflow import objections as objection_table, period_status
from tests.queries.helpers import SCHEME, quarter, snapshot, unit_table

TODAY = date(2024, 5, 6)
OFFICE, TOWN = Actor("office", "dashboard"), Actor("a-town", "dashboard")
IN_REVIEW = ("2022Q2 正在公示，不能{}：公示期间数据只能通过采纳异议修改；如确需修改，请先把该期间退回草稿并填写理由 "
             "(period 2022Q2 is in public review)")


@pytest.fixture
def reviewed(store, zichuan):
    """2022Q2 of three towns (A镇 100, B镇 98.5, C镇 97), in 公示 until 2024-05-12; an office and a town account."""
    store.import_observations(zichuan, quarter(), who="张三", source="a.csv")
    accounts.add(store, "管理员", "office", "office", (), "office-pass-1", must_change=False)
    accounts.add(store, "管理员", "a-town", "town", (("", "A镇"),), "town-pass-1", must_change=False)
    workflow.review(store, OFFICE, SCHEME, "2022Q2", until=date(2024, 5, 12), today=TODAY)
    return store


def test_a_period_is_a_draft_until_it_goes_to_review(store, zichuan):
    store.import_observations(zichuan, quarter(), who="张三", source="a.csv")
    assert period_status(store, SCHEME, "2022Q2") == workflow.PeriodStatus("2022Q2")
    assert period_status(store, SCHEME, "2022Q2").label(TODAY) == "草稿"
    workflow.review(store, "王主任", SCHEME, "2022Q2", until=date(2024, 5, 12), today=TODAY)
    status = period_status(store, SCHEME, "2022Q2")
    assert (status.status, status.review_until, status.mark) == ("公示", date(2024, 5, 12), "公示稿")
    assert status.label(TODAY) == "公示中（至 2024-05-12）"
    assert status.label(date(2024, 5, 13)) == "公示期已结束（2024-05-12），待发布"


def test_facts_do_not_change_during_review_but_after_returning_to_draft(reviewed, zichuan):
    before = snapshot(reviewed, skip=("audit", "audit_scope"))
    table = unit_table(reviewed)
    table.loc[table["indicator"] == "5.1", "value"] = "1"
    for word, attempt in {"导入": lambda: reviewed.import_observations(zichuan, quarter(), who="张三", source="b.csv"),
                          "修改": lambda: reviewed.edit_unit(SCHEME, "2022Q2", "A镇", table, who="张三"),
                          "撤销": lambda: reviewed.undo_last(SCHEME, "2022Q2", who="张三")}.items():
        with pytest.raises(InReviewError) as exc:
            attempt()
        assert str(exc.value) == IN_REVIEW.format(word)
    assert snapshot(reviewed, skip=("audit", "audit_scope")) == before
    with pytest.raises(RefusedError, match="退回草稿必须填写理由"):
        workflow.withdraw(reviewed, OFFICE, SCHEME, "2022Q2", why=" ")
    workflow.withdraw(reviewed, OFFICE, SCHEME, "2022Q2", why="发现录入错误")
    assert reviewed.edit_unit(SCHEME, "2022Q2", "A镇", table, who="张三") == 2
    assert period_status(reviewed, SCHEME, "2022Q2").status == "草稿"


def test_only_a_draft_goes_to_review_and_not_into_the_past(reviewed):
    with pytest.raises(RefusedError, match="只有草稿可以开始公示"):
        workflow.review(reviewed, OFFICE, SCHEME, "2022Q2", until=date(2024, 6, 1), today=TODAY)
    with pytest.raises(RefusedError, match="还没有评分结果，不能公示"):
        workflow.review(reviewed, OFFICE, SCHEME, "2023Q1", until=date(2024, 6, 1), today=TODAY)
    workflow.withdraw(reviewed, OFFICE, SCHEME, "2022Q2", why="重来")
    with pytest.raises(RefusedError, match="公示截止日期 2024-05-01 早于今天 2024-05-06"):
        workflow.review(reviewed, OFFICE, SCHEME, "2022Q2", until=date(2024, 5, 1), today=TODAY)


def test_a_town_objects_on_its_own_indicator_while_the_review_lasts(reviewed):
    number = objections.file(reviewed, TOWN, SCHEME, "2022Q2", "A镇", "5.1", "现场检查记录有误", today=TODAY)
    assert number == 1
    with pytest.raises(RefusedError, match="公示期已于 2024-05-12 结束"):
        objections.file(reviewed, TOWN, SCHEME, "2022Q2", "A镇", "5.1", "再议", today=date(2024, 5, 13))
    with pytest.raises(RefusedError, match="指标 9.9 不在评分细则中"):
        objections.file(reviewed, TOWN, SCHEME, "2022Q2", "A镇", "9.9", "再议", today=TODAY)
    with pytest.raises(RefusedError, match="镇街账户只能对本单位（A镇）提出异议"):
        objections.file(reviewed, TOWN, SCHEME, "2022Q2", "B镇", "5.1", "替别人提", today=TODAY)
    rows = objection_table(reviewed, SCHEME, "2022Q2")
    assert rows[["编号", "单位", "指标", "异议理由", "提出人", "状态"]].values.tolist() == [
        [1, "A镇", "5.1", "现场检查记录有误", "a-town", "待答复"]]


def test_publishing_with_an_unanswered_objection_is_refused_listing_them(reviewed):
    objections.file(reviewed, TOWN, SCHEME, "2022Q2", "A镇", "5.1", "现场检查记录有误", today=TODAY)
    objections.file(reviewed, TOWN, SCHEME, "2022Q2", "A镇", "6", "第2月得分漏录", today=TODAY)
    with pytest.raises(RefusedError) as exc:
        reviewed.publish(SCHEME, "2022Q2", who=OFFICE)
    assert str(exc.value) == ("2022Q2 还有 2 条异议未答复，不能发布：#1 A镇 指标 5.1：现场检查记录有误；#2 A镇 指标 6：第2月得分漏录 "
                              "(answer every objection before publishing)")
    with pytest.raises(RefusedError, match="驳回异议必须填写理由"):
        objections.answer(reviewed, OFFICE, 1, objections.REJECTED, "")
    assert objections.answer(reviewed, OFFICE, 1, objections.REJECTED, "记录无误，维持原分") is None
    with pytest.raises(RefusedError, match="异议 #1 已答复（驳回）"):
        objections.answer(reviewed, OFFICE, 1, objections.ACCEPTED, "改判")
    with pytest.raises(RefusedError, match="数据没有改动：采纳异议必须修改该单位的数据"):
        objections.answer(reviewed, OFFICE, 2, objections.ACCEPTED, "采纳", unit_table(reviewed))


def test_an_accepted_objection_changes_the_facts_through_a_linked_batch_and_rescores(reviewed):
    reviewed_before = league(reviewed, SCHEME, "2022Q2").set_index("entity")["final"].to_dict()
    objections.file(reviewed, TOWN, SCHEME, "2022Q2", "A镇", "5.1", "问题次数应为 2", today=TODAY)
    table = unit_table(reviewed)
    table.loc[table["indicator"] == "5.1", "value"] = "2"
    batch = objections.answer(reviewed, OFFICE, 1, objections.ACCEPTED, "核实后采纳", table)
    assert batch == 2
    # A镇 loses 2 points of 5.1: daily 98, final 0.7 × 98 + 0.3 × 100 = 98.6
    after = league(reviewed, SCHEME, "2022Q2").set_index("entity")["final"].to_dict()
    assert (reviewed_before["A镇"], after["A镇"]) == (100.0, 98.6)
    row = objection_table(reviewed, SCHEME, "2022Q2").iloc[0]
    assert (row["状态"], row["答复"], row["答复人"], row["数据修改批次"]) == ("采纳", "核实后采纳", "office", 2)
    with reviewed.reading() as cur:
        audit = cur.execute("SELECT who, action, why FROM audit ORDER BY audit_id DESC LIMIT 2").fetchall()
        source = cur.execute("SELECT source FROM batches WHERE batch_id = 2").fetchone()[0]
    assert audit == [("office", "answer", "核实后采纳"), ("office", "edit", "核实后采纳")]
    assert source == "A镇 2022Q2（采纳异议 #1）"
    reviewed.publish(SCHEME, "2022Q2", who=OFFICE)  # from 公示: no reason needed
    assert period_status(reviewed, SCHEME, "2022Q2").status == "已发布"
    reviewed.reopen(SCHEME, "2022Q2", who=OFFICE, why="复核")
    assert period_status(reviewed, SCHEME, "2022Q2").status == "草稿"


def test_publishing_straight_from_draft_needs_a_stated_reason(store, zichuan):
    store.import_observations(zichuan, quarter(), who="张三", source="a.csv")
    with pytest.raises(RefusedError) as exc:
        store.publish(SCHEME, "2022Q2", who="王主任")
    assert str(exc.value) == "2022Q2 未经公示直接从草稿发布必须填写理由 (a reason is required)"
    store.publish(SCHEME, "2022Q2", who="王主任", why="领导要求当日通报")
    with store.reading() as cur:
        assert cur.execute("SELECT action, why FROM audit WHERE action = 'publish'").fetchall() == [
            ("publish", "领导要求当日通报")]


def test_a_store_made_before_statuses_keeps_working(db, zichuan):
    """Published (locked) periods become 已发布, reopened and unpublished ones 草稿."""
    with Store(db) as store:
        store.import_observations(zichuan, pd.concat([quarter("2022Q2"), quarter("2022Q3"), quarter("2022Q4")]),
                                  who="张三", source="a.csv")
        store.publish(SCHEME, "2022Q2", who="王主任", why="通报")
        store.publish(SCHEME, "2022Q3", who="王主任", why="通报")
        store.reopen(SCHEME, "2022Q3", who="王主任", why="复核")
    con = duckdb.connect(db)  # as a store written before this change: no status, no accounts
    for table in ("period_status", "accounts", "account_units", "login_attempts", "objections"):
        con.execute(f"DROP TABLE {table}")
    con.execute("DROP INDEX audit_id_unique")
    con.execute("ALTER TABLE audit DROP COLUMN declared")
    con.close()
    with Store(db) as store:
        assert [period_status(store, SCHEME, p).status for p in ("2022Q2", "2022Q3", "2022Q4")] == [
            "已发布", "草稿", "草稿"]
        with store.reading() as cur:
            assert accounts.count(cur) == 0
        store.import_observations(zichuan, quarter("2022Q4", {"A镇": {("5.1", "问题次数"): "1"}}), who="张三",
                                  source="b.csv")
