"""The unit page's what-if (假如…): the unit's own facts in a scratch table; change any of them and see daily, final,
rank and 好 recomputed by the engine at once, with the points each change gains. Nothing is saved. Read models:
:mod:`queries.whatif_view` (a town reads only its own unit's facts; the re-score refuses any other unit).
"""
from __future__ import annotations

import streamlit as st

from dashboard import widgets
from dashboard.plain import plain
from dashboard.state import Picked, read, rubric
from queries.whatif_view import NAME, scratch_facts, what_if_view


SHOWN_ROWS = 12  # rows of the scratch table in sight (it scrolls for more)


def _reset(key: str) -> None:
    st.session_state.pop(key, None)


def show(picked: Picked, entity: str) -> None:
    """The what-if section of ``entity`` in the picked period (nothing when the reader may not read its facts)."""
    facts = read(scratch_facts, picked.scheme, picked.period, entity)
    if facts.empty:
        return
    key = f"whatif_{picked.scheme}_{picked.period}_{entity}"
    with st.expander("假如…（试算，不保存）", icon=":material/science:"):
        st.caption("改动本单位本期的事实（扣分次数、名次或实绩、好差评月度得分、加减分事项……），按正常评分规则立即重新计算"
                   "日常评估、总分、名次和等次。只是试算：不保存，不改变任何结果。可增删行。")
        codes = [i.code for i in rubric(picked.scheme).indicators]
        edited = st.data_editor(
            facts, key=key, hide_index=True, num_rows="dynamic", disabled=[NAME], width="stretch",
            height=widgets.rows_height(min(len(facts) + 1, SHOWN_ROWS)),  # the result stays close below
            column_config={"编号": st.column_config.SelectboxColumn("编号", options=codes, required=True),
                           NAME: st.column_config.TextColumn(NAME, width="medium"),
                           "数值": st.column_config.TextColumn("数值", help="按细则填写：次数、名次或实绩、月度得分、档次……")})
        view = read(what_if_view, picked.scheme, picked.period, entity, edited)
        if not view.changed:
            st.caption("在上表中修改数值，即可看到试算结果。")
            return
        st.button("恢复原值", key=f"{key}_reset", on_click=_reset, args=(key,), icon=":material/undo:")
        if view.problems:
            st.error("修改后的数据有问题，未试算 (the edited facts do not validate)：\n\n"
                     + "\n".join(f"- {plain(p)}" for p in view.problems))
            return
        st.markdown(f"**{plain(view.headline)}**")
        cards = st.columns(len(view.cards))
        for col, card in zip(cards, view.cards):
            col.metric(card.label, card.after, card.delta, border=True, help=f"修改前：{card.before}",
                       delta_color="green" if card.better else "red", delta_arrow="up" if card.better else "down")
        gains_tab, league_tab = st.tabs(["每项改动的得分", "试算后的名次表"])
        with gains_tab:
            gains = view.gains
            st.dataframe(gains, hide_index=True, key=f"{key}_gains", height=widgets.rows_height(len(gains)),
                         column_config=widgets.number_columns(gains, ["修改前得分", "修改后得分", "得分变化"],
                                                              view.decimals))
            st.caption("得分变化：各项改动为本单位带来的指标得分（0：该改动不影响得分，如已扣完或已达上限）。"
                       f"总分 = {view.formula}。")
        with league_tab:
            st.dataframe(view.league, hide_index=True, key=f"{key}_league",
                         height=widgets.rows_height(len(view.league)),
                         column_config=widgets.number_columns(view.league, ["试算总分"], view.decimals))
