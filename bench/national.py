"""National-scale benchmark: about 38,700 townships in 2,850 districts, 12 quarters of the Zichuan rubric.

Run from the repository root::

    python -m bench.national              # 1/100, 1/10 and full size (each in its own process), one table
    python -m bench.national --scale 0.1  # one size alone (0.1 = 3,870 units)

For each size it generates the dataset (bench/generate.py), writes it as Parquet and CSV under
``bench/out/`` (git-ignored), loads both into stores, and measures: load rows/s; full scoring of all 12
quarters through the store (fetch, validate, score every indicator, totals, ranks, 好, flags in two worker
processes; write the results) against a floor measured on the same store in the same run (a DuckDB
``CREATE TABLE AS`` grouping every fact by period, group, unit and indicator with a sum and a max of its value,
plus a rank within period, group and indicator) and a baseline scan; peak resident memory of the process and
of a worker; p50/p95 of four read models over 50 random picks (one unit's detail with its reasons rendered from
its facts); rescoring one group-quarter after an edit of one fact; and that sample groups scored alone equal
their rows in the national run. The last line printed is machine-readable: ``rows=N score_s=X floor_s=F
floor_ratio=X/F baseline_s=Y ratio=X/Y peak_rss_mib=M read_p95_ms=P rescore_ms=R``.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from bench.generate import generate, roster
from queries import trends, unit
from queries.statements import beside
from queries.store import Store, facts, results, workers
from scoring.engine import score
from scoring.rubric import load_rubric

SQL = beside(__file__)  # the statements only this benchmark runs (bench/national.sql)
SCHEME = "zichuan-2022"
OUT = Path(__file__).resolve().parent / "out"
SCALES = (0.01, 0.1, 1.0)
TARGETS = {"score_s": 10.0, "floor_ratio": 1.5, "peak_rss_mib": 2048.0, "read_p95_ms": 150.0, "rescore_ms": 200.0,
           "growth": 1.5}
READ_PICKS = 50
RESCORE_PICKS = 10
SAMPLE_GROUPS = 5


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_child_rss_mib() -> float:
    """Peak resident memory of the largest scoring worker (each reports its own with every period it scores; the
    workers are the forkserver's children, so the operating system's count of our children never sees them)."""
    return workers.peak_rss_mib()


def floor_in_child(db: Path) -> tuple[float, float]:
    """The floor (what DuckDB alone takes to group and rank every fact, written as a table) on the same store, in
    a process of its own: (seconds, that process's peak memory in MiB). DuckDB's hash aggregate of 13.9M rows
    takes about 2 GiB; measured here, it would count as the scoring's memory."""
    out = subprocess.run([sys.executable, "-m", "bench.national", "--floor", str(db)], check=True, text=True,
                         capture_output=True, cwd=Path(__file__).resolve().parent.parent).stdout.split()
    return float(out[0]), float(out[1])


def floor_only(db: str) -> None:
    """Print the floor's seconds and this process's peak memory (MiB) (internal: :func:`floor_in_child`)."""
    con = duckdb.connect(db)
    con.execute("SET enable_progress_bar = false")
    cur = con.cursor()
    t0 = time.perf_counter()
    SQL.floor(cur, scheme=SCHEME)
    seconds = time.perf_counter() - t0
    SQL.drop_floor(cur)
    con.close()
    print(f"{seconds:.4f} {peak_rss_mib():.0f}")


def machine() -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{os.cpu_count()} cores, {mem:.0f} GiB, Python {platform.python_version()}, duckdb {duckdb.__version__}, "
            f"pandas {pd.__version__}, numpy {np.__version__}, pyarrow {pa.__version__}")


class Phases:
    """Adds up the seconds spent in a few functions (monkeypatched while timing the full scoring)."""

    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)
        self._undo: list = []

    def wrap(self, module, name: str, label: str) -> None:
        original = getattr(module, name)

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - start

        setattr(module, name, timed)
        self._undo.append((module, name, original))

    def restore(self) -> None:
        for module, name, original in reversed(self._undo):
            setattr(module, name, original)


