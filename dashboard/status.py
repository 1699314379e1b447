"""The period's life on the pages: the status banner every page shows under its title, the objection widget of the
town page (a town files and follows its objections; the office sees them), and the workflow panel of the data page
(公示, 退回草稿, 发布 with the backup after it, 重新打开). Every write passes the store's door under the signed-in
account.
"""
from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from dashboard import backup_panel
from dashboard.state import clear_caches, read, rubric, store, viewer
from queries.publication import publication
from queries.store import Actor, RefusedError
from queries.store import objections, workflow as commands
from queries.store.workflow import DRAFT, PUBLISHED, REVIEW
from queries.workflow import objections as objection_table, open_objections, period_status
from scoring.problems import InputError

REVIEW_DAYS = 7  # the default length of a 公示 offered on the data page


def banner(scheme: str, period: str) -> None:
    """The period's status where the eye lands first: 草稿 / 公示中（至 …）/ 已发布."""
    status = read(period_status, scheme, period)
    label = status.label(date.today())
    if status.status == PUBLISHED:
        st.success(f"本期状态：{label}（最终结果，已锁定）", icon=":material/verified:")
    elif status.status == REVIEW:
        st.info(f"本期状态：{label}（公示稿：镇街可查看并对本单位指标提出异议）", icon=":material/campaign:")
    else:
        st.warning(f"本期状态：{label}（未公示，仅办公室可见，结果可能变动）", icon=":material/edit_note:")


def _me() -> Actor:
    return Actor(viewer().name, "dashboard")


def objection_widget(scheme: str, period: str, entity: str) -> None:
    """On the town page: the unit's objections and their answers; a town files one while the period is in 公示."""
    account = viewer()
    st.subheader("异议")
    status = read(period_status, scheme, period)
    today = date.today()
    if account.role == "town" and account.owns(scheme, entity):
        if status.status == REVIEW and (status.review_until is None or today <= status.review_until):
            with st.form("objection_form", clear_on_submit=True):
                st.caption(f"对本单位某一指标的得分有异议，请选择指标并写明理由；公示截止 {status.review_until}。")
                codes = {i.code: f"{i.code} {i.name}" for i in rubric(scheme).indicators}
                indicator = st.selectbox("指标", list(codes), format_func=codes.get, key="objection_indicator")
                text = st.text_area("异议理由", key="objection_text")
                sent = st.form_submit_button("提交异议", type="primary")
            if sent:
                try:
                    number = objections.file(store(), _me(), scheme, period, entity, indicator, text, today=today)
                except RefusedError as exc:
                    st.error(str(exc))
                else:
                    clear_caches()
                    st.success(f"已提交异议 #{number}，请等待办公室答复。")
        else:
            st.caption(f"本期当前为“{status.label(today)}”，不在公示期内，不能提出异议。")
    rows = read(objection_table, scheme, period, entity)
    if rows.empty:
        st.caption("本期没有该单位的异议。")
    else:
        st.dataframe(rows.drop(columns=["期间", "单位"]), hide_index=True, key="objection_rows")


def workflow_panel(scheme: str, period: str) -> None:
    """On the data page (office): the period's status and the one next step it allows."""
    status = read(period_status, scheme, period)
    today = date.today()
    st.markdown(f"**{period} 当前状态：{status.label(today)}**" + (f"（{status.changed_by}：{status.why}）"
                                                                if status.why else ""))
    st.caption("草稿（仅办公室可见）→ 公示（镇街查看并可提出异议）→ 已发布（最终结果，锁定；通报由此生成）→ 重新打开须填写理由，回到草稿。"
               "公示期间数据只能通过采纳异议修改。")
    pending = read(open_objections, scheme, period)
    if len(pending):
        st.warning(f"有 {len(pending)} 条异议未答复（见“异议处理”页），答复前不能发布。")
    if status.status == DRAFT:
        days = st.number_input("公示天数（含今天）", min_value=1, max_value=60, value=REVIEW_DAYS, key="wf_days")
        until = today + timedelta(days=int(days) - 1)
        if st.button(f"开始公示（至 {until:%Y-%m-%d}）", key="wf_review", type="primary"):
            _act(lambda: commands.review(store(), _me(), scheme, period, until=until, today=today)
                 or f"{period} 已开始公示，截止 {until:%Y-%m-%d}。")
    if status.status in (DRAFT, REVIEW):
        draft = status.status == DRAFT
        note = st.text_input("不经公示直接发布的理由（必填）" if draft else "发布说明（可选）", key="pub_note")
        label = f"{'直接' if draft else ''}发布 {period}"
        if st.button(label, key="pub_confirm", type="secondary" if draft else "primary"):
            _act(lambda: _publish(scheme, period, note))
    if status.status == REVIEW:
        why = st.text_input("退回草稿的理由（必填）", key="wf_draft_why")
        if st.button("退回草稿", key="wf_draft"):
            _act(lambda: commands.withdraw(store(), _me(), scheme, period, why=why) or f"{period} 已退回草稿。")
    if status.status == PUBLISHED:
        pub = read(publication, scheme, period)
        if pub:
            st.caption(f"{pub['published_at']:%Y-%m-%d %H:%M} 由 {pub['who']} 发布。")
        why = st.text_input("重新打开的理由（必填）", key="reopen_why")
        if st.button(f"重新打开 {period}", key="reopen_confirm"):
            _act(lambda: store().reopen(scheme, period, who=_me(), why=why)
                 or f"已重新打开 {period}；发布时的榜单保留，之后的改动会显示为差异。")


def _publish(scheme: str, period: str, note: str) -> str:
    """Publish, then take the verified backup every publish leaves (issue 12; where it went, or why it failed, is
    shown by :func:`dashboard.backup_panel.show_flash` after the rerun)."""
    table = store().publish(scheme, period, who=_me(), why=note)
    backup_panel.after_publish_backup(store(), scheme, period)
    return f"已发布 {period}（{len(table)} 个单位），本期已锁定。"


def _act(write) -> None:
    """Run one write (it returns the message to show after the rerun); a refusal is shown, nothing written."""
    try:
        message = write()
    except (RefusedError, InputError) as exc:
        st.error(str(exc))
        return
    clear_caches()
    st.session_state["data_flash"] = message
    st.rerun()
