"""Helpers shared by CLI verbs: loading rubrics, printing problems, atomic file writes."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pandas as pd

from scoring.exact import round4
from scoring.problems import InputError
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


def report(exc: InputError) -> None:
    print(str(exc), file=sys.stderr)


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


def write_csv_atomic(frame: pd.DataFrame, path: str | Path, bom: bool = False) -> None:
    """Write a CSV (UTF-8; ``bom=True`` for Excel) via a temp file and rename: never half-written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
            frame.to_csv(fh, index=False)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
