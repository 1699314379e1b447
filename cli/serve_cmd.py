"""``flagboard serve``: start the dashboard on a store, seeding demo data on first start.

First start stays one command: on a store without accounts (a new store, or one made before accounts) it creates
the office account with a generated password and prints it once (and, on the demo store, a town and an analyst
demo account, labelled 演示). No fixed default password exists anywhere; each must be changed at the first
sign-in. The dashboard listens on 127.0.0.1 unless ``--address`` says otherwise (``0.0.0.0``: the office LAN).
"""
from __future__ import annotations

import os
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
OFFICE = "office"
DEMO_TOWN, DEMO_ANALYST = "demo-town", "demo-analyst"
LOCAL = ("127.0.0.1", "localhost", "::1")


def add_parser(sub) -> None:
    p = sub.add_parser("serve", help="start the dashboard (seeds 演示数据 into a new store on first start; creates "
                                     "the office account on a store without accounts and prints its password once)",
                       description="Start the dashboard. On a store without accounts, creates the office account "
                                   f"({OFFICE}) with a generated password printed once (on the demo store also "
                                   f"{DEMO_TOWN} and {DEMO_ANALYST}, labelled 演示); each must be changed at the "
                                   "first sign-in. Listens on 127.0.0.1 (this computer only) unless --address "
                                   "0.0.0.0 serves the office LAN (see docs/deploy.md for TLS behind a proxy).")
    p.add_argument("--db", default=str(DEFAULT_DB))
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--address", default="127.0.0.1",
                   help="127.0.0.1 (default): this computer only; 0.0.0.0: every network interface (office LAN)")
    p.add_argument("--no-demo", action="store_true", help="do not seed demo data into a new store")
    p.set_defaults(func=run)


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
            scheme = str(demo["scheme"].iloc[0])
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
        from cli.store_cmds import run_demo

        run_demo(type("A", (), {"db": args.db, "rubric": "zichuan-2022", "seed": 2022})())
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
    return subprocess.call(cmd, env=env, cwd=ROOT)
