"""Restore: a verified backup replaces the store, table by table; the replaced store is kept aside (moved aside
unread when it does not open); its audit rows written after the backup are carried over under fresh ids; the
restore writes its own audit row; anything refused or failed leaves the store as it was."""
from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import duckdb
import pytest

from documents.backup import BackupError, backup, sha256_of, zip_backup
from documents.restore import restore
from queries.audit import audit_log
from queries.league import league
from queries.publication import publication
from queries.store import Store, StoreBusyError
from tests.queries.helpers import quarter, snapshot

SCHEME = "zichuan-2022"
AUDIT = ("audit_id", "ts", "who", "action", "scheme", "period", "entity", "detail", "why", "via")


def audit_rows(db: str) -> list[dict]:
    with duckdb.connect(db, read_only=True) as con:
        rows = con.execute(f"SELECT {', '.join(AUDIT)} FROM audit ORDER BY audit_id").fetchall()
    return [dict(zip(AUDIT, r)) for r in rows]


def scope_rows(db: str) -> list[tuple]:
    with duckdb.connect(db, read_only=True) as con:
        return con.execute("SELECT * FROM audit_scope ORDER BY ALL").fetchall()


def take_backup(db: str, folder: Path) -> dict:
    with Store(db, read_only=True) as store:
        return backup(store, folder)


def restore_detail(src: Path, manifest: dict, replaced: dict, carried: list[int] = (), **extra) -> dict:
    """The detail of a restore's own audit row, as the restore must write it."""
    return {"backup": str(src), "manifest_sha256": sha256_of(src / "manifest.json"), "verified": True,
            "backup_created": manifest["created"], "backup_source": manifest["source"],
            "tables": {t: i["rows"] for t, i in manifest["tables"].items()}, "replaced": replaced,
            "carried_audit_rows": len(carried), "carried_audit_ids": [carried[0], carried[-1]] if carried else [],
            "skipped_views": [], "upgraded_tables": [], "dropped_columns": {}, **extra}


def test_restore_gives_every_table_back_and_adds_its_own_audit_row(full_store, tmp_path, zichuan):
    manifest = take_backup(full_store, tmp_path / "bk")
    restored = str(tmp_path / "restored.duckdb")
    result = restore(tmp_path / "bk", restored, who="张三")
    assert (result.kept, result.unopenable, result.carried, result.skipped, result.audit_id) == (None, False, 0, (), 7)
    original, copy = snapshot(full_store), snapshot(restored)
    assert list(copy) == list(original)
    for table in original:
        if table not in ("audit",):
            assert (table, copy[table]) == (table, original[table])
    rows = audit_rows(restored)
    assert rows[:6] == audit_rows(full_store)
    own = rows[6]
    assert {k: v for k, v in own.items() if k not in ("ts", "detail")} == {
        "audit_id": 7, "who": "张三", "action": "restore", "scheme": "", "period": "", "entity": "", "why": "",
        "via": "python"}
    assert json.loads(own["detail"]) == restore_detail(tmp_path / "bk", manifest,
                                                       {"path": restored, "kept": None, "state": "none", "error": ""})
    with Store(restored) as store:  # the copy works: still locked, still undoable, ids go on after the restored ones
        assert publication(store, SCHEME, "2022Q2")["locked"] is True
        assert store.undo_last(SCHEME, "2022Q3", who="张三")["batch_id"] == 1
        assert store.import_observations(zichuan, quarter("2023Q1"), who="张三", source="later.csv") == 4
        assert audit_log(store, limit=1)["audit_id"].tolist() == [9]