def write_files(table: pa.Table, folder: Path) -> tuple[Path, Path]:
    """The dataset as Parquet and as CSV (text, written in batches to keep memory flat)."""
    parquet, csv = folder / "observations.parquet", folder / "observations.csv"
    pq.write_table(table, parquet)
    text_schema = pa.schema([(name, pa.string()) for name in table.column_names])
    with pacsv.CSVWriter(csv, text_schema) as writer:
        for batch in table.to_batches(max_chunksize=1_000_000):
            writer.write_batch(pa.record_batch([c.cast(pa.string()) for c in batch.columns], schema=text_schema))
    return parquet, csv


def timed_load(path: Path, db: Path, rubric) -> tuple[int, float]:
    for f in (db, Path(f"{db}.wal")):
        f.unlink(missing_ok=True)
    with Store(db) as st:
        start = time.perf_counter()
        info = st.bulk_load(rubric, path, who="bench", source=path.name, score=False)
        return info["rows"], time.perf_counter() - start


def percentiles(ms: list[float]) -> tuple[float, float]:
    return float(np.percentile(ms, 50)), float(np.percentile(ms, 95))


def quarter_and_previous(periods: list[str], rng) -> dict:
    """A random quarter and the one before it (the rank change is measured against it; "" for the first)."""
    i = int(rng.integers(len(periods)))
    return {"period": periods[i], "prev_period": periods[i - 1] if i else ""}


def read_models(st: Store, rng, periods: list[str], ros, rubric) -> dict[str, tuple[float, float]]:
    """p50/p95 (ms) of four read models over random picks (one warm-up call each, not counted)."""
    codes = [i.code for i in rubric.indicators]

    def pick_unit():
        return str(ros.entities[rng.integers(len(ros.entities))])

    cases = {
        "league of one group-quarter": lambda: ("league_group", {**quarter_and_previous(periods, rng),
                                                                 "grp": str(ros.groups[rng.integers(len(ros.groups))])}),
        "one unit's detail (reasons rendered)": lambda: ("indicator_detail", {
            "period": periods[rng.integers(len(periods))], "entity": pick_unit()}),
        "one unit's trend": lambda: ("entity_history", {"entity": pick_unit()}),
        "an indicator across all groups": lambda: ("indicator_by_group", {"period": periods[rng.integers(len(periods))],
                                                                          "indicator": codes[rng.integers(len(codes))]}),
    }
    out = {}
    for label, make in cases.items():
        name, params = make()
        read(st, name, **params)
        times = []
        for _ in range(READ_PICKS):
            name, params = make()
            start = time.perf_counter()
            frame = read(st, name, **params)
            times.append((time.perf_counter() - start) * 1000)
            assert len(frame), f"{name} {params} returned nothing"
        out[label] = percentiles(times)
    return out


def read(st: Store, name: str, **params) -> pd.DataFrame:
    """One read by name: a read model of the town page (``indicator_detail``: the unit's points with its reasons
    rendered from its facts), else a statement of the benchmark's own (bench/national.sql) or of the town page."""
    if name == "indicator_detail":
        return unit.indicator_detail(st, SCHEME, **params)
    statements = SQL if name in {s.name for s in SQL} else unit.SQL
    return st.read(getattr(statements, name), scheme=SCHEME, **params)


def rescore_picks(st: Store, rng, periods: list[str], ros, rubric) -> tuple[list[float], list[float]]:
    """Edit one fact of a random unit (its 缺项数 of 1.3), then rescore its group-quarter: (edit+rescore, rescore) ms."""
    both, alone = [], []
    for _ in range(RESCORE_PICKS):
        u = int(rng.integers(len(ros.entities)))
        period, grp, entity = periods[rng.integers(len(periods))], str(ros.groups[ros.group_of[u]]), str(ros.entities[u])
        start = time.perf_counter()
        SQL.set_fact_value(st.con.cursor(), scheme=SCHEME, period=period, entity=entity, indicator="1.3",
                           item="缺项数", value=str(int(rng.integers(0, 5))))
        mid = time.perf_counter()
        st.rescore_group(SCHEME, period, grp, rubric, who="bench")
        end = time.perf_counter()
        both.append((end - start) * 1000)
        alone.append((end - mid) * 1000)
    return both, alone


