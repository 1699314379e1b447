"""Hostile files and machine faults through ``flagboard`` (issue 12): each is exit status 2 with a message that
names what is wrong, never a traceback; no output file is written and the store is unchanged.

Disk full and a read-only store are real where the machine allows it (a tiny or read-only tmpfs, as root),
else the same OSError is injected where the write happens.
"""
from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from cli.main import main as flagboard
from scoring.demo import demo_observations
from scoring.rubric import load_rubric
from tests.conftest import csv_bytes, fact, flagboard_script, unit
from tests.hostile_files import dense_bomb, sparse_bomb, wide_csv
from tests.queries.helpers import snapshot

NO_TRACE = "Traceback"


def run(capsys, *args) -> tuple[int, str, str]:
    code = flagboard([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def lines_of(err: str) -> list[str]:
    return [line for line in err.splitlines() if line]


@pytest.fixture
def store(tmp_path, capsys) -> str:
    """A store with one quarter of two units."""
    db, src = tmp_path / "store.duckdb", tmp_path / "q1.csv"
    src.write_bytes(csv_bytes(unit("A镇") + unit("B镇", {("showcase", ""): "90"})))
    assert run(capsys, "import", "--db", db, "--rubric", "zichuan-2022", "--who", "张三", src)[0] == 0
    return str(db)


def big_quarter(units: int = 600) -> bytes:
    """A valid quarter of many units (about 0.9 MB as CSV), for writes large enough to fill a tiny disk."""
    frame = demo_observations(load_rubric("zichuan-2022"), [f"单位{i:04d}" for i in range(units)], ["2024Q1"], seed=3)
    return frame.drop(columns=["group"]).to_csv(index=False).encode()


# --- hostile input files: score and import refuse them alike ----------------------------------------------------------


HOSTILE = [
    # (file name, content maker, words the message must contain)
    ("bomb.xlsx", sparse_bomb, "工作表“数据”声明的数据范围 (dimension A1:XFD1048576) 宽到第 16,384 列（XFD 列），超过上限 64 列"),
    ("lie.xlsx", lambda: sparse_bomb(declared=False), "工作表“数据”的数据区域宽到第 16,384 列（XFD 列），超过上限 64 列"),
    ("dense.xlsx", dense_bomb, "个单元格，超过上限 2,000,000 个单元格"),
    ("wide.csv", wide_csv, "第1行: 这一行长 7,888,889 字节，超过上限 65,536 字节"),
    ("zw.csv", lambda: csv_bytes(unit("洪山镇\u200b")), "单位 entity “洪山镇⟨U+200B⟩” 含不可见或控制字符 U+200B ZERO WIDTH SPACE"),
    ("big.csv", lambda: csv_bytes(unit("A镇", {("5.1", "问题次数"): "99999999999999999999"})),
     "value “99999999999999999999” 超出允许范围"),
    ("digit.csv", lambda: csv_bytes(unit("A镇", {("5.1", "问题次数"): "٣"})), "含非 ASCII 数字 “٣”（U+0663"),
    ("twins.csv", lambda: csv_bytes(unit("A镇") + unit("Ａ镇")), "单位 “Ａ镇”（23 行）与文件中的单位 “A镇” 只差全角/半角"),
]


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    out = {}
    for name, make, _ in HOSTILE:
        out[name] = folder / name
        out[name].write_bytes(make())
    return out


@pytest.mark.parametrize(("name", "words"), [(n, w) for n, _, w in HOSTILE], ids=[n for n, _, _ in HOSTILE])
def test_score_refuses_a_hostile_file_with_exit_2_and_writes_nothing(hostile_files, tmp_path, capsys, name, words):
    out = tmp_path / "league.csv"
    code, _, err = run(capsys, "score", "--rubric", "zichuan-2022", "--input", hostile_files[name], "--out", out)
    assert (code, NO_TRACE in err, out.exists()) == (2, False, False)
    assert words in err, err


@pytest.mark.parametrize(("name", "words"), [(n, w) for n, _, w in HOSTILE], ids=[n for n, _, _ in HOSTILE])
def test_import_refuses_a_hostile_file_and_the_store_is_unchanged(hostile_files, store, capsys, name, words):
    before = snapshot(store)
    code, _, err = run(capsys, "import", "--db", store, "--rubric", "zichuan-2022", hostile_files[name])
    assert (code, NO_TRACE in err, err.splitlines()[-1]) == (2, False, "未写入任何数据 (nothing was written)")
    assert words in err, err
    assert snapshot(store) == before


def test_the_console_script_survives_the_sparse_bomb(hostile_files, tmp_path):
    """The real process: before issue 12 calamine aborted it (exit 134, 'memory allocation … failed')."""
    res = subprocess.run([flagboard_script(), "score", "--rubric", "zichuan-2022", "--input",
                          str(hostile_files["bomb.xlsx"]), "--out", str(tmp_path / "l.csv")],
                         capture_output=True, text=True, timeout=120)
    assert (res.returncode, NO_TRACE in res.stderr, "memory allocation" in res.stderr) == (2, False, False)
    assert res.stderr.splitlines()[0] == "输入有 1 处错误 (input has 1 error(s)):"


def test_a_full_width_period_is_read_with_warnings_not_a_second_period(tmp_path, capsys):
    src, out = tmp_path / "fw.csv", tmp_path / "league.csv"
    src.write_bytes(csv_bytes(unit("A镇") + [dict(r, period="２０２２Q2") for r in unit("B镇")]))
    code, _, err = run(capsys, "score", "--rubric", "zichuan-2022", "--input", src, "--out", out)
    assert code == 0 and pd.read_csv(out)["period"].tolist() == ["2022Q2", "2022Q2"]
    assert lines_of(err) == [f"[提醒 warning] 第{n}行: 期间 period “２０２２Q2” 含全角或兼容字符，已按 NFKC 规范化读作 “2022Q2”，"
                             f"请核对 (normalised by NFKC)" for n in range(25, 48)]


# --- at most 500 problems listed; --problems FILE has them all --------------------------------------------------------


def bad_rows(n: int) -> bytes:
    """``n`` rows, each with a malformed period (one problem each), for distinct units."""
    return csv_bytes([fact(f"单位{i}", "5.1", "问题次数", "0", period="2022-Q2") for i in range(n)])


@pytest.mark.parametrize("verb", ["score", "import"])
def test_at_most_500_problems_are_listed_and_problems_file_holds_every_one(tmp_path, capsys, verb):
    src, listed = tmp_path / "bad.csv", tmp_path / "problems.csv"
    src.write_bytes(bad_rows(1234))
    args = (["score", "--rubric", "zichuan-2022", "--input", src, "--out", tmp_path / "l.csv"] if verb == "score"
            else ["import", "--db", tmp_path / "s.duckdb", "--rubric", "zichuan-2022", src])
    code, _, err = run(capsys, *args, "--problems", listed)
    message = "期间 period “2022-Q2” 格式不对，应为 2022Q3 这样的格式 (period must look like 2022Q3)"
    expected = (["输入有 1234 处错误 (input has 1234 error(s)):"]
                + [f"[错误 error] 第{n}行: {message}" for n in range(2, 502)]
                + ["另有 734 个问题未列出 (734 more not listed; --problems FILE writes every problem)"])
    assert code == 2 and lines_of(err) == expected + (["未写入任何数据 (nothing was written)"] if verb == "import" else [])
    assert listed.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    table = pd.read_csv(listed, encoding="utf-8-sig", dtype=str)
    assert table.columns.tolist() == ["severity", "where", "message"]
    assert table.values.tolist() == [["error", f"第{n}行", message] for n in range(2, 1236)]


def test_a_problems_file_is_written_for_warnings_too(tmp_path, capsys):
    src, listed = tmp_path / "fw.csv", tmp_path / "problems.csv"
    src.write_bytes(csv_bytes([dict(r, period="２０２２Q2") for r in unit("A镇")]))
    code, _, _ = run(capsys, "import", "--db", tmp_path / "s.duckdb", "--rubric", "zichuan-2022", "--problems", listed,
                     src)
    table = pd.read_csv(listed, encoding="utf-8-sig", dtype=str)
    assert code == 0 and table["where"].tolist() == [f"第{n}行" for n in range(2, 25)]
    assert set(table["severity"]) == {"warning"}


# --- faults of the machine: disk full, read-only, damaged store, unreadable input ------------------------------------


@contextmanager
def tmpfs(path: Path, size: str):
    """A real tmpfs of ``size`` at ``path`` when this machine lets us mount one (root), else None."""
    path.mkdir(parents=True, exist_ok=True)
    mounted = (os.geteuid() == 0 and shutil.which("mount") is not None
               and subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                                  capture_output=True).returncode == 0)
    try:
        yield path if mounted else None
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(path)], capture_output=True)


