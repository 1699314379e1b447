"""The one write door: every write names its actor, the permission check sees what is asked before anything is
written, a refused write leaves only its ``refused`` audit row, and nothing is committed without an audit row."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from queries.audit import audit_log
from queries.league import league
from queries.store import Actor, AuditEntry, NotPermittedError, RefusedError, Request, Store, Written, accounts
from tests.queries.helpers import SCHEME, quarter, set_fact, snapshot


def audit_rows(store: Store) -> list[tuple]:
    with store.reading() as cur:
        return cur.execute("SELECT who, via, action, period, entity, detail, why FROM audit ORDER BY audit_id").fetchall()


def test_every_write_is_audited_with_its_actor_and_where_it_came_from(store, zichuan):
    accounts.add(store, "管理员", "王主任", "office", (), "secret-pass-1")  # a dashboard actor is an account
    store.import_observations(zichuan, quarter(), who=Actor("张三", "cli"), source="a.csv")
    store.publish(SCHEME, "2022Q2", who=Actor("王主任", "dashboard"), why="通报")
    store.reopen(SCHEME, "2022Q2", who="王主任", why="复评")  # a plain name: a write from Python code
    assert [row[:5] for row in audit_rows(store)] == [
        ("管理员", "python", "account_add", "", ""),
        ("张三", "cli", "import", "2022Q2", ""), ("王主任", "dashboard", "publish", "2022Q2", ""),
        ("王主任", "python", "reopen", "2022Q2", "")]


def test_an_actor_names_a_known_source():
    with pytest.raises(ValueError, match="unknown actor source 'web'"):
        Actor("张三", "web")


def test_the_permission_check_sees_the_actor_and_the_request_before_the_command_runs(db, zichuan):
    asked = []

    def check(actor, request, cur):
        asked.append((actor, request))
        return None

    with Store(db, permission=check) as store:
        store.import_observations(zichuan, quarter(), who=Actor("张三", "dashboard"), source="a.csv")
        store.record_decision(SCHEME, "2022Q2", "", "A镇", "王主任", "办公会决定")
    assert asked == [(Actor("张三", "dashboard"), Request("import", SCHEME, ("2022Q2",))),
                     (Actor("王主任"), Request("award_decision", SCHEME, ("2022Q2",), "A镇", "办公会决定"))]


def test_a_refused_write_changes_nothing_but_its_refused_audit_row(db, zichuan):
    with Store(db) as store:
        store.import_observations(zichuan, quarter(), who="张三", source="a.csv")
    before = snapshot(db, skip=("audit", "audit_scope"))
    audited = len(snapshot(db)["audit"])

    def town_may_not_publish(actor, request, cur):
        return "乡镇账户不能发布 (a town account cannot publish)" if request.action == "publish" else None

    with Store(db, permission=town_may_not_publish) as store:
        with pytest.raises(NotPermittedError) as exc:
            store.publish(SCHEME, "2022Q2", who=Actor("洪山镇", "dashboard"))
        assert isinstance(exc.value, RefusedError)  # every refusal a page shows is one type
        assert str(exc.value) == "乡镇账户不能发布 (a town account cannot publish)"
        log = audit_log(store, SCHEME)
    assert snapshot(db, skip=("audit", "audit_scope")) == before
    assert len(snapshot(db)["audit"]) == audited + 1
    refused = log.iloc[0]
    assert (refused["who"], refused["action"], refused["label"], refused["period"], refused["summary"]) == (
        "洪山镇", "refused", "拒绝", "2022Q2", "拒绝发布：乡镇账户不能发布 (a town account cannot publish)")


def test_a_name_is_required_before_anything_else(store, zichuan):
    with pytest.raises(RefusedError, match="请先填写您的姓名"):
        store.write(Actor(" ", "dashboard"), Request("publish", SCHEME, ("2022Q2",)), lambda cur: Written())
    assert audit_rows(store) == []


def add_entity(cur, entity: str, audited: bool) -> Written:
    """A write command for the test: add one unit to the roster, with or without saying so for the audit."""
    cur.execute("INSERT INTO entities (scheme, entity, grp) VALUES (?, ?, '')", [SCHEME, entity])
    entry = AuditEntry.periods("edit", SCHEME, ["2022Q2"], {"added": entity}, entity=entity)
    return Written(entity, (entry,) if audited else ())


def test_a_command_that_writes_no_audit_row_is_rolled_back(store):
    assert store.write("张三", Request("edit", SCHEME), add_entity, "甲镇", audited=False) == "甲镇"
    assert store.write("张三", Request("edit", SCHEME), add_entity, "乙镇", audited=True) == "乙镇"
    with store.reading() as cur:
        assert cur.execute("SELECT entity FROM entities").fetchall() == [("乙镇",)]
    assert [(r[0], r[2], r[4], json.loads(r[5])) for r in audit_rows(store)] == [
        ("张三", "edit", "乙镇", {"added": "乙镇"})]


def test_a_failing_command_writes_nothing_at_all(store):
    def fails(cur) -> Written:
        add_entity(cur, "甲镇", audited=True)
        raise ValueError("坏了")

    with pytest.raises(ValueError, match="坏了"):
        store.write("张三", Request("edit", SCHEME), fails)
    with Store(":memory:") as empty:
        assert snapshot(store) == snapshot(empty)


def test_a_command_that_refuses_is_rolled_back_and_audited_as_refused(store):
    def refuses(cur) -> Written:
        add_entity(cur, "甲镇", audited=True)
        raise RefusedError("不行")

    with pytest.raises(RefusedError, match="不行"):
        store.write(Actor("张三", "cli", declared="局长"), Request("edit", SCHEME, ("2022Q2",), "甲镇", "补录"), refuses)
    with Store(":memory:") as empty:
        assert snapshot(store, skip=("audit", "audit_scope")) == snapshot(empty, skip=("audit", "audit_scope"))
    assert [(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), r[6]) for r in audit_rows(store)] == [
        ("张三", "cli", "refused", "2022Q2", "甲镇", {"action": "edit", "message": "不行"}, "补录")]
    with store.reading() as cur:
        assert cur.execute("SELECT declared FROM audit").fetchall() == [("局长",)]


def test_the_data_version_is_the_latest_audit_row(store, zichuan):
    assert store.data_version() == 0
    store.import_observations(zichuan, quarter(), who="张三", source="a.csv")
    store.import_observations(zichuan, quarter(), who="张三", source="a.csv")  # no change, still audited
    assert store.data_version() == 2
    assert pd.DataFrame(audit_rows(store))[2].tolist() == ["import", "import"]


def test_every_change_of_results_changes_the_data_version(store, zichuan):
    """A rescore that changes results is a write like any other: audited, so cached read models are read again."""
    store.import_observations(zichuan, quarter(), who="张三", source="a.csv")
    versions = [store.data_version()]
    set_fact(store, scheme=SCHEME, period="2022Q2", entity="A镇", indicator="5.1", item="问题次数", value="2")
    store.rescore(SCHEME, ["2022Q2"], who="张三")
    versions.append(store.data_version())
    store.rescore_group(SCHEME, "2022Q2", "", who="张三")
    versions.append(store.data_version())
    assert versions == [1, 2, 3]
    assert league(store, SCHEME, "2022Q2").set_index("entity").loc["A镇", "daily"] == 98.0
    assert [(r[0], r[2], json.loads(r[5])) for r in audit_rows(store)[1:]] == [
        ("张三", "rescore", {"period": "2022Q2", "units": 3}),
        ("张三", "rescore", {"period": "2022Q2", "units": 3, "group": ""})]
