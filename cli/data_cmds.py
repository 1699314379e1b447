"""Verbs that bring data in safely and keep it traceable: ``template``, the life of a period (``review`` for
公示, ``draft``, ``publish``, ``reopen``), ``undo``, ``audit``, ``backup``, ``restore``.

Every verb that opens a store turns "another process holds the file" into exit status 2 and a message
(never a lock trace); a refusal (locked period, missing reason, nothing to undo) is exit status 2 too.
"""
from __future__ import annotations

import getpass
import os
from datetime import date, timedelta
import sys
import tempfile
from pathlib import Path

from cli.common import DEFAULT_DB, EXIT_BAD_INPUT, CliError, cli_actor, get_rubric, report
from cli.store_cmds import open_store
from documents.backup import BackupError, backup, restore
from documents.template import build_template, default_units, read_units
from queries.audit import KIND_LABELS, audit_log
from queries.data_views import store_units
from queries.store import Actor, RefusedError, StoreBusyError, workflow
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

    p = sub.add_parser("backup", help="back up the whole store to a new folder of Parquet files")
    _db(p)
    p.add_argument("--out", required=True, help="a new (or empty) folder")
    p.set_defaults(func=run_backup)

    p = sub.add_parser("restore", help="rebuild a store from a backup folder (an existing store is kept aside)")
    _db(p)
    p.add_argument("--from", dest="src", required=True, help="the backup folder")
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
        table = store.publish(get_rubric(args.rubric).id, args.period, cli_actor(args), args.why)
        print(f"已发布 published {args.period}: {len(table)} 个单位，期间已锁定 (locked)，状态：已发布")
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


def run_backup(args) -> int:
    _existing_db(args.db)
    try:
        with open_store(args.db, read_only=True) as store:
            manifest = backup(store, args.out)
    except BackupError as exc:
        raise CliError(str(exc)) from None
    n = sum(t["rows"] for t in manifest["tables"].values())
    print(f"已备份 backed up {len(manifest['tables'])} 张表 tables, {n} 行 rows → {args.out}")
    return 0


def run_restore(args) -> int:
    try:
        result = restore(args.src, args.db, who=Actor(getpass.getuser(), "cli"))
    except (BackupError, StoreBusyError) as exc:
        raise CliError(str(exc)) from None
    n = sum(t["rows"] for t in result["tables"].values())
    kept = f"；原数据库已另存为 {result['kept']} (previous store kept)" if result["kept"] else ""
    print(f"已恢复 restored {len(result['tables'])} 张表 tables, {n} 行 rows → {args.db}{kept}")
    return 0
