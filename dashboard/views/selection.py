"""红旗评选 (the office's page; 等次评定 where a scheme has grades but no flag): candidates, how the grade and the
flag were decided (quoting the scheme's own clause), the pending case and its recorded decision, the 流动红旗
history with streaks, the annual view, and the notice (通报): its stored 发文单位/落款, its 文号 and date, and the
Word, PDF and XLSX files.
"""
import streamlit as st

from dashboard import exports, robustness_panel, widgets
from dashboard.navigation import selection_title
from dashboard.plain import plain
from dashboard.state import clear_caches, read, rubric, store, viewer
from documents.notice import NoticeMeta, notice_chart, notice_pdf, notice_xlsx
from documents.notice_docx import notice_docx
from queries.notice import notice_facts, notice_settings_of
from queries.selection import annual_view, flag_history, selection_view, streaks
from queries.store import Actor, RefusedError, notice_settings
from scoring.problems import InputError

picked = widgets.require_data()
view = read(selection_view, picked.scheme, picked.period, picked.grp)
widgets.header(selection_title(rubric(picked.scheme)), picked)
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
    st.caption("平均总分 = 该年度已评分各期总分的平均值（细则未规定年度排名方法，此为参考）；年度名次并列者名次相同，"
               "其后名次顺延（如 1、1、3）。")
    widgets.downloads(shown, f"年度_{picked.scheme}_{year}", key="sel_annual_dl", sheet="年度")

st.subheader("导出通报")
settings = read(notice_settings_of, picked.scheme)
if viewer().role == "office":  # the settings are the office's (the write door refuses anyone else too)
    with st.expander("通报设置：发文单位与落款（本方案的所有通报共用，修改记入审计日志）", expanded=not settings.is_set):
        with st.form("sel_settings_form"):
            issuer = st.text_input("发文单位", value=settings.issuer, key="sel_issuer",
                                   placeholder="例如：××区政务服务管理办公室")
            signature = st.text_input("落款", value=settings.signature, key="sel_signature",
                                      placeholder="通常与发文单位相同")
            saved = st.form_submit_button("保存设置")
        if saved:
            try:
                store().write(Actor(viewer().name, "dashboard"), notice_settings.request(picked.scheme),
                              notice_settings.save, picked.scheme, issuer, signature)
            except (RefusedError, InputError) as exc:
                st.error(f"未能保存 (not saved)：{plain(exc)}")
            else:
                clear_caches()
                st.session_state["sel_settings_saved"] = "已保存通报设置。"
                st.rerun()
if msg := st.session_state.pop("sel_settings_saved", None):
    st.success(msg)
if not settings.is_set:
    st.warning("尚未设置发文单位和落款：通报中将以“（发文单位未设置）”代替。")
facts_source = read(notice_facts, picked.scheme, picked.period, picked.grp)["source"]
st.caption(f"通报内容：{plain(facts_source)}。包含发文单位、文号、标题、正文、落款、日期和盖章位置；附件为考核结果表和总分图。"
           "Word（.docx）便于修改后印发，PDF 中的图表为矢量图（文字可检索），XLSX 含原生图表。")
c1, c2 = st.columns(2)
number = c1.text_input("文号", key="sel_notice_number", placeholder="例如：×政服办〔2024〕3号")
day = c2.date_input("日期", key="sel_notice_date", format="YYYY-MM-DD")
meta = NoticeMeta(number.strip(), day)
notice_key = (picked.scheme, picked.period, picked.grp, meta, settings)
if st.button("生成通报文件", key="sel_notice_build", icon=":material/description:"):
    with st.spinner("正在生成通报（含图表）……"):
        facts = read(notice_facts, picked.scheme, picked.period, picked.grp)
        images = exports.chart_images(notice_chart(facts))
        st.session_state["sel_notice"] = {"key": notice_key, "xlsx": notice_xlsx(facts, meta),
                                          "pdf": notice_pdf(facts, images.svg, meta), "mark": facts["status_mark"],
                                          "docx": notice_docx(facts, images.png, meta), "chart": images.drawn}
notice = st.session_state.get("sel_notice")
if notice and notice["key"] == notice_key:
    name = f"{notice['mark']}_" if notice["mark"] else ""
    name += f"通报_{picked.scheme}_{picked.period}"
    row = st.container(horizontal=True)
    row.download_button("下载通报 Word", notice["docx"], file_name=f"{name}.docx", mime=exports.DOCX_MIME,
                        key="sel_notice_docx", on_click="ignore", icon=":material/download:", type="primary")
    row.download_button("下载通报 PDF", notice["pdf"], file_name=f"{name}.pdf", mime="application/pdf",
                        key="sel_notice_pdf", on_click="ignore", icon=":material/download:")
    row.download_button("下载通报 XLSX", notice["xlsx"], file_name=f"{name}.xlsx", mime=exports.XLSX_MIME,
                        key="sel_notice_xlsx", on_click="ignore", icon=":material/download:")
    if not notice["chart"]:
        st.warning("图表未能生成（需要 Chromium 与 kaleido），通报中不含图表。")
