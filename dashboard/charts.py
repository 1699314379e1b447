"""Plotly figures of the pages, with Chinese labels. Figures only draw read-model frames; no numbers computed.

Colours come from :mod:`documents.palette`: one colour per category and per unit, the same on every page
(callers pass the full, stable list: the rubric's categories, the scheme's units); the flag red marks graded
units and the unit in focus. Heatmaps are darker where there is more of what they show (more lost points in red,
more points in blue). Labels never overlap: value labels inside bars, legends outside the plot, automatic margins.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from documents.finals_chart import finals_bar  # noqa: F401  (the league page and the notice share it)
from documents.palette import DARK, FONT, GAIN_SCALE, GOLD, GREY, LOST_SCALE, PALETTE, RED, colour_map

RIGHT_LEGEND = {"orientation": "v", "x": 1.02, "y": 1, "xanchor": "left"}
BELOW_LEGEND = {"orientation": "h", "x": 0, "y": -0.2, "yanchor": "top"}


def _layout(fig: go.Figure, title: str, height: int = 380, **extra) -> go.Figure:
    settings = {"title": {"text": title, "x": 0, "font": {"size": 15}}, "height": height,
                "font": {"family": FONT, "size": 12}, "margin": {"l": 10, "r": 10, "t": 48, "b": 10},
                "legend": BELOW_LEGEND}
    fig.update_layout(**{**settings, **extra})
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    return fig


def lost_points_bar(lost: pd.DataFrame, categories: list[str], title: str = "失分分布（按类别与指标）",
                    decimals: int = 2) -> go.Figure:
    """Horizontal bars: each indicator's lost points, coloured by category (``categories``: every category of
    the rubric in order, so a category keeps its colour), reason on hover."""
    colours = colour_map(categories)
    fig = go.Figure()
    for category, part in lost.groupby("类别", sort=False):
        fig.add_trace(go.Bar(y=part["指标"], x=part["失分"], orientation="h", name=f"{category}",
                             marker_color=colours.get(category, GREY), text=part["失分"],
                             texttemplate=f"%{{x:.{decimals}f}}", textposition="outside", cliponaxis=False,
                             customdata=part[["原因"]], hovertemplate=f"%{{y}}<br>失分 %{{x:.{decimals}f}}"
                             "<br>%{customdata[0]}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", title_text=None)
    fig.update_xaxes(title_text=None, range=[0, float(lost["失分"].max()) * 1.25 if len(lost) else 1])
    shown = lost["类别"].nunique()
    # the legend stacks under the plot in the figure's own bottom margin (one category a line): it never meets
    # the axis labels, however narrow the screen
    legend_px = 28 + 20 * (shown + 1)
    return _layout(fig, title, height=max(220, 110 + 26 * len(lost)) + legend_px, barmode="stack", bargap=0.3,
                   margin={"l": 10, "r": 10, "t": 48, "b": legend_px},
                   legend={"orientation": "v", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0,
                           "traceorder": "normal", "title": {"text": "类别"}})


def comparison_bars(table: pd.DataFrame, ours: str, others: list[str], decimals: int = 2) -> go.Figure:
    """Grouped horizontal bars per indicator: our points and each other unit's (columns named after them)."""
    fig = go.Figure()
    colours = [RED, GOLD, "#0067a5"]
    for n, name in enumerate([ours, *others]):
        fig.add_trace(go.Bar(y=table["指标"], x=table[name], orientation="h", name=name,
                             marker_color=colours[n % len(colours)],
                             hovertemplate=f"{name}<br>%{{y}}<br>%{{x:.{decimals}f}} 分<extra></extra>"))
    fig.update_yaxes(autorange="reversed", title_text=None)
    fig.update_xaxes(title_text="得分", rangemode="tozero")
    return _layout(fig, "逐项得分对比（失分最多的在上）", height=max(320, 120 + 22 * len(table) * (1 + len(others)) // 2),
                   barmode="group", legend=BELOW_LEGEND)


def lost_matrix(matrix: pd.DataFrame, periods: list[str], decimals: int = 2) -> go.Figure:
    """Indicators × periods heatmap of one unit's lost points: darker = more lost."""
    z = matrix[periods].to_numpy(dtype="float64")
    fig = go.Figure(go.Heatmap(z=z, x=periods, y=matrix["指标"], colorscale=LOST_SCALE, zmin=0,
                               text=[["" if pd.isna(v) else f"{v:.{decimals}f}" for v in row] for row in z],
                               texttemplate="%{text}" if len(periods) <= 12 else "", xgap=1, ygap=1,
                               hovertemplate="%{y} · %{x}<br>失分 %{text}<extra></extra>",
                               colorbar={"title": {"text": "失分"}, "thickness": 12}))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(type="category", side="top")
    return _layout(fig, "失分：指标 × 期间（颜色越深失分越多）", height=max(320, 140 + 24 * len(matrix)),
                   margin={"l": 10, "r": 10, "t": 90, "b": 10})


def history_lines(history: pd.DataFrame, entity: str, ranked: bool = True) -> go.Figure:
    """The unit's final over all periods against the group median and the leader (``ranked``: the scheme ranks
    its units; without ranking only the unit's own line)."""
    fig = go.Figure()
    if ranked:
        fig.add_trace(go.Scatter(x=history["期间"], y=history["第一名"], name="第一名", mode="lines",
                                 line={"color": GOLD, "dash": "dot"}))
        fig.add_trace(go.Scatter(x=history["期间"], y=history["中位数"], name="中位数", mode="lines",
                                 line={"color": GREY, "dash": "dash"}))
    fig.add_trace(go.Scatter(x=history["期间"], y=history["总分"], name=entity, mode="lines+markers",
                             line={"color": RED, "width": 3}, text=history["等次"],
                             hovertemplate="%{x}<br>总分 %{y:.2f} %{text}<extra></extra>"))
    fig.update_yaxes(title_text="总分")
    fig.update_xaxes(type="category")
    return _layout(fig, "总分走势（与中位数、第一名对比）" if ranked else "总分走势", height=340)


def rank_line(history: pd.DataFrame, entity: str) -> go.Figure:
    """The unit's rank over all periods (1 at the top), flags marked."""
    text = [f or "" for f in history["红旗"]]
    fig = go.Figure(go.Scatter(x=history["期间"], y=history["名次"], mode="lines+markers+text", text=text,
                               textposition="bottom center", line={"color": RED, "width": 3}, name=entity,
                               cliponaxis=False))
    fig.update_yaxes(autorange="reversed", title_text="名次", dtick=1)
    fig.update_xaxes(type="category")
    return _layout(fig, "名次走势", height=340, showlegend=False)


def heatmap(wide: pd.DataFrame, label: str, lower_is_better: bool, decimals: int = 2,
            lost: bool = False) -> go.Figure:
    """Units × periods heatmap of a metric: darker = more of it (``lost``: lost points or penalties, in red);
    for ranks darker = a better place."""
    periods = [c for c in wide.columns if c != "单位"]
    z = wide[periods].to_numpy(dtype="float64")
    show_text = len(periods) <= 12  # more columns than that: the numbers would overlap, hover shows them
    scale = LOST_SCALE if lost else GAIN_SCALE
    fig = go.Figure(go.Heatmap(z=z, x=periods, y=wide["单位"], colorscale=scale,
                               reversescale=lower_is_better and not lost, xgap=1, ygap=1,
                               text=[["" if pd.isna(v) else f"{v:.{decimals}f}" for v in row] for row in z],
                               texttemplate="%{text}" if show_text else "",
                               hovertemplate="%{y} · %{x}<br>" + label + " %{text}<extra></extra>",
                               colorbar={"title": {"text": ""}, "thickness": 12}))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(type="category", side="top")
    return _layout(fig, f"{label}：单位 × 期间", height=max(320, 120 + 28 * len(wide)),
                   margin={"l": 10, "r": 10, "t": 90, "b": 10})


def metric_line(long: pd.DataFrame, label: str, units: list[str], decimals: int = 2) -> go.Figure:
    """A metric across periods as lines, one per unit (a scheme with one unit, e.g. Haikou's monthly vendor)."""
    colours = colour_map(units)
    fig = go.Figure()
    for unit, part in long.groupby("单位", sort=False):
        fig.add_trace(go.Scatter(x=part["期间"], y=part["数值"], mode="lines+markers", name=unit,
                                 line={"color": colours.get(unit, RED), "width": 2.5},
                                 hovertemplate=unit + " · %{x}<br>" + label + f" %{{y:.{decimals}f}}<extra></extra>"))
    fig.update_xaxes(type="category")
    fig.update_yaxes(title_text=label)
    return _layout(fig, f"{label}：各期走势", height=380, legend=BELOW_LEGEND)


def bump(ranks: pd.DataFrame, units: list[str], label: str = "总分") -> go.Figure:
    """Bump chart: every unit's rank by ``label`` across periods (1 at the top), one colour per unit
    (``units``: every unit of the scheme, so a unit keeps its colour)."""
    colours = colour_map(units)
    fig = go.Figure()
    for unit, part in ranks.groupby("单位", sort=False):
        fig.add_trace(go.Scatter(x=part["期间"], y=part["数值"], mode="lines+markers", name=unit,
                                 line={"width": 2, "color": colours.get(unit, GREY)},
                                 hovertemplate=unit + " · %{x}<br>第 %{y} 名<extra></extra>"))
    fig.update_yaxes(autorange="reversed", title_text="名次", dtick=1)
    fig.update_xaxes(type="category")
    return _layout(fig, f"名次变化（按{label}排名）", height=460, legend=RIGHT_LEGEND)


def distribution(long: pd.DataFrame, label: str, decimals: int = 2) -> go.Figure:
    """Box plot of a metric per period (every unit a point)."""
    fig = go.Figure(go.Box(x=long["期间"], y=long["数值"], boxpoints="all", jitter=0.3, pointpos=0,
                           marker_color=RED, line_color=DARK, text=long["单位"], name=label,
                           hovertemplate="%{text}<br>%{x}: %{y:." + str(decimals) + "f}<extra></extra>"))
    fig.update_xaxes(type="category")
    fig.update_yaxes(title_text=label)
    return _layout(fig, f"{label}：各期分布", height=380, showlegend=False)


def category_lines(means: pd.DataFrame, names: list[str], title: str = "各类别平均得分率") -> go.Figure:
    """Mean score share (得分率 %) of each category (or indicator) across periods; ``names``: every category of
    the rubric in order (or the indicators of one), so each keeps its colour."""
    colours = colour_map(names)
    fig = go.Figure()
    for name, part in means.groupby("类别", sort=False):
        fig.add_trace(go.Scatter(x=part["期间"], y=part["得分率%"], mode="lines+markers", name=name,
                                 line={"color": colours.get(name, GREY)},
                                 customdata=part[["平均得分", "满分"]],
                                 hovertemplate=name + " · %{x}<br>得分率 %{y:.2f}%<br>平均 %{customdata[0]:.2f}"
                                 " / %{customdata[1]:.2f}<extra></extra>"))
    fig.update_yaxes(title_text="平均得分率 %")
    fig.update_xaxes(type="category")
    return _layout(fig, title, height=420, legend=BELOW_LEGEND)


def payout_months(months: pd.DataFrame, bands: tuple[tuple[float, str], ...], units: list[str]) -> go.Figure:
    """Every unit's monthly score (月份, 单位, 合同年度, 月度得分), the payout bands drawn as reference lines."""
    colours = colour_map(units)
    fig = go.Figure()
    for entity, part in months.groupby("单位", sort=True):
        fig.add_trace(go.Scatter(x=part["月份"], y=part["月度得分"], mode="lines+markers", name=entity,
                                 line={"color": colours.get(entity, RED), "width": 2.5},
                                 customdata=part[["合同年度"]],
                                 hovertemplate="%{x} · %{customdata[0]}<br>%{y:.2f} 分<extra></extra>"))
    for low, label in bands:
        fig.add_hline(y=low, line_dash="dot", line_color="gray", annotation_text=label, annotation_position="top left")
    fig.update_xaxes(type="category", title_text="月份")
    fig.update_yaxes(title_text="月度得分")
    return _layout(fig, "月度得分与付款档次线", height=400, legend=BELOW_LEGEND)


def rubric_treemap(tree: list[tuple[str, pd.DataFrame]]) -> go.Figure:
    """The rubric's scored indicators as a treemap: category → indicator, sized by max points."""
    ids, labels, parents, values, colours = [], [], [], [], []
    palette = colour_map([heading for heading, _ in tree])
    for heading, rows in tree:
        scored = rows[rows["类型"] == "基础指标"]
        if scored.empty:
            continue
        ids.append(heading)
        labels.append(heading)
        parents.append("")
        values.append(float(scored["满分/上限"].sum()))
        colours.append(palette[heading])
        for code, name, mx in zip(scored["编号"], scored["指标"], scored["满分/上限"]):
            ids.append(f"{heading}/{code}")
            labels.append(f"{code} {name}<br>{mx:g} 分")
            parents.append(heading)
            values.append(float(mx))
            colours.append(palette[heading])
    fig = go.Figure(go.Treemap(ids=ids, labels=labels, parents=parents, values=values, branchvalues="total",
                               hovertemplate="%{label}<br>%{value} 分<extra></extra>", textinfo="label",
                               maxdepth=2, marker={"colors": colours}))
    return _layout(fig, "基础指标结构（面积 = 满分）", height=460)


@st.cache_data(show_spinner=False, max_entries=256)
def _drawn(name: str, args: tuple) -> dict:
    return globals()[name](*args).to_dict()


def figure(builder, *args) -> dict:
    """``builder(*args)`` as a figure dict, cached on its arguments (building a Plotly figure validates every
    property: tens of milliseconds a chart, paid once per data version instead of on every rerun)."""
    return _drawn(builder.__name__, args)


def scenario_ranks(detail: pd.DataFrame, order: tuple[str, ...], grade_name: str, mark: str) -> go.Figure:
    """Bump chart of the 情景分析 page: every unit's rank per scenario (1 at the top), its name at the right end.
    Units whose rank, grade or flag moves are drawn in colour, the others in grey; a star marks the flag, a filled
    dot the grade, an open dot neither. Units tied on a rank are drawn a hair apart (hover shows the rank)."""
    traces, labels, ends, movers = [], [], {}, 0
    ticks = list(order)
    for n, (unit, part) in enumerate(detail.groupby("单位", sort=False)):
        part = part.set_index("情景").reindex(list(order)).reset_index()
        flags = part[mark] if mark else pd.Series("", index=part.index)
        moves = part["名次"].nunique() > 1 or part["等次"].nunique() > 1 or flags.nunique() > 1
        colour = PALETTE[movers % len(PALETTE)] if moves else GREY  # one per unit that moves
        movers += bool(moves)
        symbols = ["star" if mark and f == mark else "circle" if grade_name and g == grade_name else "circle-open"
                   for g, f in zip(part["等次"], flags)]
        notes = [" · ".join(w for w in (g, f) if w) for g, f in zip(part["等次"], flags)]
        nudge = ((n % 3) - 1) * 0.08  # tied units a hair apart
        traces.append(go.Scatter(
            x=ticks, y=part["名次"] + nudge, mode="lines+markers", name=unit, opacity=1.0 if moves else 0.6,
            line={"width": 3 if moves else 1.5, "color": colour},
            marker={"symbol": symbols, "size": [16 if s == "star" else 10 for s in symbols], "color": colour,
                    "line": {"width": 2, "color": colour}},
            customdata=list(zip(part["名次"], part["总分"], notes)),
            hovertemplate=unit + " · %{x}<br>第 %{customdata[0]} 名 · 总分 %{customdata[1]}<br>%{customdata[2]}"
                          "<extra></extra>"))
        last = int(part["名次"].iloc[-1])
        shift = ends.get(last, 0)  # several units ending on one rank: their names one under the other
        ends[last] = shift + 1
        labels.append({"x": ticks[-1], "y": last, "text": unit, "showarrow": False, "xanchor": "left", "xshift": 12,
                       "yshift": -13 * shift, "font": {"size": 11, "color": colour if moves else DARK}})
    fig = go.Figure(traces)  # traces and labels given at once: plotly validates each added one on its own
    n = int(detail["名次"].max()) if len(detail) else 1
    fig.update_yaxes(title_text="名次", dtick=1, range=[n + 0.6, 0.4])
    fig.update_xaxes(type="category", title_text=None)
    legend = [f"★ {mark}" if mark else "", f"● “{grade_name}”" if grade_name else "", "彩色：有变化"]
    return _layout(fig, "各情景下的名次（" + " · ".join(w for w in legend if w) + "）", height=max(360, 140 + 30 * n),
                   showlegend=False, margin={"l": 10, "r": 96, "t": 48, "b": 10}, annotations=labels)
