"""Shared page state: the store connection (one per process), cached read models and the sidebar pickers.

Read models are cached per (store file, data version, function, arguments); the data version is the latest
audit id, which every write through the store's door changes (import, edit, undo, decision, publish, rescore),
so a page never shows stale numbers and never recomputes unchanged ones. Each sidebar choice lives under one
session-state key (:data:`SCHEME`, :data:`PERIOD`, :data:`GROUP`); pages read it with :func:`picked`.
"""
from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from queries.league import default_period, groups, periods, scheme_names, schemes
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
        st.error(str(exc))
        st.stop()


def data_version() -> int:
    """A number that changes whenever the store is written (the latest audit id: one small query per read)."""
    return store().data_version()


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


SCHEME, PERIOD, GROUP = "scheme", "period", "group"  # the one session-state key of each sidebar choice
UNIT = "unit"  # the unit in focus (town and phases pages), also a deep-link parameter
LINK_KEYS = (SCHEME, PERIOD, GROUP, UNIT)  # ?scheme=…&period=…&group=…&unit=… reopens a view
_LINK_SEEN = "_deep_link_seen"  # the query parameters this session last applied or wrote
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
    st.session_state[_LINK_SEEN] = link


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
