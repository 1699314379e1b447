"""Verbs that bring data in safely and keep it traceable: ``template``, the life of a period (``review`` for
公示, ``draft``, ``publish``, ``reopen``), ``undo``, ``audit``, ``backup``, ``restore``.

Every verb that opens a store turns "another process holds the file" into exit status 2 and a message
(never a lock trace; ``backup`` says to use the data page's backup button or stop the dashboard); a refusal
(locked period, missing reason, nothing to undo) and a backup that fails verification are exit status 2 too.
A publish leaves a verified backup beside the store (:func:`documents.backup.after_publish`).
"""
from __future__ import annotations

import os
from datetime import date, timedelta
import sys
import tempfile
from pathlib import Path


from cli.common import DEFAULT_DB, EXIT_BAD_INPUT, CliError, cli_actor, get_rubric, report
from cli.faults import describe
from cli.store_cmds import open_store
from documents.backup import FAULTS, MANIFEST, BackupError, after_publish, sha256_of, verified_backup
from documents.restore import restore
from documents.template import build_template, default_units, read_units
from queries.audit import KIND_LABELS, audit_log
from queries.data_views import store_units
from queries.store import RefusedError, Store, StoreBusyError, workflow
from scoring.problems import InputError



def _positive_int(text: str) -> int:
    """An argparse type: a whole number ≥ 1 (a bad value is argparse's exit 2 with a message)."""
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为正整数 (a whole number ≥ 1): {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为正整数 (a whole number ≥ 1): {text!r}")
    return value

def _db(p) -> None:
    p.add_argument("--db", default=str(DEFAULT_DB), help=f"store file (default {DEFAULT_DB})")


def _who(p) -> None:
    p.add_argument("--who", default=None,
                   help="a name to declare (recorded in the audit trail beside your OS account, shown as declared)")


def _period_verb(sub, name: str, help_text: str, func, why_help: str, why_required: bool = False) -> None:
    """A verb acting on one period of a store: --db, --rubric, --period, --who and --why."""
    p = sub.add_parser(name, help=help_text)
    _db(p)
    p.add_argument("--rubric", required=True)
    p.add_argument("--period", required=True)
    _who(p)
    if why_required:
        p.add_argument("--why", required=True, help=why_help)
    else:
        p.add_argument("--why", default="", help=why_help)
    p.set_defaults(func=func)


def add_parsers(sub) -> None:
    p = sub.add_parser("template", help="write an XLSX template for one period (pre-filled rows, dropdowns, 说明)")
    p.add_argument("--rubric", required=True)
    p.add_argument("--period", required=True)
    p.add_argument("--out", required=True, help="the .xlsx file to write")
    units = p.add_mutually_exclusive_group()
    units.add_argument("--db", help="take the unit list from this store")
    units.add_argument("--entities", help="a unit list: CSV with an entity column (and group), or one name a line")
    p.set_defaults(func=run_template)

    p = sub.add_parser("review", help="put a draft period in 公示 (public review) for N days: towns see it and "
                                      "may object",
                       description="草稿 → 公示: towns and analysts see the period; each town may object (异议) on its "
                                   "own indicators until the last day. Facts then change only through an accepted "
                                   "objection, or after `flagboard draft` returns the period to 草稿.")
    _db(p)
    p.add_argument("--rubric", required=True)
    p.add_argument("--period", required=True)
    end = p.add_mutually_exclusive_group(required=True)
    end.add_argument("--days", type=_positive_int, help="the review lasts N days, today included")
    end.add_argument("--until", type=_a_date, help="the last day of the review (YYYY-MM-DD)")
    _who(p)
    p.add_argument("--why", default="", help="optional note")
    p.set_defaults(func=run_review)
    _period_verb(sub, "draft", "return a period in 公示 to 草稿 (towns no longer see it); reason required",
                 run_draft, why_help="why the period leaves public review", why_required=True)
    _period_verb(sub, "publish", "publish a period (from 公示; straight from 草稿 only with --why): keep its league "
                 "table as published and lock it", run_publish,
                 why_help="note; required to publish a draft that skipped 公示")
    _period_verb(sub, "reopen", "unlock a published period (the published table is kept); reason required",
                 run_reopen, why_help="why the published period must change", why_required=True)
    _period_verb(sub, "undo", "undo the latest import or edit of a period (restores the facts before it)",
                 run_undo, why_help="reason (required if the period was published and reopened)")

    p = sub.add_parser("audit", help="print the audit trail (who changed what, when and why)")
    _db(p)
    p.add_argument("--rubric", default="", help="only this scheme")
    p.add_argument("--period", default="")
    p.add_argument("--entity", default="")
    p.add_argument("--limit", type=_positive_int, default=50)
    p.set_defaults(func=run_audit)

    p = sub.add_parser("backup", help="back up the whole store to a new folder of Parquet files (+ SHA-256 manifest)")
    _db(p)
    p.add_argument("--out", required=True, help="a new (or empty) folder")
    p.set_defaults(func=run_backup)

    p = sub.add_parser("restore", help="rebuild a store from a verified backup folder or ZIP (the current store is "
                                       "kept aside, its later audit rows carried over)")
    _db(p)
    p.add_argument("--from", dest="src", required=True, help="the backup folder, or the ZIP the data page offers")
    _who(p)
    p.add_argument("--unverified", action="store_true",
                   help="restore an old backup (flagboard-backup/1) that has no checksums to verify")
    p.set_defaults(func=run_restore)


def _existing_db(db: str) -> None:
    if not Path(db).exists():
        raise CliError(f"数据库文件不存在 (no store at {db})")


def _a_date(text: str) -> date:
    """An argparse type: a date written YYYY-MM-DD."""
    import argparse

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应写成 YYYY-MM-DD (a date): {text!r}") from None


def _write_bytes_atomic(data: bytes, path: str | Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def run_template(args) -> int:
    rubric = get_rubric(args.rubric)
    try:
        if args.db:
            _existing_db(args.db)
            with open_store(args.db, read_only=True) as store:
                units = store_units(store, rubric.id)
            if units.empty:
                raise CliError(f"{args.db} 中没有 {rubric.id} 的单位 (no units in the store)")
        elif args.entities:
            units = read_units(args.entities)
        else:
            units = default_units(rubric.id)
        data = build_template(rubric, args.period, units)
    except (ValueError, FileNotFoundError) as exc:
        raise CliError(str(exc)) from None
    _write_bytes_atomic(data, args.out)
    print(f"已生成模板 template: {len(units)} 个单位 units, {args.period} → {args.out}")
    return 0


def _store_action(args, action) -> int:
    """Open the store, run ``action(store)``; refusals and bad input are exit 2 with a message."""
    _existing_db(args.db)
    try:
        with open_store(args.db) as store:
            action(store)
    except RefusedError as exc:
        raise CliError(str(exc)) from None
    except InputError as exc:
        report(exc.problems)
        print("未写入任何数据 (nothing was written)", file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0


def run_publish(args) -> int:
    def act(store):
        scheme = get_rubric(args.rubric).id
        table = store.publish(scheme, args.period, cli_actor(args), args.why)
        print(f"已发布 published {args.period}: {len(table)} 个单位，期间已锁定 (locked)，状态：已发布")
        backup_after_publish(store, scheme, args.period)  # issue 12: every publish leaves a verified backup
    return _store_action(args, act)


def run_review(args) -> int:
    today = date.today()
    until = args.until or today + timedelta(days=args.days - 1)

    def act(store):
        workflow.review(store, cli_actor(args), get_rubric(args.rubric).id, args.period, until=until, today=today,
                        why=args.why)
        print(f"{args.period} 开始公示 in review，截止 until {until:%Y-%m-%d}（含当日）：镇街可查看结果并提出异议")
    return _store_action(args, act)


def run_draft(args) -> int:
    def act(store):
        workflow.withdraw(store, cli_actor(args), get_rubric(args.rubric).id, args.period, why=args.why)
        print(f"{args.period} 已退回草稿 back to draft：镇街和分析人员不再能看到该期间")
    return _store_action(args, act)


def backup_after_publish(store: Store, scheme: str, period: str) -> None:
    """The verified backup a publish leaves (after the publish committed): print where it went; a failure is exit
    status 2 with a message saying the period *is* published and how to back up by hand."""
    try:
        folder = after_publish(store, scheme, period)
    except FAULTS as exc:
        what = str(exc) if isinstance(exc, BackupError) else f"{describe(exc)[0]}（{exc}）"
        raise CliError(f"{period} 已发布并锁定，但发布后的自动备份未完成 (published; the backup after it failed)：{what}。"
                       f"请处理后用 flagboard backup --db {store.path} --out 新文件夹 手动备份") from None
    print(f"已备份 backed up → {folder}（已校验 SHA-256 verified）")


def run_reopen(args) -> int:
    def act(store):
        store.reopen(get_rubric(args.rubric).id, args.period, cli_actor(args), args.why)
        print(f"已重新打开 reopened {args.period}（已发布的榜单保留 the published table is kept）")
    return _store_action(args, act)


def run_undo(args) -> int:
    def act(store):
        info = store.undo_last(get_rubric(args.rubric).id, args.period, cli_actor(args), args.why)
        kind = f"{KIND_LABELS.get(info['kind'], '')} {info['kind']}"
        print(f"已撤销 undone {args.period}: 批次 batch #{info['batch_id']}（{kind} {info['source']}，"
              f"{info['who']}），{info['units']} 个单位恢复为此前的数据")
    return _store_action(args, act)


def run_audit(args) -> int:
    _existing_db(args.db)
    scheme = get_rubric(args.rubric).id if args.rubric else ""
    with open_store(args.db, read_only=True) as store:
        rows = audit_log(store, scheme, args.period, args.entity, args.limit)
    for r in rows.itertuples(index=False):
        why = f"  理由: {r.why}" if r.why else ""
        print(f"{r.ts:%Y-%m-%d %H:%M:%S}  {r.who}  {r.label}  {r.period}  {r.summary}{why}")
    if rows.empty:
        print("没有审计记录 (no audit rows)")
    return 0


HELD_FOR_BACKUP = ("数据库文件 {db} 正被另一个程序（例如正在运行的看板）使用，命令行无法打开它 (the store is held by another "
                   "process; DuckDB allows one per file)。看板运行时请在看板“数据管理”页的“备份”标签点“立即备份”（写到"
                   "数据库旁的 backups/ 文件夹，并可下载 ZIP）；或先停止看板，再运行 flagboard backup")


def run_backup(args) -> int:
    _existing_db(args.db)
    try:
        store = Store(args.db, read_only=True)
    except StoreBusyError:
        raise CliError(HELD_FOR_BACKUP.format(db=args.db)) from None
    try:
        with store:
            manifest = verified_backup(store, args.out)
    except BackupError as exc:
        raise CliError(str(exc)) from None
    n = sum(t["rows"] for t in manifest["tables"].values())
    print(f"已备份 backed up {len(manifest['tables'])} 张表 tables, {n} 行 rows → {args.out}（已校验 verified）\n"
          f"清单 manifest SHA-256: {sha256_of(Path(args.out) / MANIFEST)}")
    return 0


def run_restore(args) -> int:
    try:
        done = restore(args.src, args.db, who=cli_actor(args), unverified=args.unverified)
    except (BackupError, StoreBusyError) as exc:
        raise CliError(str(exc)) from None
    print(f"已恢复 restored {len(done.manifest['tables'])} 张表 tables, {done.rows} 行 rows → {args.db}"
          f"（备份 backup {done.manifest.get('created', '')}，清单 manifest SHA-256 {done.manifest_sha256}）")
    if done.kept:
        print(f"原数据库无法打开，已移到 {done.kept} (unopenable store moved aside)" if done.unopenable
              else f"原数据库已另存为 {done.kept} (previous store kept)")
    if done.carried:
        print(f"原数据库在备份之后的 {done.carried} 条审计记录已保留在恢复后的审计日志中 (later audit rows carried over)")
    if done.skipped:
        print(f"备份中的表 {'、'.join(done.skipped)} 在当前版本中是视图，由其他表算出，未载入；请核对结果或重新评分 "
              f"(tables that are views now were not loaded)", file=sys.stderr)
    return 0
