"""Shared page state: the store connection (one per process) and the scheme/period pickers."""
from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from queries.store import Store

DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "flagboard.duckdb"


def db_path() -> str:
    return os.environ.get("FLAGBOARD_DB", str(DEFAULT_DB))


@st.cache_resource(show_spinner=False)
def _open_store(path: str) -> Store:
    # keyed by path so tests with different stores never share a connection
    return Store(path)


def store() -> Store:
    return _open_store(db_path())


def pick_scheme_and_period() -> tuple[str | None, str | None]:
    """Sidebar pickers every page shares; returns (scheme, period), or (None, None) on an empty store."""
    s = store()
    schemes = s.query("schemes")
    if schemes.empty:
        return None, None
    scheme = st.sidebar.selectbox("评估方案 scheme", list(schemes["scheme"]), key="scheme")
    periods = list(s.query("periods", scheme=scheme)["period"])
    period = st.sidebar.selectbox("期间 period", periods, index=len(periods) - 1, key=f"period_{scheme}")
    if bool(schemes.loc[schemes["scheme"] == scheme, "is_demo"].iloc[0]):
        st.sidebar.warning("演示数据：以下内容为系统生成的演示数据，并非真实评估结果。")
    return scheme, period
