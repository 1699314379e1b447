"""红旗评选 (the office's page): candidates, how the grade and the flag were decided, the pending case and its
recorded decision, the 流动红旗 history with streaks, the annual view, and the notice (通报) export.
"""
import streamlit as st

from dashboard import charts, exports, robustness_panel, widgets
from dashboard.plain import plain
from dashboard.state import clear_caches, read, store, viewer
from documents.notice import notice_pdf, notice_xlsx
from queries.selection import annual_view, flag_history, notice_facts, selection_view, streaks
from queries.store import Actor, RefusedError
from scoring.problems import InputError

picked = widgets.require_data()
view = read(selection_view, picked.scheme, picked.period, picked.grp)
widgets.header("红旗评选", picked)
if view is None:
    st.info("本期没有评分结果 (no results in this period)。")
    st.stop()
d = view.decimals
robustness_panel.show(picked)  # 稳健 / 取决于评判, before the office decides

st.subheader("候选单位")
st.dataframe(view.candidates, hide_index=True, key="sel_candidates",
             column_config=widgets.number_columns(view.candidates, widgets.float_columns(view.candidates), d))

st.subheader("评选过程")
with st.container(border=True):
    st.markdown("\n".join(f"{n}. {plain(step)}" for n, step in enumerate(view.steps, start=1)))  # steps name units
    if view.local_rule:
        st.caption(view.local_rule)

if view.pending:
    st.warning(f"{view.award_name}：{'、'.join(plain(u) for u in view.pending)} 仍然并列，标为“{view.pending_mark}”，需要办公室决定。",
               icon=":material/balance:")
if view.pending and viewer().role == "office":
    who = viewer().name  # the signed-in account decides
    with st.form("sel_decision_form"):
        st.markdown(f"**记录办公室决定**（决定人：{plain(who)}；写入审计日志，并重新评分本期）")
        winner = st.radio("授予", list(view.pending), key="sel_winner", horizontal=True, format_func=plain)
        why = st.text_area("理由 why", key="sel_why", placeholder="例如：经主任办公会研究决定……")
        submitted = st.form_submit_button("记录决定", type="primary")
    if submitted:
        if not why.strip():
            st.error("请填写理由 (why is required)。未记录任何内容。")
        else:
            try:
                store().record_decision(picked.scheme, picked.period, picked.grp, winner, Actor(who, "dashboard"),
                                        why.strip())
            except (RefusedError, InputError) as exc:  # one transaction: nothing half-written
                st.error(f"未能记录决定 (decision not recorded)：{plain(exc)}")
            else:
                clear_caches()
                st.session_state["sel_recorded"] = f"已记录：{view.mark}授予 {plain(winner)}（决定人：{plain(who)}）。"
                st.rerun()
if msg := st.session_state.pop("sel_recorded", None):
    st.success(msg)
if view.decision:
    dec = view.decision
    st.info(f"办公室决定：{view.mark}授予 **{plain(dec['entity'])}**；决定人：{plain(dec['who'])}；理由：{plain(dec['why'])}；"
            f"时间：{dec['ts']}", icon=":material/gavel:")

if view.award_name:
    st.subheader(f"{view.award_name}历史")
    history = read(flag_history, picked.scheme, picked.grp)
    left, right = st.columns([3, 2])
    left.dataframe(history, hide_index=True, key="sel_history", height=widgets.rows_height(len(history)),
                   column_config=widgets.number_columns(history, ["总分"], d))
    right.dataframe(streaks(history), hide_index=True, key="sel_streaks")
    right.caption("连续期数：同一单位连续获得红旗的期数；待定或未授予的期间中断连续。")

st.subheader("年度视图")
annual = read(annual_view, picked.scheme, picked.grp)
years = list(dict.fromkeys(annual["年度"]))[::-1]
if years:
    default = next((n for n, y in enumerate(years) if picked.period.startswith(y)), 0)
    year = st.selectbox("年度", years, index=default, key=f"sel_year_{picked.scheme}")
    shown = annual[annual["年度"] == year].reset_index(drop=True)
    st.dataframe(shown, hide_index=True, key="sel_annual", height=widgets.rows_height(len(shown)),
                 column_config=widgets.number_columns(shown, ["平均总分"], d))
    st.caption("平均总分 = 该年度已评分各期总分的平均值（原文：季度结果作为年度综合考核的重要依据）。")
    widgets.downloads(shown, f"年度_{picked.scheme}_{year}", key="sel_annual_dl", sheet="年度")

st.subheader("导出通报")
st.caption("通报包含本期榜单、等次名单、奖项和总分图（XLSX 与 PDF，中文字体 Noto Sans CJK）。")
notice_key = (picked.scheme, picked.period, picked.grp)
if st.button("生成通报文件", key="sel_notice_build", icon=":material/description:"):
    with st.spinner("正在生成通报（含图表）……"):
        facts = read(notice_facts, picked.scheme, picked.period, picked.grp)
        fig = charts.finals_bar(facts["table"], facts["grade_name"], facts["cutoff"], facts["award_column"],
                                title=f"{facts['period_words']} 总分", decimals=d)
        png = exports.figure_png(fig)
        st.session_state["sel_notice"] = {"key": notice_key, "xlsx": notice_xlsx(facts), "mark": facts["status_mark"],
                                          "pdf": notice_pdf(facts, png), "chart": png is not None}
notice = st.session_state.get("sel_notice")
if notice and notice["key"] == notice_key:
    name = f"{notice['mark']}_" if notice["mark"] else ""
    name += f"通报_{picked.scheme}_{picked.period}"
    row = st.container(horizontal=True)
    row.download_button("下载通报 XLSX", notice["xlsx"], file_name=f"{name}.xlsx", mime=exports.XLSX_MIME,
                        key="sel_notice_xlsx", on_click="ignore", icon=":material/download:")
    row.download_button("下载通报 PDF", notice["pdf"], file_name=f"{name}.pdf", mime="application/pdf",
                        key="sel_notice_pdf", on_click="ignore", icon=":material/download:")
    if not notice["chart"]:
        st.warning("图表未能生成（需要 Chromium 与 kaleido），通报中不含图表。")
