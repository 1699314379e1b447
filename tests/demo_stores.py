"""Stores for read-model, page and browser tests: the demo store and a small constructed one.

- :func:`demo_template`: ``flagboard demo`` (13 Zichuan towns × 2022Q1–2023Q4, 演示数据) built once per test
  session; tests never open the template itself, they use :func:`copy_store` (DuckDB allows one writer
  process per file, and tests that write must not change what other tests read).
- :func:`small_store`: six units A–F in two quarters with exact, hand-checkable finals (values below).

Small store, Zichuan rubric, showcase 100 for everyone, so final = 0.7 × daily + 30:
  2022Q1  A 100 | B 99.3 | C 98.6 | D 97.9 | E 97.2 | F 96.5   (one 2.1 item missing per place)
  2022Q2  A 100 | B 100 (full tie: 待定) | C 98.6 | D 97.9 | E 97.9 (tie at the 4th place: five 好)
          | F 95.45 (2.1 lost 6; bonus 8.2 省级 +1.5; penalty 8.4 市级通报 −2 → daily 93.5)
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from cli.main import main as flagboard
from queries.store import Store
from scoring.rubric import load_rubric
from tests.conftest import fact, frame, unit

SMALL_LOST = {"2022Q1": {"A": 0, "B": 1, "C": 2, "D": 3, "E": 4, "F": 5},
              "2022Q2": {"A": 0, "B": 0, "C": 2, "D": 3, "E": 3, "F": 6}}


def demo_template(tmp_path_factory) -> Path:
    """The demo store, built once per session under the session's temp dir (never opened by tests)."""
    path = tmp_path_factory.getbasetemp() / "demo-template" / "demo.duckdb"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        assert flagboard(["demo", "--db", str(path)]) == 0
    return path


def copy_store(template: Path, target: Path) -> Path:
    """A private copy of a store file (and its write-ahead log, if any)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, target)
    wal = Path(f"{template}.wal")
    if wal.exists():
        shutil.copyfile(wal, Path(f"{target}.wal"))
    return target


def small_observations() -> pd.DataFrame:
    rows = []
    for period, lost in SMALL_LOST.items():
        for entity, n in lost.items():
            rows += unit(entity, {("2.1", "缺项数"): str(n)}, period=period)
    rows += [fact("F", "8.2", "省级", "1", period="2022Q2"), fact("F", "8.4", "市级通报", "1", period="2022Q2")]
    return frame(rows)


def small_store(path: Path) -> Path:
    """Write the small store (see module docstring) to ``path`` and close it."""
    with Store(path) as store:
        store.import_observations(load_rubric("zichuan-2022"), small_observations(), who="测试", source="small.csv")
    return path
