"""Accounts and sign-in: local accounts in the store, passwords hashed with argon2 (never stored or logged in
clear), the units a town account sees, and the sign-in lockout per client address.

Roles (DESIGN § Roles): **office** (区政务服务管理办公室) does everything; **town** is bound to its unit(s) and may
only file objections on them; **analyst** reads and writes nothing. A new or reset account must change its
password at its first sign-in (``must_change``).

Write commands are ``fn(cur, ...) -> Written`` for :meth:`queries.store.Store.write`; the verbs below
(:func:`add`, :func:`reset_password`, :func:`change_own_password`, :func:`set_enabled`, :func:`sign_in`) name
the command and what it is about. The clear password is an argument of the command only: it never enters a
request, an audit row or an error message.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from queries.statements import beside
from queries.store.door import Actor, AuditEntry, Request, Written
from queries.store.errors import RefusedError

SQL = beside(__file__)
ROLES = {"office": "区政务服务管理办公室", "town": "镇街", "analyst": "分析人员"}
PASSWORD_MIN = 8
UNKNOWN_NAME = "（未知用户名）"  # who a failed sign-in with a name that is no account is recorded as
_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash(secrets.token_hex(16))  # verified against for unknown names: the same time either way


@dataclass(frozen=True)
class Account:
    """An account as the permission check and the pages see it (never its hash)."""

    name: str
    role: str
    units: tuple[tuple[str, str], ...] = ()  # (scheme, entity); scheme "" = that unit in every scheme
    enabled: bool = True
    must_change: bool = False
    is_demo: bool = False

    def owns(self, scheme: str, entity: str) -> bool:
        """Whether this (town) account is bound to ``entity`` in ``scheme``."""
        return any(e == entity and s in ("", scheme) for s, e in self.units)

    def entities(self, scheme: str) -> list[str]:
        """The units this account is bound to in ``scheme``."""
        return sorted({e for s, e in self.units if s in ("", scheme)})

    @property
    def role_label(self) -> str:
        return ROLES[self.role]


@dataclass(frozen=True)
class Lockout:
    """After ``attempts`` failed sign-ins from one client address, that address waits ``minutes``."""

    attempts: int = 5
    minutes: int = 15


@dataclass(frozen=True)
class SignIn:
    """What a sign-in gave: the account, or why not (and until when the address must wait)."""

    account: Account | None
    message: str = ""
    wait_until: datetime | None = None


def find(cur, name: str) -> Account | None:
    """The account called ``name`` (None when there is none)."""
    row = SQL.account(cur, name=name)
    if row is None:
        return None
    units = SQL.account_units(cur, name=name)
    return Account(row["name"], row["role"], tuple(units.itertuples(index=False, name=None)), bool(row["enabled"]),
                   bool(row["must_change"]), bool(row["is_demo"]))


def count(cur) -> int:
    return int(SQL.count_accounts(cur))


def generated_password() -> str:
    """A fresh random password (printed once; the store keeps only its hash)."""
    return secrets.token_urlsafe(9)


def _check_password(name: str, password: str) -> None:
    if len(password) < PASSWORD_MIN:
        raise RefusedError(f"密码至少需要 {PASSWORD_MIN} 个字符 (a password needs at least {PASSWORD_MIN} characters)")
    if password == name:
        raise RefusedError("密码不能与用户名相同 (the password must differ from the user name)")


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def parse_units(role: str, units: list[str]) -> tuple[tuple[str, str], ...]:
    """``--unit`` values as (scheme, entity): ``ENTITY`` (every scheme) or ``SCHEME:ENTITY``. A town account
    needs at least one; other roles none."""
    if role not in ROLES:
        raise RefusedError(f"未知角色 {role!r}，应为 office、town 或 analyst (unknown role)")
    if role != "town" and units:
        raise RefusedError(f"只有镇街账户（town）绑定单位，{role} 账户不需要 --unit (only town accounts have units)")
    if role == "town" and not units:
        raise RefusedError("镇街账户（town）必须用 --unit 指定所属单位 (a town account needs its unit)")
    out = []
    for text in units:
        scheme, _, entity = text.rpartition(":")
        if not entity.strip():
            raise RefusedError(f"单位 {text!r} 为空 (empty unit)")
        out.append((scheme.strip(), entity.strip()))
    return tuple(dict.fromkeys(out))


# -- write commands ----------------------------------------------------------------------------------------------
def add_account(cur, name: str, role: str, units: tuple[tuple[str, str], ...], password: str, *,
                must_change: bool = True, is_demo: bool = False) -> Written:
    """Write command: a new account (refused if the name is taken, the role unknown or a unit not in the store)."""
    name = name.strip()
    if not name:
        raise RefusedError("用户名不能为空 (a user name is required)")
    if find(cur, name) is not None:
        raise RefusedError(f"用户名 {name} 已存在 (the user name is taken)")
    units = parse_units(role, [f"{s}:{e}" if s else e for s, e in units])
    unknown = [f"{s}:{e}" if s else e for s, e in units if not SQL.known_entity(cur, scheme=s, entity=e)]
    if unknown:
        raise RefusedError(f"数据库中没有单位 {'、'.join(unknown)}，请核对名称（或先导入数据）(unknown unit)")
    _check_password(name, password)
    SQL.insert_account(cur, name=name, role=role, password_hash=_HASHER.hash(password), must_change=must_change,
                       is_demo=is_demo)
    for scheme, entity in units:
        SQL.insert_account_unit(cur, name=name, scheme=scheme, entity=entity)
    detail = {"role": role, "units": [f"{s}:{e}" if s else e for s, e in units], "demo": is_demo}
    return Written(name, (AuditEntry.periods("account_add", "", [], {"account": name, **detail}),))


def _existing(cur, name: str) -> Account:
    account = find(cur, name)
    if account is None:
        raise RefusedError(f"没有名为 {name} 的账户 (no such account)")
    return account


def reset_password(cur, name: str, password: str, *, must_change: bool = True) -> Written:
    """Write command: set an account's password (the office's reset: it must be changed at the next sign-in)."""
    _existing(cur, name)
    _check_password(name, password)
    SQL.set_password(cur, name=name, password_hash=_HASHER.hash(password), must_change=must_change)
    return Written(None, (AuditEntry.periods("account_reset", "", [], {"account": name}),))


def change_own_password(cur, name: str, old: str, new: str) -> Written:
    """Write command: an account changes its own password (the current one is asked again)."""
    row = SQL.account(cur, name=name)
    if row is None or not _verify(row["password_hash"], old):
        raise RefusedError("当前密码不正确 (the current password is wrong)")
    if new == old:
        raise RefusedError("新密码不能与当前密码相同 (the new password must differ)")
    _check_password(name, new)
    SQL.set_password(cur, name=name, password_hash=_HASHER.hash(new), must_change=False)
    return Written(None, (AuditEntry.periods("passwd", "", [], {"account": name}),))


def enable_account(cur, name: str, enabled: bool) -> Written:
    """Write command: disable (or enable again) an account; its history stays."""
    account = _existing(cur, name)
    if account.enabled == enabled:
        raise RefusedError(f"账户 {name} 已经是{'启用' if enabled else '停用'}状态 (nothing to change)")
    SQL.set_enabled(cur, name=name, enabled=enabled)
    action = "account_enable" if enabled else "account_disable"
    return Written(None, (AuditEntry.periods(action, "", [], {"account": name}),))


def attempt(cur, name: str, password: str, *, client: str, now: datetime, lockout: Lockout) -> Written:
    """Write command: one sign-in from ``client`` at ``now``. Its value is a :class:`SignIn`.

    While ``client`` has ``lockout.attempts`` failed sign-ins within ``lockout.minutes`` (since its last
    success), it waits: nothing is checked or written. A success or a failure is recorded per client address
    (so a town's failures never lock the office out) and audited (``login`` / ``login_failed``)."""
    failures = SQL.recent_failures(cur, client=client, since=now - timedelta(minutes=lockout.minutes))
    if failures["n"] >= lockout.attempts:
        until = failures["latest"] + timedelta(minutes=lockout.minutes)
        return Written(SignIn(None, locked_message(lockout, until), until))  # no audit row: nothing written
    row = SQL.account(cur, name=name)
    ok = _verify(row["password_hash"] if row else _DUMMY_HASH, password) and row is not None
    ok = ok and bool(row["enabled"])
    SQL.record_attempt(cur, client=client, ts=now, ok=ok, name=row["name"] if row else None)
    if ok:
        return Written(SignIn(find(cur, name)), (AuditEntry.periods("login", "", [], {"client": client}),))
    left = lockout.attempts - int(failures["n"]) - 1
    message = "用户名或密码不正确，或账户已停用 (wrong user name or password, or a disabled account)"
    if left > 0:
        message += f"；再失败 {left} 次，本机地址需等待 {lockout.minutes} 分钟才能再试"
    else:
        until = now + timedelta(minutes=lockout.minutes)
        message = locked_message(lockout, until)
    entry = AuditEntry.periods("login_failed", "", [], {"client": client})
    return Written(SignIn(None, message, None if left > 0 else now + timedelta(minutes=lockout.minutes)), (entry,))


def locked_message(lockout: Lockout, until: datetime) -> str:
    return (f"登录失败已达 {lockout.attempts} 次：本机地址需等待 {lockout.minutes} 分钟，"
            f"{until:%H:%M} 之后才能再试（其他地址不受影响）(too many failed sign-ins from this address)")


# -- verbs: each names its command and what it is about ---------------------------------------------------------------
def add(store, actor: Actor | str, name: str, role: str, units: tuple[tuple[str, str], ...], password: str, *,
        must_change: bool = True, is_demo: bool = False) -> str:
    """Add an account (office or the store's administrator)."""
    return store.write(actor, Request("account", account=name.strip()), add_account, name, role, units, password,
                       must_change=must_change, is_demo=is_demo)


def reset_password_of(store, actor: Actor | str, name: str, password: str) -> None:
    """Reset an account's password; it must be changed at the next sign-in."""
    store.write(actor, Request("account", account=name), reset_password, name, password)


def change_password(store, actor: Actor, old: str, new: str) -> None:
    """The signed-in account changes its own password."""
    store.write(actor, Request("passwd", account=actor.name), change_own_password, actor.name, old, new)


def set_enabled(store, actor: Actor | str, name: str, enabled: bool) -> None:
    """Disable (or enable again) an account."""
    store.write(actor, Request("account", account=name), enable_account, name, enabled)


def sign_in(store, name: str, password: str, *, client: str, now: datetime, lockout: Lockout = Lockout()) -> SignIn:
    """One sign-in from the dashboard (audited under the account's name, or :data:`UNKNOWN_NAME`)."""
    name = name.strip()
    with store.reading() as cur:
        known = SQL.account(cur, name=name) is not None
    actor = Actor(name if known else UNKNOWN_NAME, "dashboard")
    return store.write(actor, Request("login", account=name if known else ""), attempt, name, password,
                       client=client, now=now, lockout=lockout)


def accounts_table(store):
    """Every account without its hash (name, role, enabled, must_change, is_demo, created_at, units)."""
    return store.read(SQL.account_list)


def account(store, name: str) -> Account | None:
    with store.reading() as cur:
        return find(cur, name)
