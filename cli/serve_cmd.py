"""``flagboard serve``: start the dashboard on a store, seeding every preset's demo data on first start.

First start stays one command: on a store without accounts (a new store, or one made before accounts) it creates
the office account with a generated password and prints it once (and, on the demo store, a town and an analyst
demo account, labelled 演示). No fixed default password exists anywhere; each must be changed at the first
sign-in. The dashboard listens on 127.0.0.1 unless ``--address`` says otherwise (``0.0.0.0``: the office LAN).

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
from cli.store_cmds import open_store
from cli.user_cmds import admin
from queries.data_views import store_units
from queries.league import schemes
from queries.store import accounts

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard" / "app.py"
PR_SET_PDEATHSIG = 1
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
GRACE_SECONDS = 10
OFFICE = "office"
DEMO_TOWN, DEMO_ANALYST = "demo-town", "demo-analyst"
LOCAL = ("127.0.0.1", "localhost", "::1")
FLAGSHIP = "zichuan-2022"  # seeded first; the demo town account is one of its towns


def add_parser(sub) -> None:
    p = sub.add_parser("serve", help="start the dashboard (seeds every preset's 演示数据 into a new store on first start; "
                                     "creates the office account on a store without accounts and prints its password "
                                     "once)",
                       description="Start the dashboard. A new store gets every preset's 演示数据. On a store without "
                                   f"accounts, creates the office account ({OFFICE}) with a generated password printed "
                                   f"once (on the demo store also {DEMO_TOWN} and {DEMO_ANALYST}, labelled 演示); each "
                                   "must be changed at the first sign-in. Listens on 127.0.0.1 (this computer only) "
                                   "unless --address 0.0.0.0 serves the office LAN (see docs/deploy.md for TLS behind "
                                   "a proxy). SIGTERM, SIGINT or SIGHUP stop the dashboard too.")
    p.add_argument("--db", default=str(DEFAULT_DB))
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--address", default="127.0.0.1",
                   help="127.0.0.1 (default): this computer only; 0.0.0.0: every network interface (office LAN)")
    p.add_argument("--no-demo", action="store_true", help="do not seed demo data into a new store")
    p.set_defaults(func=run)


def seed_demo(db: str) -> None:
    """Every preset's 演示数据 into a new store, so a newcomer can switch schemes in the sidebar."""
    from cli.store_cmds import run_demo
    from scoring.rubric import preset_ids

    ids = preset_ids()
    for rubric_id in [FLAGSHIP] + [i for i in ids if i != FLAGSHIP]:  # the flagship first
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


def first_accounts(db: str) -> list[tuple[str, str, str]]:
    """On a store without accounts: create the office account (and the demo store's 演示 accounts) with
    generated passwords; returns (name, what it is, password) to print once. Empty when accounts exist."""
    made = []
    with open_store(db) as store:
        with store.reading() as cur:
            if accounts.count(cur):
                return []
        password = accounts.generated_password()
        accounts.add(store, admin(), OFFICE, "office", (), password)
        made.append((OFFICE, "办公室 office（全部权限）", password))
        demo = schemes(store)
        demo = demo[demo["is_demo"].astype(bool)]
        if len(demo):
            flagship = demo["scheme"] == FLAGSHIP
            scheme = str((demo[flagship] if flagship.any() else demo)["scheme"].iloc[0])
            unit = str(store_units(store, scheme)["entity"].iloc[0])
            for name, role, units, what in ((DEMO_TOWN, "town", ((scheme, unit),), f"演示 镇街 town：{unit}"),
                                            (DEMO_ANALYST, "analyst", (), "演示 分析人员 analyst")):
                password = accounts.generated_password()
                accounts.add(store, admin(), name, role, units, password, is_demo=True)
                made.append((name, what, password))
    return made


def exposure(address: str, port: int) -> str:
    """What listening on ``address`` exposes, said before the server starts."""
    if address in LOCAL:
        return f"看板只在本机可访问 (this computer only): http://127.0.0.1:{port}"
    return (f"注意：看板在 {address}:{port} 上监听，办公网络中能访问本机的任何人都能打开登录页；连接未加密 (HTTP)，"
            f"密码和数据以明文在网络中传输。请只在可信的办公网络中使用，或按 docs/deploy.md 放在启用 TLS 的反向代理之后 "
            f"(listening on {address}: anyone on the network can reach the sign-in page; plain HTTP, no TLS)")


def run(args) -> int:
    if not Path(args.db).exists() and not args.no_demo:
        seed_demo(args.db)
    made = first_accounts(args.db)
    if made:
        print("已创建账户（密码只显示这一次，请妥善保存；首次登录时须修改密码）"
              "accounts created — passwords are shown once, each must be changed at the first sign-in:")
        for name, what, password in made:
            print(f"  用户名 {name}  密码 {password}  （{what}）")
    print(exposure(args.address, args.port))
    env = {**os.environ, "FLAGBOARD_DB": str(Path(args.db).resolve())}
    cmd = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(args.port),
           "--server.address", args.address, "--server.headless", "true"]
    # run from the project root so .streamlit/config.toml (theme, server settings) applies
    return serve(cmd, env, ROOT)
