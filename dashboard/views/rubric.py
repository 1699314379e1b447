"""评分细则: the rubric as a tree — every indicator with its max points and its rule's sentence.

Works on an empty store too (it then shows the preset rubrics), so people can read the rules first.
"""
import streamlit as st

from dashboard import charts, widgets
from dashboard.state import picked as sidebar_choice, rubric
from queries.rubric_models import rubric_facts, rubric_tree
from scoring.rubric import load_rubric, preset_ids

picked = sidebar_choice()
if picked is None:
    st.title("评分细则")
    st.info("数据库中还没有评分结果；下面显示内置的评分细则 (preset rubrics)。导入数据请见“数据管理”页。")
    rub = load_rubric(st.selectbox("评分细则 preset", preset_ids(), key="rubric_preset"))
else:
    widgets.header("评分细则", picked)
    rub = rubric(picked.scheme)

st.markdown("\n".join(f"- {fact}" for fact in rubric_facts(rub)))
tree = rubric_tree(rub)
st.plotly_chart(charts.figure(charts.rubric_treemap, tree), key="rubric_treemap",
                config={"displaylogo": False})
for n, (heading, rows) in enumerate(tree):
    with st.expander(heading, expanded=True):
        st.markdown(widgets.indicator_tree(rows))
