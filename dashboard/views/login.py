"""登录: the only page before sign-in — 用户名, 密码, 登录 — with the lockout rule said on the page."""
import streamlit as st

from dashboard import auth

rules = auth.settings()
st.title("红旗榜 Flagboard · 登录")
if notice := st.session_state.get(auth.NOTICE):
    st.warning(notice)
with st.form("login_form"):
    name = st.text_input("用户名", key="login_name")
    password = st.text_input("密码", type="password", key="login_password")
    submitted = st.form_submit_button("登录", type="primary")
st.caption(f"同一地址连续登录失败 {rules.lockout.attempts} 次后，该地址需等待 {rules.lockout.minutes} 分钟才能再试"
           f"（其他地址不受影响）；{rules.idle_minutes} 分钟未操作会自动退出。账户由区政务服务管理办公室在“账户管理”页"
           f"或用 flagboard user add 创建。")
if submitted:
    message = auth.sign_in(name, password)
    if message:
        st.error(message)
    else:
        st.rerun()
