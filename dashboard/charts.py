"""Plotly figures of the pages, with Chinese labels. Figures only draw read-model frames; no numbers computed.

Colours: the flag red for graded (好) units and the unit in focus, greys for the rest.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative

FONT = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
RED, GREY, DARK, GOLD = "#c8102e", "#b8b8c0", "#262730", "#e0a100"
CATEGORY_COLOURS = ["#c8102e", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
                    "#7f7f7f", "#bcbd22"]
UNIT_COLOURS = qualitative.Dark24  # one colour per unit that moves on the 情景分析 page (a district has 13+)


def _layout(fig: go.Figure, title: str, height: int = 380, **extra) -> go.Figure:
    settings = {"title": {"text": title, "x": 0, "font": {"size": 15}}, "height": height,
                "font": {"family": FONT, "size": 12}, "margin": {"l": 10, "r": 10, "t": 48, "b": 10},
                "legend": {"orientation": "h", "y": -0.15}}
    fig.update_layout(**{**settings, **extra})
    return fig


def finals_bar(table: pd.DataFrame, grade_name: str, cutoff: float | None, award_column: str,
               title: str = "总分", decimals: int = 2) -> go.Figure:
    """Bars of finals in rank order, graded units highlighted, the cutoff drawn, flag holders marked."""
    graded = table["等次"] == grade_name if grade_name and "等次" in table else pd.Series(False, index=table.index)
    colours = [RED if g else GREY for g in graded]
    flags = table[award_column] if award_column and award_column in table else pd.Series("", index=table.index)
    labels = [f"{v:.{decimals}f}" + (f" {f}" if f else "") for v, f in zip(table["总分"], flags)]
    fig = go.Figure(go.Bar(x=table["单位"], y=table["总分"], marker_color=colours, text=labels,
                           textposition="outside", cliponaxis=False, width=0.7 if len(table) > 4 else 0.3,
                           hovertemplate="%{x}<br>总分 %{y:." + str(decimals) + "f}<extra></extra>", name="总分"))
    if cutoff is not None:
        fig.add_hline(y=cutoff, line_dash="dash", line_color=DARK, annotation_position="top right",
                      annotation_text=f"“{grade_name}”等次线 {cutoff:.{decimals}f}")
    low, high = (float(table["总分"].min()), float(table["总分"].max())) if len(table) else (0.0, 1.0)
    pad = max((high - low) * 0.15, abs(high) * 0.02, 10.0 ** -decimals)
    bottom = low - 2 * pad if low < 0 else max(0.0, low - 2 * pad)  # zoom in on the spread, never below 0
    fig.update_yaxes(title_text="总分", range=[bottom, high + pad])
    fig.update_xaxes(title_text=None, tickangle=-30)
    return _layout(fig, title, showlegend=False)


def lost_points_bar(lost: pd.DataFrame, title: str = "失分分布（按类别与指标）", decimals: int = 2) -> go.Figure:
    """Horizontal bars: each indicator's lost points, coloured by category, reason on hover."""
    fig = go.Figure()
    for n, (category, part) in enumerate(lost.groupby("类别", sort=False)):
        fig.add_trace(go.Bar(y=part["指标"], x=part["失分"], orientation="h", name=f"{category}",
                             marker_color=CATEGORY_COLOURS[n % len(CATEGORY_COLOURS)], text=part["失分"],
                             texttemplate=f"%{{x:.{decimals}f}}", textposition="outside", cliponaxis=False,
                             customdata=part[["原因"]], hovertemplate=f"%{{y}}<br>失分 %{{x:.{decimals}f}}"
                             "<br>%{customdata[0]}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", title_text=None)
    fig.update_xaxes(title_text="失分", range=[0, float(lost["失分"].max()) * 1.18 if len(lost) else 1])
    return _layout(fig, title, height=max(320, 80 + 26 * len(lost)), barmode="stack",
                   legend={"orientation": "v", "x": 1.02, "y": 1, "traceorder": "normal", "title": {"text": "类别"}})


def history_lines(history: pd.DataFrame, entity: str) -> go.Figure:
    """The unit's final over all periods against the group median and the leader."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=history["期间"], y=history["第一名"], name="第一名", mode="lines",
                             line={"color": GOLD, "dash": "dot"}))
    fig.add_trace(go.Scatter(x=history["期间"], y=history["中位数"], name="中位数", mode="lines",
                             line={"color": GREY, "dash": "dash"}))
    fig.add_trace(go.Scatter(x=history["期间"], y=history["总分"], name=entity, mode="lines+markers+text",
                             line={"color": RED, "width": 3}, text=history["等次"], textposition="top center"))
    fig.update_yaxes(title_text="总分")
    fig.update_xaxes(type="category")
    return _layout(fig, "总分走势（与中位数、第一名对比）", height=340)


def rank_line(history: pd.DataFrame, entity: str) -> go.Figure:
    """The unit's rank over all periods (1 at the top), flags marked."""
    text = [f or "" for f in history["红旗"]]
    fig = go.Figure(go.Scatter(x=history["期间"], y=history["名次"], mode="lines+markers+text", text=text,
                               textposition="bottom center", line={"color": RED, "width": 3}, name=entity))
    fig.update_yaxes(autorange="reversed", title_text="名次", dtick=1)
    fig.update_xaxes(type="category")
    return _layout(fig, "名次走势", height=340, showlegend=False)


def heatmap(wide: pd.DataFrame, label: str, lower_is_better: bool, decimals: int = 2) -> go.Figure:
    """Units × periods heatmap of a metric (darker red = better)."""
    periods = [c for c in wide.columns if c != "单位"]
    z = wide[periods].to_numpy(dtype="float64")
    show_text = len(periods) <= 12  # more columns than that: the numbers would overlap, hover shows them
    fig = go.Figure(go.Heatmap(z=z, x=periods, y=wide["单位"], colorscale="Reds", reversescale=lower_is_better,
                               text=[["" if pd.isna(v) else f"{v:.{decimals}f}" for v in row] for row in z],
                               texttemplate="%{text}" if show_text else "", hovertemplate="%{y} · %{x}<br>" + label + " %{text}"
                               "<extra></extra>", colorbar={"title": {"text": ""}}))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(type="category", side="top")
    return _layout(fig, f"{label}：单位 × 期间", height=max(320, 90 + 28 * len(wide)))


def bump(ranks: pd.DataFrame) -> go.Figure:
    """Bump chart: every unit's rank across periods (1 at the top)."""
    fig = go.Figure()
    for n, (unit, part) in enumerate(ranks.groupby("单位", sort=False)):
        fig.add_trace(go.Scatter(x=part["期间"], y=part["数值"], mode="lines+markers", name=unit,
                                 line={"width": 2, "color": CATEGORY_COLOURS[n % len(CATEGORY_COLOURS)]},
                                 hovertemplate=unit + " · %{x}<br>第 %{y} 名<extra></extra>"))
    fig.update_yaxes(autorange="reversed", title_text="名次", dtick=1)
    fig.update_xaxes(type="category")
    return _layout(fig, "名次变化（总分名次）", height=460, legend={"orientation": "v", "x": 1.02, "y": 1})


def distribution(long: pd.DataFrame, label: str, decimals: int = 2) -> go.Figure:
    """Box plot of a metric per period (every unit a point)."""
    fig = go.Figure(go.Box(x=long["期间"], y=long["数值"], boxpoints="all", jitter=0.3, pointpos=0,
                           marker_color=RED, line_color=DARK, text=long["单位"], name=label,
                           hovertemplate="%{text}<br>%{x}: %{y:." + str(decimals) + "f}<extra></extra>"))
    fig.update_xaxes(type="category")
    fig.update_yaxes(title_text=label)
    return _layout(fig, f"{label}：各期分布", height=380, showlegend=False)


def category_lines(means: pd.DataFrame) -> go.Figure:
    """Mean score share (得分率 %) of each category across periods."""
    fig = go.Figure()
    for n, (category, part) in enumerate(means.groupby("类别", sort=False)):
        fig.add_trace(go.Scatter(x=part["期间"], y=part["得分率%"], mode="lines+markers", name=category,
                                 line={"color": CATEGORY_COLOURS[n % len(CATEGORY_COLOURS)]},
                                 customdata=part[["平均得分", "满分"]],
                                 hovertemplate=category + " · %{x}<br>得分率 %{y:.2f}%<br>平均 %{customdata[0]:.2f}"
                                 " / %{customdata[1]:.2f}<extra></extra>"))
    fig.update_yaxes(title_text="平均得分率 %")
    fig.update_xaxes(type="category")
    return _layout(fig, "各类别平均得分率", height=420, legend={"orientation": "v", "x": 1.02, "y": 1})


def payout_months(months: pd.DataFrame, bands: tuple[tuple[float, str], ...]) -> go.Figure:
    """Every unit's monthly score (月份, 单位, 合同年度, 月度得分), the payout bands drawn as reference lines."""
    fig = go.Figure()
    for entity, part in months.groupby("单位", sort=True):
        fig.add_trace(go.Scatter(x=part["月份"], y=part["月度得分"], mode="lines+markers", name=entity,
                                 customdata=part[["合同年度"]], hovertemplate="%{x} · %{customdata[0]}<br>%{y:.2f} 分"))
    for low, label in bands:
        fig.add_hline(y=low, line_dash="dot", line_color="gray", annotation_text=label, annotation_position="top left")
    fig.update_layout(height=380, margin=dict(l=10, r=10, t=30, b=10), yaxis_title="月度得分", xaxis_title="月份",
                      xaxis_type="category")
    return fig


def rubric_treemap(tree: list[tuple[str, pd.DataFrame]]) -> go.Figure:
    """The rubric's scored indicators as a treemap: category → indicator, sized by max points."""
    ids, labels, parents, values = [], [], [], []
    for heading, rows in tree:
        scored = rows[rows["类型"] == "基础指标"]
        if scored.empty:
            continue
        ids.append(heading)
        labels.append(heading)
        parents.append("")
        values.append(float(scored["满分/上限"].sum()))
        for code, name, mx in zip(scored["编号"], scored["指标"], scored["满分/上限"]):
            ids.append(f"{heading}/{code}")
            labels.append(f"{code} {name}<br>{mx:g} 分")
            parents.append(heading)
            values.append(float(mx))
    fig = go.Figure(go.Treemap(ids=ids, labels=labels, parents=parents, values=values, branchvalues="total",
                               hovertemplate="%{label}<br>%{value} 分<extra></extra>", textinfo="label",
                               maxdepth=2))
    fig.update_layout(treemapcolorway=CATEGORY_COLOURS)
    return _layout(fig, "基础指标结构（面积 = 满分）", height=460)





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
        colour = UNIT_COLOURS[movers % len(UNIT_COLOURS)] if moves else GREY
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
