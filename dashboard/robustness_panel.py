"""The 红旗评选 page's robustness panel: before the office decides, one clear line per award — 稳健, or 取决于评判 —
for the picked period and group, the judgements that would change it (the witness) in words, and each unit's
range of finals and places. Read model: :func:`queries.robustness_view.robustness_view` (cached per data version).
"""
from __future__ import annotations

import streamlit as st

from dashboard import widgets
from dashboard.plain import plain
from dashboard.state import Picked, read
from queries.robustness_view import robustness_view


def show(picked: Picked) -> None:
    """The panel (nothing when the group has no results)."""
    view = read(robustness_view, picked.scheme, picked.period, picked.grp)
    if view is None:
        return
    st.subheader("评判稳健性")
    if not view.judged:
        st.info("本方案没有视情评判的指标：名次与评选结果不取决于评判尺度。", icon=":material/rule:")
        return
    if not view.awards:
        st.info("本方案不评等次、不设奖项：下表只列出各单位在允许的评判范围内可能的总分与名次。", icon=":material/rule:")
    for verdict in view.verdicts:
        box = st.success if verdict.robust else st.warning
        box(f"【{verdict.award}】{plain(verdict.line)}",  # no bold: the line names units (shown as typed)
            icon=":material/verified:" if verdict.robust else ":material/balance:")
    witnesses = [w for v in view.verdicts for w in v.witnesses]
    if witnesses:
        with st.expander(f"依据：哪些评判会改变结果（{len(witnesses)} 种情形，均按正常评分规则重新计算验证）"):
            for w in witnesses:
                st.markdown(f"⇒ {plain(w.outcome)}　（只要以下评判改变，其余不变）\n"
                            + "\n".join(f"- {plain(change)}" for change in w.changes))
    with st.expander("各单位在允许的评判范围内可能的总分与名次", expanded=not view.awards):
        ranges = view.ranges
        st.dataframe(ranges, hide_index=True, key="sel_robust_ranges", height=widgets.rows_height(len(ranges)),
                     column_config=widgets.number_columns(ranges, ["总分", "最低总分", "最高总分"], view.decimals))
    st.caption(f"范围：本组 {view.n_judged} 处视情评判（{plain('、'.join(view.judged_items))}）各在细则允许的范围内"
               "变动（已扣分的仍在区间内扣分，未扣的仍为 0），其他事实不变。每个单位的评判只影响它自己的得分。")
