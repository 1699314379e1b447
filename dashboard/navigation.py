"""Navigation is data: every page once, with the schemes it applies to and the roles that may open it.

``app.py`` builds the menu per run from the picked scheme and the signed-in role (:func:`pages_for`), so a page that
does not apply to a scheme (阶段对比 without phases, 绩效付款 without a payout rule, 红旗评选 without grades or an
award) is not offered, and names follow the scheme (单位详情 where the units are not towns), and a page a role
may not open is neither in the menu nor reachable by its URL (Streamlit serves only the pages passed to
``st.navigation``). What a page reads is filtered for the account too (:func:`queries.access.scoped`): a town
opens the league and its own unit, an analyst every reading page, the office everything.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import streamlit as st

from queries.display import BOARD_TITLES
from queries.scenario_view import has_scenarios

VIEWS = Path(__file__).resolve().parent / "views"  # not "pages/": that name puts Streamlit in its old multipage mode
ROLES = frozenset({"office", "town", "analyst"})


def _always(rubric) -> bool:
    return True


def _board(rubric) -> str:
    return BOARD_TITLES[rubric.period_kind] if rubric is not None else BOARD_TITLES["quarter"]


def unit_page_title(rubric) -> str:
    """镇街详情 where the units are towns, 单位详情 otherwise (centers, stations, a vendor)."""
    return "镇街详情" if rubric is None or rubric.entity_kind == "town" else "单位详情"


def selection_title(rubric) -> str:
    """红旗评选 where there is a flag; 等次评定 where there are only grades."""
    return "红旗评选" if rubric is None or rubric.award is not None else "等次评定"


def _selects(rubric) -> bool:
    """The selection page applies where the scheme grades units or gives an award."""
    return rubric is None or bool(rubric.grades) or rubric.award is not None


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


OFFICE = frozenset({"office"})
READERS = frozenset({"office", "analyst"})  # pages over every unit and period a town does not open

PAGES: list[PageSpec] = [
    PageSpec("league.py", _board, ":material/leaderboard:", "league", default=True),
    PageSpec("town.py", unit_page_title, ":material/location_city:", "town"),
    PageSpec("trends.py", "趋势分析", ":material/insights:", "trends", roles=READERS),
    PageSpec("summary.py", "得分汇总表", ":material/table_chart:", "summary", roles=READERS),
    PageSpec("selection.py", selection_title, ":material/flag:", "selection", applies=_selects, roles=READERS),
    PageSpec("scenarios.py", "情景分析", ":material/tune:", "scenarios", applies=has_scenarios, roles=READERS),
    PageSpec("phases.py", "阶段对比", ":material/compare_arrows:", "phases", applies=lambda r: r is None or bool(r.phases),
             roles=READERS),
    PageSpec("payout.py", "绩效付款", ":material/payments:", "payout",
             applies=lambda r: r is None or r.payout is not None, roles=READERS),
    PageSpec("rubric.py", "评分细则", ":material/rule:", "rubric"),
    PageSpec("objections.py", "异议处理", ":material/gavel:", "objections", roles=OFFICE),
    PageSpec("data.py", "数据管理", ":material/upload_file:", "data", roles=OFFICE),
    PageSpec("audit.py", "审计日志", ":material/history:", "audit", roles=OFFICE),
    PageSpec("accounts.py", "账户管理", ":material/manage_accounts:", "accounts", roles=OFFICE),
    PageSpec("password.py", "修改密码", ":material/password:", "password"),
]


def pages_for(rubric, role: str) -> list[st.Page]:
    """The pages the picked scheme has and ``role`` may open, in menu order (``rubric`` None: no scheme yet)."""
    return [spec.page(rubric) for spec in PAGES if role in spec.roles and spec.applies(rubric)]


def _at_every_url(view: str, title: str, icon: str, url_path: str) -> list[st.Page]:
    """One page, the default, also served at every other page's URL path: a link to any page (``/town?…``) opens
    it without Streamlit's "page not found", and the path is kept, so once the session may, the linked page opens
    (the rerun after sign-in asks for the page of the path)."""
    main = st.Page(VIEWS / view, title=title, icon=icon, url_path=url_path, default=True)
    return [main] + [st.Page(VIEWS / view, title=title, icon=icon, url_path=spec.url_path) for spec in PAGES
                     if spec.url_path != url_path]


def sign_in_pages() -> list[st.Page]:
    """What a signed-out session is given: the sign-in page only, at any page's URL."""
    return _at_every_url("login.py", "登录", ":material/login:", "login")


def password_pages() -> list[st.Page]:
    """What an account that must change its password is given: the password page only, at any page's URL."""
    return _at_every_url("password.py", "修改密码", ":material/password:", "password")
