"""Backup to a folder of Parquet files with a SHA-256 manifest: what it holds, its verification (every damaged,
missing or extra file named at once), the verified backup after a publish, the list of backups beside a store,
and the ZIP the data page offers. Restore: tests/documents/test_restore.py."""
from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from documents.backup import (BackupError, after_publish, backup, backup_beside, list_backups, sha256_of, verify_backup,
                              zip_backup)
from queries.store import Store
from tests.queries.helpers import snapshot

SCHEME = "zichuan-2022"


def parquet_rows(path: Path) -> list[tuple]:
    return sorted(duckdb.sql(f"SELECT * FROM read_parquet('{path}')").fetchall(), key=repr)


def test_a_backup_holds_every_table_as_parquet_with_its_size_and_sha256(full_store, tmp_path):
    with Store(full_store, read_only=True) as store:
        manifest = backup(store, tmp_path / "bk")
        version = store.data_version()
    folder, tables = tmp_path / "bk", snapshot(full_store, views=False)
    assert sorted(p.name for p in folder.iterdir()) == sorted([f"{t}.parquet" for t in tables] + ["manifest.json"])
    assert json.loads((folder / "manifest.json").read_text(encoding="utf-8")) == manifest
    assert (manifest["format"], manifest["source"], manifest["data_version"], version) == (
        "flagboard-backup/2", full_store, 6, 6)
    assert manifest["tables"] == {t: {"rows": len(rows), "columns": list(manifest["tables"][t]["columns"]),
                                      "file": f"{t}.parquet", "bytes": (folder / f"{t}.parquet").stat().st_size,
                                      "sha256": hashlib.sha256((folder / f"{t}.parquet").read_bytes()).hexdigest()}
                                  for t, rows in tables.items()}
    for table, rows in tables.items():
        assert (table, parquet_rows(folder / f"{table}.parquet")) == (table, rows)
    assert verify_backup(folder) == manifest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bk", "store.duckdb"]  # no temporary folder left


def test_backup_keeps_every_base_table_and_leaves_views_to_the_schema(full_store, tmp_path):
    """Generic over tables: one the schema does not know is backed up; a view is not (the schema recreates views)."""
    with Store(full_store) as store, store.reading() as cur:
        cur.execute("CREATE TABLE office_notes (scheme VARCHAR, code VARCHAR, points DOUBLE)")
        cur.execute("INSERT INTO office_notes VALUES ('zichuan-2022', '1.1', 10), ('zichuan-2022', '1.2', 6)")
        cur.execute("CREATE VIEW results_by_unit AS SELECT scheme, period, entity, final FROM results")
    with Store(full_store, read_only=True) as store:
        manifest = backup(store, tmp_path / "bk")
    assert "results_by_unit" not in manifest["tables"] and not (tmp_path / "bk" / "results_by_unit.parquet").exists()
    assert manifest["tables"]["office_notes"]["rows"] == 2
    assert parquet_rows(tmp_path / "bk" / "office_notes.parquet") == [
        ("zichuan-2022", "1.1", 10.0), ("zichuan-2022", "1.2", 6.0)]


def test_backup_refuses_a_folder_that_is_not_empty(full_store, tmp_path):
    (tmp_path / "bk").mkdir()
    (tmp_path / "bk" / "x.txt").write_text("x")
    with Store(full_store) as store, pytest.raises(BackupError, match="已存在且不为空"):
        backup(store, tmp_path / "bk")


# --- verification: every problem named at once ----------------------------------------------------------------------


@pytest.fixture
def bk(full_store, tmp_path) -> Path:
    with Store(full_store, read_only=True) as store:
        backup(store, tmp_path / "bk")
    return tmp_path / "bk"


