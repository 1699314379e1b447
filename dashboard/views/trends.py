"""趋势分析: any metric across periods — heatmap (a line for a scheme with one unit), ranks by that metric,
distributions, category (or indicator) averages, filters for units and periods, and the slice as CSV, XLSX or
Parquet. Every chart follows the chosen metric; every unit and category keeps its colour on every page.
"""
import streamlit as st

from dashboard import charts, widgets
from dashboard.state import read, rubric
from queries.display import category_names
from queries.league import scheme_units
from queries.trends import (category_means, lower_is_better, metric_category, metric_long, metric_options,
                            metric_ranks, pivot, select)

picked = widgets.require_data()
widgets.header("趋势分析", picked)
rub = rubric(picked.scheme)
decimals = rub.display_decimals
roster = read(scheme_units, picked.scheme)
final_long = read(metric_long, picked.scheme, "final", picked.grp)
ranked = final_long.groupby("期间")["单位"].nunique().max() > 1  # one unit alone is not ranked
options = metric_options(rub, ranked=bool(ranked))
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
lost = metric.endswith(":lost") or metric == "penalty"
slice_ = select(long, units, periods)
wide = pivot(slice_, higher_is_better=not worse_up)
digits = 0 if metric == "rank" else decimals

if len(units) == 1:  # one unit (e.g. Haikou's monthly vendor): a line, not a one-row heatmap
    st.plotly_chart(charts.figure(charts.metric_line, slice_, label, roster, digits), key="trend_line",
                    config={"displaylogo": False})
else:
    heat, ranks, spread, cats = st.tabs(["热力图", "名次变化", "分布", "类别均值"], key="trend_tab", on_change="rerun")
    with heat:  # only the open tab is drawn (the page stays fast)
        if heat.open:
            st.plotly_chart(charts.figure(charts.heatmap, wide, label, worse_up, digits, lost), key="trend_heatmap",
                            config={"displaylogo": False})
    with ranks:
        if ranks.open:
            by = label if metric != "rank" else "总分"
            rank_slice = slice_ if metric == "rank" else metric_ranks(slice_, higher_is_better=not worse_up)
            st.plotly_chart(charts.figure(charts.bump, rank_slice, roster, by), key="trend_bump",
                            config={"displaylogo": False})
            st.caption(f"每期按“{by}”排名（并列取相同名次）；{'失分、扣分越少' if worse_up else '数值越高'}名次越靠前。")
    with spread:
        if spread.open:
            st.plotly_chart(charts.figure(charts.distribution, slice_, label, digits), key="trend_box",
                            config={"displaylogo": False})
    with cats:
        if cats.open:
            within = metric_category(metric, rub)
            means = read(category_means, picked.scheme, picked.grp, tuple(units), tuple(periods), within)
            if within is None:
                names, title = list(category_names(rub).values()), "各类别平均得分率"
            else:
                names = [f"{i.code} {i.name}" for i in rub.indicators if i.category == within]
                title = f"{category_names(rub).get(within, within)}：各指标平均得分率"
            if means.empty:
                st.info("所选指标没有固定满分（加分、减分项），没有得分率可比。")
            else:
                st.plotly_chart(charts.figure(charts.category_lines, means, names, title), key="trend_categories",
                                config={"displaylogo": False})
            st.caption("得分率 = 所选单位平均得分 ÷ 满分；加减分项没有固定满分，不在此图中。")

st.subheader(f"数据：{label}")
st.dataframe(wide, hide_index=True, key="trend_table", height=widgets.rows_height(len(wide)),
             column_config=widgets.number_columns(wide, [c for c in wide.columns if c != "单位"], digits))
widgets.downloads(wide, f"趋势_{picked.scheme}_{metric.replace(':', '_')}", key="trend_dl", parquet=True,
                  sheet="趋势")
