"""Backup to a folder of Parquet files and restore: a table-by-table round trip, and the refusals."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from documents.backup import BackupError, backup, restore
from queries.audit import SQL as AUDIT
from queries.data_views import unit_facts
from queries.league import league
from queries.publication import publication
from queries.store import Store
from tests.conftest import frame, unit
from tests.queries.helpers import quarter, snapshot

SCHEME = "zichuan-2022"


@pytest.fixture
def full_store(tmp_path, zichuan) -> str:
    """A store with a row in every kind of table: imports, an edit, an undo, a decision, a publication."""
    db = str(tmp_path / "store.duckdb")
    with Store(db) as store:
        store.import_observations(zichuan, pd.concat([quarter("2022Q2"), frame(unit("A镇", period="2022Q3") +
                                                                           unit("B镇", period="2022Q3"))]),
                                  who="张三", source="a.csv")
        table = unit_facts(store, SCHEME, "2022Q2", "B镇")
        table.loc[table["indicator"] == "5.1", "value"] = "2"
        store.edit_unit(SCHEME, "2022Q2", "B镇", table, who="李四", why="复核")
        store.import_observations(zichuan, quarter("2022Q4"), who="张三", source="q4.csv")
        store.undo_last(SCHEME, "2022Q4", who="张三")
        store.record_decision(SCHEME, "2022Q3", "", "A镇", "王主任", "办公会决定")
        store.publish(SCHEME, "2022Q2", who="王主任", why="第二季度通报")
    return db


def test_backup_then_restore_gives_every_table_back_equal(full_store, tmp_path, zichuan):
    with Store(full_store) as store:
        manifest = backup(store, tmp_path / "bk")
    assert sorted(p.name for p in (tmp_path / "bk").iterdir()) == sorted(
        [f"{t}.parquet" for t in manifest["tables"]] + ["manifest.json"])
    restored = str(tmp_path / "restored.duckdb")
    assert restore(tmp_path / "bk", restored, who="张三")["kept"] is None
    original, copy = snapshot(full_store), snapshot(restored)
    assert list(copy) == list(original)
    for table in original:
        assert (table, copy[table]) == (table, original[table])
    views = {"results_indicator"}  # derived from the tables, made by the schema when a store opens: never backed up
    assert {t: len(rows) for t, rows in original.items() if rows and t not in views} == {
        t: info["rows"] for t, info in manifest["tables"].items() if info["rows"]}
    with Store(restored) as store:  # the copy works: still locked, still undoable
        assert publication(store, SCHEME, "2022Q2")["locked"] is True
        assert store.undo_last(SCHEME, "2022Q3", who="张三")["batch_id"] == 1
        # the id sequences go on after the restored ids (batches 1-3; audit rows 1-6, then the undo above)
        assert store.import_observations(zichuan, quarter("2023Q1"), who="张三", source="later.csv") == 4
        assert store.read(AUDIT.audit_rows, scheme=SCHEME, period="", entity="", limit=1)["audit_id"].tolist() == [8]


def test_restoring_over_a_store_keeps_the_old_file(full_store, tmp_path, zichuan):
    with Store(full_store) as store:
        backup(store, tmp_path / "bk")
        store.import_observations(zichuan, quarter("2023Q1"), who="张三", source="later.csv")
    later = snapshot(full_store)
    result = restore(tmp_path / "bk", full_store, who="张三")
    assert Path(result["kept"]).name.startswith("store.duckdb.before-restore-")
    assert snapshot(result["kept"]) == later
    with Store(full_store) as store:
        assert league(store, SCHEME, "2023Q1").empty


def test_backup_refuses_a_folder_that_is_not_empty(full_store, tmp_path):
    (tmp_path / "bk").mkdir()
    (tmp_path / "bk" / "x.txt").write_text("x")
    with Store(full_store) as store, pytest.raises(BackupError, match="已存在且不为空"):
        backup(store, tmp_path / "bk")


def test_restore_refuses_a_folder_that_is_not_a_complete_backup(full_store, tmp_path):
    with pytest.raises(BackupError, match="不是 flagboard 备份目录"):
        restore(tmp_path, tmp_path / "new.duckdb", who="张三")
    with Store(full_store) as store:
        backup(store, tmp_path / "bk")
    (tmp_path / "bk" / "audit.parquet").unlink()
    with pytest.raises(BackupError, match="缺少表 audit"):
        restore(tmp_path / "bk", tmp_path / "new.duckdb", who="张三")
    assert not (tmp_path / "new.duckdb").exists()


def test_a_tampered_backup_is_refused_and_the_target_is_untouched(full_store, tmp_path):
    with Store(full_store) as store:
        backup(store, tmp_path / "bk")
    manifest = json.loads((tmp_path / "bk" / "manifest.json").read_text(encoding="utf-8"))
    manifest["tables"]["observations"]["rows"] += 1
    (tmp_path / "bk" / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    before = snapshot(full_store)
    with pytest.raises(BackupError, match="表 observations 恢复了 .* 行，备份中应为 .* 行"):
        restore(tmp_path / "bk", full_store, who="张三")
    assert snapshot(full_store) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".restore")) == []
