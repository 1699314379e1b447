"""Read models of the league table: the schemes, periods and groups to pick from, a period's league with its
rank change, the table as shown with its rank sparklines, and the headline cards.

Every function takes a :class:`~queries.store.Store` and returns plain data (frames, frozen dataclasses) that
pages only render. Numbers are rounded for people here (:mod:`queries.display`); components, grades and the
award come from the scheme's rubric, never from names written in code. The rank change is computed once, in
the stored league (:func:`queries.store.results.league`); this module only words it.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from queries.display import component_labels, cutoff_of, ordered, round_to, rounded, top_grade
from queries.statements import beside
from queries.store import Store, results
from scoring.rubric import Rubric

SQL = beside(__file__)

TREND_PERIODS = 8  # how many periods the in-row rank sparkline shows
TRAIL = "名次走势"


def schemes(store: Store) -> pd.DataFrame:
    """The schemes with results (scheme, n_periods, is_demo), for the sidebar."""
    return store.read(SQL.schemes)


def periods(store: Store, scheme: str) -> list[str]:
    """The periods of a scheme with results, in time order."""
    with store.reading() as cur:
        return ordered(store.rubric(scheme), results.periods(cur, scheme))


def groups(store: Store, scheme: str, period: str) -> list[str]:
    return list(store.read(SQL.groups, scheme=scheme, period=period)["grp"])


def league(store: Store, scheme: str, period: str) -> pd.DataFrame:
    """The league table of a period: one row per unit (totals, rank, grade, flag, award note, ``prev_rank`` and
    ``rank_change`` versus the previous period, ``is_demo``) with each component (e.g. daily, showcase) as a
    column."""
    with store.reading() as cur:
        return results.league(cur, store.rubric(scheme), period)


def has_previous(store: Store, scheme: str, period: str) -> bool:
    """Whether some period before ``period`` (in time order) has results, so a rank change can be said."""
    with store.reading() as cur:
        return results.previous_period(cur, store.rubric(scheme), period) != ""


def group_league(store: Store, scheme: str, period: str, grp: str | None) -> pd.DataFrame:
    """:func:`league` of one group (the first one when ``grp`` is None), in ranked order."""
    table = league(store, scheme, period)
    if table.empty:
        return table
    grp = table["grp"].iloc[0] if grp is None else grp
    return table[table["grp"] == grp].reset_index(drop=True)


def award_column(rubric: Rubric) -> str:
    return rubric.award.mark if rubric.award else "奖项"


# -- league table ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Headline:
    """The headline cards of the league page."""

    n_units: int
    leader: str = ""
    leader_final: float | None = None
    median_final: float | None = None
    award_name: str = ""
    flag_state: str = ""  # the award mark, the pending mark, or "" (nobody / no award in this rubric)
    flag_units: tuple[str, ...] = ()
    flag_pending: bool = False  # tied at the top after the tie-breakers: the office must decide
    grade_name: str = ""
    graded: tuple[str, ...] = ()
    quota: int | None = None
    cutoff: float | None = None
    first_out: str | None = None  # best unit without the grade
    first_out_rank: int | None = None
    first_out_gap: float | None = None  # points it lacks to reach the cutoff


@dataclass(frozen=True)
class LeagueView:
    table: pd.DataFrame  # exactly what the page shows (and downloads)
    headline: Headline
    decimals: int = 2
    award_column: str = ""  # "" when the rubric has no award
    grade_column: str = ""  # "" when the rubric has no grades
    component_columns: tuple[str, ...] = ()
    n_units: int = 0


def rank_change_text(change, prev_known: bool) -> str:
    """The league's ``rank_change`` in words: '↑2' (moved up), '↓3', '→' (same place), '新' (not ranked in the
    previous period: no change), '—' (there is no previous period)."""
    if not prev_known:
        return "—"
    if change is None or pd.isna(change):
        return "新"
    change = int(change)
    return f"↑{change}" if change > 0 else f"↓{-change}" if change < 0 else "→"


def rank_trails(store: Store, scheme: str, period: str, grp: str, n: int = TREND_PERIODS) -> dict[str, list[int]]:
    """{unit: its ranks in the last ``n`` periods up to ``period``, oldest first} (the in-row sparkline)."""
    trail = store.read(SQL.rank_trail, scheme=scheme, grp=grp)
    order = ordered(store.rubric(scheme), trail["period"].unique())
    upto = order[: order.index(period) + 1] if period in order else order
    keep = upto[-n:]
    part = trail[trail["period"].isin(keep)].copy()
    part["pos"] = part["period"].map({p: i for i, p in enumerate(keep)})
    part = part.sort_values(["entity", "pos"], kind="stable")
    return {e: [int(r) for r in rows["rank"]] for e, rows in part.groupby("entity", sort=False)}


def league_view(store: Store, scheme: str, period: str, grp: str | None = None) -> LeagueView:
    """The league table of a period and group as shown, and its headline cards."""
    rubric = store.rubric(scheme)
    d = rubric.display_decimals
    league = group_league(store, scheme, period, grp)
    if league.empty:
        return LeagueView(table=pd.DataFrame(), headline=Headline(n_units=0), decimals=d)
    names = component_labels(rubric)
    comp_cols = [c.id for c in rubric.components if c.id in league.columns]
    trails = rank_trails(store, scheme, period, str(league["grp"].iloc[0]))
    prev_known = has_previous(store, scheme, period)
    table = pd.DataFrame({
        "名次": league["rank"].astype("int64"),
        "变化": [rank_change_text(change, prev_known) for change in league["rank_change"]],
        "单位": league["entity"].astype(str),
    })
    for cid in comp_cols:
        table[names[cid]] = round_to(league[cid], d)
    table["总分"] = round_to(league["final"], d)
    grade_col = "等次" if rubric.grades else ""
    if grade_col:
        table[grade_col] = league["grade"].astype(str)
    award_col = award_column(rubric) if rubric.award else ""
    if award_col:
        table[award_col] = league["flag"].astype(str)
    table[TRAIL] = [trails.get(e, []) for e in league["entity"]]
    return LeagueView(table=table, headline=headline(league, rubric), decimals=d, award_column=award_col,
                      grade_column=grade_col, component_columns=tuple(names[c] for c in comp_cols),
                      n_units=len(league))


def headline(league: pd.DataFrame, rubric: Rubric) -> Headline:
    """Leader and median; the flag holder (or pending units); the graded list, the cutoff and the gap to it."""
    d = rubric.display_decimals
    grade, award = top_grade(rubric), rubric.award
    first = league.sort_values(["rank", "entity"]).iloc[0]
    out: dict = {"n_units": len(league), "leader": str(first["entity"]), "leader_final": rounded(first["final"], d),
                 "median_final": rounded(float(league["final"].median()), d)}
    if award is not None:
        flagged = league[league["flag"] != ""]
        out["award_name"] = award.name
        out["flag_units"] = tuple(flagged["entity"])
        out["flag_pending"] = bool((flagged["flag"] == award.pending_mark).any())
        out["flag_state"] = award.pending_mark if out["flag_pending"] else (award.mark if len(flagged) else "")
    if grade is not None:
        cutoff = cutoff_of(league, grade)
        graded = league[league["grade"] == grade.name]
        outside = league[league["grade"] != grade.name].sort_values(["rank", "entity"])
        out.update(grade_name=grade.name, graded=tuple(graded["entity"]), quota=grade.top,
                   cutoff=rounded(cutoff, d))
        if len(outside) and cutoff is not None:
            best = outside.iloc[0]
            out.update(first_out=str(best["entity"]), first_out_rank=int(best["rank"]),
                       first_out_gap=rounded(cutoff - float(best["final"]), d))
    return Headline(**out)


def reading_warnings(store: Store, scheme: str, period: str) -> list[str]:
    """The warnings of readings that decided an outcome in a period (a cap reading, a netting), one line each:
    shown on the period's pages (DESIGN: "a warning appears wherever it decides an outcome")."""
    rows = store.read(SQL.reading_warnings, scheme=scheme, period=period)
    return [f"{w}：{m}" for w, m in zip(rows["where"], rows["message"])]
