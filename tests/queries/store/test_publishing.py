"""The publish lock: a published period refuses imports, edits, undo and award decisions until reopened with a
reason; the published table is kept as published and later changes show as differences."""
from __future__ import annotations

import copy
import json

import pandas as pd
import pytest

from queries.data_views import unit_facts
from queries.league import league
from queries.publication import publication, publication_diff, published_league
from queries.store import RefusedError
from scoring.rubric import parse_rubric
from tests.conftest import frame, unit, zichuan_data
from tests.queries.helpers import quarter, snapshot

SCHEME = "zichuan-2022"
LOCKED = ("2022Q2 的结果已发布并锁定，不能{}；如确需更改，请先“重新打开”该期间并填写理由 "
          "(period 2022Q2 is published and locked; reopen it with a reason first)")


@pytest.fixture
def published(store, zichuan):
    store.import_observations(zichuan, pd.concat([quarter("2022Q2"), quarter("2022Q3")]), who="张三", source="a.csv")
    store.publish(SCHEME, "2022Q2", who="王主任", why="第二季度通报")
    return store


def test_publish_keeps_the_league_as_published(published):
    table = published_league(published, SCHEME, "2022Q2")
    assert table[["entity", "daily", "showcase", "final", "rank", "grade", "flag"]].values.tolist() == [
        ["A镇", 100.0, 100.0, 100.0, 1, "好", "红旗"],
        ["B镇", 100.0, 95.0, 98.5, 2, "好", ""],
        ["C镇", 100.0, 90.0, 97.0, 3, "好", ""],
    ]
    pub = publication(published, SCHEME, "2022Q2")
    assert (pub["who"], pub["why"], pub["locked"], pub["rubric_version"]) == ("王主任", "第二季度通报", True, 1)
    assert publication(published, SCHEME, "2022Q3") is None


def test_a_locked_period_refuses_every_change_and_writes_nothing(published, zichuan):
    before = snapshot(published)
    table = unit_facts(published, SCHEME, "2022Q2", "A镇")
    attempts = {
        "导入": lambda: published.import_observations(zichuan, quarter("2022Q2"), who="张三", source="b.csv"),
        "修改": lambda: published.edit_unit(SCHEME, "2022Q2", "A镇", table, who="张三", why="x"),
        "撤销": lambda: published.undo_last(SCHEME, "2022Q2", who="张三", why="x"),
        "更改红旗决定": lambda: published.record_decision(SCHEME, "2022Q2", "", "B镇", "张三", "x"),
    }
    for action, attempt in attempts.items():
        with pytest.raises(RefusedError) as exc:
            attempt()
        assert str(exc.value) == LOCKED.format(action)
    after = snapshot(published)  # nothing changed but the refused rows of the audit trail
    assert {t: rows for t, rows in after.items() if t not in ("audit", "audit_scope")} == {
        t: rows for t, rows in before.items() if t not in ("audit", "audit_scope")}
    refused = [r for r in after["audit"] if r not in before["audit"]]
    assert sorted((r[2], r[3], json.loads(r[7])["action"], json.loads(r[7])["message"]) for r in refused) == sorted(
        ("张三", "refused", action, LOCKED.format(word)) for action, word in
        (("import", "导入"), ("edit", "修改"), ("undo", "撤销"), ("award_decision", "更改红旗决定")))


def test_an_import_touching_a_locked_period_is_refused_whole(published, zichuan):
    with pytest.raises(RefusedError):
        published.import_observations(zichuan, pd.concat([quarter("2022Q2"), quarter("2022Q4")]), who="张三",
                                      source="b.csv")
    assert league(published, SCHEME, "2022Q4").empty


def test_reopen_needs_a_reason_and_then_changes_need_one_too(published, zichuan):
    with pytest.raises(RefusedError, match="必须填写理由"):
        published.reopen(SCHEME, "2022Q2", who="王主任", why=" ")
    published.reopen(SCHEME, "2022Q2", who="王主任", why="B镇 材料补交")
    change = quarter("2022Q2", {"A镇": {("showcase", ""): "80"}}, entities=("A镇",))
    with pytest.raises(RefusedError, match="导入已发布后重新打开的期间（2022Q2）必须填写理由"):
        published.import_observations(zichuan, change, who="张三", source="b.csv")
    assert published.import_observations(zichuan, change, who="张三", source="b.csv", why="风采展示复评") == 2
    with pytest.raises(RefusedError, match="2022Q2 没有处于已发布锁定状态"):
        published.reopen(SCHEME, "2022Q2", who="王主任", why="again")


def test_a_change_after_reopening_shows_as_a_difference_never_a_rewrite(published, zichuan):
    published.reopen(SCHEME, "2022Q2", who="王主任", why="复评")
    change = quarter("2022Q2", {"A镇": {("showcase", ""): "80"}}, entities=("A镇",))
    published.import_observations(zichuan, change, who="张三", source="b.csv", why="风采展示复评")
    assert published_league(published, SCHEME, "2022Q2")["final"].tolist() == [100.0, 98.5, 97.0]
    assert publication_diff(published, SCHEME, "2022Q2").values.tolist() == [
        ["A镇", "showcase", 100.0, 80.0], ["A镇", "final", 100.0, 94.0], ["A镇", "rank", 1, 3],
        ["A镇", "flag", "红旗", ""],
        ["B镇", "rank", 2, 1], ["B镇", "flag", "", "红旗"],
        ["C镇", "rank", 3, 2],
    ]
    published.publish(SCHEME, "2022Q2", who="王主任", why="更正后重新发布")
    assert publication_diff(published, SCHEME, "2022Q2").empty


def test_a_rubric_change_shows_as_a_difference(published):
    data = copy.deepcopy(zichuan_data())
    data["final"] = {"daily": 0.5, "showcase": 0.5}
    changed = parse_rubric(data, "weights-50-50")
    assert publication_diff(published, SCHEME, "2022Q2", changed).values.tolist() == [
        ["B镇", "final", 98.5, 97.5], ["C镇", "final", 97.0, 95.0]]
    assert publication_diff(published, SCHEME, "2022Q2").empty  # the stored rubric still gives the published table


def test_a_pending_award_must_be_decided_before_publishing(store, zichuan):
    store.import_observations(zichuan, frame(unit("A镇") + unit("B镇")), who="张三", source="tie.csv")
    with pytest.raises(RefusedError) as exc:
        store.publish(SCHEME, "2022Q2", who="王主任", why="通报")
    assert str(exc.value) == ("2022Q2 的红旗还是“待定”（A镇、B镇），请先在红旗评选页作出决定再发布 "
                              "(a pending award must be decided before publishing)")
    store.record_decision(SCHEME, "2022Q2", "", "B镇", "王主任", "主任办公会决定")
    assert store.publish(SCHEME, "2022Q2", who="王主任", why="通报")[["entity", "rank", "flag"]].values.tolist() == [
        ["A镇", 1, ""], ["B镇", 1, "红旗"]]


def test_publishing_twice_or_an_empty_period_is_refused(published):
    with pytest.raises(RefusedError, match="2022Q2 已经发布并锁定"):
        published.publish(SCHEME, "2022Q2", who="王主任", why="通报")
    with pytest.raises(RefusedError, match="2023Q1 还没有评分结果"):
        published.publish(SCHEME, "2023Q1", who="王主任", why="通报")
