"""审计日志: every change to the store (import, edit, undo, publish, reopen, award decision) with when, who,
what and why; filterable by period and unit; one row's full detail (before/after values) on request.
"""
import streamlit as st

from dashboard import widgets
from dashboard.plain import plain
from dashboard.state import picked as sidebar_choice, read
from queries.audit import audit_filters
from queries.data_views import audit_detail, audit_table

ALL = "全部"

picked = sidebar_choice()
scheme = picked.scheme if picked else ""
st.title("审计日志")
st.caption("谁在何时改了什么、为什么。导入按其涉及的每个期间和单位都能筛选到。" + (f"方案：{plain(scheme)}" if scheme else ""))

periods, entities = read(audit_filters, scheme)
c1, c2 = st.columns(2)
period = c1.selectbox("期间", [ALL] + periods, key=f"audit_period_{scheme}")
entity = c2.selectbox("单位", [ALL] + entities, key=f"audit_entity_{scheme}")
rows = read(audit_table, scheme, "" if period == ALL else period, "" if entity == ALL else entity)
if rows.empty:
    st.info("没有符合条件的审计记录 (no audit rows)。")
    st.stop()

shown = rows.drop(columns=["action", "detail"])
st.dataframe(shown, hide_index=True, key="audit_rows", height=min(700, widgets.rows_height(len(shown))),
             column_config={"时间": st.column_config.DatetimeColumn("时间", format="YYYY-MM-DD HH:mm:ss")})
widgets.downloads(shown, f"审计日志_{scheme or '全部'}", key="audit_dl", sheet="审计日志")

st.subheader("明细")
pick = st.selectbox("查看一条记录的完整内容（新增、修改、删除的行及修改前后的值）", list(rows["编号"]),
                    format_func=lambda i: f"#{i} " + rows.loc[rows["编号"] == i, "内容"].iloc[0], key="audit_pick")
row = rows.loc[rows["编号"] == pick].iloc[0]
sentences, changes = audit_detail(row["action"], row["detail"])
with st.container(border=True, key="audit_detail"):
    st.markdown("\n".join(f"- {plain(s)}" for s in sentences) or "（没有更多内容）")  # names files, units, notes
    if len(changes):
        st.caption(f"逐行变化（审计记录中保存的 {len(changes)} 行；原值/新值为导入或修改前后的取值）")
        st.dataframe(changes, hide_index=True, key="audit_changes", height=min(420, widgets.rows_height(len(changes))))
