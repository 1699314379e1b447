"""Bulk paths of the store, for provincial or national volumes (millions of rows).

- :func:`fetch_frame`: a named query's rows as a DataFrame through Arrow (several times faster than
  DuckDB's ``.df()`` for millions of text cells).
- :func:`bulk_load`: a large interchange file (Parquet or CSV) straight into the observations table in
  one transaction, as one batch; then (by default) every period it brought is scored. Rows are validated
  when scored, so any error rolls the whole load back: nothing is half-written. Periods that already hold
  data are refused (use an import, which keeps the replaced rows for undo).
- :func:`rescore_group`: rescore one group of one period (after an edit of one fact) without touching the
  other groups: ranks, grades and awards are per (period, group), so the rest of the period is unchanged.
- :func:`write_scored`: the result rows of a :class:`~scoring.engine.Scored` into the results tables.

Every write here holds the store's process-wide write lock (:meth:`Store.writing`).
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pandas as pd
import pyarrow as pa

from queries import rubric_versions
from queries.audit import write_audit
from queries.publication import RefusedError
from queries.sql import sql
from scoring.engine import Scored, score_valid
from scoring.problems import InputError, Problem, errors_only
from scoring.rubric import Rubric
from scoring.validate import validate

if TYPE_CHECKING:  # pragma: no cover
    from queries.store import Store

REQUIRED = ["period", "entity", "indicator", "item", "value", "ref", "note"]
STORED = "已存数据"  # line label prefix of stored rows validated with incoming ones (and of bulk-loaded rows)
BATCH_ROWS = 10_000_000  # few large Arrow chunks: pandas works much faster on them than on many small ones


def fetch_frame(cur, name: str, **params) -> pd.DataFrame:
    """Run the named query ``name`` on cursor ``cur`` and return its rows (text columns as ``str``)."""
    return cur.sql(sql(name), params=params or None).to_arrow_table(batch_size=BATCH_ROWS).to_pandas()


def check_stored(obs: pd.DataFrame, rubric: Rubric) -> tuple[pd.DataFrame, list]:
    """Validate stored rows; rows without a file line (bulk loads) are named by period and entity."""
    clean, problems = validate(obs, rubric)
    if errors_only(problems) and obs["line"].isna().any():
        named = obs.assign(line=obs["line"].fillna(STORED + " " + obs["period"] + " " + obs["entity"]))
        clean, problems = validate(named, rubric)
    return clean, problems


def write_scored(store: "Store", cur, rubric: Rubric, scored: Scored) -> None:
    """Insert the league, per-indicator and component rows of ``scored`` (the old rows already deleted).

    The frames go to DuckDB as Arrow tables (no copy of their text columns, no Python objects), so the
    insert runs without holding the GIL and can overlap the scoring of the next period.
    """
    comp_ids = [c.id for c in rubric.components]
    comps = scored.league.melt(id_vars=["period", "entity"], value_vars=comp_ids, var_name="component",
                               value_name="value")
    cur.register("new_results", _arrow(scored.league))
    cur.register("new_detail", _arrow(scored.detail))
    cur.register("new_components", _arrow(comps))
    store.run("insert_results", cur, scheme=rubric.id)
    store.run("insert_results_indicator", cur, scheme=rubric.id)
    store.run("insert_components", cur, scheme=rubric.id)
    for view in ("new_results", "new_detail", "new_components"):
        cur.unregister(view)


def _arrow(frame: pd.DataFrame) -> pa.Table:
    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # e.g. mixed objects: let DuckDB read the frame itself
        return frame


def score_stored(obs: pd.DataFrame, decided: pd.DataFrame, rubric: Rubric) -> Scored:
    """Validate and score stored rows with the office's recorded award decisions; InputError on errors."""
    clean, problems = check_stored(obs, rubric)
    if errors_only(problems):
        raise InputError(problems)
    decisions = {(p, g): e for p, g, e in zip(decided["period"], decided["grp"], decided["entity"])}
    return score_valid(clean, rubric, decisions)


def rescore_periods(store: "Store", rubric: Rubric, periods: list[str], cur=None) -> None:
    """Score and write ``periods`` one at a time from their stored facts.

    With ``cur`` (the caller's transaction, whose old results are already deleted) everything stays in that
    transaction: an import is all or nothing. Without it (a plain rescore, which changes no facts) each
    period's results are replaced and committed in a transaction of their own, so memory stays flat on a
    national store and each period's results are always complete. One period at a time is exact: ranks,
    grades and awards are per period and group. DuckDB writes period k in a worker thread while Python
    scores period k+1 (a cursor is only ever used by one thread at a time). Every period's problems are
    collected and raised together.
    """
    with store.writing():  # reentrant: an import holding it rescores inside its own transaction
        _rescore_each(store, rubric, periods, cur)


