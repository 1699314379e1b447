"""``flagboard score``: stateless scoring of one observation file into a league table (and detail)."""
from __future__ import annotations

from cli.common import (EXIT_BAD_INPUT, CliError, add_problems_option, detail_columns, get_rubric, league_columns,
                        report, write_csvs_atomic)
from scoring.engine import score
from scoring.isolated import read_path_isolated
from scoring.problems import InputError

# scoring a file is stateless, so no 20 MB upload limit here: what bounds a file is the parsing child's memory
# (scoring.limits: 1 GiB reads about a million CSV rows); larger national data goes in with Store.bulk_load
SCORE_MAX_BYTES = 4 * 1024**3


def add_parser(sub) -> None:
    p = sub.add_parser("score", help="score an observation file (CSV/XLSX) into LEAGUE.csv",
                       description="Score observations against a rubric. Bad input: exit 2, no file written, "
                                   "the first 500 problems listed on stderr (--problems FILE writes them all).")
    p.add_argument("--rubric", required=True, help="a preset id from data/rubrics/ or a rubric file path")
    p.add_argument("--input", required=True, help="observations, CSV or XLSX (interchange format)")
    p.add_argument("--out", required=True, help="league table CSV to write")
    p.add_argument("--detail", help="optional per entity × indicator CSV: points, max, lost, reason")
    add_problems_option(p)
    p.set_defaults(func=run)


def run(args) -> int:
    rubric = get_rubric(args.rubric)
    try:
        # the same file checks as `flagboard import` (type sniffing, budgets, formulas, macros, CSV shape,
        # normalisation), in a memory- and time-limited child process; only the size limit is the CLI's own
        upload = read_path_isolated(args.input, max_bytes=SCORE_MAX_BYTES)
        scored = score(upload.obs, rubric)
    except InputError as exc:
        report(exc.problems, args.problems)
        return EXIT_BAD_INPUT
    warnings = upload.notices + scored.warnings
    report(warnings, args.problems, count=False)
    outputs = [(league_columns(rubric, scored.league), args.out)]
    if args.detail:
        outputs.append((detail_columns(rubric, scored.detail), args.detail))
    write_csvs_atomic(outputs)
    league = outputs[0][0]
    n_units = len(league)
    print(f"已评分 scored {n_units} units, {league['period'].nunique()} period(s) → {args.out}")
    return 0


__all__ = ["add_parser", "run", "CliError"]
