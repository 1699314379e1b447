"""The colours and the font every chart uses, on every page and in every document.

One colour per category and one per unit, the same everywhere: a category's colour is its place in the rubric,
a unit's colour its place in the scheme's roster sorted by name (:func:`colour_map`), so 洪山镇 keeps its colour
from the bump chart to the payout chart, and category 2 is never red for one town and blue for another.
The palette has 20 colours chosen for contrast (Kelly's colours of maximum contrast, without white and black),
so 13 towns never share one.
"""
from __future__ import annotations

from typing import Iterable

FONT = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
RED, GREY, DARK, GOLD = "#c8102e", "#b8b8c0", "#262730", "#e0a100"
DEEP_RED = "#7f0a1d"  # the flag holder's bar
PALETTE = ("#0067a5", "#f38400", "#008856", "#be0032", "#875692", "#882d17", "#e68fac", "#2b3d26", "#f6a600",
           "#604e97", "#8db600", "#654522", "#a1caf1", "#b3446c", "#dcd300", "#e25822", "#848482", "#c2b280",
           "#f99379", "#3c8dbc")
LOST_SCALE = "Reds"  # lost points and penalties: darker = more lost
GAIN_SCALE = "Blues"  # points, finals, bonus: darker = more


def colour_map(names: Iterable[str]) -> dict[str, str]:
    """{name: colour} by position in ``names`` (a full, stable list: the rubric's categories in order, or every
    unit of the scheme sorted), cycling after 20."""
    return {name: PALETTE[n % len(PALETTE)] for n, name in enumerate(dict.fromkeys(names))}
