"""``flagboard backup``, ``restore`` and the backup every ``publish`` leaves, end to end (issue 12): what each
prints, and every fault — a damaged or tampered backup, an unopenable store, disk full, a read-only folder —
as exit status 2 with a message, never a traceback, the store unchanged.

Disk full and read-only are real where the machine allows it (a tiny or read-only tmpfs, as root), else the
same OSError is injected where the write happens (as in tests/cli/test_hostile_cli.py).
"""
from __future__ import annotations

import errno
import getpass
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from documents.backup import sha256_of, verify_backup
from tests.cli.test_hostile_cli import big_quarter, run, tmpfs
from tests.conftest import csv_bytes, unit
from tests.queries.helpers import snapshot

NO_TRACE = "Traceback"
STORE_KEPT = "未恢复任何数据，数据库保持原样 (nothing restored; the store is unchanged)"


@pytest.fixture
def store(tmp_path, capsys) -> str:
    """A store with one quarter of three units (one import: audit row 1)."""
    db, src = tmp_path / "store.duckdb", tmp_path / "q.csv"
    src.write_bytes(csv_bytes(unit("A镇") + unit("B镇", {("showcase", ""): "90"}) + unit("C镇", {("showcase", ""): "80"})))
    assert run(capsys, "import", "--db", db, "--rubric", "zichuan-2022", "--who", "张三", src)[0] == 0
    return str(db)


def test_backup_prints_where_it_went_and_the_manifest_hash(store, tmp_path, capsys):
    code, out, err = run(capsys, "backup", "--db", store, "--out", tmp_path / "bk")
    manifest = verify_backup(tmp_path / "bk")
    rows = sum(t["rows"] for t in manifest["tables"].values())
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"已备份 backed up {len(manifest['tables'])} 张表 tables, {rows} 行 rows → {tmp_path / 'bk'}（已校验 verified）",
        f"清单 manifest SHA-256: {sha256_of(tmp_path / 'bk' / 'manifest.json')}"]


def test_publish_leaves_a_verified_backup_beside_the_store(store, tmp_path, capsys):
    code, out, err = run(capsys, "publish", "--db", store, "--rubric", "zichuan-2022", "--period", "2022Q2",
                         "--who", "王主任", "--why", "季度通报")
    folders = list((tmp_path / "backups").iterdir())
    assert (code, err, len(folders)) == (0, "", 1)
    assert folders[0].name.startswith("zichuan-2022-2022Q2-")
    assert out.splitlines() == ["已发布 published 2022Q2: 3 个单位，期间已锁定 (locked)，状态：已发布",
                                f"已备份 backed up → {folders[0]}（已校验 SHA-256 verified）"]
    assert {t: i["rows"] for t, i in verify_backup(folders[0])["tables"].items()} == {
        t: len(r) for t, r in snapshot(store, views=False).items()}


def test_a_publish_whose_backup_fails_is_published_and_says_so(store, tmp_path, capsys, monkeypatch):
    def no_space(*_args):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "backups"))

    monkeypatch.setattr("cli.data_cmds.after_publish", no_space)
    code, out, err = run(capsys, "publish", "--db", store, "--rubric", "zichuan-2022", "--period", "2022Q2",
                         "--who", "王主任", "--why", "季度通报")
    assert (code, out, NO_TRACE in err) == (2, "已发布 published 2022Q2: 3 个单位，期间已锁定 (locked)，状态：已发布\n",
                                            False)
    assert err == (f"错误 error: 2022Q2 已发布并锁定，但发布后的自动备份未完成 (published; the backup after it failed)："
                   f"磁盘空间不足 (disk full: no space left on device)（[Errno 28] No space left on device: "
                   f"'{tmp_path / 'backups'}'）。请处理后用 flagboard backup --db {store} --out 新文件夹 手动备份\n")
    code, _, err = run(capsys, "undo", "--db", store, "--rubric", "zichuan-2022", "--period", "2022Q2")
    assert (code, "已发布并锁定" in err) == (2, True)  # it is published all the same


