"""趋势分析: any metric across periods — heatmap, bump chart of ranks, distributions, category averages,
filters for units and periods, and the slice as CSV, XLSX or Parquet.
"""
import streamlit as st

from dashboard import charts, widgets
from dashboard.state import read, rubric
from queries.trends import category_means, lower_is_better, metric_long, metric_options, pivot, select

picked = widgets.require_data()
widgets.header("趋势分析", picked)
rub = rubric(picked.scheme)
decimals = rub.display_decimals
options = metric_options(rub)
metric = st.selectbox("指标 metric", list(options), format_func=options.get, key=f"trend_metric_{picked.scheme}")
long = read(metric_long, picked.scheme, metric, picked.grp)
all_units = sorted(long["单位"].unique())
all_periods = list(dict.fromkeys(long["期间"]))  # time order, as the read model gives it
left, right = st.columns([3, 2])
units = left.multiselect("单位 units", all_units, default=all_units, key=f"trend_units_{picked.scheme}",
                         placeholder="选择单位")
periods = all_periods
if len(all_periods) > 1:
    first, last = right.select_slider("期间范围 periods", all_periods, value=(all_periods[0], all_periods[-1]),
                                      key=f"trend_periods_{picked.scheme}")
    periods = all_periods[all_periods.index(first): all_periods.index(last) + 1]
if not units:
    st.info("请至少选择一个单位。")
    st.stop()

label = options[metric]
worse_up = lower_is_better(metric)
slice_ = select(long, units, periods)
wide = pivot(slice_, higher_is_better=not worse_up)

heat, ranks, spread, cats = st.tabs(["热力图", "名次变化", "分布", "类别均值"])
with heat:
    st.plotly_chart(charts.heatmap(wide, label, worse_up, decimals), key="trend_heatmap", config={"displaylogo": False})
with ranks:
    rank_slice = select(read(metric_long, picked.scheme, "rank", picked.grp), units, periods)
    st.plotly_chart(charts.bump(rank_slice), key="trend_bump", config={"displaylogo": False})
with spread:
    st.plotly_chart(charts.distribution(slice_, label, decimals), key="trend_box", config={"displaylogo": False})
with cats:
    means = read(category_means, picked.scheme, picked.grp, tuple(units), tuple(periods))
    st.plotly_chart(charts.category_lines(means), key="trend_categories", config={"displaylogo": False})
    st.caption("得分率 = 所选单位该类别平均得分 ÷ 类别满分；加减分项没有固定满分，不在此图中。")

st.subheader(f"数据：{label}")
st.dataframe(wide, hide_index=True, key="trend_table", height=widgets.rows_height(len(wide)),
             column_config=widgets.number_columns(wide, [c for c in wide.columns if c != "单位"],
                                                  0 if metric == "rank" else decimals))
widgets.downloads(wide, f"趋势_{picked.scheme}_{metric.replace(':', '_')}", key="trend_dl", parquet=True,
                  sheet="趋势")
