"""Restore a store from a backup (a folder, or the ZIP the data page offers), keeping the store it replaces and
that store's later audit rows.

1. The store being replaced: held by another process → :class:`~queries.store.StoreBusyError`; opens → its
   audit rows are read; does not open (zero-length, corrupt, not a DuckDB file) → it is only moved aside.
2. The backup is verified (:func:`documents.backup.verify_backup`): a missing, extra, truncated or changed file
   refuses the restore and nothing is touched.
   Who may restore is that store's write door's decision (the command line: its administrator; an account: the
   office only, a refusal audited there).
3. A new store file is built beside it (the current schema, so views and new tables are the current ones) and
   filled through the write door in one transaction: every base table of the backup, whatever tables there are
   (row counts checked; the wide results of a backup made before the lean table are upgraded as such a store is),
   then the replaced store's audit rows the backup does not hold, then the restore's own audit row.
4. The replaced store is moved aside (``<name>.before-restore-<time>``, or ``<name>.unopenable-<time>``; its WAL
   with it) and the new file renamed into place. Any failure before that leaves the store as it was.

Audit ids stay unique: the backup's rows keep their ids; the carried rows get fresh ids after the highest of
them, in their original order (time, then id), with ``carried_over: {original_id, restore_audit_id}`` added to
their detail; the restore's own row comes last. Their data effects are undone by the restore; they stay as
history. A row counts as held by the backup when id, time, who and action are equal.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from documents.backup import (FORMAT, MANIFEST, SQL, BackupError, read_manifest, sha256_of, store_tables,
                              verify_backup)
from queries.store import Actor, AuditEntry, Request, Store, StoreBusyError, Written
from queries.store.connection import (WIDE_RESULTS, continue_id_sequences, make_room_for_wide_results,
                                      upgrade_results)
from queries.store.door import allow_everyone, data_version
from queries.store.errors import NotPermittedError, is_held
from queries.store.permissions import SIGNED_OUT

NOT_RESTORED = "未恢复任何数据，数据库保持原样 (nothing restored; the store is unchanged)"
_AUDIT_KEYS = ("audit_id", "ts", "who", "action")  # an audit row the backup holds has these equal


@dataclass(frozen=True)
class Replaced:
    """The store a restore replaces: whether it exists and opens, and its audit rows if it does."""

    exists: bool = False
    opens: bool = True
    error: str = ""  # why it does not open
    audit: pd.DataFrame = field(default_factory=pd.DataFrame)
    scope: pd.DataFrame = field(default_factory=pd.DataFrame)


@dataclass(frozen=True)
class Restored:
    """What a restore did: the backup's manifest and its SHA-256, where the replaced store went, how many of its
    audit rows were carried over, which backup tables were not loaded (views now), the restore's audit id."""

    manifest: dict
    manifest_sha256: str
    kept: str | None
    unopenable: bool
    carried: int
    skipped: tuple[str, ...]
    audit_id: int

    @property
    def rows(self) -> int:
        return sum(t["rows"] for t in self.manifest["tables"].values())


def _replaced(db: Path) -> Replaced:
    """Look at the store file a restore will replace, without changing it."""
    if not db.exists():
        return Replaced()
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error as exc:
        if is_held(exc):  # another process, or this one, has it open
            raise StoreBusyError(str(db)) from None
        if "permission denied" in str(exc).lower():
            raise
        return Replaced(exists=True, opens=False, error=str(exc).strip().splitlines()[0][:300])
    try:
        tables = set(store_tables(con))
        audit = con.table("audit").df() if "audit" in tables else pd.DataFrame()
        scope = con.table("audit_scope").df() if "audit_scope" in tables else pd.DataFrame()
    except duckdb.Error as exc:  # opens, but its audit does not read: damaged all the same
        return Replaced(exists=True, opens=False, error=str(exc).strip().splitlines()[0][:300])
    finally:
        con.close()
    return Replaced(exists=True, audit=audit, scope=scope)