def test_restoring_over_a_store_keeps_it_aside_and_carries_its_later_audit_rows(full_store, tmp_path, zichuan):
    manifest = take_backup(full_store, tmp_path / "bk")
    with Store(full_store) as store:  # after the backup: an import (audit 7) and a publish (audit 8)
        store.import_observations(zichuan, quarter("2023Q1"), who="张三", source="later.csv")
        store.publish(SCHEME, "2023Q1", who="王主任", why="季度发布")
    later, later_audit, later_scope = snapshot(full_store), audit_rows(full_store), scope_rows(full_store)
    result = restore(tmp_path / "bk", full_store, who="李四")
    assert Path(result.kept).name.startswith("store.duckdb.before-restore-") and snapshot(result.kept) == later
    assert (result.unopenable, result.carried, result.audit_id) == (False, 2, 9)
    with Store(full_store) as store:
        assert league(store, SCHEME, "2023Q1").empty  # the data effects are undone…
        assert publication(store, SCHEME, "2023Q1") is None
    rows = audit_rows(full_store)  # …the history is kept: the same ids (this store's own line), marked
    assert rows[:6] == later_audit[:6]
    for old, new in zip(later_audit[6:], rows[6:8]):
        assert new == {**old, "detail": json.dumps({**json.loads(old["detail"]), "carried_over": {
            "original_id": old["audit_id"], "restore_audit_id": 9}}, ensure_ascii=False)}
    assert rows[8]["action"] == "restore" and json.loads(rows[8]["detail"]) == restore_detail(
        tmp_path / "bk", manifest, {"path": full_store, "kept": result.kept, "state": "openable", "error": ""},
        carried=[7, 8])
    assert scope_rows(full_store) == later_scope  # scope rows of 7 and 8 came along
    with Store(full_store) as store:
        shown = audit_log(store)
    assert shown["summary"].tolist()[:3] == [
        f"从备份 {tmp_path / 'bk'} 恢复（{manifest['created']} 的备份，清单 SHA-256 "
        f"{sha256_of(tmp_path / 'bk' / 'manifest.json')[:12]}…）；原数据库另存为 {result.kept}；保留原数据库其后的 2 条审计记录",
        "发布榜单：3 个单位，期间锁定（恢复备份前的记录，原编号 #8，其改动已被恢复 #9 撤销 undone by the restore）",
        "导入 later.csv：3 个单位，新增 69 行、修改 0 行、删除 0 行（批次 #4）（恢复备份前的记录，原编号 #7，其改动已被恢复 #9 "
        "撤销 undone by the restore）"]


def test_audit_rows_of_another_store_get_fresh_ids_after_the_backups(full_store, tmp_path, zichuan):
    """Restoring one store's backup over a different store: that store's rows all come after the backup's, under
    fresh ids in their time order, scope rows following them; ids stay unique."""
    take_backup(full_store, tmp_path / "bk")
    other = str(tmp_path / "other.duckdb")
    with Store(other) as store:
        store.import_observations(zichuan, quarter("2024Q1"), who="赵六", source="other.csv")
        store.import_observations(zichuan, quarter("2024Q2"), who="赵六", source="other2.csv")
    old = audit_rows(other)
    assert [r["audit_id"] for r in old] == [1, 2]
    result = restore(tmp_path / "bk", other, who="李四")
    rows = audit_rows(other)
    assert [r["audit_id"] for r in rows] == list(range(1, 10)) and result.carried == 2
    assert [(r["who"], r["ts"], json.loads(r["detail"])["carried_over"]) for r in rows[6:8]] == [
        ("赵六", old[0]["ts"], {"original_id": 1, "restore_audit_id": 9}),
        ("赵六", old[1]["ts"], {"original_id": 2, "restore_audit_id": 9})]
    scope = scope_rows(other)
    assert sorted({(a, p) for a, p, _ in scope if a in (7, 8)}) == [(7, "2024Q1"), (8, "2024Q2")]


