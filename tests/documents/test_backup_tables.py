"""Backup and restore hold every table of today's store: the lean results (``result_points``, the rubric versions
and their indicators, reading warnings), stored problems, contract terms, accounts (argon2 hashes, never a
password), their units and sign-in attempts, the period's status and objections; the view ``results_indicator`` is
made again, never loaded. A backup taken before the lean table is upgraded like a store of that age. Only the office
may restore from the dashboard: the current store's write door decides, and audits a refusal."""
from __future__ import annotations

import json
import stat
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from documents.backup import backup, backup_beside
from documents.restore import restore
from queries.store import (Actor, NotPermittedError, Request, Store, accounts, notice_settings, objections,
                           workflow)
from queries.store.connection import SYSTEM, problems_listed
from scoring.payout import ContractTerms
from scoring.rubric import load_rubric
from tests.queries.helpers import snapshot
from tests.queries.store.test_lean_results import make_old_store

SCHEME = "zichuan-2022"
PASSWORDS = {"wang": "office-pass-1", "hongshan": "town-pass-1", "li": "analyst-pass-1"}
TODAY = date(2024, 5, 6)


def stock_every_table(db: str) -> None:
    """Add to the full store a row in each table the full store leaves empty."""
    with Store(db) as store:
        accounts.add(store, "管理员", "wang", "office", (), PASSWORDS["wang"], must_change=False)
        accounts.add(store, "管理员", "hongshan", "town", ((SCHEME, "A镇"),), PASSWORDS["hongshan"], must_change=False)
        accounts.add(store, "管理员", "li", "analyst", (), PASSWORDS["li"], must_change=False)
        accounts.sign_in(store, "hongshan", "wrong-pass", client="10.0.0.9", now=datetime(2024, 5, 6, 9))
        workflow.review(store, "王主任", SCHEME, "2022Q3", until=TODAY + timedelta(days=6), today=TODAY)
        objections.file(store, Actor("hongshan", "dashboard"), SCHEME, "2022Q3", "A镇", "1.1", "材料已补交",
                        today=TODAY)
        problem = pd.DataFrame([{"period": "2022Q3", "entity": "B镇", "indicator": "4.1", "item": "未设自助服务区",
                                 "value": "有", "message": "存为 有，意思不明确"}])
        store.write(SYSTEM, Request("stored_problems", SCHEME, ("2022Q3",)), problems_listed, SCHEME, "2022Q3",
                    problem)
        haikou = load_rubric("haikou-2023")  # a capped reading decides points: a reading warning is stored
        obs = pd.read_csv("data/examples/haikou-2023/observations.csv", dtype=str, keep_default_na=False)
        month = obs[obs["period"] == "2023-03"]
        month = pd.concat([month, month.iloc[:1].assign(indicator="7B", item="曝光件数", value="2", ref="", note="")],
                          ignore_index=True)
        store.import_observations(haikou, month, who="张三", source="m.csv")
        store.set_contract_terms(haikou.id, "第一年", ContractTerms(880000.0, 10, 8, 12), who="王主任")
        store.write("王主任", notice_settings.request(SCHEME), notice_settings.save, SCHEME, "淄川区政务服务管理办公室",
                    "淄川区政务服务管理办公室")


@pytest.fixture
def every_table(full_store) -> str:
    stock_every_table(full_store)
    return full_store


def kinds(db: str) -> dict[str, str]:
    with duckdb.connect(db, read_only=True) as con:
        return dict(con.execute("SELECT table_name, table_type FROM information_schema.tables "
                                "WHERE table_schema = 'main'").fetchall())


def test_a_round_trip_keeps_every_table_and_makes_the_view_again(every_table, tmp_path):
    before = snapshot(every_table, views=False)
    assert sorted(t for t, rows in before.items() if not rows) == []  # every table of the store holds rows
    with Store(every_table, read_only=True) as store:
        manifest = backup(store, tmp_path / "bk")
    assert sorted(manifest["tables"]) == sorted(before)  # every base table, and no view
    target = str(tmp_path / "restored.duckdb")
    done = restore(tmp_path / "bk", target, who=Actor("root", "cli", declared="王主任"))
    assert (done.skipped, done.carried) == ((), 0)
    assert kinds(target) == kinds(every_table)  # results_indicator: a view again
    original, copy = snapshot(every_table), snapshot(target)
    assert {t: r for t, r in copy.items() if t != "audit"} == {t: r for t, r in original.items() if t != "audit"}
    by_id = sorted(copy["audit"], key=lambda row: row[0])
    assert (by_id[:-1], by_id[-1][3]) == (sorted(original["audit"], key=lambda row: row[0]), "restore")
    with Store(target) as store:  # the accounts work: each password still signs in, the hashes came back as hashes
        for name, password in PASSWORDS.items():
            signed = accounts.sign_in(store, name, password, client="10.0.0.7", now=datetime(2024, 5, 7, 9))
            assert (name, signed.account.name if signed.account else signed.message) == (name, name)


