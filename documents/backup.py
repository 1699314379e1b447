"""Backup of a whole store to a folder of Parquet files with a manifest of SHA-256 checksums, its verification,
and the backups kept beside the store (after every publish, or on request from the data page).

A backup folder holds one Parquet file per base table of the store, whatever tables exist (views are left out:
the schema recreates them when a store is opened; the accounts with their argon2 password hashes are in, so the
folder is its owner's only: 0700, files 0600), and ``manifest.json``: the format, when and from which store
it was taken, the store's data version (latest audit id), and per table its rows, columns, file, size and
SHA-256. Backup writes into a hidden temporary folder next to the target and renames it at the end, so a folder
that exists is always complete; a failure (disk full…) leaves nothing behind. :func:`verify_backup` re-reads the
manifest and every file and lists every missing, extra, truncated or changed file at once. Restore is
:mod:`documents.restore`; ``docs/backup.md`` explains both for users.

The checksums catch damage and accidental edits, not a deliberate forgery (whoever rewrites a file can rewrite
the manifest too): the manifest's own SHA-256 is printed when a backup is taken and recorded when it is restored.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from queries.statements import beside
from queries.store import Store
from queries.store.door import data_version

SQL = beside(__file__)

MANIFEST = "manifest.json"
FORMAT = "flagboard-backup/2"  # with a SHA-256 and a size per file
UNVERIFIABLE = "flagboard-backup/1"  # made before checksums: restored only when asked for explicitly
BACKUPS = "backups"  # the folder beside a store that holds its automatic and on-request backups
PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600  # a backup holds password hashes: its owner (the store's) reads it only
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_UNSAFE = re.compile(r"[^\w.-]+")


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why (Chinese with English terms)."""


def store_tables(cur) -> list[str]:
    """The name of every base table of the store (on cursor ``cur``)."""
    return list(SQL.store_tables(cur)["table_name"])


def sha256_of(path: str | Path) -> str:
    """The SHA-256 of a file, read in 1 MiB pieces."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _synced(path: Path) -> None:
    """Flush a written file (or folder entry) to the disk, so a backup said to be done survives a power cut."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_table(cur, name: str, folder: Path) -> dict:
    """One table as ``<name>.parquet`` in ``folder``; its manifest entry."""
    path = folder / f"{name}.parquet"
    rel = cur.table(name)
    rel.to_parquet(str(path))
    os.chmod(path, PRIVATE_FILE)
    _synced(path)
    return {"rows": int(cur.table(name).count("*").fetchall()[0][0]), "columns": rel.columns, "file": path.name,
            "bytes": path.stat().st_size, "sha256": sha256_of(path)}


