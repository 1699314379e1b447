"""阶段对比: a unit's self-check against the unified assessment (the score of record), and what the recheck
found rectified (schemes with ``phases`` in their rubric, e.g. the Liaoning 2024 presets)."""
import streamlit as st

from dashboard import widgets
from dashboard.plain import plain
from dashboard.state import read, rubric
from queries.phases import phase_units, phases_view

picked = widgets.require_data()
rub = rubric(picked.scheme)
widgets.header("阶段对比", picked)
if not rub.phases:
    st.info("本方案的细则没有自检、统一考核、复检等阶段，本页不适用。(This scheme has no assessment phases; "
            "see e.g. the liaoning-2024 presets.)")
    st.stop()

st.caption("；".join(f"{p.name}（{p.when}，期间后缀“{p.suffix or '无'}”）" for p in rub.phases)
           + "。统一考核为正式成绩，自检和复检只作对照，不替代统一考核成绩。")
units = read(phase_units, picked.scheme, picked.period)
if not units:
    st.info("本年度还没有统一考核结果 (no results of the unified assessment this year)。")
    st.stop()
entity = widgets.pick_unit(units, key="phases_unit")
view = read(phases_view, picked.scheme, picked.period, entity)
st.subheader(plain(entity))
st.dataframe(view.finals, hide_index=True, key="phases_finals",
             column_config=widgets.number_columns(view.finals, ["总分"]))

st.subheader("自检评估与统一考核对比")
if view.self_check is None:
    st.info("该单位本年度没有自检评估结果。")
else:
    gaps = view.self_check[view.self_check["差值"].fillna(0) != 0]
    higher = int((gaps["判断"] == "自评偏高").sum())
    st.caption(f"共 {len(gaps)} 项自检得分与统一考核不同，其中 {higher} 项自评偏高（差值 = 自检得分 − 统一考核得分）。")
    show_all = st.toggle("显示全部指标", value=False, key="phases_show_all")
    table = view.self_check if show_all else gaps
    st.dataframe(table, hide_index=True, key="phases_self_check",
                 column_config=widgets.number_columns(table, ["满分", "自检得分", "统一考核得分", "差值"]))
    widgets.downloads(view.self_check, f"自检对比_{entity}_{view.record_period}", key="phases_self_dl",
                      sheet="自检对比")

st.subheader("复检复查：问题整改情况")
if view.rectification is None:
    recheck = next((p for p in rub.phases if p.role == "recheck"), None)
    scope = f"（复检范围：{'、'.join(recheck.groups)}）" if recheck and recheck.groups else ""
    st.info(("该单位本年度没有复检复查记录" + scope + "。") if recheck else "本方案没有复检复查阶段。")
else:
    s = view.summary
    cols = st.columns(4)
    cols[0].metric("统一考核发现问题", f"{s['findings']} 项", border=True)
    cols[1].metric("已整改", f"{s['rectified']} 项", f"{s['share']:.0%}", border=True)
    cols[2].metric("部分整改", f"{s['partly']} 项", border=True)
    cols[3].metric("未整改", f"{s['open']} 项", border=True)
    if s["new"]:
        st.warning(f"复检新发现问题 {s['new']} 项。")
    st.dataframe(view.rectification, hide_index=True, key="phases_rectification",
                 column_config=widgets.number_columns(view.rectification, ["涉及分值", "仍未整改分值"]))
    widgets.downloads(view.rectification, f"整改情况_{entity}_{view.record_period}", key="phases_rect_dl",
                      sheet="整改情况")
