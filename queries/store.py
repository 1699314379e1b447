"""The store: one DuckDB file holding observations, results, decisions and the audit trail.

One read-write connection per process; callers get a fresh cursor per statement, so a Streamlit app
can share the connection across script runs. DuckDB allows one writer process per file: a second
process gets :class:`StoreBusyError` with a message a clerk understands, never a lock trace.

Every change runs in one transaction (a failure or a killed process leaves the store as it was):
- an import replaces the facts of the (period, entity) pairs it contains and leaves all others untouched;
  pairs whose facts are identical are not touched, so re-importing a file changes nothing (it is audited
  as "no change" and creates no batch); any error writes nothing;
- an edit replaces one unit's facts for a period, validated with the whole period;
- each import or edit is a batch that keeps the rows it replaced, so :meth:`Store.undo_last` restores a
  period exactly as it was before its latest change;
- a published period is locked (:mod:`queries.publication`); a reopened one needs a reason for changes;
  the lock is checked inside the writing transaction;
- a rubric is versioned: an import bringing a different rubric under the same id and version is refused; a
  higher version is stored, audited and rescores every unpublished period (published ones keep their table).

Concurrent writers: the dashboard's sessions share one connection (a cursor each). Batch and audit ids come
from sequences (never max()+1), audit ids are unique, and every write method holds one process-wide lock, so
a process writes one change at a time; a DuckDB transaction conflict that still happens is reported as
:class:`WriteConflictError` ("另一位用户正在写入，请稍后重试").
"""
from __future__ import annotations

import functools
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from queries import bulk, rubric_versions
from queries import publication as pub
from queries.audit import write_audit
from queries.bulk import STORED
from queries.changes import pair_status, row_changes
from scoring.intake import in_file_order
from queries.publication import RefusedError, WriteConflictError
from queries.sql import sql
from scoring.engine import Scored
from scoring.lookalike import lookalike_problems
from scoring.phases import sort_periods
from scoring.problems import InputError, Problem, errors_only
from scoring.rubric import Rubric, load_rubric
from scoring.validate import validate

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
OBS_COLUMNS = ["period", "group", "entity", "indicator", "item", "value", "ref", "note", "line"]
EDIT_LINE = "修改表第{n}行"
ID_SEQUENCES = ("audit_ids", "batch_ids")  # sequence names (the only values start_id_sequence is filled with)
_WRITES = threading.RLock()  # process-wide: the sessions of one process write one change at a time

__all__ = ["Store", "StoreBusyError", "RefusedError", "WriteConflictError", "ImportPlan", "OBS_COLUMNS"]


class StoreBusyError(RuntimeError):
    """Another process (the dashboard, or another command) holds the store file for writing."""


def _serialised(method):
    """A Store write method that holds the process-wide write lock while it runs."""
    @functools.wraps(method)
    def locked(self, *args, **kwargs):
        with _WRITES:
            return method(self, *args, **kwargs)
    return locked


def _is_conflict(exc: BaseException) -> bool:
    """A DuckDB transaction conflict: two cursors changed the same row, or inserted the same key (at COMMIT)."""
    text = str(exc).lower()
    return isinstance(exc, duckdb.TransactionException) and any(
        word in text for word in ("conflict", "duplicate key", "constraint"))


def _split(statement: str) -> list[str]:
    return [s.strip() for s in re.split(r";\s*(?:\n|$)", statement) if s.strip()]


@dataclass
class ImportPlan:
    """What an import (or edit) would do, worked out without writing anything.

    ``problems``: every error and warning (incoming rows named by their line, stored rows of the same
    periods validated with them); ``units``: the incoming (period, entity, group) pairs with ``status``
    new / changed / same; ``locked`` / ``reopened``: published periods among them.
    """

    rows: pd.DataFrame
    problems: list[Problem]
    units: pd.DataFrame
    locked: list[str] = field(default_factory=list)
    reopened: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return errors_only(self.problems)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]

    @property
    def periods(self) -> list[str]:
        return sorted(self.units["period"].unique()) if len(self.units) else []

    def count(self, status: str) -> int:
        return int((self.units["status"] == status).sum()) if len(self.units) else 0


