"""Backup of a whole store to a folder of Parquet files (one per table + manifest.json), and restore.

Backup writes into a temporary folder next to the target and renames it at the end, so a folder that
exists is always complete. Restore builds a new store file next to the target from the Parquet files,
checks every table's row count against the manifest, and only then swaps it in; an existing store is kept
as ``<name>.before-restore-<time>``. The tables are loaded through the new store's write door, as an exact
copy: the only write that adds no audit row of its own (the copy carries the backup's audit rows).
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from datetime import datetime
from pathlib import Path

import duckdb

from queries.statements import beside
from queries.store import Actor, Request, Store, Written

SQL = beside(__file__)

MANIFEST = "manifest.json"
FORMAT = "flagboard-backup/1"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why (Chinese with English terms)."""


def store_tables(cur) -> list[str]:
    """The name of every table of the store (on cursor ``cur``)."""
    return list(SQL.store_tables(cur)["table_name"])


def backup(store: Store, out_dir: str | Path) -> dict:
    """Write every table of ``store`` to ``out_dir`` (must not exist or be empty). Returns the manifest."""
    out = Path(out_dir)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BackupError(f"备份目录 {out} 已存在且不为空，请换一个新目录 (backup folder must be new or empty)")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp"))
    try:
        cur = store.con.cursor()
        cur.execute("BEGIN TRANSACTION")  # one consistent snapshot of every table
        tables = {}
        for name in store_tables(cur):
            rel = cur.table(name)
            rel.to_parquet(str(tmp / f"{name}.parquet"))
            tables[name] = {"rows": int(cur.table(name).count("*").fetchall()[0][0]), "columns": rel.columns}
        cur.execute("ROLLBACK")
        manifest = {"format": FORMAT, "created": datetime.now().isoformat(timespec="seconds"),
                    "source": str(store.path), "tables": tables}
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        if out.exists():
            out.rmdir()
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


def read_manifest(src_dir: str | Path) -> dict:
    src = Path(src_dir)
    path = src / MANIFEST
    if not path.exists():
        raise BackupError(f"{src} 不是 flagboard 备份目录（缺少 {MANIFEST}）(not a backup folder)")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: 不认识的备份格式 {manifest.get('format')!r} (unknown backup format)")
    missing = [t for t in manifest["tables"] if not (src / f"{t}.parquet").exists()]
    if missing:
        raise BackupError(f"备份不完整，缺少表 {', '.join(missing)} 的文件 (backup is incomplete)")
    return manifest


EXACT_COPY = "恢复备份：原样复制备份中的每张表（含审计记录）(a restore copies the backup exactly, audit included)"


def load_backup(cur, src: Path, manifest: dict) -> Written:
    """Write command: fill an empty store with the tables of a backup, checking each table's row count."""
    existing = set(store_tables(cur))
    for name, info in manifest["tables"].items():
        rel = cur.read_parquet(str(src / f"{name}.parquet"))
        if name in existing:
            # every column of the current schema, in its order (one added since the backup was taken: empty)
            rel.select(*[duckdb.ColumnExpression(c) if c in rel.columns else duckdb.ConstantExpression(None).alias(c)
                         for c in cur.table(name).columns]).insert_into(name)
        else:
            rel.create(name)
        n = int(cur.table(name).count("*").fetchall()[0][0])
        if n != info["rows"]:
            raise BackupError(f"表 {name} 恢复了 {n} 行，备份中应为 {info['rows']} 行 (row count mismatch)")
    return Written(manifest, unaudited=EXACT_COPY)


def restore(src_dir: str | Path, db_path: str | Path, who: Actor | str) -> dict:
    """Rebuild the store at ``db_path`` from a backup folder for ``who``. Returns the manifest and where the
    old file went.

    Raises :class:`~queries.store.StoreBusyError` if another process holds ``db_path``.
    """
    src, db = Path(src_dir), Path(db_path)
    manifest = read_manifest(src)
    if db.exists():
        Store(db).close()  # the target must not be in use (raises StoreBusyError)
    db.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=db.parent, prefix=f".{db.name}.", suffix=".restore")
    os.close(fd)
    os.unlink(tmp_name)  # DuckDB must create the file itself
    tmp = Path(tmp_name)
    try:
        fresh = Store(tmp)  # the current schema, empty
        fresh.write(who, Request("restore"), load_backup, src, manifest)
        fresh.con.execute("CHECKPOINT")
        fresh.close()
        kept = None
        if db.exists():
            kept = db.with_name(f"{db.name}.before-restore-{datetime.now():%Y%m%d-%H%M%S}")
            os.replace(db, kept)
        wal = Path(f"{db}.wal")
        if wal.exists():
            os.replace(wal, Path(f"{kept}.wal") if kept else wal.with_name(wal.name + ".stale"))
        os.replace(tmp, db)
    except BaseException:
        for leftover in (tmp, Path(f"{tmp}.wal")):
            if leftover.exists():
                leftover.unlink()
        raise
    return {**manifest, "kept": str(kept) if kept else None}
