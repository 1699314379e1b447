"""备份 on the data page (AppTest, issue 12): a verified backup while the dashboard holds the store, the list of
backups beside it with a ZIP download that restores, and the backup every publish leaves (or why it failed)."""
from __future__ import annotations

import errno
import io
import zipfile
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from documents.backup import verify_backup
from documents.restore import restore
from queries.store import Store
from queries.store.accounts import Account
from scoring.intake import read_upload
from tests.dashboard.conftest import download_bytes, page_text, table, unescaped
from tests.dashboard.test_data_page import good_csv
from tests.queries.helpers import snapshot

SCHEME = "zichuan-2022"


@pytest.fixture
def seeded(tmp_path, zichuan) -> str:
    db = str(tmp_path / "store.duckdb")
    with Store(db) as store:
        store.import_observations(zichuan, read_upload("seed.csv", good_csv()).obs, who="张三", source="seed.csv")
    return db


def data_page(app, db: str) -> AppTest:
    at = app(db)  # signed in as the office
    at.switch_page("views/data.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def publish(at: AppTest) -> AppTest:
    """Publish the draft on the page (straight from 草稿: with the reason it needs)."""
    at.text_input(key="pub_note").set_value("季度通报").run()
    return at.button(key="pub_confirm").click().run()


def texts(at: AppTest, kind: str) -> list[str]:
    return [unescaped(str(e.value)) for e in getattr(at, kind)]


def test_backup_now_writes_a_verified_backup_beside_the_store_and_offers_its_zip(app, seeded, tmp_path):
    at = data_page(app, seeded)
    assert "还没有备份。" in texts(at, "info")
    at.button(key="backup_now").click().run()
    assert not at.exception, [e.message for e in at.exception]
    (folder,) = (tmp_path / "backups").iterdir()
    assert folder.name.startswith("manual-")
    assert texts(at, "success") == [f"已备份到 {folder}（已校验 SHA-256）。"]
    manifest = verify_backup(folder)
    listed = table(at, "备份", "时间", "字节")
    assert listed.values.tolist() == [[folder.name, manifest["created"], len(manifest["tables"]),
                                       sum(t["rows"] for t in manifest["tables"].values()),
                                       sum(t["bytes"] for t in manifest["tables"].values())]]
    data = download_bytes(at, "backup_download")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert {n: zf.read(n) for n in zf.namelist()} == {f"{folder.name}/{p.name}": p.read_bytes()
                                                          for p in folder.iterdir()}
    (tmp_path / "b.zip").write_bytes(data)  # the download restores (with the dashboard stopped)
    restore(tmp_path / "b.zip", tmp_path / "copy.duckdb", who="王主任")
    copy = snapshot(str(tmp_path / "copy.duckdb"))
    for name in manifest["tables"]:
        if name != "audit":  # the copy's audit has the restore's own row too
            assert (name, copy[name]) == (name, sorted(duckdb.sql(
                f"SELECT * FROM read_parquet('{folder / (name + '.parquet')}')").fetchall(), key=repr))


def test_publish_leaves_a_backup_and_says_where(app, seeded, tmp_path):
    at = publish(data_page(app, seeded))
    assert not at.exception, [e.message for e in at.exception]
    (folder,) = (tmp_path / "backups").iterdir()
    assert folder.name.startswith("zichuan-2022-2022Q2-")
    assert texts(at, "success")[0] == "已发布 2022Q2（3 个单位），本期已锁定。"
    assert texts(at, "info")[0] == f"发布后已自动备份到 {folder}（已校验 SHA-256）。"
    assert verify_backup(folder)["tables"]["publications"]["rows"] == 1


def test_a_publish_whose_backup_fails_stays_published_and_says_so(app, seeded, tmp_path, monkeypatch):
    def no_space(*_args):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "backups"))

    monkeypatch.setattr("dashboard.backup_panel.after_publish", no_space)
    at = publish(data_page(app, seeded))
    assert texts(at, "success")[0] == "已发布 2022Q2（3 个单位），本期已锁定。"
    assert texts(at, "warning")[0] == (f"2022Q2 已发布，但发布后的自动备份未完成：[Errno 28] No space left on device: "
                                       f"'{tmp_path / 'backups'}'。请处理后在“备份”标签点“立即备份”。")
    assert "2022Q2 已发布并锁定，不能修改。如确需更改，请先在“发布”页重新打开该期间。" in page_text(at)
    assert not Path(tmp_path / "backups").exists()


# --- the office's only ------------------------------------------------------------------------------------------------


def test_a_town_account_reaches_neither_the_data_page_nor_a_backup(app, seeded, tmp_path):
    at = app(seeded, "hongshan", "town", (("", "A镇"),))
    with pytest.raises(ValueError):  # not in its navigation, so not reachable by URL either
        at.switch_page("views/data.py")
    assert [b.key for b in at.button if b.key in ("backup_now", "backup_zip")] == []
    assert not (tmp_path / "backups").exists()


def backup_tab_as(db: str, account):
    """The 备份 tab alone, run for ``account`` as the signed-in viewer (as if the page were reached somehow)."""
    import streamlit as st

    from dashboard import backup_panel
    from dashboard.state import VIEWER
    from queries.store import Store

    st.session_state[VIEWER] = account
    with Store(db) as store:
        backup_panel.backup_tab(store)


@pytest.mark.parametrize("role, units", [("town", (("", "A镇"),)), ("analyst", ())])
def test_the_backup_tab_itself_refuses_any_account_but_the_office(seeded, tmp_path, role, units):
    at = AppTest.from_function(backup_tab_as, args=(seeded, Account("x", role, units)), default_timeout=60).run()
    assert not at.exception, [e.message for e in at.exception]
    assert (texts(at, "error"), [b.key for b in at.button]) == (
        ["只有办公室账户可以备份和下载备份 "
         "(only the office may back up: a backup holds every account's password hash)"], [])
    office = AppTest.from_function(backup_tab_as, args=(seeded, Account("x", "office")), default_timeout=60).run()
    assert [b.key for b in office.button] == ["backup_now"]
    office.button(key="backup_now").click().run()
    assert [p.name.startswith("manual-") for p in (tmp_path / "backups").iterdir()] == [True]
