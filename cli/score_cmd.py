"""``flagboard score``: stateless scoring of one observation file into a league table (and detail)."""
from __future__ import annotations

import sys

from cli.common import CliError, detail_columns, get_rubric, league_columns, report, write_csv_atomic
from scoring.engine import score
from scoring.problems import InputError
from scoring.reader import read_observations


def add_parser(sub) -> None:
    p = sub.add_parser("score", help="score an observation file (CSV/XLSX) into LEAGUE.csv",
                       description="Score observations against a rubric. Bad input: exit 2, no file written, "
                                   "every problem listed on stderr.")
    p.add_argument("--rubric", required=True, help="a preset id from data/rubrics/ or a rubric file path")
    p.add_argument("--input", required=True, help="observations, CSV or XLSX (interchange format)")
    p.add_argument("--out", required=True, help="league table CSV to write")
    p.add_argument("--detail", help="optional per entity × indicator CSV: points, max, lost, reason")
    p.set_defaults(func=run)


def run(args) -> int:
    rubric = get_rubric(args.rubric)
    try:
        obs = read_observations(args.input)
        scored = score(obs, rubric)
    except InputError as exc:
        report(exc)
        return 2
    for w in scored.warnings:
        print(str(w), file=sys.stderr)
    league = league_columns(rubric, scored.league)
    detail = detail_columns(rubric, scored.detail) if args.detail else None
    write_csv_atomic(league, args.out)
    if detail is not None:
        write_csv_atomic(detail, args.detail)
    n_units = len(league)
    print(f"已评分 scored {n_units} units, {league['period'].nunique()} period(s) → {args.out}")
    return 0


__all__ = ["add_parser", "run", "CliError"]
