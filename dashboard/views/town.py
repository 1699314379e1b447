"""镇街详情: one unit — rank, final, gaps, where it lost points and why, rank ladders, events, history."""
import streamlit as st

from dashboard import charts, status, whatif_panel, widgets
from dashboard.plain import plain
from dashboard.state import read
from queries.access import unit_choices
from queries.unit import unit_view

picked = widgets.require_data()
units = read(unit_choices, picked.scheme, picked.period, picked.grp)  # a town account: its own unit only
if not units:
    widgets.header("镇街详情", picked)
    st.info("本期没有评分结果 (no results in this period)。")
    st.stop()
entity = widgets.pick_unit(units, key="town_unit")
u = read(unit_view, picked.scheme, picked.period, entity, picked.grp)
d = u.decimals
widgets.header("镇街详情", picked, entity)

metrics = [("名次", f"{u.rank} / {u.n_units}", None), ("总分", f"{u.final:.{d}f}", None)]
if u.gap_to_cutoff is not None:
    word = "高于" if u.gap_to_cutoff >= 0 else "低于"
    metrics.append((f"距“{u.grade_name}”等次线", f"{u.gap_to_cutoff:+.{d}f}", f"{word}等次线 {u.cutoff:.{d}f} 分"))
metrics.append(("距第一名", f"{u.gap_to_leader:+.{d}f}", f"第一名：{plain(u.leader)}"))
metrics += [(label, f"{value:.{d}f}", None) for label, value in u.components]
for col, (label, value, help_text) in zip(st.columns(len(metrics)), metrics):
    col.metric(label, value, help=help_text, border=True)
badges = [b for b in (u.grade and f"“{u.grade}”等次", u.flag) if b]
if badges:
    st.markdown(" ".join(f":red-badge[{b}]" for b in badges))

st.subheader("失分在哪里")
left, right = st.columns([3, 2])
with left:
    if u.lost_chart.empty:
        st.success("基础指标没有失分。")
    else:
        st.plotly_chart(charts.lost_points_bar(u.lost_chart, decimals=d), key="town_lost_chart",
                        config={"displaylogo": False})
with right:
    st.dataframe(u.loss_totals, hide_index=True, key="town_loss_totals",
                 column_config=widgets.number_columns(u.loss_totals, ["满分", "得分", "失分"], d))
    st.caption(f"失分 = 满分 − 得分（按显示的 {d} 位小数相减）。")
st.dataframe(u.losses, hide_index=True, key="town_losses", height=widgets.rows_height(len(u.losses)),
             column_config={**widgets.number_columns(u.losses, ["满分", "得分", "失分"], d),
                            "原因": st.column_config.TextColumn("原因", width="medium")})
widgets.downloads(u.losses, f"失分明细_{entity}_{picked.period}", key="town_dl", sheet="失分明细")
whatif_panel.show(picked, entity)  # 假如…（试算，不保存）

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
left, right = st.columns(2)
left.plotly_chart(charts.history_lines(u.history, entity), key="town_history_chart", config={"displaylogo": False})
right.plotly_chart(charts.rank_line(u.history, entity), key="town_rank_chart", config={"displaylogo": False})
st.dataframe(u.history, hide_index=True, key="town_history",
             column_config=widgets.number_columns(u.history, ["总分", "中位数", "第一名"], d))
status.objection_widget(picked.scheme, picked.period, entity)
