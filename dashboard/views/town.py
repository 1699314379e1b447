"""镇街详情 (单位详情 where the units are not towns): one unit — rank, final and how it is built up, then in tabs
(only the open one is drawn): where it lost points and why, against the leader and the last 好 unit, lost points
over the periods, ladders, events and history.

The view is a link: ``?scheme=…&period=…&unit=…`` reopens it (the URL follows the pickers).
"""
import streamlit as st

from dashboard import charts, status, whatif_panel, widgets
from dashboard.navigation import unit_page_title
from dashboard.plain import plain
from dashboard.state import read, rubric
from queries.access import unit_choices
from queries.compare import comparison, lost_matrix
from queries.display import category_names
from queries.unit import unit_view

picked = widgets.require_data()
rub = rubric(picked.scheme)
title = unit_page_title(rub)
units = read(unit_choices, picked.scheme, picked.period, picked.grp)  # a town account: its own unit only
if not units:
    widgets.header(title, picked)
    st.info("本期没有评分结果 (no results in this period)。")
    st.stop()
entity = widgets.pick_unit(units, key="town_unit")
u = read(unit_view, picked.scheme, picked.period, entity, picked.grp)
d = u.decimals
widgets.header(title, picked, entity)

metrics = [("名次", f"{u.rank} / {u.n_units}", None)] if u.ranked else []
metrics.append(("总分", f"{u.final:.{d}f}", None))
if u.gap_to_cutoff is not None:
    word = "高于" if u.gap_to_cutoff >= 0 else "低于"
    metrics.append((f"距“{u.grade_name}”等次线", f"{u.gap_to_cutoff:+.{d}f}", f"{word}等次线 {u.cutoff:.{d}f} 分"))
if u.ranked:
    metrics.append(("距第一名", f"{u.gap_to_leader:+.{d}f}", f"第一名：{plain(u.leader)}"))
if len(u.components) > 1:  # a final that is its one component says it once (总分)
    metrics += [(label, f"{value:.{d}f}", None) for label, value in u.components]
with st.container(horizontal=True, gap="small", key="town_metrics"):
    for label, value, help_text in metrics:
        st.metric(label, value, help=help_text, border=True, width=widgets.CARD_WIDTH)
badges = [b for b in (u.grade and f"“{u.grade}”等次", u.flag) if b]
if badges:
    st.markdown(" ".join(f":red-badge[{b}]" for b in badges))

st.subheader("得分构成")
st.dataframe(widgets.as_text(u.loss_totals, ["满分", "得分", "失分"], d), hide_index=True, key="town_loss_totals",
             column_config={c: st.column_config.TextColumn(c, width="small") for c in ["满分", "得分", "失分"]})
st.caption(f"各部分显示 {d} 位小数（四舍五入）；减分以扣除的分数显示；带“=”的行由其上各行相加减得到。")
for note in u.parts_notes:
    st.info(plain(note), icon=":material/decimal_increase:")

TAB_NAMES = [t for t in ("失分在哪里", "逐项对比" if u.ranked else "", "各期失分", "加减分与历史") if t]
tabs = dict(zip(TAB_NAMES, st.tabs(TAB_NAMES, key="town_tab", on_change="rerun")))
with tabs["失分在哪里"]:
    if tabs["失分在哪里"].open:  # only the open tab is drawn (the page stays fast)
        if u.lost_chart.empty:
            st.success("基础指标没有失分。")
        else:
            st.plotly_chart(charts.figure(charts.lost_points_bar, u.lost_chart, list(category_names(rub).values()),
                                          "失分分布（按类别与指标）", d),
                            key="town_lost_chart", config={"displaylogo": False})
        st.dataframe(u.losses, hide_index=True, key="town_losses", height=widgets.rows_height(len(u.losses)),
                     column_config={**widgets.number_columns(u.losses, ["满分", "得分", "失分"], d),
                                    "原因": st.column_config.TextColumn("原因", width="medium")})
        st.caption(f"失分 = 满分 − 得分（按显示的 {d} 位小数相减）。")
        widgets.downloads(u.losses, f"失分明细_{entity}_{picked.period}", key="town_dl", sheet="失分明细")
        whatif_panel.show(picked, entity)  # 假如…（试算，不保存）
