"""Accounts: argon2 hashes (never a password in the store or the audit), roles checked at the write door, a new or
reset account must change its password, and the sign-in lockout counted per client address."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from queries.store import Actor, NotPermittedError, RefusedError, Store, accounts
from queries.store.accounts import Lockout
from tests.queries.helpers import SCHEME, quarter, snapshot

T0 = datetime(2024, 5, 6, 9, 0)
LOCK = Lockout(attempts=5, minutes=15)


@pytest.fixture
def stocked(store, zichuan):
    store.import_observations(zichuan, quarter(), who="张三", source="a.csv")
    accounts.add(store, "管理员", "office", "office", (), "office-pass-1", must_change=False)
    accounts.add(store, "管理员", "a-town", "town", (("", "A镇"),), "town-pass-1")
    accounts.add(store, "管理员", "analyst", "analyst", (), "analyst-pass-1")
    return store


def every_text(store: Store) -> str:
    return repr(snapshot(store))


def test_passwords_are_stored_as_argon2_hashes_only(stocked):
    text = every_text(stocked)
    for password in ("office-pass-1", "town-pass-1", "analyst-pass-1"):
        assert password not in text
    with stocked.reading() as cur:
        hashes = [h for (h,) in cur.execute("SELECT password_hash FROM accounts ORDER BY name").fetchall()]
    assert [h.startswith("$argon2id$") for h in hashes] == [True, True, True]


def test_accounts_know_their_role_units_and_first_sign_in(stocked):
    assert accounts.account(stocked, "a-town") == accounts.Account("a-town", "town", (("", "A镇"),), True, True, False)
    assert accounts.account(stocked, "a-town").owns(SCHEME, "A镇") and not accounts.account(stocked, "a-town").owns(
        SCHEME, "B镇")
    assert accounts.accounts_table(stocked)[["name", "role", "units", "must_change"]].values.tolist() == [
        ["office", "office", "", False], ["a-town", "town", "A镇", True], ["analyst", "analyst", "", True]]


@pytest.mark.parametrize("name, role, units, password, message", [
    # a taken name, a short password, the name as password, a unit the store does not know, a town without a unit
    ("office", "office", (), "another-pass", "用户名 office 已存在 (the user name is taken)"),
    ("new", "analyst", (), "short", "密码至少需要 8 个字符 (a password needs at least 8 characters)"),
    ("longname1", "analyst", (), "longname1", "密码不能与用户名相同 (the password must differ from the user name)"),
    ("x-town", "town", (("", "Z镇"),), "town-pass-2", "数据库中没有单位 Z镇，请核对名称（或先导入数据）(unknown unit)"),
    ("y-town", "town", (), "town-pass-2", "镇街账户（town）必须用 --unit 指定所属单位 (a town account needs its unit)"),
])
def test_bad_accounts_are_refused_and_audited(stocked, name, role, units, password, message):
    before = snapshot(stocked, skip=("audit", "audit_scope"))
    with pytest.raises(RefusedError) as exc:
        accounts.add(stocked, "管理员", name, role, units, password)
    assert str(exc.value) == message
    assert snapshot(stocked, skip=("audit", "audit_scope")) == before
    with stocked.reading() as cur:
        assert cur.execute("SELECT who, action FROM audit ORDER BY audit_id DESC LIMIT 1").fetchall() == [
            ("管理员", "refused")]


def test_sign_in_checks_the_password_and_is_audited(stocked):
    ok = accounts.sign_in(stocked, "a-town", "town-pass-1", client="10.0.0.7", now=T0, lockout=LOCK)
    assert ok.account.name == "a-town" and ok.message == ""
    bad = accounts.sign_in(stocked, "a-town", "wrong-pass", client="10.0.0.7", now=T0, lockout=LOCK)
    assert (bad.account, bad.message) == (None, "用户名或密码不正确，或账户已停用 (wrong user name or password, or a "
                                                "disabled account)；再失败 4 次，本机地址需等待 15 分钟才能再试")
    unknown = accounts.sign_in(stocked, "town-pass-1", "x", client="10.0.0.7", now=T0, lockout=LOCK)
    assert unknown.account is None
    with stocked.reading() as cur:
        rows = cur.execute("SELECT who, action, detail FROM audit WHERE action LIKE 'login%' ORDER BY audit_id").fetchall()
    # a name that is no account is never written down (it may be a password typed into the wrong box)
    assert rows == [("a-town", "login", '{"client": "10.0.0.7"}'), ("a-town", "login_failed", '{"client": "10.0.0.7"}'),
                    ("（未知用户名）", "login_failed", '{"client": "10.0.0.7"}')]
    assert "town-pass-1" not in every_text(stocked) and "wrong-pass" not in every_text(stocked)


def test_five_failures_from_one_address_make_that_address_wait_but_not_the_office(stocked):
    for n in range(5):
        accounts.sign_in(stocked, "office", f"guess-{n}", client="10.0.0.9", now=T0 + timedelta(minutes=n),
                         lockout=LOCK)
    blocked = accounts.sign_in(stocked, "office", "office-pass-1", client="10.0.0.9", now=T0 + timedelta(minutes=6),
                               lockout=LOCK)
    assert (blocked.account, blocked.wait_until) == (None, T0 + timedelta(minutes=19))
    assert blocked.message == ("登录失败已达 5 次：本机地址需等待 15 分钟，09:19 之后才能再试（其他地址不受影响）"
                               "(too many failed sign-ins from this address)")
    office = accounts.sign_in(stocked, "office", "office-pass-1", client="10.0.0.1", now=T0 + timedelta(minutes=6),
                              lockout=LOCK)
    assert office.account.name == "office"  # another address is not locked out
    later = accounts.sign_in(stocked, "office", "office-pass-1", client="10.0.0.9", now=T0 + timedelta(minutes=20),
                             lockout=LOCK)
    assert later.account.name == "office"


def test_a_disabled_account_cannot_sign_in_nor_write(stocked, zichuan):
    accounts.set_enabled(stocked, "管理员", "office", False)
    assert accounts.sign_in(stocked, "office", "office-pass-1", client="c", now=T0, lockout=LOCK).account is None
    with pytest.raises(NotPermittedError, match="请先登录，或账户已停用"):
        stocked.publish(SCHEME, "2022Q2", who=Actor("office", "dashboard"), why="通报")


def test_own_password_change_needs_the_current_one_and_clears_the_first_sign_in_flag(stocked):
    town = Actor("a-town", "dashboard")
    with pytest.raises(RefusedError, match="当前密码不正确"):
        accounts.change_password(stocked, town, "nope-nope", "brand-new-1")
    accounts.change_password(stocked, town, "town-pass-1", "brand-new-1")
    assert accounts.account(stocked, "a-town").must_change is False
    assert accounts.sign_in(stocked, "a-town", "brand-new-1", client="c", now=T0, lockout=LOCK).account is not None
    with pytest.raises(NotPermittedError, match="镇街账户不能管理账户"):  # a town resets nobody's password
        accounts.reset_password_of(stocked, town, "office", "stolen-pass-1")
    accounts.reset_password_of(stocked, Actor("office", "dashboard"), "a-town", "reset-pass-1")
    assert accounts.account(stocked, "a-town").must_change is True


@pytest.mark.parametrize("who, action, message", [
    # the analyst writes nothing; a town writes nothing but its own objections
    ("analyst", lambda s, w: s.publish(SCHEME, "2022Q2", who=w, why="x"),
     "分析人员账户不能发布 (an analyst account may not publish)"),
    ("a-town", lambda s, w: s.publish(SCHEME, "2022Q2", who=w, why="x"), "镇街账户不能发布 (a town account may not publish)"),
    ("a-town", lambda s, w: s.undo_last(SCHEME, "2022Q2", who=w), "镇街账户不能撤销 (a town account may not undo)"),
    ("analyst", lambda s, w: accounts.add(s, w, "mine", "office", (), "takeover-1"),
     "分析人员账户不能管理账户 (an analyst account may not account)"),
    ("nobody", lambda s, w: s.publish(SCHEME, "2022Q2", who=w, why="x"), "请先登录，或账户已停用 (sign in first; the account "
                                                                          "may be disabled)"),
])
def test_each_role_is_refused_what_it_may_not_do_and_nothing_changes(stocked, who, action, message):
    before = snapshot(stocked, skip=("audit", "audit_scope"))
    with pytest.raises(NotPermittedError) as exc:
        action(stocked, Actor(who, "dashboard"))
    assert str(exc.value) == message
    assert snapshot(stocked, skip=("audit", "audit_scope")) == before
    with stocked.reading() as cur:
        assert cur.execute("SELECT who, via, action FROM audit ORDER BY audit_id DESC LIMIT 1").fetchall() == [
            (who, "dashboard", "refused")]