def _rescore_each(store: "Store", rubric: Rubric, periods: list[str], cur) -> None:
    problems = []
    reader = cur if cur is not None else store.con.cursor()

    def fetch(period: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        reader.register("wanted_periods", pd.DataFrame({"period": [period]}))
        return (fetch_frame(reader, "period_observations", scheme=rubric.id),
                fetch_frame(reader, "decisions_of_periods", scheme=rubric.id))

    def write(period: str, scored: Scored | None) -> None:
        if cur is not None:
            write_scored(store, cur, rubric, scored)
            return
        with store.transaction() as own:
            own.register("wanted_periods", pd.DataFrame({"period": [period]}))
            store.run("delete_results", own, scheme=rubric.id)
            if scored is not None:
                write_scored(store, own, rubric, scored)

    with ThreadPoolExecutor(max_workers=1) as pool:
        writing = None
        fetched = fetch(periods[0]) if periods else None
        for i, period in enumerate(periods):
            scored = None
            try:
                scored = score_stored(*fetched, rubric) if len(fetched[0]) else None
            except InputError as exc:
                problems += exc.problems  # go on: every period's problems are reported at once
            fetched = None
            if writing is not None:
                writing.result()
                writing = None
            if i + 1 < len(periods):
                fetched = fetch(periods[i + 1])
            if not problems and (scored is not None or cur is None):
                writing = pool.submit(write, period, scored)
        if writing is not None:
            writing.result()
    if problems:
        raise InputError(problems)


def bulk_load(store: "Store", rubric: Rubric, path: str | Path, who: str, source: str = "",
              score: bool = True, rubric_ref: str | Path | None = None) -> dict:
    """Load a Parquet or CSV interchange file into new periods as one batch; returns what it brought.

    Returns ``{"batch_id", "rows", "units", "periods"}``. Raises :class:`RefusedError` for a period that
    already has data, :class:`InputError` (nothing written) for a missing column or, when ``score``, for
    any invalid row.
    """
    path = Path(path)
    kind = {".parquet": "bulk_read_parquet", ".csv": "bulk_read_csv"}.get(path.suffix.lower())
    if kind is None or not path.exists():
        raise InputError([Problem(str(path), "需要存在的 .parquet 或 .csv 文件 (a Parquet or CSV file is required)")])
    with store.writing(), store.transaction() as cur:
        rel = cur.sql(sql(kind), params={"path": str(path)})
        missing = [c for c in REQUIRED if c not in rel.columns]
        if missing:
            raise InputError([Problem(f"{path.name} 表头 header", f"缺少列 missing column(s): {', '.join(missing)}")])
        stale = rubric_versions.adopt(store, cur, rubric, rubric_ref, who)  # stored periods a new version rescores
        if "group" not in rel.columns:
            rel = rel.select(duckdb.StarExpression(), duckdb.ConstantExpression("").alias("group"))
        rel.create_view("bulk_file", replace=True)
        batch_id = int(cur.execute(sql("next_batch_id")).fetchone()[0])
        store.run("bulk_insert_observations", cur, scheme=rubric.id, batch_id=batch_id)
        store.run("bulk_drop_file", cur)
        summary = fetch_frame(cur, "bulk_batch_summary", scheme=rubric.id, batch_id=batch_id)
        taken = summary[summary["n_other"] > 0]
        if len(taken):
            raise RefusedError(f"期间 {'、'.join(taken['period'])} 已有数据，批量导入只能用于新的期间；"
                               f"修改已有期间请用导入 (bulk load is for new periods only)")
        periods = list(summary["period"])
        store.run("bulk_upsert_entities", cur, scheme=rubric.id, kind=rubric.entity_kind, batch_id=batch_id)
        store.run("bulk_batch_units", cur, scheme=rubric.id, batch_id=batch_id)
        rows = int(summary["n_rows"].sum())
        store.run("insert_batch", cur, batch_id=batch_id, scheme=rubric.id, source=source or path.name, who=who,
                  n_rows=rows, is_demo=False, kind="bulk", why="")
        info = {"batch_id": batch_id, "rows": rows, "units": int(summary["n_units"].sum()), "periods": periods}
        write_audit(store, cur, who=who, action="import", scheme=rubric.id,
                    scope=pd.DataFrame({"period": periods, "entity": ""}),
                    detail={**info, "source": source or path.name, "bulk": True})
        if score:
            store._rescore(cur, rubric, periods)
        if stale:  # periods stored before this load (a bulk load brings new periods only)
            store._rescore(cur, rubric, stale)
    return info


def rescore_group(store: "Store", scheme: str, period: str, grp: str, rubric: Rubric | None = None) -> Scored:
    """Rescore one group of one period from its stored facts and rewrite only its results."""
    rubric = rubric or store.rubric(scheme)
    with store.writing(), store.transaction() as cur:
        obs = fetch_frame(cur, "group_observations", scheme=scheme, period=period, grp=grp)
        if obs.empty:
            raise RefusedError(f"{period} 没有 {grp} 组的数据 (no facts for this group and period)")
        decided = fetch_frame(cur, "decisions_of_group", scheme=scheme, period=period, grp=grp)
        scored = score_stored(obs, decided, rubric)
        store.run("delete_group_results", cur, scheme=scheme, period=period, grp=grp)
        write_scored(store, cur, rubric, scored)
    return scored

