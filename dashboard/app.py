"""Flagboard dashboard entry point: ``streamlit run dashboard/app.py`` (or ``flagboard serve``).

Nothing is shown before sign-in: a signed-out session gets the sign-in page only (no menu, no picker, no unit
name or score), an account that must change its password gets that page only. Then the sidebar pickers (scheme,
period, group) run first so the menu follows the scheme and the account's role (dashboard/navigation.py: pages a
scheme does not have, or a role may not open, are not offered and not reachable by URL); Streamlit still draws the
page menu above them. A deep link (``?scheme=…&period=…&unit=…``) survives the sign-in: the sign-in page keeps it,
and once signed in the pickers take it (a link naming a unit opens the unit page, where a town gets its own unit).
"""
from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run` puts dashboard/ on the path, not the project root
    sys.path.insert(0, str(ROOT))

from dashboard import auth  # noqa: E402
from dashboard.navigation import pages_for, password_page, sign_in_page  # noqa: E402
from dashboard.state import (UNIT, VIEWER, picked, remember_link, restore_link, rubric,  # noqa: E402
                             sidebar_pickers, write_link)
from dashboard.widgets import page_style  # noqa: E402

st.set_page_config(page_title="红旗榜 Flagboard", page_icon="🚩", layout="wide")
page_style()
st.session_state.pop(VIEWER, None)  # who this run is for comes from the sign-in, never from an earlier run
account = auth.current_account()
if account is None:
    remember_link()  # a deep link opens its view once signed in
    st.navigation([sign_in_page()], position="hidden").run()
    st.stop()
st.session_state[VIEWER] = account
st.sidebar.title("红旗榜 Flagboard")
if account.must_change:
    auth.sidebar(account)
    st.navigation([password_page(default=True)], position="hidden").run()
    st.stop()
link = restore_link()  # the view a deep link asked for before sign-in (none on later runs)
sidebar_pickers()
choice = picked()
pages = pages_for(rubric(choice.scheme) if choice else None, account.role)
nav = st.navigation(pages)
auth.sidebar(account)
unit_page = next((p for p in pages if p.url_path == "town"), None)
if UNIT in link and unit_page is not None and nav.url_path != unit_page.url_path:
    st.switch_page(unit_page, query_params=link)  # a link naming a unit opens the unit page
write_link()  # the URL says scheme and period (the town page adds the unit), so it can be sent
nav.run()
