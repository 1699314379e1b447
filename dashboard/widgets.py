"""Widgets every page shares: the page header with the 演示数据 banner, the empty-store help, headline cards,
table column formats and the download buttons (CSV with BOM for Excel, XLSX, Parquet) of what a page shows.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import exports, status
from dashboard.plain import plain
from dashboard.state import (LINKED_UNIT, UNIT, Picked, db_path, group_label, picked, read, rubric, viewer,
                             write_link)
from queries.display import BOARD_TITLES, period_label
from queries.league import reading_warnings
from queries.workflow import export_mark

DEMO_BANNER = "演示数据 · 本页内容由 `flagboard demo` 生成，仅用于演示，并非真实评估结果。"


def empty_store_help() -> None:
    """How to bring data in, shown instead of a page when the store has no results (never a stack trace); a town
    or analyst account is told that nothing is in 公示 or published yet."""
    if viewer().role != "office":
        st.info("还没有公示或已发布的结果 (nothing in public review or published yet)。请等待区政务服务管理办公室公示。")
        return
    st.info("数据库中还没有评分结果 (the store has no results yet)。请先导入观测数据。")
    st.markdown(
        "**导入数据的方法 (how to import data)**\n\n"
        "1. 在左侧 **数据管理** 页上传观测数据文件（CSV 或 XLSX，长格式，表头："
        "`period, entity, indicator, item, value, ref, note`，可选 `group`）。\n"
        "2. 或在命令行导入（导入前请先关闭正在运行的看板）：\n"
        f"```bash\nflagboard import --db {db_path()} --rubric zichuan-2022 观测数据.csv\n```\n"
        "3. 想先看看效果，可生成演示数据（演示数据）：\n"
        f"```bash\nflagboard demo --db {db_path()}\n```\n"
        "然后刷新本页。评分细则可在 **评分细则** 页查看。"
    )


def pick_unit(units: list[str], key: str) -> str:
    """The sidebar's unit picker; the choice is remembered across pages (town ↔ phases) and written into the URL
    (``?…&unit=``), so the view can be sent as a link."""
    remembered = st.session_state.get(UNIT)
    if st.session_state.get(key) not in units:
        st.session_state.pop(key, None)
    entity = st.sidebar.selectbox("单位 unit", units, index=units.index(remembered) if remembered in units else 0,
                                  key=key)
    linked = st.session_state.pop(LINKED_UNIT, None)
    if linked and linked not in units:  # e.g. a town sent a link to, or clicked the row of, another unit
        st.info(f"所选单位不在您可查看的范围内（镇街账户只能查看本单位 a town account opens its own unit only），"
                f"现显示“{plain(entity)}”。")
    st.session_state[UNIT] = entity
    write_link(unit=entity)
    return entity


def require_data() -> Picked:
    """The sidebar's choice; on an empty store show how to import data and stop the page."""
    choice = picked()
    if choice is None:
        empty_store_help()
        st.stop()
    return choice


def header(title: str, picked: Picked, subject: str = "") -> None:
    """Page title with scheme, period (in words) and group, and the 演示数据 banner on demo data.

    ``title`` "榜单" becomes the period kind's board name (季度榜单, 月度榜单, 年度榜单).
    """
    rub = rubric(picked.scheme)
    title = BOARD_TITLES[rub.period_kind] if title == "榜单" else title
    parts = [period_label(picked.period, rub.period_kind)]
    if len(picked.groups) > 1:
        parts.append(plain(group_label(picked.grp)))
    st.title(f"{title}" + (f" · {plain(subject)}" if subject else ""))
    st.caption(f"{plain(rub.name)}（{plain(picked.scheme)}） · " + " · ".join(parts))
    status.banner(picked.scheme, picked.period)
    if picked.is_demo:
        st.warning(DEMO_BANNER, icon=":material/science:")
    readings = read(reading_warnings, picked.scheme, picked.period)
    if readings:
        with st.expander(f"评分读法提醒：{len(readings)} 处结果由细则的读法决定（原文可有两种理解）", icon=":material/info:"):
            for line in readings:
                st.text(line)


def card(label: str, value: str, note: str = "", key: str | None = None, width="stretch") -> None:
    """A bordered headline card: label (Markdown: escape user text in it), a big value, a small note (plain text:
    unit names are shown as typed)."""
    with st.container(border=True, key=key, width=width):
        st.metric(label, value)
        if note:
            st.caption(plain(note))


CARD_WIDTH = "stretch"  # cards share a wrapping row: four across on a desktop, two by two on a phone (390 px)
PAGE_STYLE = """<style>
[data-testid="stMetricValue"] > div { white-space: normal; overflow-wrap: anywhere; }
@media (max-width: 640px) { [data-testid="stMetricValue"] { font-size: 1.45rem; } }
</style>"""