def backup(store: Store, out_dir: str | Path) -> dict:
    """Write every base table of ``store`` to ``out_dir`` (must not exist or be empty), as one consistent
    snapshot. Returns the manifest. Works on a store opened read-only, and in the process that holds it."""
    out = Path(out_dir)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BackupError(f"备份目录 {out} 已存在且不为空，请换一个新目录 (backup folder must be new or empty)")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp"))  # 0700: the owner's only
    try:
        cur = store.con.cursor()
        try:
            cur.execute("BEGIN TRANSACTION")  # one consistent snapshot of every table
            tables = {name: _write_table(cur, name, tmp) for name in store_tables(cur)}
            version = data_version(cur)
            cur.execute("ROLLBACK")
        finally:
            cur.close()
        manifest = {"format": FORMAT, "created": datetime.now().isoformat(timespec="seconds"),
                    "source": str(store.path), "data_version": version, "tables": tables}
        (tmp / MANIFEST).write_bytes(json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"))
        os.chmod(tmp / MANIFEST, PRIVATE_FILE)
        _synced(tmp / MANIFEST)
        if out.exists():
            out.rmdir()
        os.replace(tmp, out)
        _synced(out.parent)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


# --- reading and verifying a backup -------------------------------------------------------------------------------


def _checked_tables(tables, path: Path, form: str) -> dict:
    """The manifest's tables, each with its file name; a malformed entry is a :class:`BackupError`."""
    bad = BackupError(f"{path}: 清单格式不对 (malformed manifest)")
    if not isinstance(tables, dict):
        raise bad
    out = {}
    for name, info in tables.items():
        if not isinstance(info, dict) or not isinstance(info.get("rows"), int):
            raise bad
        file = info.get("file", f"{name}.parquet") if form == FORMAT else f"{name}.parquet"
        if not isinstance(file, str) or Path(file).name != file or file.startswith(".") \
                or not file.endswith(".parquet"):
            raise BackupError(f"{path}: 表 {name} 的文件名 {file!r} 不是备份文件夹中的文件名 (unsafe file name)")
        if form == FORMAT and not (isinstance(info.get("bytes"), int) and _HEX64.match(str(info.get("sha256")))):
            raise bad
        out[name] = {**info, "file": file}
    return out


def read_manifest(src_dir: str | Path) -> dict:
    """The manifest of a backup folder, checked for form (not yet against the files: see :func:`verify_backup`)."""
    src = Path(src_dir)
    path = src / MANIFEST
    if not src.is_dir() or not path.is_file():
        raise BackupError(f"{src} 不是 flagboard 备份目录（缺少 {MANIFEST}）(not a backup folder)")
    try:
        manifest = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BackupError(f"{path}: 清单已损坏，不是有效的 JSON (corrupt manifest)") from None
    form = manifest.get("format") if isinstance(manifest, dict) else None
    if form not in (FORMAT, UNVERIFIABLE):
        raise BackupError(f"{path}: 不认识的备份格式 {form!r} (unknown backup format)")
    return {**manifest, "tables": _checked_tables(manifest.get("tables"), path, form)}


def _file_problems(src: Path, manifest: dict) -> list[str]:
    """Every file of the folder against the manifest: missing, extra, and (format 2) size and SHA-256."""
    tables = manifest["tables"]
    listed = {info["file"]: name for name, info in tables.items()}
    present = {p.name for p in src.iterdir()} - {MANIFEST}
    problems = [f"缺少表 {listed[f]} 的文件 {f} (missing file)" for f in sorted(set(listed) - present)]
    problems += [f"多出文件 {f}，清单中没有 (extra file, not in the manifest)" for f in sorted(present - set(listed))]
    if manifest["format"] != FORMAT:
        return problems
    for file in sorted(set(listed) & present):
        info, path = tables[listed[file]], src / file
        if not path.is_file():
            problems.append(f"{file} 不是文件 (not a file)")
        elif path.stat().st_size != info["bytes"]:
            problems.append(f"{file} 有 {path.stat().st_size:,} 字节，清单记为 {info['bytes']:,} 字节：文件被截断或改动 "
                            f"(size differs from the manifest: truncated or changed)")
        elif sha256_of(path) != info["sha256"]:
            problems.append(f"{file} 的 SHA-256 校验和与清单不符：文件被改动或损坏 (checksum mismatch: changed or damaged)")
    return problems


def verify_backup(src_dir: str | Path, unverified: bool = False) -> dict:
    """The manifest of a backup folder whose every file matches it; else a :class:`BackupError` listing every
    problem at once. A backup of format 1 (no checksums) passes only with ``unverified=True``."""
    src = Path(src_dir)
    manifest = read_manifest(src)
    if manifest["format"] != FORMAT and not unverified:
        raise BackupError(f"{src} 是旧版本的备份（{manifest['format']}），没有 SHA-256 校验和，无法确认完好 "
                          f"(old backup without checksums)；如确认要恢复，请加 --unverified")
    problems = _file_problems(src, manifest)
    if problems:
        raise BackupError("\n".join([f"备份 {src} 未通过校验，共 {len(problems)} 处问题 (backup failed verification):"]
                                    + [f"  {p}" for p in problems]))
    return manifest


# --- backups beside the store: after a publish, on request, listed and zipped for download -------------------------


def backups_dir(store: Store) -> Path:
    """The folder beside the store file that holds its backups (``<store dir>/backups``)."""
    if store.path == ":memory:":
        raise BackupError("内存中的数据库没有所在文件夹，请用 flagboard backup --out 指定备份目录 (in-memory store)")
    return Path(store.path).resolve().parent / BACKUPS


FAULTS = (BackupError, OSError, duckdb.Error)  # what a backup can meet: refusal, disk full or unwritable, store fault


def verified_backup(store: Store, out_dir: str | Path) -> dict:
    """:func:`backup` then :func:`verify_backup`; returns the manifest. A backup that fails its verification is
    removed (and the error raised): no folder that looks complete is left unverified."""
    backup(store, out_dir)
    try:
        return verify_backup(out_dir)
    except BackupError:
        shutil.rmtree(out_dir, ignore_errors=True)
        raise


def backup_beside(store: Store, label: str) -> Path:
    """A verified backup in ``<store dir>/backups/<label>-<time>/``; returns its folder. A backup that fails its
    verification is removed (and the error raised): no folder that looks complete is left unverified."""
    parent = backups_dir(store)
    parent.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    os.chmod(parent, PRIVATE_DIR)  # also one made by an older version (0755)
    stem = f"{_UNSAFE.sub('_', label).strip('._') or 'backup'}-{datetime.now():%Y%m%d-%H%M%S}"
    folder, n = parent / stem, 1
    while folder.exists():
        n += 1
        folder = parent / f"{stem}-{n}"
    verified_backup(store, folder)
    return folder


def after_publish(store: Store, scheme: str, period: str) -> Path:
    """The verified backup every publish leaves: ``<store dir>/backups/<scheme>-<period>-<time>/``. Call it after
    the store's publish has committed (from the CLI ``publish`` verb and the dashboard's publish button)."""
    return backup_beside(store, f"{scheme}-{period}")


def list_backups(folder: str | Path) -> pd.DataFrame:
    """The backup folders in ``folder``, newest first: name, created, tables, rows, bytes (from each manifest; a
    folder whose manifest does not read is listed with empty figures)."""
    rows = []
    for path in sorted(Path(folder).iterdir()) if Path(folder).is_dir() else []:
        if not path.is_dir() or path.name.startswith("."):
            continue
        try:
            manifest = read_manifest(path)
        except BackupError:
            rows.append({"name": path.name, "created": "", "tables": None, "rows": None, "bytes": None})
            continue
        tables = manifest["tables"].values()
        rows.append({"name": path.name, "created": str(manifest.get("created", "")), "tables": len(tables),
                     "rows": sum(t["rows"] for t in tables), "bytes": sum(t.get("bytes", 0) for t in tables)})
    columns = ["name", "created", "tables", "rows", "bytes"]
    return pd.DataFrame(rows, columns=columns).sort_values(["created", "name"], ascending=False, ignore_index=True)


def zip_backup(folder: str | Path, manifest: dict | None = None) -> bytes:
    """A verified backup folder as ZIP bytes (entries ``<folder name>/<file>``; Parquet is compressed already, so
    stored as is). Unzipped it is the folder again; ``flagboard restore --from`` also takes the ZIP itself.
    ``manifest``: the folder's, when it was verified just now (else it is verified here)."""
    src = Path(folder)
    manifest = manifest if manifest is not None else verify_backup(src)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as zf:
        for file in [MANIFEST] + [t["file"] for t in manifest["tables"].values()]:
            zf.write(src / file, f"{src.name}/{file}")
    return out.getvalue()