def flip_one_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def test_verification_names_every_changed_truncated_missing_and_extra_file(bk):
    size = (bk / "observations.parquet").stat().st_size
    flip_one_byte(bk / "audit.parquet")  # same size, other content
    (bk / "observations.parquet").write_bytes((bk / "observations.parquet").read_bytes()[: size // 2])
    (bk / "batches.parquet").write_bytes(bytes(range(256)) * 4)  # random bytes
    (bk / "publications.parquet").unlink()
    (bk / "notes.txt").write_text("x")
    with pytest.raises(BackupError) as exc:
        verify_backup(bk)
    assert str(exc.value).splitlines() == [
        f"备份 {bk} 未通过校验，共 5 处问题 (backup failed verification):",
        "  缺少表 publications 的文件 publications.parquet (missing file)",
        "  多出文件 notes.txt，清单中没有 (extra file, not in the manifest)",
        "  audit.parquet 的 SHA-256 校验和与清单不符：文件被改动或损坏 (checksum mismatch: changed or damaged)",
        f"  batches.parquet 有 1,024 字节，清单记为 {json.loads((bk / 'manifest.json').read_text())['tables']['batches']['bytes']:,} "
        f"字节：文件被截断或改动 (size differs from the manifest: truncated or changed)",
        f"  observations.parquet 有 {size // 2:,} 字节，清单记为 {size:,} 字节：文件被截断或改动 "
        f"(size differs from the manifest: truncated or changed)"]


# the manifest itself: (what is written, the message)
BAD_MANIFESTS = {
    "random bytes": (bytes(range(256)), "清单已损坏，不是有效的 JSON (corrupt manifest)"),
    "truncated": (b'{"format": "flagboard-backup/2", "tab', "清单已损坏，不是有效的 JSON (corrupt manifest)"),
    "unknown format": (b'{"format": "other/9", "tables": {}}', "不认识的备份格式 'other/9' (unknown backup format)"),
    "no checksum": (json.dumps({"format": "flagboard-backup/2", "tables": {"audit": {"rows": 1, "file": "audit.parquet",
                                                                                   "bytes": 10}}}).encode(),
                    "清单格式不对 (malformed manifest)"),
    "path in a file name": (json.dumps({"format": "flagboard-backup/2", "tables": {"audit": {
        "rows": 1, "file": "../store.parquet", "bytes": 10, "sha256": "0" * 64}}}).encode(),
        "表 audit 的文件名 '../store.parquet' 不是备份文件夹中的文件名 (unsafe file name)"),
}


@pytest.mark.parametrize("case", BAD_MANIFESTS, ids=list(BAD_MANIFESTS))
def test_a_damaged_manifest_is_refused_with_what_is_wrong(bk, case):
    content, message = BAD_MANIFESTS[case]
    (bk / "manifest.json").write_bytes(content)
    with pytest.raises(BackupError) as exc:
        verify_backup(bk)
    assert str(exc.value) == f"{bk / 'manifest.json'}: {message}"


def test_a_folder_without_a_manifest_is_not_a_backup(tmp_path):
    with pytest.raises(BackupError) as exc:
        verify_backup(tmp_path)
    assert str(exc.value) == f"{tmp_path} 不是 flagboard 备份目录（缺少 manifest.json）(not a backup folder)"


def test_an_old_backup_without_checksums_passes_only_when_asked(bk):
    manifest = json.loads((bk / "manifest.json").read_text(encoding="utf-8"))
    old = {"format": "flagboard-backup/1", "created": manifest["created"], "source": manifest["source"],
           "tables": {t: {"rows": i["rows"], "columns": i["columns"]} for t, i in manifest["tables"].items()}}
    (bk / "manifest.json").write_text(json.dumps(old), encoding="utf-8")
    with pytest.raises(BackupError) as exc:
        verify_backup(bk)
    assert str(exc.value) == (f"{bk} 是旧版本的备份（flagboard-backup/1），没有 SHA-256 校验和，无法确认完好 "
                              f"(old backup without checksums)；如确认要恢复，请加 --unverified")
    assert verify_backup(bk, unverified=True)["tables"]["audit"] == {
        "rows": 6, "columns": manifest["tables"]["audit"]["columns"], "file": "audit.parquet"}
    (bk / "audit.parquet").unlink()  # even unverified, the files must all be there
    with pytest.raises(BackupError, match="缺少表 audit 的文件 audit.parquet"):
        verify_backup(bk, unverified=True)


# --- backups beside the store: after a publish, on request, listed, zipped --------------------------------------------


class Noon(datetime):
    """A clock that always says 2024-01-02 12:00:00 (folder names are stamped to the second)."""

    @classmethod
    def now(cls, tz=None):
        return cls(2024, 1, 2, 12, 0, 0)


def test_after_publish_writes_a_verified_backup_beside_the_store(full_store, tmp_path, monkeypatch):
    monkeypatch.setattr("documents.backup.datetime", Noon)
    with Store(full_store) as store:
        store.reopen(SCHEME, "2022Q2", who="王主任", why="复核")
        store.publish(SCHEME, "2022Q2", who="王主任", why="复核后再次发布")
        first = after_publish(store, SCHEME, "2022Q2")
        second = after_publish(store, SCHEME, "2022Q2")  # the same second: a fresh folder all the same
    assert (first, second) == (tmp_path / "backups" / "zichuan-2022-2022Q2-20240102-120000",
                               tmp_path / "backups" / "zichuan-2022-2022Q2-20240102-120000-2")
    manifest = verify_backup(first)
    assert manifest["created"] == "2024-01-02T12:00:00"
    assert {t: i["rows"] for t, i in manifest["tables"].items()} == {
        t: len(r) for t, r in snapshot(full_store, views=False).items()}
    assert parquet_rows(first / "publications.parquet") == snapshot(full_store)["publications"]


def test_a_backup_that_fails_its_verification_is_removed(full_store, tmp_path, monkeypatch):
    def damaged(folder, unverified=False):
        raise BackupError(f"备份 {folder} 未通过校验")

    monkeypatch.setattr("documents.backup.verify_backup", damaged)
    with Store(full_store) as store, pytest.raises(BackupError, match="未通过校验"):
        backup_beside(store, "manual")
    assert list((tmp_path / "backups").iterdir()) == []


def test_backup_labels_become_safe_folder_names(full_store, tmp_path):
    with Store(full_store) as store:
        folder = backup_beside(store, "../a b/c")
    assert folder.parent == tmp_path / "backups" and folder.name.startswith("a_b_c-")


def test_list_backups_reads_each_manifest_newest_first(full_store, tmp_path):
    with Store(full_store) as store:
        first = backup_beside(store, "manual")
        second = after_publish(store, SCHEME, "2022Q2")
    (tmp_path / "backups" / "broken").mkdir()
    (tmp_path / "backups" / ".half.tmp").mkdir()
    table = list_backups(tmp_path / "backups")
    rows = sum(len(r) for r in snapshot(full_store, views=False).values())
    size = {f: sum(p.stat().st_size for p in f.iterdir() if p.suffix == ".parquet") for f in (first, second)}
    created = {f: verify_backup(f)["created"] for f in (first, second)}
    tables = len(snapshot(full_store, views=False))
    expected = sorted([(f.name, created[f], tables, rows, size[f]) for f in (first, second)],
                      key=lambda r: (r[1], r[0]), reverse=True) + [("broken", "", None, None, None)]
    assert [tuple(None if pd.isna(v) else v for v in r) for r in table.itertuples(index=False)] == expected
    assert list_backups(tmp_path / "nowhere").empty


def test_a_backup_zips_as_its_folder(bk):
    data = zip_backup(bk)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = sorted(zf.namelist())
        contents = {n: zf.read(n) for n in names}
    assert names == sorted(f"bk/{p.name}" for p in bk.iterdir())
    assert contents == {f"bk/{p.name}": p.read_bytes() for p in bk.iterdir()}
    assert sha256_of(bk / "manifest.json") == hashlib.sha256(contents["bk/manifest.json"]).hexdigest()
    flip_one_byte(bk / "results.parquet")
    with pytest.raises(BackupError, match="results.parquet 的 SHA-256 校验和与清单不符"):
        zip_backup(bk)
