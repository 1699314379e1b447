"""User text inside Markdown, shown as typed.

Every Streamlit text element (st.markdown, st.caption, st.info/…, st.title, widget labels, radio options, help
tooltips) reads its string as Markdown: a unit named ``[点我](http://x)`` would become a link, ``**x**`` bold,
``:red[x]`` red and ``$x$`` a formula. :func:`plain` backslash-escapes every ASCII punctuation mark (CommonMark
makes each escaped mark literal, as Streamlit's docs advise) and folds line breaks into spaces, so names, notes,
reasons and audit texts render as text. Use it on the user's part of a message, never on our own Markdown.
"""
from __future__ import annotations

import re

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # the 32 ASCII punctuation marks
_BREAKS = re.compile(r"\s*[\r\n]+\s*")


def plain(text) -> str:
    """``text`` escaped for a Markdown element: it renders exactly as typed (line breaks as spaces)."""
    return _PUNCTUATION.sub(r"\\\1", _BREAKS.sub(" ", str(text)))
