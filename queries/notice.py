"""Read model of the notice (通报): the facts it states, from the period's published snapshot once the period is
published and locked (已发布: the notice then says exactly what was published, even if the facts changed since),
else from the current results (a 草稿 or 公示 period's notice says 草稿 / 公示稿 in its title); and the scheme's
stored 发文单位 and 落款.

The 文号 and the date are not facts of the store: each notice has its own, asked for when it is made.
"""
from __future__ import annotations

import pandas as pd

from queries.display import component_labels, cutoff_of, final_formula, period_label, round_to, rounded, top_grade
from queries.league import award_column, group_league, headline
from queries.publication import publication, published_league
from queries.store import Store, notice_settings
from queries.workflow import export_mark
from scoring.rubric import Rubric

NOTICE_FIRST = ["名次", "单位"]  # then the components, 总分, 等次 and the award, as a notice lists them


def _table(league: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """The notice's table: 名次, 单位, components, 总分, 等次, the award column (display-rounded)."""
    d = rubric.display_decimals
    names = component_labels(rubric)
    table = pd.DataFrame({"名次": league["rank"].astype("int64"), "单位": league["entity"].astype(str)})
    for comp in rubric.components:
        if comp.id in league.columns:
            table[names[comp.id]] = round_to(league[comp.id].astype("float64"), d)
    table["总分"] = round_to(league["final"].astype("float64"), d)
    if rubric.grades:
        table["等次"] = league["grade"].fillna("").astype(str)
    if rubric.award:
        table[award_column(rubric)] = league["flag"].fillna("").astype(str)
    if len(table) < 2:
        table = table.drop(columns=["名次"])  # one unit is not ranked
    return table.reset_index(drop=True)


def notice_settings_of(store: Store, scheme: str) -> notice_settings.NoticeSettings:
    """The scheme's stored 发文单位 and 落款 (empty when never set)."""
    with store.reading() as cur:
        return notice_settings.read(cur, scheme)


def notice_league(store: Store, scheme: str, period: str, grp: str | None) -> tuple[pd.DataFrame, str]:
    """(league of one group, source in words): the published snapshot of a locked period, else the current one."""
    pub = publication(store, scheme, period)
    if pub is not None and pub["locked"]:
        league = published_league(store, scheme, period)
        grp = league["grp"].iloc[0] if grp is None and len(league) else grp
        league = league[league["grp"] == (grp or "")].sort_values(["rank", "entity"]).reset_index(drop=True)
        current = group_league(store, scheme, period, grp)
        league["is_demo"] = bool(current["is_demo"].any()) if len(current) else False
        return league, f"已发布版本（{str(pub['published_at'])[:16]} 发布）"
    return group_league(store, scheme, period, grp), "当前评分结果（未发布）"


def notice_facts(store: Store, scheme: str, period: str, grp: str | None = None) -> dict:
    """The facts a notice (通报) states: title words, graded list, the flag, the table, 发文单位 and 落款."""
    rubric = store.rubric(scheme)
    league, source = notice_league(store, scheme, period, grp)
    h = headline(league, rubric) if len(league) else None
    settings = notice_settings_of(store, scheme)
    return {
        "scheme": scheme, "scheme_name": rubric.name, "period": period,
        "period_words": period_label(period, rubric.period_kind),
        "grade_name": h.grade_name if h else "", "graded": list(h.graded) if h else [],
        "award_name": h.award_name if h else "", "award_column": award_column(rubric) if rubric.award else "",
        "flag_state": h.flag_state if h else "", "flag_units": list(h.flag_units) if h else [],
        "pending_mark": rubric.award.pending_mark if rubric.award else "",
        "cutoff": rounded(cutoff_of(league, top_grade(rubric)), rubric.display_decimals) if len(league) else None,
        "table": _table(league, rubric), "formula": final_formula(rubric), "decimals": rubric.display_decimals,
        "is_demo": bool(league["is_demo"].any()) if len(league) else False,
        "group": str(league["grp"].iloc[0]) if len(league) else "", "source": source,
        "issuer": settings.issuer, "signature": settings.signature,
        "status_mark": export_mark(store, scheme, period),  # 草稿 / 公示稿 in the title until 已发布
    }
