"""得分汇总表 (the analyst's 考核得分汇总表): every unit × every indicator of one or several periods, with a 小计
per category, the components, 总分, 名次 and 等次; periods stacked or side by side; filters for units and
categories; sortable by any column (click its heading); exported as an office-ready XLSX (merged two-level
headers, frozen panes, A4 landscape fit to width).
"""
import streamlit as st

from dashboard import widgets
from dashboard.plain import plain
from dashboard.state import read
from documents.summary_xlsx import summary_xlsx
from queries.league import periods as scheme_periods
from queries.summary_table import LAYOUTS, SUBTOTAL, TOTALS_HEADING, summary_table


@st.cache_data(show_spinner=False, max_entries=32)
def workbook(table) -> bytes:
    """The XLSX of the table as shown (built once per table, not on every rerun)."""
    return summary_xlsx(table)


picked = widgets.require_data()
widgets.header("考核得分汇总表", picked)
ordered = read(scheme_periods, picked.scheme)
left, right = st.columns([3, 2])
chosen = left.multiselect("期间 periods", ordered, default=[picked.period], key=f"sum_periods_{picked.scheme}",
                          placeholder="选择一个或多个期间")
layout = right.radio("多期排列", list(LAYOUTS), format_func=LAYOUTS.get, key="sum_layout", horizontal=True)
if not chosen:
    st.info("请至少选择一个期间。")
    st.stop()
table = read(summary_table, picked.scheme, tuple(chosen), picked.grp, layout)
frame = table.frame
uppers = list(dict.fromkeys(u for u, _ in table.header if u and u != TOTALS_HEADING))
left, right = st.columns([3, 2])
units = left.multiselect("单位 units", sorted(frame["单位"].unique()), key=f"sum_units_{picked.scheme}",
                         placeholder="全部单位")
groups = right.multiselect("类别 / 期间 columns", uppers, key=f"sum_groups_{picked.scheme}", placeholder="全部")
keep_rows = frame["单位"].isin(units) if units else frame["单位"].notna()
keep = [name for name, (upper, _) in zip(frame.columns, table.header)
        if not groups or upper in ("", TOTALS_HEADING) or upper in groups
        or (layout == "side" and upper in groups)]
shown = frame.loc[keep_rows, keep].reset_index(drop=True)
header = tuple(h for name, h in zip(frame.columns, table.header) if name in keep)

st.caption(f"{plain(table.title)}。点击列标题排序；{SUBTOTAL}为该类别各指标得分之和（按 4 位小数相加后四舍五入，"
           f"所以可能与显示的各项之和相差 0.01）；分数显示 {table.decimals} 位小数。")
st.dataframe(shown, hide_index=True, key="sum_table", height=min(720, widgets.rows_height(len(shown))),
             column_config={**widgets.number_columns(shown, [c for c in shown.columns if c in table.number_columns],
                                                     table.decimals),
                            "单位": st.column_config.TextColumn("单位", pinned=True)})
export = type(table)(title=table.title, frame=shown, header=header,
                     number_columns=tuple(c for c in table.number_columns if c in keep), decimals=table.decimals,
                     layout=layout, marks=table.marks)
marked = "".join(f"{m}_" for m in table.marks)  # a period not yet 已发布 says so in the file name too
st.download_button("下载汇总表 XLSX（可直接打印）", workbook(export),
                   file_name=f"{marked}考核得分汇总表_{picked.scheme}_{'_'.join(chosen)}.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="sum_xlsx",
                   on_click="ignore", icon=":material/download:", type="primary")
widgets.downloads(shown, f"汇总表_{picked.scheme}", key="sum_dl", parquet=True, sheet="汇总表")