def _insert(cur, table: str, rel) -> list[str]:
    """Append relation ``rel`` to ``table`` by column name (a column the table has and ``rel`` lacks: NULL).
    Returns the columns of ``rel`` the table does not have (not copied)."""
    rel.select(*[duckdb.ColumnExpression(c) if c in rel.columns else duckdb.ConstantExpression(None).alias(c)
                 for c in cur.table(table).columns]).insert_into(table)
    return [c for c in rel.columns if c not in cur.table(table).columns]


def _carried_detail(detail, original_id: int, restore_id: int) -> str:
    try:
        value = json.loads(detail) if isinstance(detail, str) and detail else {}
    except ValueError:
        value = {"text": detail}
    value = value if isinstance(value, dict) else {"value": value}
    value["carried_over"] = {"original_id": int(original_id), "restore_audit_id": restore_id}
    return json.dumps(value, ensure_ascii=False, default=str)


def _carry_audit(cur, replaced: Replaced) -> tuple[int, list[int]]:
    """Append the replaced store's audit rows (and scope) the backup does not hold, under fresh ids after the
    highest stored; returns (the restore row's id to come, the fresh ids)."""
    start = data_version(cur) + 1
    old = replaced.audit
    if old.empty or not set(_AUDIT_KEYS) <= set(old.columns):
        return start, []
    keys = list(_AUDIT_KEYS)
    held = cur.table("audit").select(*keys).df().drop_duplicates()
    later = old.merge(held, on=keys, how="left", indicator=True)
    later = later[later["_merge"] == "left_only"].drop(columns="_merge")
    if later.empty:
        return start, []
    later = later.sort_values(["ts", "audit_id"], kind="stable", ignore_index=True)
    restore_id = start + len(later)
    new_ids = list(range(start, restore_id))
    mapping = pd.DataFrame({"audit_id": later["audit_id"], "new_id": new_ids})
    later["detail"] = [_carried_detail(d, i, restore_id) for d, i in zip(later.get("detail", [""] * len(later)),
                                                                           later["audit_id"])]
    _insert(cur, "audit", cur.from_df(later.assign(audit_id=new_ids)))
    if not replaced.scope.empty and "audit_id" in replaced.scope.columns:
        scope = replaced.scope.merge(mapping, on="audit_id")
        _insert(cur, "audit_scope", cur.from_df(scope.assign(audit_id=scope["new_id"]).drop(columns="new_id")))
    return restore_id, new_ids


def load_backup(cur, src: Path, manifest: dict, replaced: Replaced, about: dict) -> Written:
    """Write command: fill an empty store with the tables of a backup (row counts checked), append the replaced
    store's later audit rows, and ask for the restore's own audit row (``about`` plus what was loaded).

    A table the current schema has as a view is not loaded (the schema computes it), except the wide per-indicator
    results of a backup made before the lean table: loaded, then upgraded as a store of that age is when opened
    (into ``result_points``, the view made again)."""
    existing, views = set(store_tables(cur)), set(SQL.store_views(cur)["table_name"])
    skipped, dropped, upgraded = [], {}, []
    for name, info in manifest["tables"].items():
        if name in views and name != WIDE_RESULTS:  # a table of an older schema that is a view now
            skipped.append(name)
            continue
        rel = cur.read_parquet(str(src / info["file"]))
        if name in views:
            make_room_for_wide_results(cur)
            rel.create(name)
            upgraded.append(name)
        elif name in existing:
            if extra := _insert(cur, name, rel):
                dropped[name] = extra
        else:
            rel.create(name)
        n = int(cur.table(name).count("*").fetchall()[0][0])
        if n != info["rows"]:
            raise BackupError(f"表 {name} 恢复了 {n} 行，备份中应为 {info['rows']} 行 (row count mismatch)")
    if upgraded:
        upgrade_results(cur)  # after every other table: it needs the results and the stored rubrics
    restore_id, carried = _carry_audit(cur, replaced)
    continue_id_sequences(cur)  # the restore's own row (next) and later writes get ids after every stored one
    detail = {**about, "carried_audit_rows": len(carried),
              "carried_audit_ids": [carried[0], carried[-1]] if carried else [],
              "skipped_views": skipped, "upgraded_tables": upgraded, "dropped_columns": dropped}
    return Written((tuple(skipped), len(carried), restore_id), (AuditEntry.periods("restore", "", [], detail),))


