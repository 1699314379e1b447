"""The command line on accounts and the life of a period: ``user add|list|passwd|disable|enable`` (the password from
FLAGBOARD_PASSWORD, never printed), ``review`` and ``draft``, ``export`` saying a draft on stderr, and the first
start of ``serve`` (the office account, and the demo store's 演示 accounts, with passwords printed once)."""
from __future__ import annotations

import getpass
from datetime import date, datetime, timedelta

import pytest

from cli.main import main as flagboard
from cli.serve_cmd import exposure, first_accounts
from queries.store import Store, accounts
from queries.workflow import period_status
from tests.demo_stores import copy_store, demo_template, small_store

PASSWORD = "cli-pass-2024"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = flagboard([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def small(tmp_path, monkeypatch) -> str:
    monkeypatch.setenv("FLAGBOARD_PASSWORD", PASSWORD)
    return str(small_store(tmp_path / "small.duckdb"))


def test_user_add_list_passwd_disable_enable(small, capsys, monkeypatch):
    assert run(capsys, "user", "add", "--db", small, "--name", "a-town", "--role", "town", "--unit", "A")[:2] == (
        0, "已新增账户 added a-town（镇街）；首次登录时须修改密码 (the password must be changed at the first sign-in)\n")
    assert run(capsys, "user", "add", "--db", small, "--name", "office", "--role", "office")[0] == 0
    code, out, _ = run(capsys, "user", "list", "--db", small)
    assert (code, out.splitlines()) == (0, ["a-town\ttown（镇街）\t启用  单位: A  [须改密码]",
                                            "office\toffice（区政务服务管理办公室）\t启用  [须改密码]"])
    assert PASSWORD not in out
    with Store(small) as store:
        signed = accounts.sign_in(store, "a-town", PASSWORD, client="cli-test", now=datetime.now())
        assert (signed.account.name, signed.account.must_change) == ("a-town", True)
    monkeypatch.setenv("FLAGBOARD_PASSWORD", "second-pass-1")
    assert run(capsys, "user", "passwd", "--db", small, "--name", "a-town")[0] == 0
    assert run(capsys, "user", "disable", "--db", small, "--name", "a-town")[:2] == (0, "已停用账户 a-town\n")
    with Store(small) as store:
        assert accounts.sign_in(store, "a-town", "second-pass-1", client="cli-test", now=datetime.now()).account is None
    assert run(capsys, "user", "enable", "--db", small, "--name", "a-town")[:2] == (0, "已启用账户 a-town\n")
    with Store(small) as store:
        assert accounts.sign_in(store, "a-town", "second-pass-1", client="cli-test2", now=datetime.now()).account
        who = store.con.execute("SELECT DISTINCT who, via FROM audit WHERE action LIKE 'account%'").fetchall()
    assert who == [(getpass.getuser(), "cli")]  # the command line acts as the file's administrator


@pytest.mark.parametrize("args, message", [
    # a town's unit must exist in the store; a town needs one; other roles have none
    (("--role", "town", "--unit", "Z"), "数据库中没有单位 Z，请核对名称（或先导入数据）(unknown unit)"),
    (("--role", "town"), "镇街账户（town）必须用 --unit 指定所属单位 (a town account needs its unit)"),
    (("--role", "analyst", "--unit", "A"), "只有镇街账户（town）绑定单位，analyst 账户不需要 --unit (only town accounts have units)"),
])
def test_user_add_refuses_bad_accounts(small, capsys, args, message):
    code, _, err = run(capsys, "user", "add", "--db", small, "--name", "x", *args)
    assert (code, err.strip()) == (2, f"错误 error: {message}")


def test_review_and_draft_from_the_command_line(small, capsys):
    args = ("--db", small, "--rubric", "zichuan-2022", "--period", "2022Q2")
    until = date.today() + timedelta(days=6)
    assert run(capsys, "review", *args, "--days", "7", "--who", "王主任")[:2] == (
        0, f"2022Q2 开始公示 in review，截止 until {until:%Y-%m-%d}（含当日）：镇街可查看结果并提出异议\n")
    with Store(small) as store:
        assert (period_status(store, "zichuan-2022", "2022Q2").status,
                period_status(store, "zichuan-2022", "2022Q2").review_until) == ("公示", until)
    with pytest.raises(SystemExit) as exc:
        flagboard(["draft", *args])
    assert exc.value.code == 2 and "the following arguments are required: --why" in capsys.readouterr().err
    assert run(capsys, "draft", *args, "--why", "重新核对")[0] == 0
    with Store(small) as store:
        assert period_status(store, "zichuan-2022", "2022Q2").status == "草稿"
        rows = store.con.execute("SELECT who, declared, action, why FROM audit WHERE action IN ('review', 'draft') "
                                 "ORDER BY audit_id").fetchall()
    assert rows == [(getpass.getuser(), "王主任", "review", ""), (getpass.getuser(), "", "draft", "重新核对")]


def test_export_of_a_period_not_published_says_so_on_stderr(small, capsys, tmp_path):
    out = tmp_path / "league.csv"
    args = ("--db", small, "--rubric", "zichuan-2022", "--period", "2022Q1")
    code, stdout, err = run(capsys, "export", *args, "--out", out)
    assert (code, err) == (0, "注意 note: 2022Q1 的状态为“草稿”，导出的是草稿，不是已发布的结果 (not published)\n")
    assert out.read_text(encoding="utf-8").splitlines()[0] == "period,entity,daily,showcase,final,rank,grade,flag"
    assert run(capsys, "publish", *args, "--why", "通报")[0] == 0
    assert run(capsys, "export", *args, "--out", out)[::2] == (0, "")


def test_first_start_creates_the_office_and_the_demo_accounts_once(tmp_path_factory):
    db = str(copy_store(demo_template(tmp_path_factory), tmp_path_factory.mktemp("serve") / "demo.duckdb"))
    made = first_accounts(db)
    assert [(name, what) for name, what, _ in made] == [
        ("office", "办公室 office（全部权限）"), ("demo-town", "演示 镇街 town：双杨镇"),
        ("demo-analyst", "演示 分析人员 analyst")]
    assert len({password for _, _, password in made}) == 3  # generated, never a fixed default
    with Store(db) as store:
        for name, _, password in made:
            signed = accounts.sign_in(store, name, password, client=f"serve-{name}", now=datetime.now())
            assert (signed.account.name, signed.account.must_change) == (name, True)
        assert [a.is_demo for a in map(lambda n: accounts.account(store, n), ("office", "demo-town", "demo-analyst"))] == [
            False, True, True]
    assert first_accounts(db) == []  # accounts exist: nothing is created or printed again


def test_serving_the_lan_says_what_it_exposes():
    assert exposure("127.0.0.1", 8501) == "看板只在本机可访问 (this computer only): http://127.0.0.1:8501"
    assert exposure("0.0.0.0", 8501).startswith("注意：看板在 0.0.0.0:8501 上监听，办公网络中能访问本机的任何人都能打开登录页；"
                                                "连接未加密 (HTTP)")
