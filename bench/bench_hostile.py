"""Benchmark (not a test): every class of hostile input through ``flagboard score`` — result, wall time, the peak
memory of the whole process tree — and the parsing child's own peak for the largest files.

    python bench/bench_hostile.py [--bad-rows 1000000]

Each row is one run of the installed console script in a fresh temp dir; the peak resident set comes from
``wait4`` (the command and its parsing child: the larger of the two). "child peak" is the parsing child's own
VmPeak / VmHWM as it reports them (its address space is capped at 1 GiB). Figures depend on the machine's load.
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scoring.isolated import run_child  # noqa: E402
from scoring.limits import Limits  # noqa: E402
from tests.conftest import csv_bytes, fact, unit  # noqa: E402
from tests.hostile_files import dense_bomb, rows_xlsx, sparse_bomb, unpacked_size, wide_csv  # noqa: E402

SCRIPT = str(Path(sys.executable).with_name("flagboard"))
MB = 1024**2


def bad_rows_csv(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write("period,entity,indicator,item,value,ref,note\n")
        for i in range(n):
            fh.write(f"2022-Q2,单位{i},5.1,问题次数,0,,\n")


def largest_xlsx(cells: int) -> bytes:
    rows = [r for n in range(cells // 7 // 23 + 1) for r in unit(f"单位{n:05d}")]
    return rows_xlsx(rows[: cells // 7 - 1], dimension=f"A1:G{cells // 7}")


def score(path: Path, out: Path) -> tuple[int, str, float, float]:
    """(exit status, first problem line, seconds, peak RSS MB of the process tree) of ``flagboard score``."""
    start = time.perf_counter()
    with open(out / "stderr.txt", "wb") as err:
        proc = subprocess.Popen([SCRIPT, "score", "--rubric", "zichuan-2022", "--input", str(path),
                                 "--out", str(out / "league.csv"), "--problems", str(out / "problems.csv")],
                                stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    lines = (out / "stderr.txt").read_text(encoding="utf-8").splitlines()
    said = next((ln for ln in lines if ln.startswith("[")), lines[0] if lines else "")
    return os.waitstatus_to_exitcode(status), said[:110], seconds, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bad-rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        files = {
            "sparse bomb (XFD1048576)": ("bomb.xlsx", sparse_bomb()),
            "sparse bomb, lying <dimension>": ("lie.xlsx", sparse_bomb(declared=False)),
            "dense bomb": ("dense.xlsx", dense_bomb()),
            "1M-column CSV header": ("wide.csv", wide_csv()),
            "full-width period (NFKC)": ("fw.csv", csv_bytes([dict(r, period="２０２２Q2") for r in unit("A镇")])),
            "zero-width space in a unit": ("zw.csv", csv_bytes(unit("洪山镇\u200b"))),
            "count 99999999999999999999": ("big.csv", csv_bytes(unit("A镇", {("5.1", "问题次数"): "99999999999999999999"}))),
            "Arabic-Indic digit": ("digit.csv", csv_bytes(unit("A镇", {("5.1", "问题次数"): "٣"}))),
            "look-alike units (A镇/Ａ镇)": ("twins.csv", csv_bytes(unit("A镇") + unit("Ａ镇"))),
            "bad period": ("bad1.csv", csv_bytes([fact("A镇", "5.1", "问题次数", "0", period="2022-Q2")])),
        }
        print(f"{'class':<34}{'file':>12}{'exit':>6}{'s':>8}{'peak MB':>9}  message")
        for label, (name, raw) in files.items():
            path = tmp / name
            path.write_bytes(raw)
            code, said, seconds, peak = score(path, tmp)
            size = f"{len(raw) / 1024:.1f} KB" if len(raw) < MB else f"{len(raw) / MB:.1f} MB"
            print(f"{label:<34}{size:>12}{code:>6}{seconds:>8.1f}{peak:>9.0f}  {said}")
        path = tmp / "bad_rows.csv"
        bad_rows_csv(path, args.bad_rows)
        code, said, seconds, peak = score(path, tmp)
        listed = sum(1 for _ in (tmp / "problems.csv").open(encoding="utf-8-sig")) - 1
        printed = len((tmp / "stderr.txt").read_text(encoding="utf-8").splitlines())
        print(f"{f'{args.bad_rows:,} bad rows':<34}{path.stat().st_size / MB:>9.1f} MB{code:>6}{seconds:>8.1f}"
              f"{peak:>9.0f}  {printed} stderr lines; {listed:,} rows in --problems")
        print(f"\ndense bomb: {len(files['dense bomb'][1]) / MB:.1f} MB unpacking to "
              f"{unpacked_size(files['dense bomb'][1]) / MB:.0f} MB")

        print(f"\n{'parsing child alone':<44}{'status':>9}{'s':>8}{'VmPeak MB':>11}{'VmHWM MB':>10}")
        cases = [("sparse bomb, budgets lifted (native abort)", sparse_bomb(), "bomb.xlsx",
                  Limits(max_cells=10**15, max_columns=10**6)),
                 ("largest accepted XLSX (2,000,000 cells)", largest_xlsx(2_000_000), "big.xlsx", Limits()),
                 ("dense bomb", files["dense bomb"][1], "dense.xlsx", Limits())]
        for label, raw, name, limits in cases:
            start = time.perf_counter()
            run = run_child({"name": name, "path": None, "max_bytes": 10**9}, raw, limits)
            seconds = time.perf_counter() - start
            status = run.header.get("status") or f"rc {run.returncode}"
            peak = run.peak
            print(f"{label:<44}{status:>9}{seconds:>8.1f}{peak.get('VmPeak', 0) / MB:>11.0f}"
                  f"{peak.get('VmHWM', 0) / MB:>10.0f}")
        start = time.perf_counter()
        run = run_child({"name": "bad_rows.csv", "path": str(path), "max_bytes": 4 * 1024**3},
                        None, dataclasses.replace(Limits()))
        print(f"{f'{args.bad_rows:,}-row CSV ({path.stat().st_size / MB:.0f} MB)':<44}{run.header.get('status'):>9}"
              f"{time.perf_counter() - start:>8.1f}{run.peak.get('VmPeak', 0) / MB:>11.0f}"
              f"{run.peak.get('VmHWM', 0) / MB:>10.0f}")


if __name__ == "__main__":
    main()