if u.ranked:
    with tabs["逐项对比"]:
        if tabs["逐项对比"].open:
            cmp = read(comparison, picked.scheme, picked.period, entity, picked.grp)
            rivals = "、".join(f"{role}（{plain(unit)}）" for role, unit in cmp.rivals)
            st.subheader("与第一名和最后一个“好”逐项对比" if u.grade_name else "与第一名逐项对比")
            if not cmp.rivals:
                st.success(plain(cmp.note))
            else:
                st.caption(f"对比：{rivals}。只比较各项得分（不含其他单位的原始记录和原因）；差距 = 本单位得分 − 对方得分，"
                           "负数表示落后，按落后最多的排在前面。")
                others = [unit for _, unit in cmp.rivals]
                gaps = [c for c in cmp.table.columns if c.startswith("差距")]
                st.dataframe(cmp.table.drop(columns=["类别", "类型"]), hide_index=True, key="town_compare",
                             height=widgets.rows_height(len(cmp.table)),
                             column_config={**widgets.number_columns(cmp.table, ["满分", entity, *others, *gaps], d),
                                            "指标": st.column_config.TextColumn("指标", pinned=True)})
                daily = cmp.table[cmp.table["类型"] != "评分"]  # one scale in the chart: 风采展示 (of 100) is in the table
                behind = daily[daily[gaps].min(axis=1) < 0].head(8)
                if len(behind):
                    named = behind.assign(指标=behind["编号"] + " " + behind["指标"])
                    st.plotly_chart(charts.figure(charts.comparison_bars, named, entity, others, d),
                                    key="town_compare_chart", config={"displaylogo": False})
                widgets.downloads(cmp.table, f"逐项对比_{entity}_{picked.period}", key="town_compare_dl",
                                  sheet="逐项对比")
with tabs["各期失分"]:
    if tabs["各期失分"].open:
        matrix = read(lost_matrix, picked.scheme, entity)
        st.subheader("各期失分（指标 × 期间）")
        st.caption("箭头与上一期比较：↑ 失分增加、↓ 失分减少、→ 不变；颜色越深失分越多（图中为各指标，合计与风采展示见表）。"
                   "减分项按扣除的分数计。")
        if len(matrix.periods) > 1:
            heat = matrix.numbers.iloc[:matrix.n_indicators]
            st.plotly_chart(charts.figure(charts.lost_matrix, heat, list(matrix.periods), d),
                            key="town_matrix_chart", config={"displaylogo": False})
        st.dataframe(matrix.shown, hide_index=True, key="town_matrix", height=widgets.rows_height(len(matrix.shown)),
                     column_config={"指标": st.column_config.TextColumn("指标", pinned=True)})
with tabs["加减分与历史"]:
    if tabs["加减分与历史"].open:
        left, right = st.columns(2) if len(u.ladders) else (None, st.container())
        if left is not None:
            with left:
                st.subheader("名次指标")
                st.caption("按名次计分的指标：本单位的名次与得分。")
                st.dataframe(u.ladders, hide_index=True, key="town_ladders",
                             column_config={**widgets.number_columns(u.ladders, ["得分", "满分"], d),
                                            "名次": st.column_config.NumberColumn("名次", format="第 %d 名")})
        with right:
            st.subheader("加分与减分")
            if u.events.empty:
                st.caption("本方案没有加分或减分项。")
            else:
                st.dataframe(u.events, hide_index=True, key="town_events",
                             column_config=widgets.number_columns(u.events, ["得分", "上限"], d))
            if len(u.event_rows):
                with st.expander(f"加减分事项的原始记录（{len(u.event_rows)} 条）"):
                    st.dataframe(u.event_rows, hide_index=True, key="town_event_rows")

        st.subheader("历史走势")
        if u.ranked:
            left, right = st.columns(2)
            left.plotly_chart(charts.figure(charts.history_lines, u.history, entity), key="town_history_chart",
                              config={"displaylogo": False})
            right.plotly_chart(charts.figure(charts.rank_line, u.history, entity), key="town_rank_chart",
                               config={"displaylogo": False})
            history = u.history
        else:
            st.plotly_chart(charts.figure(charts.history_lines, u.history, entity, False),
                            key="town_history_chart", config={"displaylogo": False})
            history = u.history.drop(columns=["名次", "参评单位", "中位数", "第一名"])
        st.dataframe(history, hide_index=True, key="town_history",
                     column_config=widgets.number_columns(history, ["总分", "中位数", "第一名"], d))

status.objection_widget(picked.scheme, picked.period, entity)