def test_a_backup_holds_password_hashes_only_and_is_private_to_its_owner(every_table, tmp_path):
    with Store(every_table) as store:
        folder = backup_beside(store, "manual")
        hashes = [h for (h,) in store.con.execute("SELECT password_hash FROM accounts ORDER BY name").fetchall()]
    files = sorted(folder.iterdir())
    everything = b"".join(p.read_bytes() for p in files)
    assert [p for p in PASSWORDS.values() if p.encode() in everything] == []
    with duckdb.connect() as con:
        stored = [h for (h,) in con.execute(f"SELECT password_hash FROM '{folder / 'accounts.parquet'}' "
                                            "ORDER BY name").fetchall()]
    assert stored == hashes and [h.startswith("$argon2id$") for h in stored] == [True, True, True]
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in [folder.parent, folder, *files]}
    assert modes == {"backups": 0o700, folder.name: 0o700, **{p.name: 0o600 for p in files}}


def test_a_backup_made_before_the_lean_results_is_upgraded_like_such_a_store(tmp_path, zichuan):
    old = str(tmp_path / "old.duckdb")
    make_old_store(old, zichuan)
    with Store(old, read_only=True) as store:  # read-only: not upgraded, the wide table goes into the backup
        manifest = backup(store, tmp_path / "bk")
    assert "results_indicator" in manifest["tables"] and "result_points" not in manifest["tables"]
    target = str(tmp_path / "restored.duckdb")
    done = restore(tmp_path / "bk", target, who="张三")
    assert done.skipped == ()
    with duckdb.connect(target, read_only=True) as con:
        detail = json.loads(con.execute("SELECT detail FROM audit WHERE action = 'restore'").fetchone()[0])
    assert detail["upgraded_tables"] == ["results_indicator"]
    assert kinds(target)["results_indicator"] == "VIEW"
    for db in (old, target):  # both opened for writing: rescored with exact arithmetic, the same way
        Store(db).close()
    upgraded, restored = (snapshot(db, skip=("audit", "audit_scope")) for db in (old, target))
    for tables in (upgraded, restored):  # registered when each was upgraded: all but that time must agree
        tables["rubric_versions"] = [row[:-1] for row in tables["rubric_versions"]]
    assert restored == upgraded
    assert len(restored["result_points"]) == len(restored["results_indicator"]) > 0


# --- who may restore: the current store's door ------------------------------------------------------------------------


@pytest.fixture
def backed_up(every_table, tmp_path) -> Path:
    with Store(every_table, read_only=True) as store:
        backup(store, tmp_path / "bk")
    return tmp_path / "bk"


@pytest.mark.parametrize("name, message", [
    ("hongshan", "镇街账户不能恢复备份 (a town account may not restore)"),
    ("li", "分析人员账户不能恢复备份 (an analyst account may not restore)"),
    ("nobody", "请先登录，或账户已停用 (sign in first; the account may be disabled)"),
])
def test_only_the_office_may_restore_from_the_dashboard(every_table, backed_up, name, message):
    before = snapshot(every_table, skip=("audit", "audit_scope"))
    with pytest.raises(NotPermittedError) as exc:
        restore(backed_up, every_table, who=Actor(name, "dashboard"))
    assert str(exc.value) == message
    assert snapshot(every_table, skip=("audit", "audit_scope")) == before
    assert sorted(p.name for p in Path(every_table).parent.iterdir()) == ["bk", "store.duckdb"]
    with duckdb.connect(every_table, read_only=True) as con:
        last = con.execute("SELECT who, via, action, detail FROM audit ORDER BY audit_id DESC LIMIT 1").fetchone()
    assert last == (name, "dashboard", "refused", json.dumps({"action": "restore", "message": message},
                                                             ensure_ascii=False))


def test_the_office_restores_from_the_dashboard_and_is_recorded(every_table, backed_up):
    done = restore(backed_up, every_table, who=Actor("wang", "dashboard"))
    assert Path(done.kept).name.startswith("store.duckdb.before-restore-")
    with duckdb.connect(every_table, read_only=True) as con:
        assert con.execute("SELECT who, via, action FROM audit ORDER BY audit_id DESC LIMIT 1").fetchone() == (
            "wang", "dashboard", "restore")


def test_no_account_may_restore_where_no_store_is(backed_up, tmp_path):
    with pytest.raises(NotPermittedError):
        restore(backed_up, tmp_path / "new.duckdb", who=Actor("wang", "dashboard"))
    assert not (tmp_path / "new.duckdb").exists()
