"""The finals bar chart, shared by the league page and the notice (通报): one figure, so the PDF shows what the
page shows.

Reads right at any width: bars start at 0, or the y axis is cut at a round number and says so (its title and a
≈ mark at the foot of the axis); value labels sit inside the bars at their foot, so they never collide with the
grade line, which is a legend entry rather than a label on the plot; unit names are tick labels with automatic
margins (never cut), the award holder's name carries the award mark.
"""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from documents.palette import DARK, DEEP_RED, FONT, GREY, RED

CUT_STEP = 5.0  # a cut axis starts at a multiple of this


def axis_floor(low: float, high: float) -> float:
    """Where the y axis starts: 0, unless the finals sit so close together high up that bars from 0 would look
    equal; then a multiple of :data:`CUT_STEP` below the lowest final (never below 0)."""
    if low <= 0 or high <= 0:
        return min(0.0, low)
    spread = high - low
    if low < 0.5 * high or spread == 0 and low < 20:
        return 0.0
    bottom = math.floor((low - max(spread * 0.6, CUT_STEP * 0.4)) / CUT_STEP) * CUT_STEP
    return max(0.0, bottom)


def finals_bar(table: pd.DataFrame, grade_name: str, cutoff: float | None, award_column: str,
               title: str = "总分", decimals: int = 2, height: int = 420) -> go.Figure:
    """Bars of finals in rank order (``table``: 单位, 总分 and optionally 等次 and the award column)."""
    graded = (table["等次"] == grade_name) if grade_name and "等次" in table else pd.Series(False, index=table.index)
    flags = (table[award_column] if award_column and award_column in table
             else pd.Series("", index=table.index)).fillna("").astype(str)
    colours = [DEEP_RED if f else RED if g else GREY for g, f in zip(graded, flags)]
    ticks = [f"{u}<br>{f}" if f else str(u) for u, f in zip(table["单位"], flags)]
    finals = table["总分"].astype("float64")
    fig = go.Figure(go.Bar(
        x=ticks, y=finals, marker_color=colours, name="总分", showlegend=False,
        text=[f"{v:.{decimals}f}" for v in finals], textposition="inside", insidetextanchor="start",
        textangle=0, textfont={"color": ["#ffffff" if c != GREY else DARK for c in colours]},
        hovertemplate="%{x}<br>总分 %{y:." + str(decimals) + "f}<extra></extra>"))
    low, high = (float(finals.min()), float(finals.max())) if len(finals) else (0.0, 1.0)
    bottom = axis_floor(low, high)
    top = high + max((high - bottom) * 0.04, 10.0 ** -decimals)
    if cutoff is not None:
        # the grade line is a legend entry (never a label on top of the bars)
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines",
                                 line={"color": DARK, "dash": "dash", "width": 1.5}, hoverinfo="skip",
                                 name=f"“{grade_name}”等次线 {cutoff:.{decimals}f}", showlegend=True))
        fig.add_shape(type="line", xref="paper", x0=0, x1=1, y0=cutoff, y1=cutoff,
                      line={"color": DARK, "dash": "dash", "width": 1.5})
    axis_title = "总分" if bottom == 0 else f"总分（纵轴自 {bottom:g} 起，已截断）"
    fig.update_yaxes(title_text=axis_title, range=[bottom, top], automargin=True)
    if bottom > 0:  # the cut mark at the foot of the axis
        fig.add_annotation(xref="paper", x=0, y=bottom, yref="y", text="≈", showarrow=False, xanchor="center",
                           yanchor="middle", font={"size": 16, "color": DARK}, bgcolor="#ffffff")
    many = len(ticks) > 6
    fig.update_xaxes(title_text=None, tickangle=-45 if many else 0, automargin=True, type="category")
    fig.update_layout(title={"text": title, "x": 0, "font": {"size": 15}}, height=height,
                      font={"family": FONT, "size": 12}, margin={"l": 10, "r": 10, "t": 70, "b": 10},
                      legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "bgcolor": "rgba(0,0,0,0)"},
                      showlegend=cutoff is not None, bargap=0.25, plot_bgcolor="#ffffff",
                      yaxis={"gridcolor": "#e6e6ea"})
    return fig
