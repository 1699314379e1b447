"""Placeholder page (selection): filled in by the dashboard / data issues."""
import streamlit as st

scheme, period = st.session_state.get("picked", (None, None))
if scheme is None:
    st.info("数据库中还没有评分结果。请在“数据管理”页导入观测数据，或运行 `flagboard demo` 生成演示数据。")
    st.stop()
st.write(scheme, period)
