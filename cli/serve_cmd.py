"""``flagboard serve``: start the dashboard on a store, seeding every preset's demo data on first start.

The dashboard runs as a Streamlit child process. It ends with its parent: SIGTERM, SIGINT (Ctrl-C) or SIGHUP to
``flagboard serve`` stop the child first (it holds the store's lock), and the child is started with the Linux
parent-death signal, so even a killed parent (SIGKILL) takes it down.
"""
from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
from pathlib import Path

from cli.common import DEFAULT_DB

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard" / "app.py"
PR_SET_PDEATHSIG = 1
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
GRACE_SECONDS = 10


def add_parser(sub) -> None:
    p = sub.add_parser("serve", help="start the dashboard (seeds every preset's 演示数据 into a new store on first start)")
    p.add_argument("--db", default=str(DEFAULT_DB))
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--address", default="127.0.0.1")
    p.add_argument("--no-demo", action="store_true", help="do not seed demo data into a new store")
    p.set_defaults(func=run)


def seed_demo(db: str) -> None:
    """Every preset's 演示数据 into a new store, so a newcomer can switch schemes in the sidebar."""
    from cli.store_cmds import run_demo
    from scoring.rubric import preset_ids

    ids = preset_ids()
    first = "zichuan-2022"  # the flagship first: the sidebar opens on it
    for rubric_id in [first] + [i for i in ids if i != first]:
        print(f"生成演示数据 seeding demo data: {rubric_id}", file=sys.stderr)
        run_demo(type("A", (), {"db": db, "rubric": rubric_id, "seed": 2022})())


def _die_with_parent(parent: int):
    """preexec_fn of the child: ask Linux to send SIGTERM when the parent dies; exit if it already has."""
    def setup() -> None:
        try:
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        except OSError:  # not Linux: the signal handlers of the parent still stop the child
            return
        if os.getppid() != parent:
            os._exit(1)
    return setup


def serve(cmd: list[str], env: dict, cwd: Path) -> int:
    """Run the child; on a stop signal terminate it (kill after a grace period) and return its status."""
    child = subprocess.Popen(cmd, env=env, cwd=cwd, preexec_fn=_die_with_parent(os.getpid()))

    def stop(signum, frame):
        if child.poll() is None:
            child.terminate()

    previous = {s: signal.signal(s, stop) for s in STOP_SIGNALS}
    try:
        while True:
            try:
                return child.wait()
            except subprocess.TimeoutExpired:  # pragma: no cover - wait() without timeout does not raise it
                continue
    finally:
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        for s, handler in previous.items():
            signal.signal(s, handler)


def run(args) -> int:
    if not Path(args.db).exists() and not args.no_demo:
        seed_demo(args.db)
    env = {**os.environ, "FLAGBOARD_DB": str(Path(args.db).resolve())}
    cmd = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(args.port),
           "--server.address", args.address, "--server.headless", "true"]
    # run from the project root so .streamlit/config.toml (theme, server settings) applies
    return serve(cmd, env, ROOT)
