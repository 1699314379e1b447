"""Verbs that work on a store file: ``demo``, ``import``, ``export``."""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from cli.common import (DEFAULT_DB, EXIT_BAD_INPUT, CliError, add_problems_option, cli_actor, get_rubric,
                        league_columns, report, write_csv_atomic)
from queries.league import league
from queries.workflow import period_status
from queries.store import Actor, RefusedError, Store, StoreBusyError
from scoring.isolated import read_path_isolated
from scoring.demo import demo_observations, demo_periods, with_tie_scenarios
from scoring.phases import demo_phase_rows
from scoring.problems import InputError

ROSTER_DIR = Path(__file__).resolve().parent.parent / "data" / "rosters"
DEMO_WHO = "flagboard demo（演示数据）"


def add_parsers(sub) -> None:
    p = sub.add_parser("demo", help="create/refresh a store with clearly labelled demo data (演示数据)")
    p.add_argument("--db", default=str(DEFAULT_DB), help=f"store file (default {DEFAULT_DB})")
    p.add_argument("--rubric", default="zichuan-2022")
    p.add_argument("--seed", type=int, default=2022)
    p.set_defaults(func=run_demo)

    p = sub.add_parser("import", help="import an observation file into a store (atomic; replaces those units' facts)")
    p.add_argument("--db", default=str(DEFAULT_DB))
    p.add_argument("--rubric", required=True)
    p.add_argument("--who", default=None,
                   help="a name to declare (recorded in the audit trail beside your OS account, shown as declared)")
    p.add_argument("--why", default="", help="reason (required for a period that was published and reopened)")
    add_problems_option(p)
    p.add_argument("file")
    p.set_defaults(func=run_import)

    p = sub.add_parser("export", help="export a period's league table from a store (same columns as score)")
    p.add_argument("--db", default=str(DEFAULT_DB))
    p.add_argument("--rubric", required=True)
    p.add_argument("--period", required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(func=run_export)


def open_store(db: str, read_only: bool = False) -> Store:
    try:
        return Store(db, read_only=read_only)
    except StoreBusyError as exc:
        raise CliError(str(exc)) from None


def roster(rubric_id: str) -> pd.DataFrame:
    """The demo roster of a scheme: data/rosters/<prefix>.csv (entity, kind, group)."""
    name = rubric_id.split("-")[0]
    path = ROSTER_DIR / f"{name}.csv"
    if not path.exists():
        raise CliError(f"没有 {rubric_id} 的演示名单 (no demo roster {path.name})")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def demo_frame(rubric, seed: int = 2022) -> pd.DataFrame:
    """Demo observations for a preset: its roster (only the rubric's kind when the roster lists several kinds,
    e.g. Liaoning's center/subcenter/township/station), its demo periods, its phases and constructed ties."""
    units = roster(rubric.id)
    if rubric.entity_kind in set(units.get("kind", [])):
        units = units[units["kind"] == rubric.entity_kind]
    groups = dict(zip(units["entity"], units["group"]))
    periods = demo_periods(rubric)
    frame = demo_observations(rubric, list(units["entity"]), periods, seed=seed, groups=groups)
    frame = demo_phase_rows(frame, rubric, seed)
    return with_tie_scenarios(frame, rubric, periods)


def run_demo(args) -> int:
    rubric = get_rubric(args.rubric)
    frame = demo_frame(rubric, args.seed)
    try:
        with open_store(args.db) as store:
            store.import_observations(rubric, frame, who=Actor(DEMO_WHO, "cli"), source="演示数据 demo generator",
                                     is_demo=True)
    except RefusedError as exc:  # a published (locked) period: demo data never overwrites it
        raise CliError(str(exc)) from None
    print(f"演示数据 demo data: {frame['entity'].nunique()} units × {frame['period'].nunique()} periods, "
          f"{len(frame)} rows → {args.db}")
    return 0


def run_import(args) -> int:
    """File checks (size, type, budgets, macros, formulas; in a limited child process), then one transaction;
    a locked period is refused."""
    rubric = get_rubric(args.rubric)
    who = cli_actor(args)
    try:
        upload = read_path_isolated(args.file)
        with open_store(args.db) as store:
            batch = store.import_observations(rubric, upload.obs, who=who, source=Path(args.file).name,
                                              rubric_ref=args.rubric, why=args.why)
            plan = store.last_plan
    except RefusedError as exc:
        raise CliError(str(exc)) from None
    except InputError as exc:
        report(exc.problems, args.problems)
        print("未写入任何数据 (nothing was written)", file=sys.stderr)
        return EXIT_BAD_INPUT
    report(upload.notices + plan.warnings, args.problems, count=False)
    if batch is None:
        print(f"无变化 no change: {len(upload.obs)} rows are already stored exactly so → {args.db}")
    else:
        print(f"已导入 imported {len(upload.obs)} rows as batch {batch}: {plan.count('new')} 个新单位 new, "
              f"{plan.count('changed')} 个更新 changed, {plan.count('same')} 个不变 unchanged → {args.db}")
    return 0


def run_export(args) -> int:
    rubric = get_rubric(args.rubric)
    if not Path(args.db).exists():
        raise CliError(f"数据库文件不存在 (no store at {args.db})")
    with open_store(args.db) as store:  # read-write: a store made before period statuses is migrated first
        table = league(store, rubric.id, args.period)
        status = period_status(store, rubric.id, args.period)
    if table.empty:
        raise CliError(f"{args.period} 没有 {rubric.id} 的评分结果 (no results for this period)")
    table = table.rename(columns={"grp": "group"})
    write_csv_atomic(league_columns(rubric, table), args.out)
    if status.mark:  # the CSV keeps its contract columns: the status goes to stderr
        print(f"注意 note: {args.period} 的状态为“{status.status}”，导出的是{status.mark}，不是已发布的结果 "
              f"(not published)", file=sys.stderr)
    print(f"已导出 exported {len(table)} units ({status.status}) → {args.out}")
    return 0
