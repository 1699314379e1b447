"""Entry point of the ``flagboard`` console script."""
from __future__ import annotations

import argparse
import sys

from cli import analysis_cmds, bench_cmd, data_cmds, score_cmd, serve_cmd, store_cmds, user_cmds
from cli.common import EXIT_BAD_INPUT, CliError
from cli.faults import FAULTS, fault_message
from scoring.rubric import load_rubric, preset_ids


def _rubrics(args) -> int:
    for rid in preset_ids():
        r = load_rubric(rid)
        print(f"{rid}\t{r.name}\t({r.period_kind}, {len(r.indicators)} indicators)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="flagboard", description="Flagboard 红旗榜: score, rank and award.")
    sub = parser.add_subparsers(dest="verb", required=True)
    score_cmd.add_parser(sub)
    store_cmds.add_parsers(sub)
    data_cmds.add_parsers(sub)
    analysis_cmds.add_parsers(sub)
    user_cmds.add_parsers(sub)
    serve_cmd.add_parser(sub)
    bench_cmd.add_parser(sub)
    p = sub.add_parser("rubrics", help="list the preset rubrics")
    p.set_defaults(func=_rubrics)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except CliError as exc:
        print(f"错误 error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except FAULTS as exc:  # disk full, read-only or damaged store, unreadable file: a message, never a trace
        print(f"错误 error: {fault_message(exc, args)}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