# --- the files: a ZIP unpacked, the replaced store moved aside ------------------------------------------------------


def _zip_members(zf: zipfile.ZipFile, src: Path) -> dict[str, zipfile.ZipInfo]:
    """The files of a backup ZIP by plain name (one optional top folder); anything else is refused."""
    files = [i for i in zf.infolist() if not i.is_dir()]
    tops = {Path(i.filename).parts[0] for i in files if len(Path(i.filename).parts) == 2}
    members = {}
    for info in files:
        parts = Path(info.filename).parts
        name = parts[-1]
        if len(parts) > 2 or (len(parts) == 2 and len(tops) > 1) or name.startswith(".") or ".." in parts \
                or info.filename.startswith("/") or name in members:
            raise BackupError(f"{src}: ZIP 中的 {info.filename!r} 不是备份文件夹中的文件 (not a backup ZIP)")
        members[name] = info
    return members


def _unzip(src: Path, into: Path) -> None:
    """Extract a backup ZIP into folder ``into``: only the files its manifest lists, each no larger than listed."""
    try:
        with zipfile.ZipFile(src) as zf:
            members = _zip_members(zf, src)
            if MANIFEST not in members or members[MANIFEST].file_size > 64 << 20:
                raise BackupError(f"{src} 不是 flagboard 备份（ZIP 中缺少 {MANIFEST}）(not a backup ZIP)")
            (into / MANIFEST).write_bytes(zf.read(members[MANIFEST]))
            sizes = _listed_sizes(into)
            for name, info in members.items():
                if name != MANIFEST and name in sizes and (sizes[name] is None or info.file_size == sizes[name]):
                    with zf.open(info) as fh, open(into / name, "wb") as out:
                        shutil.copyfileobj(fh, out)
                elif name != MANIFEST:  # not listed, or larger than listed: left out, so verification names it
                    (into / name).write_bytes(b"")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise BackupError(f"{src}: ZIP 文件已损坏 (corrupt ZIP: {exc})") from None


def _listed_sizes(folder: Path) -> dict[str, int | None]:
    """The files a manifest lists, with their sizes (none when it does not read: verification will say why)."""
    try:
        manifest = read_manifest(folder)
    except BackupError:
        return {}
    return {t["file"]: t.get("bytes") for t in manifest["tables"].values()}


@contextmanager
def _backup_folder(src: Path, work: Path):
    """The backup folder to restore from: ``src`` itself, or a ZIP unpacked into a temporary folder in ``work``."""
    if not src.is_file():
        yield src
        return
    if not zipfile.is_zipfile(src):
        raise BackupError(f"{src} 不是 flagboard 备份目录或备份 ZIP (not a backup folder or ZIP)")
    folder = Path(tempfile.mkdtemp(dir=work, prefix=f".{src.stem}.", suffix=".unzip"))
    try:
        _unzip(src, folder)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _aside(db: Path, replaced: Replaced) -> Path | None:
    """Where the replaced store goes: ``<name>.before-restore-<time>`` or ``<name>.unopenable-<time>``."""
    if not replaced.exists:
        return None
    stem = f"{db.name}.{'before-restore' if replaced.opens else 'unopenable'}-{datetime.now():%Y%m%d-%H%M%S}"
    kept, n = db.with_name(stem), 1
    while kept.exists() or Path(f"{kept}.wal").exists():
        n += 1
        kept = db.with_name(f"{stem}-{n}")
    return kept


