"""Backups from the dashboard (the data page's 备份 tab, and the backup after a publish).

While the dashboard runs it holds the store file, and DuckDB lets one process open a file: ``flagboard backup``
cannot open it then. The office (and no other role: a backup holds every table, password hashes included) backs
up here instead: the dashboard's own connection writes a verified backup into ``<store dir>/backups/`` on the
server, and any backup there can be downloaded as a ZIP (which ``flagboard restore --from`` takes as it is).
Restoring needs the dashboard stopped, so it stays a command (a restore asked for by an account passes the store's
write door, which lets the office only: :func:`documents.restore.restore`).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.plain import plain
from dashboard.state import viewer
from documents.backup import (FAULTS, after_publish, backup_beside, backups_dir, list_backups, read_manifest,
                              zip_backup)
from queries.store import Store

FLASH = "data_backup_flash"  # (kind, message) shown after the rerun that follows a publish
ZIPPED = "data_backup_zip"  # (folder name, ZIP bytes) ready to download
NOT_OFFICE = ("只有办公室账户可以备份和下载备份 "
              "(only the office may back up: a backup holds every account's password hash)")


def after_publish_backup(store: Store, scheme: str, period: str) -> None:
    """Call right after a publish committed: the verified backup every publish leaves. Where it went — or why it
    failed (the period stays published) — is shown by :func:`show_flash` after the page reruns."""
    try:
        folder = after_publish(store, scheme, period)
    except FAULTS as exc:
        st.session_state[FLASH] = ("warning", f"{plain(period)} 已发布，但发布后的自动备份未完成：{plain(exc)}。"
                                              f"请处理后在“备份”标签点“立即备份”。")
    else:
        st.session_state[FLASH] = ("info", f"发布后已自动备份到 {plain(folder)}（已校验 SHA-256）。")


def show_flash() -> None:
    """The message :func:`after_publish_backup` left for this run, if any."""
    if shown := st.session_state.pop(FLASH, None):
        kind, message = shown
        (st.warning if kind == "warning" else st.info)(message)


def _zip(store: Store, name: str, just_verified: bool = False) -> None:
    """Prepare the ZIP of one backup folder for the download button (verified first, unless it was just now)."""
    folder = backups_dir(store) / name
    try:
        st.session_state[ZIPPED] = (name, zip_backup(folder, read_manifest(folder) if just_verified else None))
    except FAULTS as exc:
        st.session_state.pop(ZIPPED, None)
        st.error(f"无法打包备份 {plain(name)}：{plain(exc)}")


def _listed(folder: Path) -> pd.DataFrame:
    """The backups beside the store, read again only when the folder changed (a backup is renamed into place, so
    the folder's modification time moves; every tab of the data page runs on each rerun)."""
    stamp = folder.stat().st_mtime_ns if folder.is_dir() else 0
    return _read_listing(str(folder), stamp)


@st.cache_data(max_entries=8, show_spinner=False)
def _read_listing(folder: str, stamp: int) -> pd.DataFrame:
    return list_backups(folder)


def backup_tab(store: Store) -> None:
    """The 备份 tab: back up now, the backups beside the store, a ZIP download of any of them. The office's only:
    its page is offered to no other role, and the tab asks the signed-in account's role again on the server."""
    if viewer().role != "office":
        st.error(NOT_OFFICE)
        return
    st.markdown("看板运行时，命令行 `flagboard backup` 无法打开数据库（一个数据库文件同时只能由一个程序打开），请在这里备份。"
                "备份写到服务器上数据库旁的 `backups/` 文件夹，每个文件都记录 SHA-256 校验和并在写完后校验；也可下载 ZIP 另行保存。"
                "每次发布后也会自动备份到同一文件夹。恢复备份须先停止看板，再运行 "
                "`flagboard restore --db 数据库 --from 备份文件夹或ZIP`。")
    if st.button("立即备份", key="backup_now", type="primary", icon=":material/backup:"):
        try:
            folder = backup_beside(store, "manual")
        except FAULTS as exc:
            st.error(f"备份未完成，未留下不完整的备份：{plain(exc)}")
        else:
            st.success(f"已备份到 {plain(folder)}（已校验 SHA-256）。")
            _zip(store, folder.name, just_verified=True)
    table = _listed(backups_dir(store))
    if table.empty:
        st.info("还没有备份。")
        return
    st.dataframe(table.rename(columns={"name": "备份", "created": "时间", "tables": "表", "rows": "行数",
                                       "bytes": "字节"}), hide_index=True, key="backup_list")
    ready = st.session_state.get(ZIPPED)
    names = list(table["name"])
    pick = st.selectbox("下载哪一个备份", names, key="backup_pick",
                        index=names.index(ready[0]) if ready and ready[0] in names else 0)
    if st.button("打包为 ZIP", key="backup_zip"):
        _zip(store, pick)
    if (ready := st.session_state.get(ZIPPED)) and ready[0] == pick:
        st.download_button(f"下载 {plain(pick)}.zip（{len(ready[1]) / 1048576:.1f} MB）", ready[1],
                           file_name=f"{pick}.zip", mime="application/zip", key="backup_download", on_click="ignore",
                           icon=":material/download:")