def sample_groups_equal(st: Store, rng, periods: list[str], ros, rubric) -> int:
    """Score a few groups alone from their stored facts; their results must equal the national run's rows."""
    cur = st.con.cursor()
    for _ in range(SAMPLE_GROUPS):
        period, grp = periods[rng.integers(len(periods))], str(ros.groups[rng.integers(len(ros.groups))])
        obs = facts.of_group(cur, SCHEME, period, grp)
        alone = score(obs, rubric)
        stored = read(st, "league_group", period=period, grp=grp, prev_period="")
        cols = ["entity", "base", "bonus", "penalty", "final", "rank", "grade", "flag", "award_note"]
        mine = alone.league[cols].sort_values("entity").reset_index(drop=True)
        theirs = stored[cols].sort_values("entity").reset_index(drop=True)
        theirs["rank"] = theirs["rank"].astype("int64")
        pd.testing.assert_frame_equal(mine, theirs, check_dtype=False)
        detail = read(st, "group_detail", period=period, grp=grp)
        keys = ["entity", "indicator"]
        a = alone.detail[keys + ["points", "lost"]].sort_values(keys).reset_index(drop=True)
        b = detail[keys + ["points", "lost"]].sort_values(keys).reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b, check_dtype=False)
        entity = str(mine["entity"].iloc[0])  # reasons rendered when read = the group's scoring's reasons
        rendered = unit.indicator_detail(st, SCHEME, period, entity)[["indicator", "reason"]]
        want = alone.detail.loc[alone.detail["entity"] == entity, ["indicator", "reason"]]
        pd.testing.assert_frame_equal(rendered.reset_index(drop=True), want.reset_index(drop=True), check_dtype=False)
    return SAMPLE_GROUPS


def results_hash(st: Store) -> str:
    """A short hash of every league row (to compare runs before/after an optimisation)."""
    frame = trends.totals(st, SCHEME)
    return f"{pd.util.hash_pandas_object(frame, index=False).sum() & 0xFFFFFFFFFFFF:012x}"


