"""Flagboard dashboard entry point: ``streamlit run dashboard/app.py`` (or ``flagboard serve``).

The sidebar pickers (scheme, period, group) run first so the menu follows the scheme (dashboard/navigation.py: the
board's name follows its period kind, pages it does not have are not offered); Streamlit still draws the page menu
above them.
"""
from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run` puts dashboard/ on the path, not the project root
    sys.path.insert(0, str(ROOT))

from dashboard.navigation import pages_for  # noqa: E402
from dashboard.widgets import page_style  # noqa: E402
from dashboard.state import picked, rubric, sidebar_pickers, write_link  # noqa: E402

st.set_page_config(page_title="红旗榜 Flagboard", page_icon="🚩", layout="wide")
page_style()
st.sidebar.title("红旗榜 Flagboard")
sidebar_pickers()
choice = picked()
nav = st.navigation(pages_for(rubric(choice.scheme) if choice else None))
write_link()  # the URL says scheme and period (the town page adds the unit), so it can be sent
nav.run()
