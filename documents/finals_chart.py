"""The finals bar chart, shared by the league page and the notice (通报): one figure, so the PDF shows what the
page shows.

Horizontal bars, one row per unit in rank order, so it reads right at any width (a phone's 390 px as well as
A4): unit names are the y axis's labels (automatic margins, never cut, never rotated), value labels sit inside
the bars at their foot, far from the grade line, which is a legend entry rather than a label on the plot. The
score axis starts at 0, or is cut at a round number and says so (its title and a ≈ mark at its foot). The award
holder's name carries the award mark.
"""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from documents.palette import DARK, DEEP_RED, FONT, GREY, RED

CUT_STEP = 5.0  # a cut axis starts at a multiple of this
CUT_WHEN = 0.6  # cut the axis only when every final is above this share of the highest


def axis_floor(low: float, high: float) -> float:
    """Where the score axis starts: 0, unless every final sits high up and close together (bars from 0 would look
    equal); then a multiple of :data:`CUT_STEP` below the lowest final."""
    if low <= 0 or high <= 0:
        return min(0.0, low)
    if low < CUT_WHEN * high:
        return 0.0
    bottom = math.floor((low - max((high - low) * 0.5, CUT_STEP * 0.4)) / CUT_STEP) * CUT_STEP
    return max(0.0, bottom)


def finals_bar(table: pd.DataFrame, grade_name: str, cutoff: float | None, award_column: str,
               title: str = "总分", decimals: int = 2, height: int | None = None) -> go.Figure:
    """Bars of finals in rank order (``table``: 单位, 总分 and optionally 等次 and the award column)."""
    graded = (table["等次"] == grade_name) if grade_name and "等次" in table else pd.Series(False, index=table.index)
    flags = (table[award_column] if award_column and award_column in table
             else pd.Series("", index=table.index)).fillna("").astype(str)
    colours = [DEEP_RED if f else RED if g else GREY for g, f in zip(graded, flags)]
    names = [f"{u}（{f}）" if f else str(u) for u, f in zip(table["单位"], flags)]
    finals = table["总分"].astype("float64")
    fig = go.Figure(go.Bar(
        y=names, x=finals, orientation="h", marker_color=colours, name="总分", showlegend=False,
        text=[f"{v:.{decimals}f}" for v in finals], textposition="inside", insidetextanchor="start",
        textangle=0, textfont={"color": ["#ffffff" if c != GREY else DARK for c in colours]},
        hovertemplate="%{y}<br>总分 %{x:." + str(decimals) + "f}<extra></extra>"))
    low, high = (float(finals.min()), float(finals.max())) if len(finals) else (0.0, 1.0)
    bottom = axis_floor(low, high)
    top = high + max((high - bottom) * 0.03, 10.0 ** -decimals)
    if cutoff is not None:
        # the grade line is drawn across the plot and named in the legend (never a label over the bars)
        fig.add_shape(type="line", yref="paper", y0=0, y1=1, x0=cutoff, x1=cutoff,
                      line={"color": DARK, "dash": "dash", "width": 1.5})
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", hoverinfo="skip", showlegend=True,
                                 line={"color": DARK, "dash": "dash", "width": 1.5},
                                 name=f"“{grade_name}”等次线 {cutoff:.{decimals}f}"))
    axis_title = "总分" if bottom == 0 else f"总分（横轴自 {bottom:g} 起，已截断）"
    fig.update_xaxes(title_text=axis_title, range=[bottom, top], automargin=True, gridcolor="#e6e6ea")
    if bottom > 0:  # the cut mark at the foot of the score axis
        fig.add_annotation(x=bottom, xref="x", y=0, yref="paper", text="≈", showarrow=False, xanchor="center",
                           yanchor="middle", font={"size": 16, "color": DARK}, bgcolor="#ffffff")
    fig.update_yaxes(title_text=None, autorange="reversed", automargin=True, type="category")
    fig.update_layout(title={"text": title, "x": 0, "font": {"size": 15}},
                      height=height or max(300, 110 + 28 * len(names)),
                      font={"family": FONT, "size": 13}, margin={"l": 10, "r": 16, "t": 70, "b": 10},
                      legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "bgcolor": "rgba(0,0,0,0)"},
                      showlegend=cutoff is not None, bargap=0.25, plot_bgcolor="#ffffff")
    return fig
