"""The store's connection and write door: a store made before today's schema is migrated, ids come from
sequences, two sessions of one process write one at a time (the door's lock) and a transaction conflict says
to retry."""
from __future__ import annotations

import threading
from contextlib import contextmanager

import duckdb
import pytest

from queries.league import league
from queries.store import RefusedError, Store, WriteConflictError, batches, door, publishing
from tests.conftest import frame, unit
from tests.queries.helpers import SCHEME, facts, quarter, unit_table

# --- migration ----------------------------------------------------------------------------------------------------


def test_a_store_made_before_the_data_tables_is_migrated(db):
    con = duckdb.connect(db)
    con.execute("CREATE TABLE batches (batch_id BIGINT PRIMARY KEY, scheme VARCHAR NOT NULL, source VARCHAR, "
                "who VARCHAR, ts TIMESTAMP, n_rows BIGINT, is_demo BOOLEAN NOT NULL DEFAULT FALSE, "
                "undone BOOLEAN NOT NULL DEFAULT FALSE)")
    con.execute("INSERT INTO batches VALUES (1, 'zichuan-2022', 'old.csv', '张三', NULL, 10, FALSE, FALSE)")
    con.close()
    with Store(db) as store:
        got = store.con.execute("SELECT batch_id, source, kind, why FROM batches").fetchall()
        tables = {r[0] for r in store.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert got == [(1, "old.csv", "import", "")]
    assert {"batch_units", "replaced_observations", "audit_scope"} <= tables


# --- concurrent writers (two dashboard sessions share one connection, a cursor each) -------------------------------


def test_two_sessions_importing_at_once_both_succeed_with_their_own_batch(store, zichuan):
    start = threading.Barrier(2)
    batches, failures = {}, []

    def session(entity: str) -> None:
        start.wait()
        try:
            batches[entity] = store.import_observations(zichuan, quarter("2022Q2", entities=(entity,)), who=entity,
                                                        source=f"{entity}.csv")
        except Exception as exc:  # reported below with the batch ids
            failures.append(repr(exc))

    threads = [threading.Thread(target=session, args=(e,)) for e in ("A镇", "B镇")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert (failures, sorted(batches.values())) == ([], [1, 2])
    audit = store.con.cursor().execute("SELECT audit_id, who, action FROM audit ORDER BY audit_id").fetchall()
    assert sorted((who, action) for _, who, action in audit) == [("A镇", "import"), ("B镇", "import")]
    assert len({audit_id for audit_id, _, _ in audit}) == 2
    assert {e: facts(store, "2022Q2", e) != [] for e in ("A镇", "B镇")} == {"A镇": True, "B镇": True}
    assert sorted(league(store, SCHEME, "2022Q2")["entity"]) == ["A镇", "B镇"]


def test_two_open_transactions_never_get_the_same_batch_or_audit_id(store):
    with store.transaction() as first, store.transaction() as second:
        ids = [int(statement(cur)) for statement in (batches.SQL.next_batch_id, door.SQL.next_audit_id)
               for cur in (first, second)]
    assert ids == [1, 2, 1, 2]


def test_a_transaction_conflict_says_to_retry_and_writes_nothing(store, zichuan):
    store.import_observations(zichuan, quarter(), who="张三", source="a.csv")
    update = "UPDATE batches SET why = ? WHERE batch_id = 1"
    with store.transaction() as first:
        first.execute(update, ["first"])
        with pytest.raises(WriteConflictError) as exc:
            with store.transaction() as second:
                second.execute(update, ["second"])
    assert isinstance(exc.value, RefusedError)
    assert str(exc.value) == "另一位用户正在写入，请稍后重试 (another write is in progress; retry)"
    assert store.con.cursor().execute("SELECT why FROM batches").fetchall() == [("first",)]


def test_a_write_waits_for_the_write_lock_and_then_sees_the_publish_made_meanwhile(store, zichuan):
    store.import_observations(zichuan, quarter(), who="张三", source="a.csv")
    table = unit_table(store)
    table.loc[table["indicator"] == "5.1", "value"] = "1"
    outcome = []

    def edit() -> None:
        try:
            outcome.append(store.edit_unit(SCHEME, "2022Q2", "A镇", table, who="王五"))
        except RefusedError as exc:
            outcome.append(str(exc))

    with store.writing():  # another session is writing: the edit waits for it
        editor = threading.Thread(target=edit)
        editor.start()
        editor.join(timeout=0.2)
        assert (editor.is_alive(), outcome) == (True, [])
        store.publish(SCHEME, "2022Q2", who="王主任", why="通报")
    editor.join()
    assert outcome == ["2022Q2 的结果已发布并锁定，不能修改；如确需更改，请先“重新打开”该期间并填写理由 "
                       "(period 2022Q2 is published and locked; reopen it with a reason first)"]


def test_every_publish_lock_check_reads_inside_the_writing_transaction(store, zichuan, monkeypatch):
    store.import_observations(zichuan, frame(unit("A镇") + unit("B镇")), who="张三", source="a.csv")
    seen, opened = [], []
    real, real_transaction = publishing.period_states, Store.transaction

    def spy(cur, scheme, periods):
        seen.append(any(cur is mine for mine in opened))  # a cursor of the writing transaction
        return real(cur, scheme, periods)

    def transaction(self):
        with real_transaction(self) as cur:
            opened.append(cur)
            yield cur

    monkeypatch.setattr(publishing, "period_states", spy)
    monkeypatch.setattr(Store, "transaction", contextmanager(transaction))
    table = unit_table(store)
    table.loc[table["indicator"] == "5.1", "value"] = "1"
    store.import_observations(zichuan, quarter("2022Q3"), who="张三", source="b.csv")
    store.edit_unit(SCHEME, "2022Q2", "A镇", table, who="王五")
    store.undo_last(SCHEME, "2022Q2", who="王五")
    store.record_decision(SCHEME, "2022Q2", "", "B镇", "王主任", "办公会决定")
    store.publish(SCHEME, "2022Q2", who="王主任", why="通报")
    store.reopen(SCHEME, "2022Q2", who="王主任", why="复评")
    assert seen == [True] * 7  # import, edit (its check and its plan), undo, decision, publish, reopen


def test_ids_continue_after_the_highest_stored_id_and_duplicate_audit_ids_are_renumbered(db):
    con = duckdb.connect(db)  # a store written before ids came from sequences
    con.execute("CREATE TABLE batches (batch_id BIGINT PRIMARY KEY, scheme VARCHAR NOT NULL, source VARCHAR, "
                "who VARCHAR, ts TIMESTAMP, n_rows BIGINT, is_demo BOOLEAN NOT NULL DEFAULT FALSE, "
                "undone BOOLEAN NOT NULL DEFAULT FALSE)")
    con.execute("INSERT INTO batches VALUES (7, 'zichuan-2022', 'old.csv', '张三', NULL, 10, FALSE, FALSE)")
    con.execute("CREATE TABLE audit (audit_id BIGINT, ts TIMESTAMP, who VARCHAR, action VARCHAR, scheme VARCHAR, "
                "period VARCHAR, entity VARCHAR, detail VARCHAR, why VARCHAR)")
    con.execute("INSERT INTO audit VALUES (1, '2024-01-01', 'a', 'import', 's', 'p', '', '{}', ''), "
                "(2, '2024-01-02', 'b', 'import', 's', 'p', '', '{}', ''), "
                "(2, '2024-01-03', 'c', 'import', 's', 'p', '', '{}', '')")
    con.execute("CREATE TABLE audit_scope (audit_id BIGINT NOT NULL, period VARCHAR NOT NULL, entity VARCHAR NOT NULL)")
    con.execute("INSERT INTO audit_scope VALUES (2, '2022Q2', 'A镇')")
    con.close()
    with Store(db) as store:
        cur = store.con.cursor()
        assert cur.execute("SELECT audit_id, who FROM audit ORDER BY audit_id").fetchall() == [
            (1, "a"), (2, "b"), (3, "c")]
        assert cur.execute("SELECT * FROM audit_scope ORDER BY audit_id").fetchall() == [
            (2, "2022Q2", "A镇"), (3, "2022Q2", "A镇")]
        assert [statement(cur) for statement in (batches.SQL.next_batch_id, door.SQL.next_audit_id)] == [8, 4]
        with pytest.raises(duckdb.ConstraintException):
            cur.execute("INSERT INTO audit (audit_id) VALUES (1)")
        cur.execute("INSERT INTO batches (batch_id, scheme) VALUES (50, 'zichuan-2022')")  # e.g. a restored copy
    with Store(db) as store:
        assert [statement(store.con) for statement in (batches.SQL.next_batch_id, door.SQL.next_audit_id)] == [51, 5]