def run_one(scale: float, seed: int, out: Path, keep: bool = False) -> dict:
    """Every figure for one size; prints its table and returns the figures."""
    folder = out / f"scale-{scale:g}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rubric = load_rubric(SCHEME)
    start = time.perf_counter()
    table = generate(scale, seed)
    gen_s = time.perf_counter() - start
    periods = sorted(table.column("period").chunk(0).dictionary.to_pylist())
    parquet, csv = write_files(table, folder)
    del table
    rows_csv, csv_s = timed_load(csv, folder / "csv.duckdb", rubric)
    (folder / "csv.duckdb").unlink(missing_ok=True)
    rows, parquet_s = timed_load(parquet, folder / "national.duckdb", rubric)
    assert rows == rows_csv, (rows, rows_csv)
    ros = roster(scale, seed)
    rng = np.random.default_rng(seed)
    with Store(folder / "national.duckdb") as st:
        st.con.execute("SET enable_progress_bar = false")
        cur = st.con.cursor()
        baselines = []
        for _ in range(3):
            t0 = time.perf_counter()
            SQL.scan_baseline(cur, scheme=SCHEME)
            baselines.append(time.perf_counter() - t0)
        baseline_s = min(baselines)
        phases = Phases()  # in this process: fetching and writing (validating and scoring run in the workers)
        phases.wrap(facts, "table_of_period", "fetch")
        phases.wrap(workers, "handoff", "hand-off")
        phases.wrap(results, "write_scored", "write")
        t0 = time.perf_counter()
        st.rescore(SCHEME, periods, who="bench")
        score_s = time.perf_counter() - t0
        phases.restore()
        workers.shutdown()  # the worker processes end here (their peak memory was reported with each period)
    floor_s, floor_rss = floor_in_child(folder / "national.duckdb")
    with Store(folder / "national.duckdb") as st:
        st.con.execute("SET enable_progress_bar = false")
        digest = results_hash(st)
        checked = sample_groups_equal(st, rng, periods, ros, rubric)
        reads = read_models(st, rng, periods, ros, rubric)
        both, alone = rescore_picks(st, rng, periods, ros, rubric)
    figures = {
        "scale": scale, "units": len(ros.entities), "groups": len(ros.groups), "rows": rows, "gen_s": gen_s,
        "parquet_rows_s": rows / parquet_s, "csv_rows_s": rows / csv_s, "baseline_s": baseline_s,
        "score_s": score_s, "ratio": score_s / baseline_s, "floor_s": floor_s, "floor_ratio": score_s / floor_s,
        "phases": dict(phases.seconds), "peak_rss_mib": peak_rss_mib(), "worker_rss_mib": peak_child_rss_mib(),
        "floor_rss_mib": floor_rss,
        "reads": reads, "read_p95_ms": max(p95 for _, p95 in reads.values()),
        "rescore_ms": float(np.median(alone)), "rescore_max_ms": max(alone), "edit_rescore_ms": float(np.median(both)),
        "checked_groups": checked, "results_hash": digest, "us_per_row": score_s / rows * 1e6,
    }
    if not keep:
        for f in folder.iterdir():
            f.unlink()
        folder.rmdir()
    print_table([figures])
    return figures


def mark(value: float, target: float) -> str:
    return "ok" if value <= target else "MISSED"


def print_table(runs: list[dict]) -> None:
    """One table, a column per size, with the targets and whether each is met at the largest size."""
    head = ["figure"] + [f"scale {r['scale']:g}" for r in runs] + ["target"]
    big = runs[-1]
    lines = [
        ("units / groups", [f"{r['units']:,} / {r['groups']:,}" for r in runs], ""),
        ("observation rows", [f"{r['rows']:,}" for r in runs], ""),
        ("generate (s)", [f"{r['gen_s']:.1f}" for r in runs], ""),
        ("load Parquet (rows/s)", [f"{r['parquet_rows_s']:,.0f}" for r in runs], ""),
        ("load CSV (rows/s)", [f"{r['csv_rows_s']:,.0f}" for r in runs], ""),
        ("baseline scan (s)", [f"{r['baseline_s']:.3f}" for r in runs], ""),
        ("floor: DuckDB group + rank of every fact (s)", [f"{r['floor_s']:.2f}" for r in runs], ""),
        ("full scoring, 12 quarters (s)", [f"{r['score_s']:.2f}" for r in runs],
         f"≤ 10 s: {mark(big['score_s'], TARGETS['score_s'])}"),
    ]
    for phase, label in (("fetch", "  of which fetch (s)"), ("hand-off", "  of which hand-off to workers (s)"),
                         ("write", "  of which write (s)")):
        lines.append((label, [f"{r['phases'].get(phase, 0):.2f}" for r in runs], ""))
    lines += [
        ("scoring / floor", [f"{r['floor_ratio']:.2f}×" for r in runs],
         f"≤ 1.5×: {mark(big['floor_ratio'], TARGETS['floor_ratio'])}"),
        ("scoring / baseline scan", [f"{r['ratio']:.1f}×" for r in runs], ""),
        ("scoring per row (µs)", [f"{r['us_per_row']:.2f}" for r in runs], ""),
        ("peak RSS (MiB): this process / a worker", [f"{r['peak_rss_mib']:.0f} / {r['worker_rss_mib']:.0f}"
                                                      for r in runs],
         f"≤ 2048: {mark(max(big['peak_rss_mib'], big['worker_rss_mib']), TARGETS['peak_rss_mib'])}"),
        ("  the floor, in a process of its own (MiB)", [f"{r.get('floor_rss_mib', 0):.0f}" for r in runs], ""),
    ]
    for label in big["reads"]:
        lines.append((f"read: {label} p50/p95 (ms)",
                      [f"{r['reads'][label][0]:.1f} / {r['reads'][label][1]:.1f}" for r in runs], "p95 ≤ 150"))
    lines += [
        ("read p95, worst model (ms)", [f"{r['read_p95_ms']:.1f}" for r in runs],
         f"≤ 150: {mark(big['read_p95_ms'], TARGETS['read_p95_ms'])}"),
        ("rescore one group-quarter (ms, median/max)", [f"{r['rescore_ms']:.0f} / {r['rescore_max_ms']:.0f}" for r in runs],
         f"≤ 200: {mark(big['rescore_ms'], TARGETS['rescore_ms'])}"),
        ("edit one fact + rescore (ms, median)", [f"{r['edit_rescore_ms']:.0f}" for r in runs], ""),
        ("sample groups scored alone = national rows", [f"{r['checked_groups']} equal" for r in runs], ""),
        ("results hash", [r["results_hash"] for r in runs], ""),
    ]
    by_scale = {r["scale"]: r for r in runs}
    if 1.0 in by_scale and 0.1 in by_scale:
        growth = by_scale[1.0]["us_per_row"] / by_scale[0.1]["us_per_row"]
        lines.append(("time per row, full ÷ 1/10", [""] * (len(runs) - 1) + [f"{growth:.2f}"],
                      f"≤ 1.5: {mark(growth, TARGETS['growth'])}"))
    widths = [max(len(head[0]), *(len(label) for label, _, _ in lines))]
    widths += [max(len(head[i + 1]), *(len(vals[i]) for _, vals, _ in lines)) for i in range(len(runs))]
    print(f"\nnational benchmark — {machine()}")
    print("  ".join(h.ljust(w) for h, w in zip(head, widths)) + "  " + head[-1])
    for label, vals, target in lines:
        print("  ".join([label.ljust(widths[0])] + [v.rjust(w) for v, w in zip(vals, widths[1:])]) + "  " + target)


