"""``flagboard serve``: start the dashboard on a store, seeding demo data on first start."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cli.common import DEFAULT_DB

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard" / "app.py"


def add_parser(sub) -> None:
    p = sub.add_parser("serve", help="start the dashboard (seeds 演示数据 into a new store on first start)")
    p.add_argument("--db", default=str(DEFAULT_DB))
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--address", default="127.0.0.1")
    p.add_argument("--no-demo", action="store_true", help="do not seed demo data into a new store")
    p.set_defaults(func=run)


def run(args) -> int:
    if not Path(args.db).exists() and not args.no_demo:
        from cli.store_cmds import run_demo

        run_demo(type("A", (), {"db": args.db, "rubric": "zichuan-2022", "seed": 2022})())
    env = {**os.environ, "FLAGBOARD_DB": str(Path(args.db).resolve())}
    cmd = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(args.port),
           "--server.address", args.address, "--server.headless", "true"]
    # run from the project root so .streamlit/config.toml (theme, server settings) applies
    return subprocess.call(cmd, env=env, cwd=ROOT)
