"""``flagboard user add|list|passwd|disable|enable``: the store's accounts, from the command line.

The command line acts on the store file as its administrator and needs no account (who can open the file can
change it anyway); every change is audited with the OS account (``via`` cli). While the dashboard holds the file,
the command says so: the office then uses the 账户管理 page. A password is read from the terminal (twice), or
from ``FLAGBOARD_PASSWORD`` when set (scripts and tests); it is never printed, stored or logged in clear.
"""
from __future__ import annotations

import getpass
import os
import sys

from cli.common import DEFAULT_DB, CliError
from cli.store_cmds import open_store
from queries.store import Actor, RefusedError
from queries.store import accounts

PASSWORD_ENV = "FLAGBOARD_PASSWORD"


def add_parsers(sub) -> None:
    user = sub.add_parser("user", help="accounts of a store: add, list, passwd, disable, enable",
                          description="Accounts of a store (roles: office 区政务服务管理办公室, town 镇街 bound to its "
                                      "unit, analyst 分析人员). The password is read from the terminal, or from "
                                      f"{PASSWORD_ENV} when set. A new or reset account must change its password "
                                      "at its first sign-in.")
    verbs = user.add_subparsers(dest="user_verb", required=True)
    p = verbs.add_parser("add", help="add an account")
    _db(p)
    p.add_argument("--name", required=True, help="user name (用户名)")
    p.add_argument("--role", required=True, choices=sorted(accounts.ROLES))
    p.add_argument("--unit", action="append", default=[],
                   help="town only: its unit (the entity, e.g. 洪山镇); repeat --unit SCHEME:ENTITY where the unit "
                        "belongs to several schemes")
    p.set_defaults(func=run_add)
    p = verbs.add_parser("list", help="list the accounts (never a password)")
    _db(p)
    p.set_defaults(func=run_list)
    p = verbs.add_parser("passwd", help="set a new password (it must be changed at the next sign-in)")
    _db(p)
    p.add_argument("--name", required=True)
    p.set_defaults(func=run_passwd)
    for verb, enabled in (("disable", False), ("enable", True)):
        p = verbs.add_parser(verb, help=f"{verb} an account (its history is kept)")
        _db(p)
        p.add_argument("--name", required=True)
        p.set_defaults(func=run_enable, enabled=enabled)


def _db(p) -> None:
    p.add_argument("--db", default=str(DEFAULT_DB), help=f"store file (default {DEFAULT_DB})")


def admin() -> Actor:
    """The command line acts as the store file's administrator, recorded as the OS account."""
    return Actor(getpass.getuser(), "cli")


def read_password() -> str:
    """``FLAGBOARD_PASSWORD`` when set, else asked twice on the terminal."""
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if not sys.stdin.isatty():
        raise CliError(f"请在终端输入密码，或设置环境变量 {PASSWORD_ENV} (no terminal to read a password from)")
    first = getpass.getpass("密码 password: ")
    if first != getpass.getpass("再次输入 again: "):
        raise CliError("两次输入的密码不一致 (the passwords differ)")
    return first


def _open(db: str):
    """The store for an account verb; while the dashboard holds the file, say where accounts are managed then."""
    try:
        return open_store(db)
    except CliError as exc:
        raise CliError(f"{exc}。看板运行时，请由办公室在看板的“账户管理”页管理账户 "
                       f"(while the dashboard runs, use its 账户管理 page)") from None


def _act(args, action) -> int:
    try:
        with _open(args.db) as store:
            action(store)
    except RefusedError as exc:
        raise CliError(str(exc)) from None
    return 0


def run_add(args) -> int:
    try:
        units = accounts.parse_units(args.role, args.unit)
    except RefusedError as exc:
        raise CliError(str(exc)) from None
    password = read_password()

    def act(store):
        accounts.add(store, admin(), args.name, args.role, units, password)
        print(f"已新增账户 added {args.name}（{accounts.ROLES[args.role]}）；首次登录时须修改密码 "
              f"(the password must be changed at the first sign-in)")
    return _act(args, act)


def run_list(args) -> int:
    with _open(args.db) as store:
        table = accounts.accounts_table(store)
    if table.empty:
        print("没有账户 (no accounts)：flagboard serve 首次启动时会创建办公室账户")
    for r in table.itertuples(index=False):
        state = "启用" if r.enabled else "停用"
        notes = [n for n in ("演示" if r.is_demo else "", "须改密码" if r.must_change else "") if n]
        units = f"  单位: {r.units}" if r.units else ""
        marks = f"  [{'，'.join(notes)}]" if notes else ""
        print(f"{r.name}\t{r.role}（{accounts.ROLES[r.role]}）\t{state}{units}{marks}")
    return 0


def run_passwd(args) -> int:
    password = read_password()

    def act(store):
        accounts.reset_password_of(store, admin(), args.name, password)
        print(f"已重设 {args.name} 的密码；下次登录时须修改 (it must be changed at the next sign-in)")
    return _act(args, act)


def run_enable(args) -> int:
    def act(store):
        accounts.set_enabled(store, admin(), args.name, args.enabled)
        print(f"已{'启用' if args.enabled else '停用'}账户 {args.name}")
    return _act(args, act)
