"""Flagboard dashboard entry point: ``streamlit run dashboard/app.py`` (or ``flagboard serve``).

Nothing is shown before sign-in: a signed-out session gets the sign-in page only (no menu, no picker, no unit
name or score), an account that must change its password gets that page only. Then the sidebar pickers (scheme,
period, group) run first so the menu follows the scheme and the account's role (dashboard/navigation.py: pages a
scheme does not have, or a role may not open, are not offered and not reachable by URL); Streamlit still draws the
page menu above them. A deep link (``/town?scheme=…&period=…&unit=…``) survives the sign-in: the sign-in page is
served at every page's path (the path is kept) and remembers the query; once signed in, the linked page opens with
the pickers set from it (a town sent to another unit gets its own unit, with a note).
"""
from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run` puts dashboard/ on the path, not the project root
    sys.path.insert(0, str(ROOT))

from dashboard import auth  # noqa: E402
from dashboard.navigation import pages_for, password_pages, sign_in_pages  # noqa: E402
from dashboard.state import (VIEWER, picked, remember_link, restore_link, rubric, sidebar_pickers,  # noqa: E402
                             write_link)
from dashboard.widgets import page_style  # noqa: E402

st.set_page_config(page_title="红旗榜 Flagboard", page_icon="🚩", layout="wide")
page_style()
st.session_state.pop(VIEWER, None)  # who this run is for comes from the sign-in, never from an earlier run
account = auth.current_account()
if account is None:
    remember_link()  # a deep link opens its view once signed in
    st.navigation(sign_in_pages(), position="hidden").run()
    st.stop()
st.session_state[VIEWER] = account
st.sidebar.title("红旗榜 Flagboard")
if account.must_change:
    auth.sidebar(account)
    st.navigation(password_pages(), position="hidden").run()
    st.stop()
restore_link()  # the choices a deep link asked for before sign-in (nothing on later runs)
sidebar_pickers()
choice = picked()
nav = st.navigation(pages_for(rubric(choice.scheme) if choice else None, account.role))
auth.sidebar(account)
write_link()  # the URL says scheme and period (the town page adds the unit), so it can be sent
nav.run()
