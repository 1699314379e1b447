"""``flagboard bench``: the national-scale benchmark (bench/national.py), run from the repository.

The benchmark lives next to the package, not in it (it generates gigabytes of data and is not part of
the product), so this verb runs ``python -m bench.national`` in the repository root with the same options.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from cli.common import CliError

REPO = Path(__file__).resolve().parent.parent


def add_parser(sub) -> None:
    p = sub.add_parser("bench", help="national-scale benchmark: 38,700 units × 12 quarters (prints a table)",
                       description="Generate the synthetic national dataset, load it, score it and print the "
                                   "figures against the speed targets (docs/performance.md). Without --scale it "
                                   "runs 1/100, 1/10 and the full size.")
    p.add_argument("--scale", type=float, help="one size alone (1 = 38,700 units; 0.1 = 3,870)")
    p.add_argument("--seed", type=int, default=2024)
    p.add_argument("--keep", action="store_true", help="keep the generated files and stores in bench/out/")
    p.set_defaults(func=run)


def run(args) -> int:
    if not (REPO / "bench" / "national.py").exists():
        raise CliError(f"找不到基准测试脚本 (no bench/national.py under {REPO}: run from a source checkout)")
    cmd = [sys.executable, "-m", "bench.national", "--seed", str(args.seed)]
    if args.scale is not None:
        cmd += ["--scale", str(args.scale)]
    if args.keep:
        cmd.append("--keep")
    return subprocess.run(cmd, cwd=REPO).returncode
