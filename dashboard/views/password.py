"""修改密码: every account changes its own password (a new or reset account must, before anything else)."""
import streamlit as st

from dashboard.state import store, viewer
from queries.store import Actor, RefusedError
from queries.store.accounts import PASSWORD_MIN, change_password

account = viewer()
st.title("修改密码")
if account.must_change:
    st.warning("这是新建或重置后的账户：请先设置您自己的密码，然后才能查看数据。")
with st.form("password_form", clear_on_submit=True):
    old = st.text_input("当前密码", type="password", key="pw_old")
    new = st.text_input(f"新密码（至少 {PASSWORD_MIN} 个字符）", type="password", key="pw_new")
    again = st.text_input("再次输入新密码", type="password", key="pw_again")
    submitted = st.form_submit_button("修改密码", type="primary")
if submitted:
    if new != again:
        st.error("两次输入的新密码不一致 (the new passwords differ)")
    else:
        try:
            change_password(store(), Actor(account.name, "dashboard"), old, new)
        except RefusedError as exc:
            st.error(str(exc))
        else:
            st.session_state["pw_done"] = True
            st.rerun()
if st.session_state.pop("pw_done", False):
    st.success("密码已修改 (password changed)。")