def _swap(db: Path, new: Path, kept: Path | None) -> None:
    """Move the replaced store (and its WAL) aside and the new file into place; undo the moves on failure."""
    moved = []
    try:
        if kept is not None:
            os.replace(db, kept)
            moved.append((kept, db))
        wal = Path(f"{db}.wal")
        if wal.exists():
            target = Path(f"{kept}.wal") if kept else wal.with_name(f"{wal.name}.stale-{datetime.now():%Y%m%d-%H%M%S}")
            os.replace(wal, target)
            moved.append((target, wal))
        os.replace(new, db)
    except BaseException:
        for there, back in reversed(moved):
            os.replace(there, back)
        raise


def _asked(cur) -> Written:
    """Write command that writes nothing: the current store's door only decides whether a restore may happen."""
    return Written()


def _permitted(db: Path, who: Actor, replaced: Replaced) -> None:
    """Whether ``who`` may restore over the store at ``db``, decided by that store's write door: the command line
    acts as the store's administrator; a signed-in account (``via="dashboard"``) must be the office's there (a
    refusal is audited in that store, and nothing is restored). The new store, empty until loaded, has no accounts
    to ask, so it lets the restore's own write through."""
    if who.via != "dashboard":
        return
    if not (replaced.exists and replaced.opens):
        raise NotPermittedError(SIGNED_OUT)  # no store, no accounts: no account may restore here
    with Store(db) as current:
        current.write(who, Request("restore"), _asked)


def restore(src: str | Path, db_path: str | Path, who: Actor | str, unverified: bool = False) -> Restored:
    """Rebuild the store at ``db_path`` from a backup folder or ZIP for ``who`` (see the module docstring).

    Raises :class:`BackupError` (nothing touched) for a backup that fails verification,
    :class:`~queries.store.StoreBusyError` if another process holds ``db_path``, and
    :class:`~queries.store.NotPermittedError` for an account other than the office's (see :func:`_permitted`).
    """
    src, db, who = Path(src), Path(db_path), Actor.of(who)
    db.parent.mkdir(parents=True, exist_ok=True)
    replaced = _replaced(db)  # first: a store the dashboard holds is refused before anything else is read
    _permitted(db, who, replaced)
    with _backup_folder(src, db.parent) as folder:
        try:
            manifest = verify_backup(folder, unverified)
        except BackupError as exc:
            raise BackupError(f"{exc}\n{NOT_RESTORED}") from None
        digest = sha256_of(folder / MANIFEST)
        kept = _aside(db, replaced)
        about = {"backup": str(src), "manifest_sha256": digest, "verified": manifest["format"] == FORMAT,
                 "backup_created": manifest.get("created"), "backup_source": manifest.get("source"),
                 "tables": {name: t["rows"] for name, t in manifest["tables"].items()},
                 "replaced": {"path": str(db), "kept": str(kept) if kept else None,
                              "state": "none" if not replaced.exists else "openable" if replaced.opens else "unopenable",
                              "error": replaced.error}}
        fd, name = tempfile.mkstemp(dir=db.parent, prefix=f".{db.name}.", suffix=".restore")
        os.close(fd)
        os.unlink(name)  # DuckDB must create the file itself
        new = Path(name)
        try:
            with Store(new, permission=allow_everyone) as fresh:  # the current schema, empty; who may: above
                skipped, carried, audit_id = fresh.write(who, Request("restore"), load_backup, folder, manifest,
                                                         replaced, about)
                fresh.con.execute("CHECKPOINT")
            _swap(db, new, kept)
        except BaseException:
            for leftover in (new, Path(f"{new}.wal")):
                if leftover.exists():
                    leftover.unlink()
            raise
    return Restored(manifest, digest, str(kept) if kept else None, replaced.exists and not replaced.opens,
                    carried, skipped, audit_id)
