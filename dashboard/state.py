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
from queries.league import default_period, groups, periods, scheme_names, schemes
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
UNIT = "unit"  # the unit in focus (town and phases pages), also a deep-link parameter
LINK_KEYS = (SCHEME, PERIOD, GROUP, UNIT)  # ?scheme=…&period=…&group=…&unit=… reopens a view
_LINK_SEEN = "_deep_link_seen"  # the query parameters this session last applied or wrote
LINKED_UNIT = "_linked_unit"  # the unit a deep link or a league row asked for, until a unit picker has taken it
FLAGSHIP = "zichuan-2022"  # opens first when the store has it (DESIGN.md: the flagship scheme)


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


def _link() -> dict[str, str]:
    return {k: st.query_params[k] for k in LINK_KEYS if k in st.query_params}


def apply_deep_link() -> None:
    """A URL ``?scheme=…&period=…&unit=…`` (e.g. sent to a town) sets the choices before the pickers are drawn.
    Applied once per distinct URL, so the pickers stay free afterwards; values the store does not have are
    ignored by the pickers (they fall back to their defaults)."""
    link = _link()
    if not link or link == st.session_state.get(_LINK_SEEN):
        return
    for key, value in link.items():
        st.session_state[key] = value
    if UNIT in link:
        for widget in ("town_unit", "phases_unit"):  # the unit pickers take the linked unit
            st.session_state.pop(widget, None)
        st.session_state[LINKED_UNIT] = link[UNIT]  # the unit picker says so if it does not offer it
    st.session_state[_LINK_SEEN] = link


PENDING_LINK = "_link_before_sign_in"  # the view a signed-out visitor's URL asked for


def remember_link() -> None:
    """Signed out: keep the view the URL asks for (``?scheme=…&period=…&unit=…``), to open it after sign-in. The
    first URL of the session is the one asked for (the sign-in page's own runs do not replace it)."""
    link = _link()
    if link and PENDING_LINK not in st.session_state:
        st.session_state[PENDING_LINK] = link


def restore_link() -> None:
    """Just signed in: put the remembered link back into the URL, so the pickers take it. A town's link to another
    unit opens its own unit (the unit picker offers only its own)."""
    link = st.session_state.pop(PENDING_LINK, None)
    if link:
        st.query_params.from_dict(link)


def write_link(**values: str) -> None:
    """Keep the URL in step with the view (the address bar can be copied and sent); ``values`` add to or
    replace the sidebar's choice (e.g. ``unit=``)."""
    choice = picked()
    link = {SCHEME: choice.scheme, PERIOD: choice.period} if choice else {}
    if choice and len(choice.groups) > 1:
        link[GROUP] = choice.grp
    link.update({k: v for k, v in values.items() if v})
    if _link() != link:
        st.query_params.from_dict(link)
    st.session_state[_LINK_SEEN] = link


def sidebar_pickers() -> None:
    """The pickers every page shares: scheme (by its Chinese name), period (first time: the scheme's latest period
    of record) and, when a period has several groups, the group; nothing on an empty store. Pages read the choice
    with :func:`picked`. A deep link (:func:`apply_deep_link`) sets them first."""
    known = read(schemes)
    if known.empty:
        return
    apply_deep_link()
    options = list(known["scheme"])
    _keep_if_offered(SCHEME, options, FLAGSHIP if FLAGSHIP in options else options[0])
    names = read(scheme_names)
    scheme = st.sidebar.selectbox("评估方案 scheme", options, key=SCHEME,
                                  format_func=lambda sid: f"{names.get(sid, sid)}（{sid}）")
    ordered = read(periods, scheme)
    _keep_if_offered(PERIOD, ordered, read(default_period, scheme))
    period = st.sidebar.selectbox("期间 period", ordered, key=PERIOD)
    grps = read(groups, scheme, period)
    if len(grps) > 1:
        _keep_if_offered(GROUP, grps, grps[0])
        st.sidebar.selectbox("组别 group", grps, key=GROUP, format_func=group_label)
    if bool(known.loc[known["scheme"] == scheme, "is_demo"].iloc[0]):
        st.sidebar.warning("演示数据：以下内容为系统生成的演示数据，并非真实评估结果。")
