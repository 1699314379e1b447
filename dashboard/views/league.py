"""季度榜单 (landing page): the period's league table, headline cards, the finals chart and downloads.

Clicking anywhere on a row opens that unit's detail page. Columns, grades and the award follow the scheme's rubric;
a scheme with one unit (Haikou's vendor: 不排名次) shows no rank and no 第一名.
"""
import streamlit as st

from dashboard import charts, widgets
from dashboard.navigation import unit_page_title
from dashboard.plain import plain
from dashboard.state import LINKED_UNIT, UNIT, read, rubric
from queries.league import TRAIL, league_view

picked = widgets.require_data()
view = read(league_view, picked.scheme, picked.period, picked.grp)
widgets.header("榜单", picked)
if view.table.empty:
    st.info("本期没有评分结果 (no results in this period)。")
    st.stop()

h, d = view.headline, view.decimals
cards = []
if not view.ranked:
    cards.append(("总分", f"{h.leader_final:.{d}f}", h.leader, "card_final"))
elif not h.award_name:
    cards.append(("第一名", h.leader, f"总分 {h.leader_final:.{d}f}", "card_leader"))
elif h.flag_pending:
    cards.append((f":material/flag: {view.award_column}", h.flag_state,
                  f"{'、'.join(h.flag_units)} 并列第一，请在“红旗评选”页决定", "card_flag"))
else:
    cards.append((f":material/flag: {view.award_column}", "、".join(h.flag_units) or "不授予", h.award_name,
                  "card_flag"))
if h.grade_name:
    tie = f"（第{h.quota}名并列，共{len(h.graded)}个）" if h.quota and len(h.graded) > h.quota else ""
    cards.append((f"“{h.grade_name}”等次", f"{len(h.graded)} 个", "、".join(h.graded) + tie, "card_graded"))
elif view.ranked:
    cards.append(("参评单位", f"{h.n_units} 个", "本方案不评定等次", "card_units"))
if h.cutoff is not None:
    cards.append((f"“{h.grade_name}”等次线", f"{h.cutoff:.{d}f} 分", "获评等次的最低总分", "card_cutoff"))
elif view.ranked:
    cards.append(("中位数", f"{h.median_final:.{d}f} 分", "本期总分的中位数", "card_median"))
if h.first_out is not None:
    cards.append((f"第{h.first_out_rank}名距等次线", f"{h.first_out_gap:.{d}f} 分",
                  f"{h.first_out} 还差 {h.first_out_gap:.{d}f} 分进入“{h.grade_name}”", "card_gap"))
widgets.card_row(cards)


def _open_unit() -> None:
    """A click on a row (any cell of it, or its checkbox): remember the unit and open its detail page."""
    selection = st.session_state["league_table"].selection
    rows = list(selection.rows) or [cell[0] for cell in selection.cells]
    if rows:
        st.session_state[UNIT] = st.session_state[LINKED_UNIT] = view.table["单位"].iloc[rows[0]]
        st.session_state.pop("town_unit", None)
        st.session_state["goto_town"] = True


config = widgets.number_columns(view.table, [*view.component_columns, "总分"], d)
config.update({
    "名次": st.column_config.NumberColumn("名次", format="%d", width="small", pinned=True),
    "单位": st.column_config.TextColumn("单位", pinned=True),
    "变化": st.column_config.TextColumn("变化", help="与上一期相比：↑ 上升、↓ 下降、→ 不变、新 上期未参评", width="small"),
})
if TRAIL in view.table:
    config[TRAIL] = st.column_config.LineChartColumn(TRAIL, y_min=-view.n_units - 0.5, y_max=-0.5,
                                                     help="最近 8 期的名次（向上 = 名次提升）")
st.subheader("榜单")
shown = widgets.rising_trail(view.table, TRAIL) if TRAIL in view.table else view.table
st.dataframe(shown, column_config=config, hide_index=True, key="league_table", on_select=_open_unit,
             selection_mode=["single-row", "single-cell"], height=widgets.rows_height(len(view.table)))
page = unit_page_title(rubric(picked.scheme))
st.caption(f"点击任一行查看该单位的{page}。分数显示 {d} 位小数（四舍五入）；排名按 4 位小数比较。")
for note in view.rank_notes:
    st.info(plain(note), icon=":material/decimal_increase:")  # names units
if st.session_state.pop("goto_town", False):
    st.switch_page("views/town.py")
widgets.downloads(view.table, f"榜单_{picked.scheme}_{picked.period}", key="league_dl", sheet="榜单")

if view.ranked:
    title = f"总分与“{h.grade_name}”等次线" if h.grade_name else "总分"
    fig = charts.figure(charts.finals_bar, view.table.drop(columns=[TRAIL], errors="ignore"), h.grade_name, h.cutoff,
                        view.award_column, title, d)
    st.plotly_chart(fig, key="league_chart", config={"displaylogo": False})
else:
    st.caption(f"本方案只有一个单位，不排名次。各期走势见“趋势分析”和“{page}”。")
