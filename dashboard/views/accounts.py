"""账户管理 (the office's page): every account (never a password), add one, reset a password, disable or enable.

A new or reset password is generated here and shown once; the account must change it at its first sign-in.
Every change passes the store's write door, audited under the signed-in account.
"""
import streamlit as st

from dashboard.state import clear_caches, read, store, viewer
from queries.audit import audit_log
from queries.data_views import store_units
from queries.league import schemes
from queries.store import Actor, RefusedError
from queries.store import accounts

if viewer().role != "office":
    st.stop()
me = Actor(viewer().name, "dashboard")
s = store()
st.title("账户管理")
st.caption("角色：office 区政务服务管理办公室（全部权限）· town 镇街（本单位的结果、失分原因和异议）· analyst 分析人员"
           "（公示和已发布的结果，只读）。新建或重置的密码只显示一次，对方首次登录时须修改。")
if flash := st.session_state.pop("acc_flash", None):
    st.success(flash)


def done(message: str) -> None:
    clear_caches()
    st.session_state["acc_flash"] = message
    st.rerun()


table = accounts.accounts_table(s)
shown = table.assign(role=table["role"].map(lambda r: f"{r}（{accounts.ROLES[r]}）"),
                     enabled=table["enabled"].map({True: "启用", False: "停用"}),
                     is_demo=table["is_demo"].map({True: "演示", False: ""}),
                     must_change=table["must_change"].map({True: "须修改", False: ""}))
st.dataframe(shown.rename(columns={"name": "用户名", "role": "角色", "enabled": "状态", "must_change": "密码",
                                   "is_demo": "标注", "created_at": "创建时间", "password_changed_at": "密码设置时间",
                                   "units": "单位"}), hide_index=True, key="acc_table")

st.subheader("新增账户")
known = schemes(s)
units = sorted({u for scheme in known["scheme"] for u in store_units(s, scheme)["entity"]})
with st.form("acc_add_form", clear_on_submit=True):
    name = st.text_input("用户名", key="acc_name")
    role = st.selectbox("角色", list(accounts.ROLES), format_func=lambda r: f"{r}（{accounts.ROLES[r]}）", key="acc_role")
    unit = st.selectbox("所属单位（仅镇街账户）", [""] + units, key="acc_unit")
    added = st.form_submit_button("新增", type="primary")
if added:
    password = accounts.generated_password()
    try:
        accounts.add(s, me, name, role, ((("", unit),) if role == "town" and unit else ()), password)
    except RefusedError as exc:
        st.error(str(exc))
    else:
        done(f"已新增账户 {name.strip()}，初始密码：{password}（只显示这一次；首次登录时须修改）")

if len(table):
    st.subheader("重置密码 · 停用 · 启用")
    pick = st.selectbox("账户", list(table["name"]), key="acc_pick")
    row = table[table["name"] == pick].iloc[0]
    cols = st.columns(2)
    if cols[0].button("重置密码", key="acc_reset"):
        password = accounts.generated_password()
        try:
            accounts.reset_password_of(s, me, pick, password)
        except RefusedError as exc:
            st.error(str(exc))
        else:
            done(f"已重置 {pick} 的密码：{password}（只显示这一次；下次登录时须修改）")
    enabled = bool(row["enabled"])
    if cols[1].button("停用" if enabled else "启用", key="acc_toggle", disabled=pick == me.name and enabled):
        try:
            accounts.set_enabled(s, me, pick, not enabled)
        except RefusedError as exc:
            st.error(str(exc))
        else:
            done(f"已{'停用' if enabled else '启用'}账户 {pick}")

st.subheader("账户与登录记录")
log = read(audit_log, "")
log = log[log["action"].str.startswith(("account", "login", "passwd")) | (log["action"] == "refused")]
st.dataframe(log[["ts", "who", "label", "summary"]].rename(columns={"ts": "时间", "who": "操作人", "label": "操作",
                                                                    "summary": "内容"}).head(200),
             hide_index=True, key="acc_log")
