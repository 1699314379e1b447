"""Helpers shared by CLI verbs: loading rubrics, printing problems, atomic file writes."""
from __future__ import annotations

import getpass
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

import pandas as pd

from cli.faults import describe
from documents.neutralise import write_csv, write_csv_rows
from queries.store.door import Actor
from scoring.exact import round4
from scoring.limits import current
from scoring.listing import PROBLEM_COLUMNS, problem_lines, problem_rows
from scoring.problems import Problem
from scoring.rubric import Rubric, RubricError, load_rubric

EXIT_BAD_INPUT = 2
DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "flagboard.duckdb"


class CliError(Exception):
    """A problem to report on stderr with exit status 2 (bad input), nothing written."""


def get_rubric(ref: str) -> Rubric:
    try:
        return load_rubric(ref)
    except (FileNotFoundError, RubricError) as exc:
        raise CliError(str(exc)) from None


def add_problems_option(p) -> None:
    p.add_argument("--problems", metavar="FILE", help="write every problem (errors and warnings) to this CSV: "
                                                       "severity, where, message (UTF-8 with BOM)")


def report(problems: list[Problem], problems_file: str | None = None, count: bool = True) -> None:
    """Problems on stderr — at most :attr:`~scoring.limits.Limits.problems_listed`, then "另有 N 个问题未列出" —
    and all of them in ``problems_file`` when given. ``count``: start with the number of errors."""
    for line in problem_lines(problems, current().problems_listed, count=count):
        print(line, file=sys.stderr)
    if problems_file:
        write_problems(problems, problems_file)


def write_problems(problems: list[Problem], path: str | Path) -> None:
    """Every problem as a CSV (severity, where, message; UTF-8 with BOM for Excel), written row by row and
    atomically."""
    _write_atomic([(path, lambda fh: write_csv_rows(fh, PROBLEM_COLUMNS, problem_rows(problems)))], bom=True)


def league_columns(rubric: Rubric, league: pd.DataFrame) -> pd.DataFrame:
    """The LEAGUE.csv layout: period, entity, <components>, final, rank, grade, flag (+ group if any)."""
    cols = ["period", "entity"] + [c.id for c in rubric.components] + ["final", "rank", "grade", "flag"]
    out = league[cols].copy()
    for c in [c.id for c in rubric.components] + ["final"]:
        out[c] = [f"{v:.4f}" for v in round4(out[c].to_numpy(dtype="float64"))]
    out["rank"] = out["rank"].astype(int)
    if (league["group"] != "").any():
        out["group"] = league["group"]
    return out


def detail_columns(rubric: Rubric, detail: pd.DataFrame) -> pd.DataFrame:
    names = {i.code: i.name for i in rubric.indicators}
    out = detail[["period", "entity", "indicator"]].copy()
    out["name"] = out["indicator"].map(names)
    for c in ("points", "max", "lost"):
        out[c] = [f"{v:.4f}" for v in round4(detail[c].to_numpy(dtype="float64"))]
    out["reason"] = detail["reason"]
    return out


def write_csvs_atomic(outputs: list[tuple[pd.DataFrame, str | Path]], bom: bool = False) -> None:
    """Write CSVs (UTF-8; ``bom=True`` for Excel) all-or-nothing (see :func:`_write_atomic`). Text cells are
    neutralised against formula injection (``documents.neutralise``; numbers stay numbers, and "-3.0000" is a
    plain number and is kept)."""
    _write_atomic([(path, lambda fh, frame=frame: write_csv(fh, frame)) for frame, path in outputs], bom)


def _write_atomic(jobs: list[tuple[str | Path, Callable[[TextIO], None]]], bom: bool = False) -> None:
    """Run each ``write(fh)`` into a temp file beside its target; rename them all only once all were written,
    so a failure (disk full…) leaves no output half-written. An unwritable path is a :class:`CliError` (exit 2),
    never a traceback."""
    temps: list[tuple[str, Path]] = []
    try:
        for path, write in jobs:
            path = Path(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            temps.append((tmp, path))
            with os.fdopen(fd, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
                write(fh)
        for tmp, path in temps:
            os.replace(tmp, path)
    except OSError as exc:
        what, todo = describe(exc)
        raise CliError(f"无法写入输出文件 (cannot write output): {exc.filename or ''}：{what}（{exc.strerror or exc}）；"
                       f"{todo}。已有的输出文件保持原样 (nothing was half-written)") from None
    finally:
        for tmp, _ in temps:
            if os.path.exists(tmp):
                os.unlink(tmp)


def write_csv_atomic(frame: pd.DataFrame, path: str | Path, bom: bool = False) -> None:
    """One CSV via :func:`write_csvs_atomic`."""
    write_csvs_atomic([(frame, path)], bom)


def cli_actor(args) -> Actor:
    """Who acts from the command line: the OS account, with the name declared by ``--who`` (if any) beside it."""
    return Actor(getpass.getuser(), "cli", declared=(getattr(args, "who", None) or "").strip())
