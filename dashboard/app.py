"""Flagboard dashboard entry point: ``streamlit run dashboard/app.py`` (or ``flagboard serve``)."""
from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run` puts dashboard/ on the path, not the project root
    sys.path.insert(0, str(ROOT))

from dashboard.state import pick_scheme_and_period  # noqa: E402

PAGES = Path(__file__).resolve().parent / "pages"

st.set_page_config(page_title="红旗榜 Flagboard", page_icon="🚩", layout="wide")
nav = st.navigation([
    st.Page(PAGES / "league.py", title="季度榜单", icon="🏆", default=True, url_path="league"),
    st.Page(PAGES / "town.py", title="镇街详情", icon="🔎", url_path="town"),
    st.Page(PAGES / "trends.py", title="趋势分析", icon="📈", url_path="trends"),
    st.Page(PAGES / "selection.py", title="红旗评选", icon="🚩", url_path="selection"),
    st.Page(PAGES / "rubric.py", title="评分细则", icon="📋", url_path="rubric"),
    st.Page(PAGES / "data.py", title="数据管理", icon="📥", url_path="data"),
    st.Page(PAGES / "audit.py", title="审计日志", icon="🧾", url_path="audit"),
])
st.sidebar.title("红旗榜 Flagboard")
st.session_state["picked"] = pick_scheme_and_period()
nav.run()
