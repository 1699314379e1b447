"""Flagboard dashboard entry point: ``streamlit run dashboard/app.py`` (or ``flagboard serve``).

The sidebar pickers (scheme, period, group) run first so the board's name follows the scheme's period kind
(季度榜单, 月度榜单, 年度榜单); Streamlit still draws the page menu above them.
"""
from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run` puts dashboard/ on the path, not the project root
    sys.path.insert(0, str(ROOT))

from dashboard.state import board_title, sidebar_pickers  # noqa: E402

VIEWS = Path(__file__).resolve().parent / "views"  # not "pages/": that name puts Streamlit in its old multipage mode

st.set_page_config(page_title="红旗榜 Flagboard", page_icon="🚩", layout="wide")
st.sidebar.title("红旗榜 Flagboard")
sidebar_pickers()
nav = st.navigation([
    st.Page(VIEWS / "league.py", title=board_title(), icon=":material/leaderboard:", default=True,
            url_path="league"),
    st.Page(VIEWS / "town.py", title="镇街详情", icon=":material/location_city:", url_path="town"),
    st.Page(VIEWS / "trends.py", title="趋势分析", icon=":material/insights:", url_path="trends"),
    st.Page(VIEWS / "selection.py", title="红旗评选", icon=":material/flag:", url_path="selection"),
    st.Page(VIEWS / "phases.py", title="阶段对比", icon=":material/compare_arrows:", url_path="phases"),
    st.Page(VIEWS / "payout.py", title="绩效付款", icon=":material/payments:", url_path="payout"),
    st.Page(VIEWS / "rubric.py", title="评分细则", icon=":material/rule:", url_path="rubric"),
    st.Page(VIEWS / "data.py", title="数据管理", icon=":material/upload_file:", url_path="data"),
    st.Page(VIEWS / "audit.py", title="审计日志", icon=":material/history:", url_path="audit"),
])
nav.run()
