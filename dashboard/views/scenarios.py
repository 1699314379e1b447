"""情景分析 (office and analyst): the rubric's weights, 好 quota and tie-breakers changed as scenarios — how the
ranking, the 好 set and the flag move (a bump chart and tables). Scored by the engine from the stored facts; nothing
is saved. Read model: :func:`queries.scenario_view.scenario_view`.
"""
import streamlit as st

from dashboard import charts, widgets
from dashboard.state import read, rubric
from queries.display import top_grade
from queries.scenario_view import CURRENT, custom_scenario, first_weight, scenario_view, standard_scenarios

picked = widgets.require_data()
rub = rubric(picked.scheme)
widgets.header("情景分析", picked)
st.caption("在真实的评分细则上改变权重、“好”的名额或并列规则，看名次、等次和奖项如何变化（综合指数的敏感性分析）。"
           "按正常评分规则重新计算，只是试算：不保存，不改变任何结果。")

offered = {s.name: s for s in standard_scenarios(rub)}
names = st.multiselect("情景", list(offered), default=list(offered), key=f"scn_pick_{picked.scheme}")
wanted = [offered[n] for n in names]

with st.expander("自定义情景"):
    mix, grade, award = first_weight(rub), top_grade(rub), rub.award
    share = st.slider(f"{mix[0]}权重 %", 5, 95, mix[1], step=5, key="scn_weight") if mix else None
    quota = st.number_input(f"“{grade.name}”名额", 1, 50, grade.top, key="scn_quota") if grade and grade.top else None
    ties = st.toggle("使用并列规则", True, key="scn_ties", help=award.tie_breakers_label) \
        if award and award.tie_breakers else True
    custom = custom_scenario(rub, share, quota, ties)
    if custom is not None:
        wanted.append(custom)
    st.caption(f"已加入情景“{custom.name}”。" if custom else "改变上面的设置即加入一个自定义情景。")

view = read(scenario_view, picked.scheme, picked.period, picked.grp, tuple(wanted))
if view is None:
    st.info("本期没有评分结果 (no results in this period)。")
    st.stop()

st.subheader("各情景的结果")
st.dataframe(view.summary, hide_index=True, key="scn_summary", height=widgets.rows_height(len(view.summary)),
             column_config={"设置": st.column_config.TextColumn("设置", width="medium")})
st.caption(f"“{CURRENT}”：细则的现行设置。变化均与现行相比：+ 新获，− 失去。")
st.plotly_chart(charts.figure(charts.scenario_ranks, view.detail, view.order, view.grade_name, view.mark),
                key="scn_chart", config={"displaylogo": False})

st.subheader("各单位在各情景下的名次")
st.dataframe(view.ranks, hide_index=True, key="scn_ranks", height=widgets.rows_height(len(view.ranks)))
with st.expander("明细：各情景 × 单位的总分、名次、等次与奖项"):
    st.dataframe(view.detail, hide_index=True, key="scn_detail",
                 column_config=widgets.number_columns(view.detail, ["总分"], view.decimals))
    widgets.downloads(view.detail, f"情景分析_{picked.scheme}_{picked.period}", key="scn_dl", sheet="情景分析")
