"""Shared page state: the store connection (one per process), cached read models and the sidebar pickers.

Read models are cached per (store file, data version, function, arguments); the data version changes on
every write to the store (import, decision, rescoring), so a page never shows stale numbers and never
recomputes unchanged ones.
"""
from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from dashboard.plain import plain
from queries.display import BOARD_TITLES
from queries.read_models import groups, periods, schemes
from queries.store import Store, StoreBusyError

DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "flagboard.duckdb"


def db_path() -> str:
    return os.environ.get("FLAGBOARD_DB", str(DEFAULT_DB))


@st.cache_resource(show_spinner=False)
def _open_store(path: str) -> Store:
    # keyed by path so tests with different stores never share a connection
    return Store(path)


def store() -> Store:
    """The process-wide store; a clear message (and a stopped page) if another process holds the file."""
    try:
        return _open_store(db_path())
    except StoreBusyError as exc:
        st.error(plain(exc))
        st.stop()


def data_version() -> int:
    """A number that changes whenever the store is written (one small query of table counts per read)."""
    return int(store().query("data_version")["version"].iloc[0])


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(path: str, version: int, fn_name: str, args: tuple):
    module, name = fn_name.rsplit(".", 1)
    fn = getattr(importlib.import_module(module), name)
    return fn(_open_store(path), *args)


def read(fn, *args):
    """``fn(store, *args)`` for a read-model function of :mod:`queries`, cached until the store changes."""
    return _cached(db_path(), data_version(), f"{fn.__module__}.{fn.__qualname__}", tuple(args))


@st.cache_resource(show_spinner=False, max_entries=32)
def _rubric(path: str, version: int, scheme: str):
    return _open_store(path).rubric(scheme)


def rubric(scheme: str):
    """The rubric a scheme was scored with (cached until the store changes)."""
    return _rubric(db_path(), data_version(), scheme)


def clear_caches() -> None:
    """Forget cached read models (after this session wrote to the store)."""
    _cached.clear()
    _rubric.clear()


@dataclass(frozen=True)
class Picked:
    """What the sidebar pickers chose: scheme, period, group (one unit of competition) and demo flag."""

    scheme: str
    period: str
    grp: str
    groups: tuple[str, ...]
    is_demo: bool


def group_label(grp: str) -> str:
    return grp if grp else "全部单位"


def board_title() -> str:
    """The league page's name for the picked scheme: 季度榜单, 月度榜单 or 年度榜单."""
    picked = st.session_state.get("picked_full")
    return BOARD_TITLES[rubric(picked.scheme).period_kind] if picked else BOARD_TITLES["quarter"]


def pick_scheme_and_period() -> tuple[str | None, str | None]:
    """Sidebar pickers every page shares; returns (scheme, period), or (None, None) on an empty store.

    Also stores the full choice (with the group picker, shown when a period has several groups) as
    ``st.session_state["picked_full"]`` (a :class:`Picked`) for the pages.
    """
    known = read(schemes)
    st.session_state["picked_full"] = None
    if known.empty:
        return None, None
    scheme = st.sidebar.selectbox("评估方案 scheme", list(known["scheme"]), key="scheme")
    ordered = read(periods, scheme)
    period = st.sidebar.selectbox("期间 period", ordered, index=len(ordered) - 1, key=f"period_{scheme}")
    grps = read(groups, scheme, period)
    grp = grps[0] if grps else ""
    if len(grps) > 1:
        grp = st.sidebar.selectbox("组别 group", grps, key=f"grp_{scheme}", format_func=group_label)
    is_demo = bool(known.loc[known["scheme"] == scheme, "is_demo"].iloc[0])
    if is_demo:
        st.sidebar.warning("演示数据：以下内容为系统生成的演示数据，并非真实评估结果。")
    st.session_state["picked_full"] = Picked(scheme, period, grp, tuple(grps), is_demo)
    return scheme, period
