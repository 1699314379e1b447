"""Shared page state: the store connection (one per process), cached read models and the sidebar pickers.

Read models read the store as the signed-in account may (:func:`queries.access.scoped`: a town or analyst sees
periods in 公示 or 已发布 only, a town only its own unit's facts and reasons) and are cached per (store file, data
version, account, function, arguments); the data version is the latest audit id, which every write through the
store's door changes (import, edit, undo, decision, publish, rescore), so a page never shows stale numbers and never
recomputes unchanged ones. Each sidebar choice lives under one session-state key (:data:`SCHEME`, :data:`PERIOD`,
:data:`GROUP`); pages read it with :func:`picked`.
"""
from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from dashboard.plain import plain
from queries.access import scoped
from queries.league import groups, periods, schemes
from queries.store import Store, StoreBusyError
from queries.store.accounts import Account

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
    """A number that changes whenever the store is written (the latest audit id: one small query per read)."""
    return store().data_version()


VIEWER = "viewer"  # the signed-in account of this run: set by app.py at the start of every run


def viewer() -> Account:
    """The signed-in account of this run (app.py shows the sign-in page, and no other, to a signed-out session)."""
    account = st.session_state.get(VIEWER)
    if not isinstance(account, Account):
        st.stop()
    return account


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(path: str, version: int, account: Account, fn_name: str, args: tuple):
    module, name = fn_name.rsplit(".", 1)
    fn = getattr(importlib.import_module(module), name)
    return fn(scoped(_open_store(path), account), *args)


def read(fn, *args):
    """``fn(store, *args)`` for a read-model function of :mod:`queries`, on the store as the signed-in account may
    read it (:func:`queries.access.scoped`), cached per account until the store changes."""
    return _cached(db_path(), data_version(), viewer(), f"{fn.__module__}.{fn.__qualname__}", tuple(args))


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


SCHEME, PERIOD, GROUP = "scheme", "period", "group"  # the one session-state key of each sidebar choice


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


def picked() -> Picked | None:
    """The sidebar's choice in this run, read from its keys (:data:`SCHEME`, :data:`PERIOD`, :data:`GROUP`);
    None while the store has no results."""
    known = read(schemes)
    scheme = st.session_state.get(SCHEME)
    if known.empty or scheme not in set(known["scheme"]):
        return None
    period = st.session_state.get(PERIOD)
    if period not in read(periods, scheme):  # only a period this account may see (a draft is the office's)
        return None
    grps = read(groups, scheme, period)
    grp = st.session_state.get(GROUP) if len(grps) > 1 else (grps[0] if grps else "")
    is_demo = bool(known.loc[known["scheme"] == scheme, "is_demo"].iloc[0])
    return Picked(scheme, period, grp, tuple(grps), is_demo)


def _keep_if_offered(key: str, options: list[str], default: str) -> None:
    """Before a picker is drawn: a remembered choice it no longer offers (another scheme's period) becomes
    ``default``."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = default


def sidebar_pickers() -> None:
    """The pickers every page shares: scheme, period (the scheme's latest first time) and, when a period has
    several groups, the group; nothing on an empty store. Pages read the choice with :func:`picked`."""
    known = read(schemes)
    if known.empty:
        return
    scheme = st.sidebar.selectbox("评估方案 scheme", list(known["scheme"]), key=SCHEME)
    ordered = read(periods, scheme)
    _keep_if_offered(PERIOD, ordered, ordered[-1])
    period = st.sidebar.selectbox("期间 period", ordered, key=PERIOD)
    grps = read(groups, scheme, period)
    if len(grps) > 1:
        _keep_if_offered(GROUP, grps, grps[0])
        st.sidebar.selectbox("组别 group", grps, key=GROUP, format_func=group_label)
    if bool(known.loc[known["scheme"] == scheme, "is_demo"].iloc[0]):
        st.sidebar.warning("演示数据：以下内容为系统生成的演示数据，并非真实评估结果。")
