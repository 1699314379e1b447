"""Bulk write commands, for provincial or national volumes (millions of rows).

- :func:`bulk_load`: a large interchange file (Parquet or CSV) straight into the observations table in one
  transaction, as one batch; then (by default) every period it brought is scored. Rows are validated when
  scored, so any error rolls the whole load back: nothing is half-written. Periods that already hold data
  are refused (use an import, which keeps the replaced rows for undo).
- :func:`rescore_group`: rescore one group of one period (after an edit of one fact) without touching the
  other groups: ranks, grades and awards are per (period, group), so the rest of the period is unchanged.

Each command is ``fn(cur, ...) -> Written`` for :meth:`queries.store.Store.write`.
"""
from __future__ import annotations

from pathlib import Path

import duckdb

from queries.statements import beside
from queries.store import batches, results, rubric_versions, scorer
from queries.store.door import AuditEntry, Written
from queries.store.errors import RefusedError
from scoring.problems import InputError, Problem
from scoring.rubric import Rubric

SQL = beside(__file__)
REQUIRED = ["period", "entity", "indicator", "item", "value", "ref", "note"]
READERS = {".parquet": SQL.bulk_read_parquet, ".csv": SQL.bulk_read_csv}


def bulk_load(cur, rubric: Rubric, path: str | Path, *, who: str, source: str = "", score: bool = True,
              rubric_ref: str | Path | None = None) -> Written:
    """Write command: load a Parquet or CSV interchange file into new periods as one batch.

    Its value is ``{"batch_id", "rows", "units", "periods"}``. Raises :class:`RefusedError` for a period that
    already has data, :class:`InputError` (nothing written) for a missing column or, when ``score``, for
    any invalid row.
    """
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None or not path.exists():
        raise InputError([Problem(str(path), "需要存在的 .parquet 或 .csv 文件 (a Parquet or CSV file is required)")])
    rel = reader.relation(cur, path=str(path))
    missing = [c for c in REQUIRED if c not in rel.columns]
    if missing:
        raise InputError([Problem(f"{path.name} 表头 header", f"缺少列 missing column(s): {', '.join(missing)}")])
    stale, adopted = rubric_versions.adopt(cur, rubric, rubric_ref)  # stored periods a new version rescores
    if "group" not in rel.columns:
        rel = rel.select(duckdb.StarExpression(), duckdb.ConstantExpression("").alias("group"))
    rel.create_view("bulk_file", replace=True)
    batch_id = batches.next_batch_id(cur)
    SQL.bulk_insert_observations(cur, scheme=rubric.id, batch_id=batch_id)
    SQL.bulk_drop_file(cur)
    summary = SQL.bulk_batch_summary.arrow(cur, scheme=rubric.id, batch_id=batch_id)
    taken = summary[summary["n_other"] > 0]
    if len(taken):
        raise RefusedError(f"期间 {'、'.join(taken['period'])} 已有数据，批量导入只能用于新的期间；"
                           f"修改已有期间请用导入 (bulk load is for new periods only)")
    periods = list(summary["period"])
    SQL.bulk_upsert_entities(cur, scheme=rubric.id, kind=rubric.entity_kind, batch_id=batch_id)
    SQL.bulk_batch_units(cur, scheme=rubric.id, batch_id=batch_id)
    rows = int(summary["n_rows"].sum())
    batches.record_batch(cur, batch_id, rubric.id, kind="bulk", source=source or path.name, who=who, n_rows=rows)
    info = {"batch_id": batch_id, "rows": rows, "units": int(summary["n_units"].sum()), "periods": periods}
    if score:
        scorer.rescore_in(cur, rubric, periods)
    if stale:  # periods stored before this load (a bulk load brings new periods only)
        scorer.rescore_in(cur, rubric, stale)
    loaded = AuditEntry.periods("import", rubric.id, periods, {**info, "source": source or path.name, "bulk": True})
    return Written(info, tuple(e for e in (adopted, loaded) if e is not None))


def rescore_group(cur, rubric: Rubric, period: str, grp: str) -> Written:
    """Write command: rescore one group of one period from its stored facts, rewriting only its results.
    Its value is the group's :class:`~scoring.engine.Scored`; audited as ``rescore``."""
    scored = scorer.score_group(cur, rubric, period, grp)
    if scored is None:
        raise RefusedError(f"{period} 没有 {grp} 组的数据 (no facts for this group and period)")
    results.replace_group(cur, rubric, period, grp, scored)
    return Written(scored, (results.rescore_entry(rubric.id, period, scored, grp),))