def test_restore_prints_what_it_did_and_the_audit_shows_it(store, tmp_path, capsys):
    assert run(capsys, "backup", "--db", store, "--out", tmp_path / "bk")[0] == 0
    src = tmp_path / "q2.csv"
    src.write_bytes(csv_bytes(unit("D镇", period="2022Q3")))
    assert run(capsys, "import", "--db", store, "--rubric", "zichuan-2022", "--who", "张三", src)[0] == 0
    code, out, err = run(capsys, "restore", "--db", store, "--from", tmp_path / "bk", "--who", "李四")
    manifest, digest = verify_backup(tmp_path / "bk"), sha256_of(tmp_path / "bk" / "manifest.json")
    kept = next(p for p in tmp_path.iterdir() if p.name.startswith("store.duckdb.before-restore-"))
    rows = sum(t["rows"] for t in manifest["tables"].values())
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"已恢复 restored {len(manifest['tables'])} 张表 tables, {rows} 行 rows → {store}（备份 backup "
        f"{manifest['created']}，清单 manifest SHA-256 {digest}）",
        f"原数据库已另存为 {kept} (previous store kept)",
        "原数据库在备份之后的 1 条审计记录已保留在恢复后的审计日志中 (later audit rows carried over)"]
    code, out, _ = run(capsys, "audit", "--db", store)
    li, zhang = (f"{getpass.getuser()}（命令行，自称 {name}）" for name in ("李四", "张三"))  # OS account, --who declared
    assert [line.split("  ")[1:3] for line in out.splitlines()] == [[li, "恢复备份"], [zhang, "导入"], [zhang, "导入"]]
    assert "（恢复备份前的记录，原编号 #2，其改动已被恢复 #3 撤销 undone by the restore）" in out.splitlines()[1]


@pytest.mark.parametrize("content", [b"", bytes(range(256)) * 400], ids=["zero-length", "random bytes"])
def test_restore_onto_an_unopenable_store_moves_it_aside(store, tmp_path, capsys, content):
    assert run(capsys, "backup", "--db", store, "--out", tmp_path / "bk")[0] == 0
    target = tmp_path / "damaged.duckdb"
    target.write_bytes(content)
    code, out, err = run(capsys, "restore", "--db", target, "--from", tmp_path / "bk")
    kept = next(p for p in tmp_path.iterdir() if p.name.startswith("damaged.duckdb.unopenable-"))
    assert (code, err, kept.read_bytes() == content) == (0, "", True)
    assert out.splitlines()[1:] == [f"原数据库无法打开，已移到 {kept} (unopenable store moved aside)"]
    assert {t: r for t, r in snapshot(str(target)).items() if t != "audit"} == {
        t: r for t, r in snapshot(store).items() if t != "audit"}


def flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


# a damaged backup through the CLI: (what is done to it) -> the problem line the message must hold
DAMAGED_BACKUPS = {
    "tampered parquet": (lambda bk: flip(bk / "observations.parquet"),
                         "  observations.parquet 的 SHA-256 校验和与清单不符：文件被改动或损坏 (checksum mismatch: changed or damaged)"),
    "truncated parquet": (lambda bk: (bk / "audit.parquet").write_bytes((bk / "audit.parquet").read_bytes()[:100]),
                          "  audit.parquet 有 100 字节，清单记为 {audit:,} 字节：文件被截断或改动 (size differs from the manifest: "
                          "truncated or changed)"),
    "random parquet": (lambda bk: (bk / "audit.parquet").write_bytes(os.urandom(64)),
                       "  audit.parquet 有 64 字节，清单记为 {audit:,} 字节：文件被截断或改动 (size differs from the manifest: "
                       "truncated or changed)"),
    "missing file": (lambda bk: (bk / "results.parquet").unlink(), "  缺少表 results 的文件 results.parquet (missing file)"),
    "extra file": (lambda bk: (bk / "x.parquet").write_bytes(b"PAR1"),
                   "  多出文件 x.parquet，清单中没有 (extra file, not in the manifest)"),
}


@pytest.mark.parametrize("case", DAMAGED_BACKUPS, ids=list(DAMAGED_BACKUPS))
def test_a_damaged_backup_is_refused_with_exit_2_and_the_store_unchanged(store, tmp_path, capsys, case):
    assert run(capsys, "backup", "--db", store, "--out", tmp_path / "bk")[0] == 0
    sizes = {t: i["bytes"] for t, i in verify_backup(tmp_path / "bk")["tables"].items()}
    damage, line = DAMAGED_BACKUPS[case]
    damage(tmp_path / "bk")
    before = Path(store).read_bytes()
    code, out, err = run(capsys, "restore", "--db", store, "--from", tmp_path / "bk")
    assert (code, out, NO_TRACE in err) == (2, "", False)
    assert err.splitlines() == [f"错误 error: 备份 {tmp_path / 'bk'} 未通过校验，共 1 处问题 (backup failed verification):",
                                line.format(**sizes), STORE_KEPT]
    assert Path(store).read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bk", "q.csv", "store.duckdb"]


