"""The results tables: replacing a period's (or one group's) results with what scoring gave, and reading a
period's league back (the league read model and the publish command both start from it).

A period's results are replaced whole (delete, then insert), so they are always complete: ranks, grades and
awards are per (period, group). Per-indicator results are lean (:func:`points_table`: a unit's entity, the
indicator's place in the rubric, points and place); the results name the rubric version they were scored with
(kept in the store, :func:`queries.store.rubric_versions.register`). The frames go to DuckDB as Arrow tables (no
copy of their text columns, no Python objects), so an insert runs without holding the GIL.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from queries.statements import beside
from queries.store import migrations, rubric_versions
from queries.store.door import AuditEntry, Written
from scoring.engine import Points, Scored
from scoring.phases import sort_periods
from scoring.rubric import Rubric

SQL = beside(__file__)


def points_table(points: Points) -> dict[str, pa.Table]:
    """The lean per-indicator rows of a scoring, one Arrow table per period: entity (dictionary-encoded: each unit's
    name once), ord (the indicator's place in the rubric), points, place. Rows go unit by unit in name order:
    DuckDB stores them faster that way, and one unit's rows then sit in few blocks (its detail reads few)."""
    units = points.units
    k, n = len(points.codes), len(units)
    out = {}
    for period, idx in units.groupby(units["period"].astype(str), sort=False).indices.items():
        names = pa.array(units["entity"].astype(str).to_numpy(dtype=object)[idx], type=pa.string())
        order = pc.sort_indices(names).to_numpy()
        idx = idx[order]
        codes = np.repeat(np.arange(len(idx), dtype="int32"), k)
        out[period] = pa.table({
            "entity": pa.DictionaryArray.from_arrays(pa.array(codes), names.take(pa.array(order))),
            "ord": pa.array(np.tile(np.arange(k, dtype="int16"), len(idx))),
            "points": pa.array(points.points[:, idx].T.reshape(-1)),
            "place": pa.array(points.places[:, idx].T.reshape(-1), from_pandas=True)})
    if n == 0:
        out = {}
    return out


def write_scored(cur, rubric: Rubric, scored: Scored) -> None:
    """Insert the league, per-indicator and component rows of ``scored`` (the old rows already deleted), naming
    the rubric version (kept in the store with its indicators)."""
    rubric_versions.register(cur, rubric)
    migrations.mark_exact(cur)  # results computed by the exact engine (an upgrade rescores those that are not)
    comp_ids = [c.id for c in rubric.components]
    comps = scored.league.melt(id_vars=["period", "entity"], value_vars=comp_ids, var_name="component",
                               value_name="value")
    cur.register("new_results", _arrow(scored.league))
    cur.register("new_components", _arrow(comps))
    SQL.insert_results(cur, scheme=rubric.id, version=rubric.version)
    SQL.insert_components(cur, scheme=rubric.id)
    if scored.warnings:  # readings that decided an outcome: shown on the pages of the period
        notes = pd.DataFrame([{"period": p.where.split(" ", 1)[0], "where": p.where, "message": p.message}
                              for p in scored.warnings])
        cur.register("new_warnings", notes)
        SQL.insert_warnings(cur, scheme=rubric.id)
        cur.unregister("new_warnings")
    for period, table in points_table(scored.points).items():
        cur.register("new_points", table)
        SQL.insert_points(cur, scheme=rubric.id, period=period)
        cur.unregister("new_points")
    for view in ("new_results", "new_components"):
        cur.unregister(view)


def _arrow(frame: pd.DataFrame) -> pa.Table:
    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # e.g. mixed objects: let DuckDB read the frame itself
        return frame


def replace_period(cur, rubric: Rubric, period: str, scored: Scored | None) -> None:
    """A period's results become ``scored`` (None: the period has no facts left, its results go); problems listed
    for its stored facts are forgotten (it scored)."""
    SQL.delete_period_results(cur, scheme=rubric.id, period=period)
    SQL.clear_stored_problems(cur, scheme=rubric.id, period=period)
    if scored is not None:
        write_scored(cur, rubric, scored)


def replace_group(cur, rubric: Rubric, period: str, grp: str, scored: Scored) -> None:
    """One group's results in a period become ``scored``; the other groups are untouched."""
    SQL.delete_group_warnings(cur, scheme=rubric.id, period=period, grp=grp)
    SQL.delete_group_results(cur, scheme=rubric.id, period=period, grp=grp)
    write_scored(cur, rubric, scored)


def rescore_entry(scheme: str, period: str, scored: Scored | None, grp: str | None = None,
                  why: str = "") -> AuditEntry:
    """The audit row of a rescore: the period (and group) and how many units it scored."""
    detail = {"period": period, "units": 0 if scored is None else len(scored.league)}
    if grp is not None:
        detail["group"] = grp
    return AuditEntry.periods("rescore", scheme, [period], detail, why)


def rescore_period(cur, rubric: Rubric, period: str, scored: Scored | None, why: str = "") -> Written:
    """Write command: replace one period's results by a scoring of its stored facts; audited as ``rescore``."""
    replace_period(cur, rubric, period, scored)
    return Written(None, (rescore_entry(rubric.id, period, scored, why=why),))


def periods(cur, scheme: str) -> list[str]:
    """The periods of a scheme with results, in text order."""
    return list(SQL.result_periods(cur, scheme=scheme)["period"])


def league(cur, rubric: Rubric, period: str) -> pd.DataFrame:
    """A period's league table with each component (e.g. daily, showcase) as a column and the rank change
    versus the previous period in time order (``prev_rank``, ``rank_change``: computed here only)."""
    table = SQL.league(cur, scheme=rubric.id, period=period, prev_period=previous_period(cur, rubric, period))
    comps = SQL.components(cur, scheme=rubric.id, period=period)
    if len(comps):
        wide = comps.pivot(index="entity", columns="component", values="value").reset_index()
        order = [c.id for c in rubric.components if c.id in wide.columns]
        table = table.merge(wide[["entity"] + order], on="entity", how="left")
    return table


def previous_period(cur, rubric: Rubric, period: str) -> str:
    """The period before ``period`` in time order among those with results ("" when it is the first)."""
    order = sort_periods(rubric, periods(cur, rubric.id))
    earlier = order[: order.index(period)] if period in order else []
    return earlier[-1] if earlier else ""
