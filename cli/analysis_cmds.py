"""``flagboard payout``, ``flagboard contract`` and ``flagboard robustness``: money and the awards' robustness,
checked from the command line without the dashboard.

- ``payout``: per contract year × unit, the mean, band, rate, price, base amount, certification counts, shortfall,
  deduction and payout (from the store's monthly finals and stored contract terms, or from an observation file);
- ``contract``: store one contract year's price and certification counts (audited, through the write door);
- ``robustness``: per unit its final, the range of finals the judged items allow, best and worst rank, whether 好
  and the flag are possible or certain; every award that can change printed with its witness on stderr (or
  written with ``--witnesses FILE``).
"""
from __future__ import annotations

import sys

import pandas as pd

from cli.common import (DEFAULT_DB, CliError, add_problems_option, cli_actor, get_rubric, report,
                        write_csv_atomic, write_csvs_atomic)
from cli.store_cmds import open_store
from queries.payout import payout_rows, stored_payout
from queries.robustness import stored_robustness
from queries.store import RefusedError
from scoring.engine import score
from scoring.isolated import read_path_isolated
from scoring.payout import ContractTerms
from scoring.problems import InputError
from scoring.robustness import COLUMNS as ROBUST_COLUMNS


def add_parsers(sub) -> None:
    p = sub.add_parser("payout", help="payout per contract year × unit (schemes with a payout rule, e.g. haikou-2023)",
                       description="Money per contract year from the store (or from an observation file). Columns: "
                                   "window,entity,months,mean,band,rate,price,base_amount,certified,target,shortfall,"
                                   "deduction,payout.")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--db", default=None, help=f"store file (default {DEFAULT_DB})")
    where.add_argument("--input", help="an observation file (CSV/XLSX) instead of a store: scored, not stored")
    p.add_argument("--rubric", required=True)
    p.add_argument("--window", help="one contract year, as the rubric names it (e.g. 第一年); default every year")
    p.add_argument("--out", required=True, help="PAYOUT.csv to write")
    add_problems_option(p)
    p.set_defaults(func=run_payout)

    p = sub.add_parser("contract", help="store one contract year's price and certification counts (audited)")
    p.add_argument("--db", default=str(DEFAULT_DB))
    p.add_argument("--rubric", required=True)
    p.add_argument("--window", required=True, help="the contract year as the rubric names it (e.g. 第一年)")
    p.add_argument("--price", type=float, help="中标价 of this contract year (yuan)")
    p.add_argument("--target", type=int, help="persons the certification requirement asks for")
    p.add_argument("--certified", type=int, help="persons who passed")
    p.add_argument("--staff", type=int, help="all window staff (for shortfall_basis: every_unpassed)")
    p.add_argument("--who", default=None, help="a declared name, kept beside the OS account in the audit")
    p.add_argument("--why", default="")
    p.set_defaults(func=run_contract)

    p = sub.add_parser("robustness", help="can a different but allowed judgement change the red flag or a 好?",
                       description="Per unit: period,entity,final,final_min,final_max,best_rank,worst_rank,"
                                   "good_possible,good_certain,flag_possible; every award that can change is printed "
                                   "with a witness (allowed judgements under which it changes).")
    p.add_argument("--db", default=str(DEFAULT_DB))
    p.add_argument("--rubric", required=True)
    p.add_argument("--period", required=True)
    p.add_argument("--out", required=True, help="ROBUST.csv to write")
    p.add_argument("--witnesses", help="also write every witness to this CSV (one row per judgement moved)")
    p.set_defaults(func=run_robustness)


def _money(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in ("price", "base_amount", "deduction", "payout"):
        out[col] = [f"{v:.2f}" for v in out[col]]
    out["mean"] = [f"{v:.4f}" for v in out["mean"]]
    out["rate"] = [f"{v:g}" for v in out["rate"]]
    return out


def run_payout(args) -> int:
    rubric = get_rubric(args.rubric)
    if rubric.payout is None or not rubric.windows:
        raise CliError(f"细则 {rubric.id} 没有按考核结果付款的规定 (no payout rule; see e.g. haikou-2023)")
    try:
        if args.input:
            upload = read_path_isolated(args.input)
            finals = score(upload.obs, rubric).league[["period", "entity", "final"]]
            result = payout_rows(finals, rubric, {}, args.window)
        else:
            with open_store(args.db or str(DEFAULT_DB)) as store:
                result = stored_payout(store, rubric.id, args.window)
    except InputError as exc:
        report(exc.problems, args.problems)
        return 2
    except ValueError as exc:
        raise CliError(str(exc)) from None
    if result.table.empty:
        raise CliError(f"没有 {args.window or '任何合同年度'} 的月度结果 (no monthly results for that contract year)")
    for line in result.warnings:
        print(f"[提醒 warning] {line}", file=sys.stderr)
    write_csv_atomic(_money(result.table), args.out)
    print(f"已写出 wrote {len(result.table)} 行 rows → {args.out}")
    return 0


def run_contract(args) -> int:
    rubric = get_rubric(args.rubric)
    terms = ContractTerms(args.price, args.target, args.certified, args.staff)
    with open_store(args.db) as store:
        before = store.rubric(rubric.id)
        try:
            store.set_contract_terms(before.id, args.window, terms, who=cli_actor(args),
                                     why=args.why)
        except RefusedError as exc:
            raise CliError(str(exc)) from None
    print(f"已保存 saved {args.window}：中标价 {terms.price}，目标 {terms.target}，通过 {terms.certified}，人员 {terms.staff}")
    return 0


def run_robustness(args) -> int:
    rubric = get_rubric(args.rubric)
    with open_store(args.db) as store:
        result = stored_robustness(store, rubric.id, args.period)
    if result is None:
        raise CliError(f"{args.period} 没有评分结果 (no results for this period)")
    table = result.table.copy()
    for col in ("final", "final_min", "final_max"):
        table[col] = [f"{v:.4f}" for v in table[col]]
    for col in ("good_possible", "good_certain", "flag_possible"):
        table[col] = table[col].map({True: "1", False: "0"})
    outputs = [(table[ROBUST_COLUMNS], args.out)]
    rows = []
    for verdict in result.groups:
        where = f"{verdict.period}{' ' + verdict.group if verdict.group else ''}"
        if verdict.flag_now:
            print(f"{where} {verdict.summary}", file=sys.stderr)
        for entity, witness in verdict.good_witnesses.items():
            print(f"{where} 好：{witness.describe()}", file=sys.stderr)
        for kind, witnesses in (("flag", verdict.flag_witnesses), ("good", list(verdict.good_witnesses.values()))):
            for n, w in enumerate(witnesses):
                rows += [{"period": verdict.period, "group": verdict.group, "award": kind, "witness": n + 1,
                          "outcome": w.outcome, **c} for c in w.changes]
    if args.witnesses:
        columns = ["period", "group", "award", "witness", "outcome", "line", "entity", "indicator", "item", "value",
                   "to"]
        outputs.append((pd.DataFrame(rows, columns=columns), args.witnesses))
    write_csvs_atomic(outputs)  # both files or neither
    print(f"已写出 wrote {len(table)} 行 rows → {args.out}")
    return 0
