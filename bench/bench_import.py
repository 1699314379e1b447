"""Benchmark (not a test): bringing a large file in — file checks + read, first import, identical re-import,
a one-unit change, undo of that change, backup and restore — on demo data for many synthetic units.

    python bench/bench_import.py [--units 900] [--periods 8]

900 units × 8 quarters of the Zichuan rubric is about 206 000 rows (a CSV of ~8 MB). Each figure is one run
in a fresh temp dir; the point is the order of magnitude (seconds, not minutes) and the ratios between steps.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from documents.backup import backup  # noqa: E402
from documents.restore import restore  # noqa: E402
from queries.store import Store  # noqa: E402
from scoring.demo import QUARTERS, demo_observations  # noqa: E402
from scoring.intake import read_path  # noqa: E402
from scoring.rubric import load_rubric  # noqa: E402


def timed(label: str, fn, figures: dict):
    start = time.perf_counter()
    out = fn()
    figures[label] = time.perf_counter() - start
    print(f"{label:<34}{figures[label]:8.2f} s")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=900)
    parser.add_argument("--periods", type=int, default=8)
    args = parser.parse_args()
    rubric = load_rubric("zichuan-2022")
    units = [f"单位{i:04d}" for i in range(args.units)]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        frame = demo_observations(rubric, units, (QUARTERS * 4)[: args.periods], seed=7)
        frame.drop(columns=["group"]).to_csv(tmp / "big.csv", index=False)
        size = (tmp / "big.csv").stat().st_size / 1048576
        print(f"{len(frame)} rows, {args.units} units × {args.periods} periods, CSV {size:.1f} MB")
        figures: dict[str, float] = {}
        upload = timed("check + read CSV", lambda: read_path(tmp / "big.csv"), figures)
        store = Store(tmp / "store.duckdb")
        timed("first import", lambda: store.import_observations(rubric, upload.obs, "bench", "big.csv"), figures)
        timed("identical re-import (no change)",
              lambda: store.import_observations(rubric, upload.obs, "bench", "big.csv"), figures)
        one = upload.obs.copy()
        one.loc[(one["entity"] == units[0]) & (one["indicator"] == "5.1"), "value"] = "9"
        timed("re-import, one unit changed", lambda: store.import_observations(rubric, one, "bench", "one.csv"), figures)
        timed("undo that change", lambda: store.undo_last(rubric.id, QUARTERS[0], "bench"), figures)
        timed("backup (Parquet)", lambda: backup(store, tmp / "bk"), figures)
        store.close()
        timed("restore", lambda: restore(tmp / "bk", tmp / "restored.duckdb", who="bench"), figures)
        print(f"re-import / first import: {figures['identical re-import (no change)'] / figures['first import']:.2f}")


if __name__ == "__main__":
    main()
