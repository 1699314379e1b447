"""Navigation is data: every page once, with the schemes it applies to and the roles that may open it.

``app.py`` builds the menu per run from the picked scheme and the signed-in role (:func:`pages_for`), so a page that
does not apply to a scheme (阶段对比 without phases, 绩效付款 without a payout rule) is not offered, and a page a role
may not open is neither in the menu nor reachable by its URL (Streamlit serves only the pages passed to
``st.navigation``). A page's own code still checks what it reads (the read models filter by role).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import streamlit as st

from queries.display import BOARD_TITLES

VIEWS = Path(__file__).resolve().parent / "views"  # not "pages/": that name puts Streamlit in its old multipage mode
ROLES = frozenset({"office", "town", "analyst"})


def _always(rubric) -> bool:
    return True


def _board(rubric) -> str:
    return BOARD_TITLES[rubric.period_kind] if rubric is not None else BOARD_TITLES["quarter"]


def _unit_page(rubric) -> str:
    return "镇街详情" if rubric is None or rubric.entity_kind == "town" else "单位详情"


@dataclass(frozen=True)
class PageSpec:
    """One page: its view module, title (a string, or a function of the rubric), icon and URL path; ``applies``
    says whether the picked scheme has it; ``roles`` who may open it."""

    view: str
    title: str | Callable
    icon: str
    url_path: str
    applies: Callable = _always
    roles: frozenset = field(default=ROLES)
    default: bool = False

    def page(self, rubric) -> st.Page:
        title = self.title(rubric) if callable(self.title) else self.title
        return st.Page(VIEWS / self.view, title=title, icon=self.icon, url_path=self.url_path, default=self.default)


PAGES: list[PageSpec] = [
    PageSpec("league.py", _board, ":material/leaderboard:", "league", default=True),
    PageSpec("town.py", _unit_page, ":material/location_city:", "town"),
    PageSpec("trends.py", "趋势分析", ":material/insights:", "trends"),
    PageSpec("selection.py", "红旗评选", ":material/flag:", "selection"),
    PageSpec("phases.py", "阶段对比", ":material/compare_arrows:", "phases", applies=lambda r: r is None or bool(r.phases)),
    PageSpec("payout.py", "绩效付款", ":material/payments:", "payout",
             applies=lambda r: r is None or r.payout is not None),
    PageSpec("rubric.py", "评分细则", ":material/rule:", "rubric"),
    PageSpec("data.py", "数据管理", ":material/upload_file:", "data"),
    PageSpec("audit.py", "审计日志", ":material/history:", "audit"),
]


def pages_for(rubric, role: str = "office") -> list[st.Page]:
    """The pages the picked scheme has and ``role`` may open, in menu order (``rubric`` None: no scheme yet)."""
    return [spec.page(rubric) for spec in PAGES if role in spec.roles and spec.applies(rubric)]