def test_an_old_backup_needs_unverified(store, tmp_path, capsys):
    assert run(capsys, "backup", "--db", store, "--out", tmp_path / "bk")[0] == 0
    manifest = json.loads((tmp_path / "bk" / "manifest.json").read_text(encoding="utf-8"))
    manifest["format"] = "flagboard-backup/1"
    (tmp_path / "bk" / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    code, _, err = run(capsys, "restore", "--db", tmp_path / "new.duckdb", "--from", tmp_path / "bk")
    assert (code, err.splitlines()[-1]) == (2, STORE_KEPT) and "如确认要恢复，请加 --unverified" in err
    assert run(capsys, "restore", "--db", tmp_path / "new.duckdb", "--from", tmp_path / "bk", "--unverified")[0] == 0


# --- faults of the machine -------------------------------------------------------------------------------------------


def raising(code: int, text: str):
    """A stand-in that fails as the OS does (``code``: an errno), for machines that cannot mount a tmpfs."""
    def fail(*args, **kwargs):
        raise OSError(code, text, str(kwargs.get("dir", args[0] if args else "")))
    return fail


@pytest.fixture
def big_store(tmp_path, capsys) -> str:
    """A store of 600 units (a few MB), for writes large enough to fill a tiny disk."""
    db, src = tmp_path / "big.duckdb", tmp_path / "big.csv"
    src.write_bytes(big_quarter())
    assert run(capsys, "import", "--db", db, "--rubric", "zichuan-2022", src)[0] == 0
    return str(db)


def test_disk_full_during_a_backup_leaves_no_folder_and_the_store_unchanged(big_store, tmp_path, capsys, monkeypatch):
    before = snapshot(big_store)
    with tmpfs(tmp_path / "disk", "256k") as disk:
        out_dir = disk or tmp_path / "out"
        out_dir.mkdir(exist_ok=True)
        if not disk:
            monkeypatch.setattr("documents.backup._synced", raising(errno.ENOSPC, "No space left on device"))
        code, out, err = run(capsys, "backup", "--db", big_store, "--out", out_dir / "bk")
        left = sorted(p.name for p in out_dir.iterdir())
    assert (code, out, NO_TRACE in err, left) == (2, "", False, [])
    assert "错误 error: flagboard backup 未完成 (not done)：磁盘空间不足 (disk full: no space left on device)" in err
    assert f"  文件 file: {out_dir / 'bk'}" in err.splitlines()  # where the backup was going, not a temporary name
    assert "请清理磁盘空间" in err and "未完成的写入已回滚" in err
    assert snapshot(big_store) == before


def test_disk_full_during_a_restore_leaves_the_store_as_it_was(big_store, tmp_path, capsys, monkeypatch):
    assert run(capsys, "backup", "--db", big_store, "--out", tmp_path / "bk")[0] == 0
    with tmpfs(tmp_path / "disk", "12m") as disk:
        db = Path(big_store)
        if disk:  # the store on a disk with room for itself and 1 MB, not for a second copy beside it
            db = disk / "store.duckdb"
            shutil.copyfile(big_store, db)
            (disk / "filler").write_bytes(b"\0" * (12 * 1024**2 - db.stat().st_size - 1024**2))
        else:
            monkeypatch.setattr("documents.restore.load_backup", raising(errno.ENOSPC, "No space left on device"))
        before, names = db.read_bytes(), sorted(os.listdir(db.parent))
        code, out, err = run(capsys, "restore", "--db", db, "--from", tmp_path / "bk")
        after, left = db.read_bytes(), sorted(os.listdir(db.parent))
    assert (code, out, NO_TRACE in err, after == before, left == names) == (2, "", False, True, True)
    assert "磁盘空间不足 (disk full: no space left on device)" in err and "未完成的写入已回滚" in err


def test_a_backup_into_a_read_only_folder_is_a_message(store, tmp_path, capsys, monkeypatch):
    with tmpfs(tmp_path / "ro", "1m") as disk:
        if disk:
            subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        else:
            monkeypatch.setattr("documents.backup.tempfile.mkdtemp", raising(errno.EROFS, "Read-only file system"))
        folder = (disk or tmp_path / "ro") / "bk"
        code, out, err = run(capsys, "backup", "--db", store, "--out", folder)
        left = sorted(p.name for p in folder.parent.iterdir())
    assert (code, out, NO_TRACE in err, left) == (2, "", False, [])
    assert "文件只读或没有写入权限 (read-only file or permission denied)" in err
    assert f"  文件 file: {folder}" in err.splitlines()