def page_style() -> None:
    """The few style rules every page shares: a headline value wraps instead of being cut ("般阳…"), and is a
    little smaller on a phone."""
    st.html(PAGE_STYLE)


def card_row(cards: list[tuple[str, str, str, str]]) -> None:
    """Headline cards (label, value, note, key) in a wrapping row: side by side on a desktop, two by two on a
    phone, never one long column."""
    row = st.container(horizontal=True, gap="small", key="card_row")
    with row:
        for label, value, note, key in cards:
            card(label, value, note, key=key, width=CARD_WIDTH)


def as_text(frame: pd.DataFrame, names, decimals: int = 2) -> pd.DataFrame:
    """Presentation only: numeric columns as text with the display decimals, empty where there is no number (a
    table whose blank cells would otherwise read "None")."""
    out = frame.copy()
    for n in names:
        if n in out.columns:
            out[n] = ["" if v is None or pd.isna(v) else f"{float(v):.{decimals}f}" for v in out[n]]
    return out


def money_columns(frame: pd.DataFrame, names) -> dict:
    """Column config showing money with thousands separators and 2 decimals (11,265,500.00)."""
    return {n: st.column_config.NumberColumn(n, format="accounting") for n in names if n in frame.columns}


def rows_height(n_rows: int, row_height: int = 35) -> int:
    """A dataframe height that shows every row without an inner scrollbar (header included)."""
    return (n_rows + 1) * row_height + 3


def indicator_tree(rows: pd.DataFrame) -> str:
    """One category's indicators as a markdown tree: name and max, the rule sentence, who assesses, the clause."""
    lines = []
    for r in rows.to_dict("records"):
        word = "上限" if r["类型"] in ("加分", "减分") else "满分"
        lines.append(f"- **{r['编号']} {r['指标']}**（{r['类型']}，{word} {r['满分/上限']:g} 分）")
        lines.append(f"  - 计分规则：{r['计分规则']}")
        if r["考核方式"] or r["责任科室"]:
            lines.append(f"  - 考核方式：{r['考核方式'] or '—'} · 责任科室：{r['责任科室'] or '—'}")
        if r["原文"]:
            lines.append(f"  - 原文：“{r['原文']}”")
    return "\n".join(lines)


def number_columns(frame: pd.DataFrame, names, decimals: int = 2) -> dict:
    """Column config showing the named numeric columns with the rubric's display decimals."""
    return {n: st.column_config.NumberColumn(n, format=f"%.{decimals}f") for n in names if n in frame.columns}


def rising_trail(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Presentation only: ranks drawn negated, so a rising sparkline means a better place.

    (``LineChartColumn`` cannot invert its axis; downloads keep the real ranks.)
    """
    out = frame.copy()
    out[column] = [[-r for r in trail] for trail in out[column]]
    return out


def float_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if pd.api.types.is_float_dtype(frame[c])]


@st.cache_data(show_spinner=False, max_entries=128)
def _export(kind: str, frame: pd.DataFrame, sheet: str) -> bytes:
    if kind == "csv":
        return exports.csv_bytes(frame)
    if kind == "gbk.csv":
        return exports.csv_bytes(frame, "gbk")
    if kind == "xlsx":
        return exports.xlsx_bytes(frame, sheet)
    return exports.parquet_bytes(frame)


def downloads(frame: pd.DataFrame, name: str, key: str, parquet: bool = False, sheet: str = "数据") -> None:
    """Download buttons for exactly the shown table (list columns as 'a→b→c' text)."""
    flat = exports.for_download(frame)
    choice = picked()
    mark = read(export_mark, choice.scheme, choice.period) if choice else ""
    if mark:  # a period not 已发布: its files say so in their name and (XLSX) sheet title
        name, sheet = f"{mark}_{name}", f"{sheet}（{mark}）"
    kinds = [("csv", "下载 CSV", "text/csv"), ("gbk.csv", "CSV（GBK，旧版 WPS/Excel）", "text/csv"),
             ("xlsx", "下载 XLSX", exports.XLSX_MIME)]
    if parquet:
        kinds.append(("parquet", "下载 Parquet", "application/octet-stream"))
    row = st.container(horizontal=True)
    for kind, label, mime in kinds:
        file_name = f"{name}_GBK.csv" if kind == "gbk.csv" else f"{name}.{kind}"
        row.download_button(label, _export(kind, flat, sheet), file_name=file_name, mime=mime,
                            key=f"{key}_{kind.replace('.', '_')}", on_click="ignore", icon=":material/download:")