def no_space(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_disk_full_while_writing_the_league_writes_no_file(tmp_path, capsys, monkeypatch):
    src = tmp_path / "big.csv"
    src.write_bytes(big_quarter())
    with tmpfs(tmp_path / "disk", "64k") as disk:
        out_dir = disk or tmp_path / "out"
        out_dir.mkdir(exist_ok=True)
        if disk:
            (disk / "filler").write_bytes(b"\0" * (56 * 1024))  # leaves a few KB: DETAIL.csv needs ~700 KB
        else:
            monkeypatch.setattr(pd.DataFrame, "to_csv", no_space)
        code, _, err = run(capsys, "score", "--rubric", "zichuan-2022", "--input", src,
                           "--out", out_dir / "league.csv", "--detail", out_dir / "detail.csv")
        left = sorted(p.name for p in out_dir.iterdir() if p.name != "filler")
    assert (code, NO_TRACE in err, left) == (2, False, [])
    assert "磁盘空间不足 (disk full: no space left on device)" in err and "请清理磁盘空间" in err


def test_disk_full_during_an_import_leaves_the_store_unchanged(tmp_path, capsys, monkeypatch, store):
    src = tmp_path / "big.csv"
    src.write_bytes(big_quarter())
    with tmpfs(tmp_path / "disk", "8m") as disk:
        db = store
        if disk:
            db = str(disk / "store.duckdb")
            shutil.copyfile(store, db)
            (disk / "filler").write_bytes(b"\0" * (8 * 1024**2 - os.path.getsize(db) - 256 * 1024))
        else:
            monkeypatch.setattr("queries.store.Store._write_batch", no_space)
        before = snapshot(db)
        code, _, err = run(capsys, "import", "--db", db, "--rubric", "zichuan-2022", src)
        after = snapshot(db)
    assert (code, NO_TRACE in err, after == before) == (2, False, True)
    assert "磁盘空间不足 (disk full: no space left on device)" in err and "未完成的写入已回滚" in err


def test_a_read_only_store_is_refused_with_a_message_and_left_unchanged(tmp_path, capsys, monkeypatch, store):
    src = tmp_path / "q2.csv"
    src.write_bytes(csv_bytes(unit("C镇")))
    with tmpfs(tmp_path / "ro", "8m") as disk:
        db = Path(store)
        if disk:  # a read-only file system, as a real read-only mount
            db = disk / "store.duckdb"
            shutil.copyfile(store, db)
            subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        elif os.geteuid() != 0:  # a read-only file (root writes to any file, so root needs the mount)
            db.chmod(0o444)
        else:  # what DuckDB says on a read-only file system, injected
            real_connect = duckdb.connect

            def connect(path, read_only=False, **kwargs):
                if not read_only:
                    raise duckdb.IOException(f'IO Error: Cannot open file "{path}": Read-only file system')
                return real_connect(path, read_only=read_only, **kwargs)

            monkeypatch.setattr("queries.store.duckdb.connect", connect)
        before = snapshot(str(db))
        results = [run(capsys, *args) for args in (
            ("import", "--db", db, "--rubric", "zichuan-2022", src),
            ("publish", "--db", db, "--rubric", "zichuan-2022", "--period", "2022Q2", "--who", "张三"))]
        after = snapshot(str(db))
    for code, _, err in results:
        assert (code, NO_TRACE in err) == (2, False)
        assert "文件只读或没有写入权限 (read-only file or permission denied)" in err and str(db) in err
    assert after == before


DAMAGED = {"zero-length": b"", "random bytes": bytes(range(256)) * 400}
VERBS = [("import", "--db", "{db}", "--rubric", "zichuan-2022", "{src}"),
         ("export", "--db", "{db}", "--rubric", "zichuan-2022", "--period", "2022Q2", "--out", "{out}"),
         ("audit", "--db", "{db}"),
         ("publish", "--db", "{db}", "--rubric", "zichuan-2022", "--period", "2022Q2", "--who", "张三")]


@pytest.mark.parametrize("damage", DAMAGED, ids=list(DAMAGED))
@pytest.mark.parametrize("verb", VERBS, ids=[v[0] for v in VERBS])
def test_a_damaged_store_is_a_message_and_is_left_as_it_was(tmp_path, capsys, damage, verb):
    db, src, out = tmp_path / "store.duckdb", tmp_path / "q.csv", tmp_path / "out.csv"
    db.write_bytes(DAMAGED[damage])
    src.write_bytes(csv_bytes(unit("A镇")))
    code, _, err = run(capsys, *[a.format(db=db, src=src, out=out) for a in verb])
    assert (code, NO_TRACE in err, db.read_bytes() == DAMAGED[damage], out.exists()) == (2, False, True, False)
    assert "数据库文件已损坏，或不是 Flagboard 的数据库 (corrupt store, or not a DuckDB file)" in err
    assert f"文件 file: {db}" in err and "flagboard restore" in err


def test_a_missing_or_unreadable_input_is_a_message(tmp_path, capsys, monkeypatch):
    out = tmp_path / "l.csv"
    score = ("score", "--rubric", "zichuan-2022", "--out", out, "--input")
    code, _, err = run(capsys, *score, tmp_path / "nope.csv")
    assert (code, lines_of(err)[1]) == (2, f"[错误 error] 文件 nope.csv: 文件不存在 (file not found): {tmp_path / 'nope.csv'}")
    code, _, err = run(capsys, *score, tmp_path)
    assert (code, lines_of(err)[1]) == (2, f"[错误 error] 文件 {tmp_path.name}: 这不是一个文件（可能是文件夹）(not a file): "
                                           f"{tmp_path}")
    locked = tmp_path / "locked.csv"
    locked.write_bytes(csv_bytes(unit("A镇")))
    real_open = Path.open

    def refuse(self, *args, **kwargs):  # root reads any file: the permission error is injected
        if self == locked:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    code, _, err = run(capsys, *score, locked)
    assert (code, lines_of(err)[1], out.exists()) == (
        2, f"[错误 error] 文件 locked.csv: 无法打开文件 (cannot open file): {locked}: Permission denied；请检查文件权限 "
           f"(check permissions)", False)


def test_a_truncated_parquet_in_a_backup_is_a_message_and_no_store_is_made(tmp_path, capsys, store):
    folder, target = tmp_path / "backup", tmp_path / "restored.duckdb"
    assert run(capsys, "backup", "--db", store, "--out", folder)[0] == 0
    part = folder / "observations.parquet"
    part.write_bytes(part.read_bytes()[: part.stat().st_size // 2])
    code, _, err = run(capsys, "restore", "--db", target, "--from", folder)
    assert (code, NO_TRACE in err, target.exists()) == (2, False, False)
    # issue 12: the manifest's size and SHA-256 catch it before any Parquet reader runs …
    assert f"  observations.parquet 有 {part.stat().st_size:,} 字节" in err and "未通过校验" in err
    # … and an old backup without checksums, restored --unverified, still meets the Parquet reader's message
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    (folder / "manifest.json").write_text(json.dumps({**manifest, "format": "flagboard-backup/1"}), encoding="utf-8")
    code, _, err = run(capsys, "restore", "--db", target, "--from", folder, "--unverified")
    assert (code, NO_TRACE in err, target.exists()) == (2, False, False)
    assert "Parquet 文件损坏或被截断 (corrupt or truncated Parquet file)" in err and f"文件 file: {part}" in err
