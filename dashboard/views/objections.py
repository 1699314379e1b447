"""异议处理 (the office's page): the towns' objections of the period, and the answer to each — 采纳 with the unit's
corrected facts (a batch linked to the objection, audited, the period rescored) or 驳回 with a reason.
"""
import streamlit as st

from dashboard import widgets
from dashboard.state import clear_caches, read, store, viewer
from queries.data_views import unit_facts
from queries.store import Actor, RefusedError
from queries.store import objections
from queries.workflow import objections as objection_table
from scoring.problems import InputError

if viewer().role != "office":
    st.stop()
picked = widgets.require_data()
widgets.header("异议处理", picked)
if flash := st.session_state.pop("obj_flash", None):
    st.success(flash)
rows = read(objection_table, picked.scheme, picked.period, "")
if rows.empty:
    st.info("本期没有异议。镇街可在公示期间于“镇街详情”页对本单位指标提出异议。")
    st.stop()
st.dataframe(rows, hide_index=True, key="obj_table")
waiting = rows[rows["状态"] == objections.OPEN]
if waiting.empty:
    st.success("本期异议均已答复。")
    st.stop()

st.subheader("答复异议")
number = st.selectbox("待答复的异议", list(waiting["编号"]), key="obj_pick",
                      format_func=lambda n: "#{0} {1} 指标 {2}：{3}".format(
                          n, *waiting.loc[waiting["编号"] == n, ["单位", "指标", "异议理由"]].iloc[0]))
row = waiting[waiting["编号"] == number].iloc[0]
verdict = st.radio("答复", [objections.ACCEPTED, objections.REJECTED], horizontal=True, key="obj_verdict")
facts = None
if verdict == objections.ACCEPTED:
    st.caption(f"采纳须修改 {row['单位']} 的数据：在下表中改正（例如指标 {row['指标']} 的数值），保存时整期重新评分，"
               "修改批次与本条异议关联并记入审计日志。")
    facts = st.data_editor(read(unit_facts, picked.scheme, picked.period, row["单位"]), num_rows="dynamic",
                           hide_index=True, key=f"obj_facts_{number}")
reason = st.text_area("答复说明（驳回时必填）", key="obj_reason")
if st.button("提交答复", key="obj_answer", type="primary"):
    try:
        batch = objections.answer(store(), Actor(viewer().name, "dashboard"), int(number), verdict, reason, facts)
    except InputError as exc:
        st.error(f"修改检查：发现错误，未写入任何数据：{exc}")
    except RefusedError as exc:
        st.error(str(exc))
    else:
        clear_caches()
        st.session_state["obj_flash"] = (f"已采纳异议 #{number}（数据修改批次 #{batch}），本期已重新评分。"
                                         if batch else f"已驳回异议 #{number}。")
        st.rerun()