class Store:
    def __init__(self, path: str | Path, read_only: bool = False):
        self.path = str(path)
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise StoreBusyError(
                    f"数据库文件 {self.path} 正被另一个程序（例如正在运行的看板或另一个命令）使用，"
                    f"请先关闭它再试 (the store is in use by another process; close it and retry)"
                ) from None
            raise
        self.last_plan: ImportPlan | None = None  # what the latest import found (counts, warnings)
        if not read_only:
            self.run("create_schema")
            self._migrate_ids()

    def _migrate_ids(self) -> None:
        """Make audit ids unique and start each id sequence after the highest id stored (a store made before
        the sequences, or restored from a backup, has ids the sequence has not given out)."""
        with _WRITES:
            if not self.con.cursor().execute(sql("has_audit_id_index")).fetchone()[0]:
                with self.transaction() as cur:
                    self.run("renumber_duplicate_audit_ids", cur)
                self.run("create_audit_id_index")  # DuckDB: not in the transaction that renumbered
            with self.transaction() as cur:
                for name, max_id, next_id in cur.execute(sql("id_sequences")).fetchall():
                    if name in ID_SEQUENCES and (next_id is None or next_id <= max_id):
                        cur.execute(sql("start_id_sequence").format(name=name, start=int(max_id) + 1))

    def writing(self) -> threading.RLock:
        """The process-wide write lock (``with store.writing():``), for write paths outside this class."""
        return _WRITES

    def close(self) -> None:
        self.con.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- running named SQL -------------------------------------------------------------------------
    def run(self, name: str, con=None, **params) -> None:
        cur = con or self.con.cursor()
        for stmt in _split(sql(name)):
            used = {k: v for k, v in params.items() if f"${k}" in stmt}
            cur.execute(stmt, used or None)

    def query(self, name: str, con=None, **params) -> pd.DataFrame:
        """Run a named read model and return it as a DataFrame (``con``: inside that cursor's transaction)."""
        stmt = sql(name)
        used = {k: v for k, v in params.items() if k in set(_PARAM.findall(stmt))}
        return (con or self.con.cursor()).execute(stmt, used or None).df()

    @contextmanager
    def transaction(self):
        """A cursor inside one transaction: committed at the end, rolled back on any exception.

        A transaction conflict with another cursor of this process (DuckDB's optimistic concurrency) raises
        :class:`WriteConflictError`, which says to retry; nothing of this transaction is written.
        """
        cur = self.con.cursor()
        cur.execute("BEGIN TRANSACTION")
        try:
            yield cur
            cur.execute("COMMIT")
        except BaseException as exc:
            try:
                cur.execute("ROLLBACK")
            except duckdb.Error:
                pass  # a failed COMMIT has already rolled back
            if _is_conflict(exc):
                raise WriteConflictError() from exc
            raise
        finally:
            cur.close()

    # -- rubrics -------------------------------------------------------------------------------------
    def rubric(self, scheme: str) -> Rubric:
        """The rubric a scheme was scored with (stored at first import), else the preset of that id."""
        found = self.query("rubric_yaml", scheme=scheme)
        if len(found):
            return rubric_versions.parse_stored(found["yaml"].iloc[0], scheme)
        return load_rubric(scheme)

    # -- planning a change (no writes) ---------------------------------------------------------------
    def plan_import(self, rubric: Rubric, obs: pd.DataFrame) -> ImportPlan:
        """Validate ``obs`` with the stored facts of the same periods and say what importing would change."""
        cur = self.con.cursor()
        try:
            return self._plan(cur, rubric, obs)
        finally:
            cur.close()

    def _plan(self, cur, rubric: Rubric, obs: pd.DataFrame) -> ImportPlan:
        obs = obs.reset_index(drop=True).copy()
        for col in ("group", "ref", "note"):
            if col not in obs.columns:
                obs[col] = ""
        if "line" not in obs.columns:
            obs["line"] = [f"第{i + 2}行" for i in range(len(obs))]
        empty_units = pd.DataFrame(columns=["period", "entity", "group", "status"])
        if obs.empty:
            return ImportPlan(obs, [Problem("文件 file", "没有任何观测数据行 (no observation rows)")], empty_units)
        units = obs[["period", "entity", "group"]].drop_duplicates(["period", "entity"]).reset_index(drop=True)
        cur.register("incoming_units", units)
        cur.register("wanted_periods", pd.DataFrame({"period": sorted(units["period"].unique())}))
        others = cur.execute(sql("other_units_observations"), {"scheme": rubric.id}).df()
        others["line"] = STORED + " " + others["period"] + " " + others["entity"]
        merged = pd.concat([obs.assign(_incoming=True), others.assign(_incoming=False)], ignore_index=True)
        clean, problems = validate(merged, rubric)
        problems = [p for p in problems if p.severity == "error" or not p.where.startswith(STORED)]
        known = self.query("scheme_units", con=cur, scheme=rubric.id)["entity"]  # issue 12: look-alike names
        problems = in_file_order(problems + lookalike_problems(obs["entity"], obs["line"], known))
        locked, reopened = pub.period_states(self, rubric.id, sorted(units["period"].unique()), cur)
        if errors_only(problems):
            return ImportPlan(obs, problems, units.assign(status="invalid"), locked, reopened)
        rows = clean[clean["_incoming"].astype(bool)][OBS_COLUMNS].reset_index(drop=True)
        stored = cur.execute(sql("unit_observations"), {"scheme": rubric.id}).df()
        return ImportPlan(rows, problems, pair_status(rows, stored), locked, reopened)

    # -- writing -------------------------------------------------------------------------------------
    @_serialised
    def import_observations(self, rubric: Rubric, obs: pd.DataFrame, who: str, source: str,
                            is_demo: bool = False, rubric_ref: str | Path | None = None,
                            why: str = "") -> int | None:
        """Validate and import in one transaction; replaces the facts of the (period, entity) pairs present.

        Raises :class:`InputError` (nothing written) if the rows have errors, :class:`RefusedError` if a
        period is published and locked (or reopened and ``why`` is empty) or if the rubric file differs from
        the stored one under the same version. Returns the batch id, or None when every unit's facts are
        already stored exactly so (nothing changes; audited as "no change"). A higher rubric version is
        stored and every unpublished period is rescored with it (see :func:`queries.rubric_versions.adopt`).
        """
        pub.require(who)
        with self.transaction() as cur:
            plan = self.last_plan = self._plan(cur, rubric, obs)
            if plan.locked:
                raise RefusedError("\n".join(pub.locked_message(p, "导入") for p in plan.locked))
            if plan.errors:
                raise InputError(plan.problems)
            pub.require(who, why, bool(plan.reopened), f"导入已发布后重新打开的期间（{'、'.join(plan.reopened)}）")
            stale = rubric_versions.adopt(self, cur, rubric, rubric_ref, who, why)  # periods to rescore
            changed = plan.units[plan.units["status"] != "same"]
            batch_id = None
            if changed.empty:
                write_audit(self, cur, who=who, action="import", scheme=rubric.id,
                            scope=plan.units,
                            detail={"source": source, "rows": len(plan.rows), "units": len(plan.units),
                                    "no_change": True}, why=why)
            else:
                batch_id = self._write_batch(cur, rubric, plan, changed, kind="import", who=who, source=source,
                                             why=why, is_demo=is_demo)
            rest = [p for p in stale if p not in set(changed["period"])]
            if rest:
                self._rescore(cur, rubric, rest)
            return batch_id

    def _write_batch(self, cur, rubric: Rubric, plan: ImportPlan, changed: pd.DataFrame, *, kind: str,
                     who: str, source: str, why: str, is_demo: bool = False) -> int:
        """Replace the facts of the ``changed`` pairs by ``plan.rows``, keeping the replaced rows; audit; rescore."""
        keys = changed[["period", "entity"]]
        rows = plan.rows.merge(keys, on=["period", "entity"], how="inner")
        cur.register("incoming_units", changed[["period", "entity", "group"]])
        before = cur.execute(sql("unit_observations"), {"scheme": rubric.id}).df()
        batch_id = int(cur.execute(sql("next_batch_id")).fetchone()[0])
        self.run("save_replaced", cur, scheme=rubric.id, batch_id=batch_id)
        self.run("insert_batch_units", cur, scheme=rubric.id, batch_id=batch_id)
        self.run("delete_unit_periods", cur, scheme=rubric.id)
        cur.register("incoming", rows[OBS_COLUMNS])
        self.run("insert_observations", cur, scheme=rubric.id, batch_id=batch_id)
        self.run("upsert_entities", cur, scheme=rubric.id, kind=rubric.entity_kind, is_demo=is_demo)
        self.run("insert_batch", cur, batch_id=batch_id, scheme=rubric.id, source=source, who=who,
                 n_rows=len(rows), is_demo=is_demo, kind=kind, why=why or "")
        periods = sorted(changed["period"].unique())
        detail = {"batch_id": batch_id, "source": source, "rows": len(rows), "units": len(changed),
                  "units_unchanged": plan.count("same"), "periods": periods, **row_changes(before, rows)}
        write_audit(self, cur, who=who, action=kind, scheme=rubric.id, scope=keys, detail=detail, why=why)
        self._rescore(cur, rubric, periods)
        return batch_id

    @_serialised
    def edit_unit(self, scheme: str, period: str, entity: str, facts: pd.DataFrame, who: str,
                  why: str = "") -> int | None:
        """Replace one unit's facts for a period (columns indicator, item, value, ref, note).

        Validated with the whole period (every problem at once, rows named "修改表第N行"); atomic; audited
        with before/after values; undoable. Refused for a locked period; a reopened one needs ``why``.
        Returns the batch id, or None if the facts are unchanged.
        """
        pub.require(who)
        rubric = self.rubric(scheme)
        obs = facts.reindex(columns=["indicator", "item", "value", "ref", "note"]).fillna("").astype(str)
        obs = obs.apply(lambda c: c.str.strip())
        obs["line"] = [EDIT_LINE.format(n=i + 1) for i in range(len(obs))]
        obs = obs[(obs[["indicator", "item", "value", "ref", "note"]] != "").any(axis=1)].reset_index(drop=True)
        with self.transaction() as cur:
            reopened = pub.refuse_if_locked(self, scheme, [period], "修改", cur)
            pub.require(who, why, bool(reopened), f"修改已发布后重新打开的期间 {period}")
            if obs.empty:
                raise RefusedError(f"修改后 {entity} 在 {period} 没有任何数据；如需删除该单位，请撤销导入 (no facts left)")
            current = self.query("observations_of", con=cur, scheme=scheme, period=period, entity=entity)
            obs.insert(0, "period", period)
            obs.insert(1, "entity", entity)
            obs.insert(2, "group", current["group"].iloc[0] if len(current) else "")
            plan = self._plan(cur, rubric, obs)
            if plan.errors:
                raise InputError(plan.problems)
            changed = plan.units[plan.units["status"] != "same"]
            if changed.empty:
                return None
            return self._write_batch(cur, rubric, plan, changed, kind="edit", who=who, source=f"{entity} {period}",
                                     why=why)

    @_serialised
    def undo_last(self, scheme: str, period: str, who: str, why: str = "") -> dict:
        """Revert the latest import or edit of a period: its units get back exactly the facts they had.

        Returns ``{"batch_id", "kind", "source", "who", "units"}`` of the reverted batch. Refused for a
        locked period or when there is nothing left to undo.
        """
        pub.require(who)
        rubric = self.rubric(scheme)
        with self.transaction() as cur:
            reopened = pub.refuse_if_locked(self, scheme, [period], "撤销", cur)
            pub.require(who, why, bool(reopened), f"撤销已发布后重新打开的期间 {period} 的数据")
            last = self.query("last_change", con=cur, scheme=scheme, period=period)
            if last.empty:
                raise RefusedError(f"{period} 没有可以撤销的导入或修改 (nothing to undo)")
            batch = last.iloc[0]
            batch_id = int(batch["batch_id"])
            params = {"scheme": scheme, "period": period, "batch_id": batch_id}
            before = cur.execute(sql("batch_period_observations"), params).df()
            after = cur.execute(sql("replaced_period_observations"), {"batch_id": batch_id, "period": period}).df()
            self.run("undo_batch_period", cur, **params)
            self.run("prune_entities", cur, scheme=scheme, batch_id=batch_id)
            self._rescore(cur, rubric, [period])
            units = sorted(set(before["entity"]) | set(after["entity"]))
            info = {"batch_id": batch_id, "kind": str(batch["kind"]), "source": str(batch["source"]),
                    "who": str(batch["who"]), "units": len(units)}
            write_audit(self, cur, who=who, action="undo", scheme=scheme,
                        scope=pd.DataFrame({"period": period, "entity": units or [""]}),
                        detail={**info, "period": period, **row_changes(before, after)}, why=why)
        return info

    @_serialised
    def rescore(self, scheme: str, periods: list[str]) -> None:
        """Rescore ``periods`` from their stored facts (each period committed on its own: see
        :func:`queries.bulk.rescore_periods`); raises :class:`InputError` listing every period's problems."""
        bulk.rescore_periods(self, self.rubric(scheme), list(periods))

    def score_periods(self, rubric: Rubric, periods: list[str], cur=None) -> Scored:
        """Score stored observations of ``periods`` (with recorded award decisions) without writing."""
        cur = cur or self.con.cursor()
        cur.register("wanted_periods", pd.DataFrame({"period": list(periods)}))
        obs = bulk.fetch_frame(cur, "period_observations", scheme=rubric.id)
        decided = cur.execute(sql("decisions_of_periods"), {"scheme": rubric.id}).df()
        return bulk.score_stored(obs, decided, rubric)

    def _rescore(self, cur, rubric: Rubric, periods: list[str]) -> None:
        cur.register("wanted_periods", pd.DataFrame({"period": list(periods)}))
        has_facts = [p for p in periods
                     if cur.execute(sql("period_has_observations"), {"scheme": rubric.id, "period": p}).fetchone()[0]]
        self.run("delete_results", cur, scheme=rubric.id)
        bulk.rescore_periods(self, rubric, has_facts, cur)  # one period at a time, writes overlapped

    @_serialised
    def bulk_load(self, rubric: Rubric, path: str | Path, who: str, source: str = "", score: bool = True,
                  rubric_ref: str | Path | None = None) -> dict:
        """Load a large Parquet/CSV file into new periods as one batch (see :mod:`queries.bulk`)."""
        return bulk.bulk_load(self, rubric, path, who, source, score, rubric_ref)

    @_serialised
    def rescore_group(self, scheme: str, period: str, grp: str, rubric: Rubric | None = None) -> Scored:
        """Rescore one group of one period only (see :mod:`queries.bulk`)."""
        return bulk.rescore_group(self, scheme, period, grp, rubric)

    @_serialised
    def record_decision(self, scheme: str, period: str, grp: str, entity: str, who: str, why: str) -> None:
        """The office decides a pending (待定) award; audited, then the period is rescored."""
        if not who.strip() or not why.strip():
            raise ValueError("决定必须填写决定人和理由 (who and why are required)")
        rubric = self.rubric(scheme)
        with self.transaction() as cur:
            pub.refuse_if_locked(self, scheme, [period], "更改红旗决定", cur)
            self.run("save_decision", cur, scheme=scheme, period=period, grp=grp, entity=entity, who=who, why=why)
            write_audit(self, cur, who=who, action="award_decision", scheme=scheme,
                        scope=pd.DataFrame({"period": [period], "entity": [entity]}),
                        detail={"group": grp, "award": entity}, why=why)
            self._rescore(cur, rubric, [period])

    # -- the publish lock (see queries.publication) ----------------------------------------------------
    @_serialised
    def publish(self, scheme: str, period: str, who: str, why: str = "") -> pd.DataFrame:
        return pub.publish(self, scheme, period, who, why)

    @_serialised
    def reopen(self, scheme: str, period: str, who: str, why: str) -> None:
        pub.reopen(self, scheme, period, who, why)

    def publication(self, scheme: str, period: str) -> dict | None:
        return pub.publication(self, scheme, period)

    def published_league(self, scheme: str, period: str) -> pd.DataFrame:
        return pub.published_league(self, scheme, period)

    def publication_diff(self, scheme: str, period: str, rubric: Rubric | None = None) -> pd.DataFrame:
        return pub.publication_diff(self, scheme, period, rubric)

    # -- read models with the rubric's components as columns --------------------------------------------
    def league(self, scheme: str, period: str, con=None) -> pd.DataFrame:
        """The league table of a period, with each component (e.g. daily, showcase) as a column
        (``con``: read inside that cursor's transaction)."""
        periods = sort_periods(self.rubric(scheme), list(self.query("periods", con=con, scheme=scheme)["period"]))
        earlier = periods[: periods.index(period)] if period in periods else []
        prev = earlier[-1] if earlier else ""
        league = self.query("league", con=con, scheme=scheme, period=period, prev_period=prev)
        comps = self.query("components", con=con, scheme=scheme, period=period)
        if len(comps):
            wide = comps.pivot(index="entity", columns="component", values="value").reset_index()
            order = [c.id for c in self.rubric(scheme).components if c.id in wide.columns]
            league = league.merge(wide[["entity"] + order], on="entity", how="left")
        return league