def last_line(r: dict) -> str:
    return (f"rows={r['rows']} score_s={r['score_s']:.2f} floor_s={r['floor_s']:.2f} "
            f"floor_ratio={r['floor_ratio']:.2f} baseline_s={r['baseline_s']:.3f} ratio={r['ratio']:.1f} "
            f"peak_rss_mib={max(r['peak_rss_mib'], r['worker_rss_mib']):.0f} read_p95_ms={r['read_p95_ms']:.1f} "
            f"rescore_ms={r['rescore_ms']:.0f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.national", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, help="run one size alone (1 = 38,700 units; 0.1 = 3,870)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--out", default=str(OUT), help="working folder for files and stores (default bench/out)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files and stores")
    parser.add_argument("--json", help=argparse.SUPPRESS)  # internal: a child process writes its figures here
    parser.add_argument("--floor", help=argparse.SUPPRESS)  # internal: measure the floor on this store alone
    args = parser.parse_args(argv)
    if args.floor:
        floor_only(args.floor)
        return 0
    out = Path(args.out)
    if args.scale is not None:
        figures = run_one(args.scale, args.seed, out, args.keep)
        if args.json:
            Path(args.json).write_text(json.dumps(figures), encoding="utf-8")
        print(last_line(figures))
        return 0
    runs = []
    for scale in SCALES:  # each size in its own process: its own peak memory, nothing cached between sizes
        result = out / f"figures-{scale:g}.json"
        cmd = [sys.executable, "-m", "bench.national", "--scale", str(scale), "--seed", str(args.seed),
               "--out", str(out), "--json", str(result)] + (["--keep"] if args.keep else [])
        subprocess.run(cmd, check=True, cwd=Path(__file__).resolve().parent.parent)
        runs.append(json.loads(result.read_text(encoding="utf-8")))
        result.unlink()
    print_table(runs)
    print(last_line(runs[-1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