def test_restoring_the_same_backup_twice_carries_nothing_twice(full_store, tmp_path, zichuan):
    take_backup(full_store, tmp_path / "bk")
    with Store(full_store) as store:
        store.import_observations(zichuan, quarter("2023Q1"), who="张三", source="later.csv")
    restore(tmp_path / "bk", full_store, who="李四")  # 1-6, carried 7, restore 8
    again = restore(tmp_path / "bk", full_store, who="李四")  # 1-6, carried 7 and 8 (the first restore), restore 9
    rows = audit_rows(full_store)
    assert [(r["audit_id"], r["action"]) for r in rows[6:]] == [(7, "import"), (8, "restore"), (9, "restore")]
    assert (again.carried, len({r["audit_id"] for r in rows})) == (2, 9)


@pytest.fixture
def real_store_bytes(full_store) -> bytes:
    return Path(full_store).read_bytes()


# a store file that does not open: (how it is damaged) -> its bytes, made from a real store's bytes
UNOPENABLE = {
    "zero-length": lambda real: b"",
    "random bytes": lambda real: bytes(range(256)) * 400,
    "header zeroed": lambda real: b"\0" * 8192 + real[8192:],
    "block checksum": lambda real: real[:12288] + bytes(range(256)) * 16 + real[16384:],
    "truncated to 4 KB": lambda real: real[:4096],
}


@pytest.mark.parametrize("damage", UNOPENABLE, ids=list(UNOPENABLE))
def test_an_unopenable_store_is_moved_aside_and_replaced(full_store, real_store_bytes, tmp_path, damage):
    manifest = take_backup(full_store, tmp_path / "bk")
    target = tmp_path / "damaged.duckdb"
    target.write_bytes(UNOPENABLE[damage](real_store_bytes))
    result = restore(tmp_path / "bk", target, who="李四")
    assert Path(result.kept).name.startswith("damaged.duckdb.unopenable-") and result.unopenable
    assert Path(result.kept).read_bytes() == UNOPENABLE[damage](real_store_bytes)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["bk", "store.duckdb", "damaged.duckdb",
                                                                Path(result.kept).name])
    rows = audit_rows(str(target))
    assert rows[:6] == audit_rows(full_store) and len(rows) == 7
    detail = json.loads(rows[6]["detail"])
    assert detail["replaced"]["error"].startswith(("IO Error: ", "Corrupt database file"))
    assert detail == restore_detail(tmp_path / "bk", manifest, {"path": str(target), "kept": result.kept,
                                                                 "state": "unopenable",
                                                                 "error": detail["replaced"]["error"]})


# a backup that must be refused: (what is done to it) -> the words the refusal names
TAMPERED = {
    "a changed byte": (lambda bk: flip(bk / "observations.parquet"), "observations.parquet 的 SHA-256 校验和与清单不符"),
    "truncated parquet": (lambda bk: cut(bk / "audit.parquet"), "audit.parquet 有 "),
    "random bytes": (lambda bk: (bk / "results.parquet").write_bytes(bytes(range(256)) * 8), "results.parquet 有 2,048 字节"),
    "missing file": (lambda bk: (bk / "batches.parquet").unlink(), "缺少表 batches 的文件 batches.parquet"),
    "extra file": (lambda bk: (bk / "evil.parquet").write_bytes(b"x"), "多出文件 evil.parquet，清单中没有"),
    "corrupt manifest": (lambda bk: (bk / "manifest.json").write_bytes(b"\xff\xfe"), "清单已损坏，不是有效的 JSON"),
}


def flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def cut(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


@pytest.mark.parametrize("case", TAMPERED, ids=list(TAMPERED))
def test_a_tampered_backup_is_refused_and_the_store_is_untouched(full_store, tmp_path, case):
    take_backup(full_store, tmp_path / "bk")
    tamper, words = TAMPERED[case]
    tamper(tmp_path / "bk")
    before = Path(full_store).read_bytes()
    with pytest.raises(BackupError) as exc:
        restore(tmp_path / "bk", full_store, who="张三")
    assert words in str(exc.value) and str(exc.value).endswith("未恢复任何数据，数据库保持原样 (nothing restored; the store is unchanged)")
    assert Path(full_store).read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bk", "store.duckdb"]


def test_a_changed_row_count_in_the_manifest_is_caught_while_loading(full_store, tmp_path):
    take_backup(full_store, tmp_path / "bk")
    manifest = json.loads((tmp_path / "bk" / "manifest.json").read_text(encoding="utf-8"))
    manifest["tables"]["observations"]["rows"] += 1
    (tmp_path / "bk" / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    before = snapshot(full_store)
    with pytest.raises(BackupError, match="表 observations 恢复了 .* 行，备份中应为 .* 行"):
        restore(tmp_path / "bk", full_store, who="张三")
    assert snapshot(full_store) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bk", "store.duckdb"]


def test_an_old_backup_restores_only_unverified_and_says_so(full_store, tmp_path):
    manifest = take_backup(full_store, tmp_path / "bk")
    old = {"format": "flagboard-backup/1", "created": manifest["created"], "source": manifest["source"],
           "tables": {t: {"rows": i["rows"], "columns": i["columns"]} for t, i in manifest["tables"].items()}}
    (tmp_path / "bk" / "manifest.json").write_text(json.dumps(old), encoding="utf-8")
    target = str(tmp_path / "new.duckdb")
    with pytest.raises(BackupError, match="旧版本的备份"):
        restore(tmp_path / "bk", target, who="张三")
    assert not Path(target).exists()
    restore(tmp_path / "bk", target, who="张三", unverified=True)
    assert json.loads(audit_rows(target)[6]["detail"])["verified"] is False


def test_restore_from_the_zip_the_data_page_offers(full_store, tmp_path):
    take_backup(full_store, tmp_path / "bk")
    (tmp_path / "bk.zip").write_bytes(zip_backup(tmp_path / "bk"))
    target = str(tmp_path / "new.duckdb")
    result = restore(tmp_path / "bk.zip", target, who="张三")
    assert json.loads(audit_rows(target)[6]["detail"])["backup"] == str(tmp_path / "bk.zip")
    assert result.manifest_sha256 == sha256_of(tmp_path / "bk" / "manifest.json")
    assert {t: r for t, r in snapshot(target).items() if t != "audit"} == {
        t: r for t, r in snapshot(full_store).items() if t != "audit"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bk", "bk.zip", "new.duckdb", "store.duckdb"]


def zip_of(entries: dict[str, bytes]) -> bytes:
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return out.getvalue()


# a ZIP that is not a backup: (how it is made from the backup's files) -> the words of the refusal
BAD_ZIPS = {
    "path outside": (lambda files: {**files, "../evil.txt": b"x"}, "ZIP 中的 '../evil.txt' 不是备份文件夹中的文件"),
    "nested folder": (lambda files: {f"a/b/{n}": d for n, d in files.items()}, "不是备份文件夹中的文件"),
    "no manifest": (lambda files: {n: d for n, d in files.items() if n != "manifest.json"}, "ZIP 中缺少 manifest.json"),
    "extra entry": (lambda files: {**files, "x.parquet": b"x"}, "多出文件 x.parquet，清单中没有"),
    "changed entry": (lambda files: {**files, "audit.parquet": files["audit.parquet"][:-1] + b"\0"},
                      "audit.parquet 的 SHA-256 校验和与清单不符"),
    "larger entry": (lambda files: {**files, "audit.parquet": files["audit.parquet"] + b"\0" * 10},
                     "audit.parquet 有 0 字节"),
}


@pytest.mark.parametrize("case", BAD_ZIPS, ids=list(BAD_ZIPS))
def test_a_zip_that_is_not_a_sound_backup_is_refused(full_store, tmp_path, case):
    take_backup(full_store, tmp_path / "bk")
    files = {p.name: p.read_bytes() for p in (tmp_path / "bk").iterdir()}
    make, words = BAD_ZIPS[case]
    (tmp_path / "bk.zip").write_bytes(zip_of(make(files)))
    before = Path(full_store).read_bytes()
    with pytest.raises(BackupError) as exc:
        restore(tmp_path / "bk.zip", full_store, who="张三")
    assert words in str(exc.value)
    assert Path(full_store).read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bk", "bk.zip", "store.duckdb"]


def test_a_truncated_zip_or_another_file_is_refused(full_store, tmp_path):
    take_backup(full_store, tmp_path / "bk")
    data = zip_backup(tmp_path / "bk")
    (tmp_path / "cut.zip").write_bytes(data[: len(data) // 2])
    (tmp_path / "notes.txt").write_text("x")
    for name in ("cut.zip", "notes.txt"):
        with pytest.raises(BackupError) as exc:
            restore(tmp_path / name, tmp_path / "new.duckdb", who="张三")
        assert str(exc.value) == f"{tmp_path / name} 不是 flagboard 备份目录或备份 ZIP (not a backup folder or ZIP)"
    assert not (tmp_path / "new.duckdb").exists()


def test_a_store_this_process_holds_is_busy_and_untouched(full_store, tmp_path):
    take_backup(full_store, tmp_path / "bk")
    with Store(full_store) as store:
        before = snapshot(store)
        with pytest.raises(StoreBusyError):
            restore(tmp_path / "bk", full_store, who="张三")
        assert snapshot(store) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bk", "store.duckdb"]


def test_a_failed_final_rename_puts_the_replaced_store_back(full_store, tmp_path, monkeypatch):
    take_backup(full_store, tmp_path / "bk")
    before = Path(full_store).read_bytes()
    real_replace = os.replace

    def replace(src, dst):
        if str(src).endswith(".restore"):
            raise OSError(28, "No space left on device", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr("documents.restore.os.replace", replace)
    with pytest.raises(OSError):
        restore(tmp_path / "bk", full_store, who="张三")
    assert Path(full_store).read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bk", "store.duckdb"]


def test_tables_are_restored_whatever_tables_and_views_exist(full_store, tmp_path, monkeypatch):
    """Backup and restore are generic over base tables: a table the schema does not know comes back; a table the
    current schema has as a view is not loaded (the schema computes it) and the restore says so; a table the
    backup lacks (added since) stays empty; a view present while backing up is no obstacle."""
    with Store(full_store) as store, store.reading() as cur:
        cur.execute("CREATE TABLE office_notes (scheme VARCHAR, code VARCHAR, points DOUBLE)")
        cur.execute("INSERT INTO office_notes VALUES ('zichuan-2022', '1.1', 10)")
        cur.execute("CREATE TABLE legacy_totals AS SELECT scheme, period, entity, final FROM results")
        cur.execute("CREATE VIEW results_by_unit AS SELECT scheme, period, entity, final FROM results")
    manifest = take_backup(full_store, tmp_path / "bk")
    assert "results_by_unit" not in manifest["tables"] and "legacy_totals" in manifest["tables"]
    del manifest["tables"]["rubrics"]  # as if the rubrics table were added after this backup was taken
    (tmp_path / "bk" / "rubrics.parquet").unlink()
    (tmp_path / "bk" / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    real_migrate = Store._migrate

    def migrate_with_view(self):  # a schema in which legacy_totals has become a view
        real_migrate(self)
        self.con.execute("CREATE VIEW IF NOT EXISTS legacy_totals AS SELECT scheme, period, entity, final FROM results")

    monkeypatch.setattr(Store, "_migrate", migrate_with_view)
    target = str(tmp_path / "new.duckdb")
    result = restore(tmp_path / "bk", target, who="张三")
    assert result.skipped == ("legacy_totals",)
    original, copy = snapshot(full_store), snapshot(target)
    assert copy["office_notes"] == [("zichuan-2022", "1.1", 10.0)]
    assert copy["legacy_totals"] == original["legacy_totals"]  # the view computes the same rows
    assert copy["rubrics"] == [] and original["rubrics"] != []
    assert json.loads(audit_rows(target)[6]["detail"])["skipped_views"] == ["legacy_totals"]
