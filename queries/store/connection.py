"""The store: one DuckDB file holding observations, results, decisions and the audit trail, and its one write door.

One read-write connection per process; readers get a fresh cursor each (:meth:`Store.reading`), so a
Streamlit app can share the connection across script runs. DuckDB allows one writer process per file: a
second process gets :class:`StoreBusyError` with a message a clerk understands, never a lock trace.

Every change passes :meth:`Store.write`, the one write door (as datasette's ``execute_write_fn``): it checks the
actor's name, takes the process-wide write lock, opens a transaction, runs the permission check, runs the write
command (a plain function of the transaction's cursor), writes the audit rows the command asks for (the latest
audit id is the data version cached read models key on) and commits; any exception rolls everything back. The
write verbs below (import, edit, undo, decisions, publish and reopen, bulk load, rescoring) only name their
command and what it is about.

Concurrent writers: the dashboard's sessions share one connection (a cursor each) and the door's lock makes a
process write one change at a time. Batch and audit ids come from sequences, never max()+1; a DuckDB transaction
conflict that still happens is reported as :class:`WriteConflictError` ("另一位用户正在写入，请稍后重试").
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from queries.statements import beside
from queries.store import (batches, bulk, contracts, decisions, door, facts, migrations, publishing, results,
                           rubric_versions, scorer)
from queries.store.door import Actor, AuditEntry, PermissionCheck, Request, Written
from queries.store.permissions import by_role
from queries.store.errors import NotPermittedError, RefusedError, StoreBusyError, WriteConflictError, is_held
from scoring.engine import Scored
from scoring.payout import ContractTerms
from scoring.problems import InputError, errors_only
from scoring.rubric import Rubric

SQL = beside(__file__)
ID_SEQUENCES = ("audit_ids", "batch_ids", "objection_ids")  # the only names start_id_sequence is filled with
WIDE_RESULTS = "results_indicator"  # a table in stores (and their backups) made before the lean results; a view now
_WRITES = threading.RLock()  # process-wide: the sessions of one process write one change at a time
NAME_REQUIRED = "请先填写您的姓名（记入审计日志）(who is required)"
SYSTEM = Actor("系统升级", "system")  # who the store's own upgrades are audited as
UPGRADE_WHY = "数据库升级：按精确算术重新计分（已发布期间保持不变）(upgrade: exact arithmetic)"


def problems_listed(cur, scheme: str, period: str, found: pd.DataFrame) -> Written:
    """Write command: list stored values the engine now refuses for one period (its results are kept)."""
    migrations.save_problems(cur, scheme, period, found)
    return Written(None, (AuditEntry.periods("stored_problems", scheme, [period],
                                             {"period": period, "problems": len(found)}, UPGRADE_WHY),))


def _is_conflict(exc: BaseException) -> bool:
    """A DuckDB transaction conflict: two cursors changed the same row, or inserted the same key (at COMMIT)."""
    text = str(exc).lower()
    return isinstance(exc, duckdb.TransactionException) and any(
        word in text for word in ("conflict", "duplicate key", "constraint"))


def continue_id_sequences(cur) -> None:
    """Make each id sequence give the next id after the highest one its table holds (a store made before the
    sequences, or a restore that has just loaded a backup's rows, holds ids the sequence has not given out)."""
    for name, max_id, next_id in SQL.id_sequences(cur).itertuples(index=False):
        if name in ID_SEQUENCES and (pd.isna(next_id) or next_id <= max_id):
            SQL.start_id_sequence(cur, name=name, start=int(max_id) + 1)


def upgrade_results(cur) -> None:
    """Move the wide per-indicator results of a store made before the lean table (or of a backup of one, just
    loaded by a restore) into ``result_points``, and (re)make the view ``results_indicator`` over the lean table."""
    if SQL.has_wide_results_table(cur):
        migrations.lean_results(cur)
    SQL.create_results_view(cur)


def make_room_for_wide_results(cur) -> None:
    """Drop the view ``results_indicator`` so a restore can load the wide table of that name a backup of an older
    store holds (:func:`upgrade_results` then moves it into the lean table and makes the view again)."""
    SQL.drop_results_view(cur)


class _NothingWritten(Exception):
    """A write command returned no audit row: the door rolls its transaction back."""


class Store:
    """A store file opened once per process. ``permission``: the write door's check (see :mod:`.door`); by
    default accounts and roles (:func:`queries.store.permissions.by_role`)."""

    def __init__(self, path: str | Path, read_only: bool = False, permission: PermissionCheck = by_role):
        self.path = str(path)
        self.permission = permission
        self.last_plan: batches.ImportPlan | None = None  # what the latest import found (counts, warnings)
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.IOException as exc:
            if is_held(exc):
                raise StoreBusyError(self.path) from None
            raise
        if not read_only:
            self._migrate()

    def _migrate(self) -> None:
        """Create missing tables and columns; make audit ids unique and start each id sequence after the highest
        id stored (a store made before the sequences, or restored from a backup, has ids not given out yet)."""
        with _WRITES:
            SQL.create_schema(self.con.cursor())
            if not SQL.has_audit_id_index(self.con.cursor()):
                with self.transaction() as cur:
                    SQL.renumber_duplicate_audit_ids(cur)
                SQL.create_audit_id_index(self.con.cursor())  # DuckDB: not in the transaction that renumbered
            with self.transaction() as cur:
                continue_id_sequences(cur)
            with self.transaction() as cur:
                upgrade_results(cur)
        self._upgrade_arithmetic()

    def _upgrade_arithmetic(self) -> None:
        """A store scored by the float engine: its unpublished periods are rescored exactly, each through the door
        (audited as ``rescore``); stored values now refused are listed instead (see :mod:`.migrations`)."""
        with self.reading() as cur:
            if not migrations.needs_exact_rescore(cur):
                return  # a new store, or one scored exactly (results.write_scored marks it)
            schemes = migrations.scored_schemes(cur)
        for scheme in schemes:
            rubric = self.rubric(scheme)
            with self.reading() as cur:
                found = migrations.refused_flags(cur, rubric)
                periods = migrations.unpublished_periods(cur, scheme)
            for period in periods:
                mine = found[found["period"] == period]
                if len(mine):
                    self.write(SYSTEM, Request("stored_problems", scheme, (period,), why=UPGRADE_WHY),
                               problems_listed, scheme, period, mine)
                    continue
                try:
                    self.rescore(scheme, [period], who=SYSTEM, why=UPGRADE_WHY)
                except InputError as exc:  # facts the engine now refuses for another reason: listed, kept
                    listed = pd.DataFrame([{"period": period, "entity": "", "indicator": "", "item": p.where,
                                            "value": "", "message": p.message} for p in errors_only(exc.problems)])
                    self.write(SYSTEM, Request("stored_problems", scheme, (period,), why=UPGRADE_WHY),
                               problems_listed, scheme, period, listed)
        with self.transaction() as tx:
            migrations.mark_exact(tx)

    def close(self) -> None:
        self.con.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- reading -------------------------------------------------------------------------------------------
    @contextmanager
    def reading(self):
        """A fresh cursor for reads outside any transaction (closed afterwards)."""
        cur = self.con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    def read(self, statement, /, **params):
        """Run one named read statement (e.g. ``queries.league.SQL.schemes``) on a fresh cursor."""
        with self.reading() as cur:
            return statement(cur, **params)

    def rubric(self, scheme: str) -> Rubric:
        """The rubric a scheme is scored with (stored at first import), else the preset of that id."""
        with self.reading() as cur:
            return rubric_versions.current(cur, scheme)

    def data_version(self) -> int:
        """A number that changes with every write committed through the door (cached read models key on it)."""
        with self.reading() as cur:
            return door.data_version(cur)

    # -- the write door --------------------------------------------------------------------------------------
    def writing(self) -> threading.RLock:
        """The process-wide write lock (``with store.writing():`` keeps other sessions' writes out meanwhile)."""
        return _WRITES

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

    def write(self, actor: Actor | str, request: Request, command, /, *args, **kwargs):
        """The one write door: run ``command(cur, *args, **kwargs) -> Written`` for ``actor`` and return its value.

        Holds the write lock, opens one transaction, asks the permission check about ``request`` (a refusal
        writes only a ``refused`` audit row and raises :class:`NotPermittedError`), runs the command, writes
        the audit rows it returns with the actor, and commits. A command that refuses (raises
        :class:`RefusedError`: a locked period, a missing reason) is rolled back and leaves only its ``refused``
        audit row too. A command that returns no audit row wrote nothing: its transaction is rolled back.
        """
        actor = Actor.of(actor)
        if not actor.name.strip():
            raise RefusedError(NAME_REQUIRED)
        with _WRITES:
            refusal, written = None, None
            try:
                with self.transaction() as cur:
                    refusal = self.permission(actor, request, cur)
                    if refusal is not None:
                        door.write_audit(cur, actor, door.refusal_entry(request, refusal))
                    else:
                        written = command(cur, *args, **kwargs)
                        if not written.audit:
                            raise _NothingWritten  # roll back: nothing unaudited is ever committed
                        for entry in written.audit:
                            door.write_audit(cur, actor, entry)
            except _NothingWritten:
                pass
            except WriteConflictError:
                raise  # not a refusal: nothing was decided, the caller retries
            except RefusedError as exc:  # the command refused itself: rolled back, audited as refused
                with self.transaction() as cur:
                    door.write_audit(cur, actor, door.refusal_entry(request, str(exc)))
                raise
            if refusal is not None:
                raise NotPermittedError(refusal)
            return written.value

    # -- write verbs: each names its command and what it is about ----------------------------------------------
    def import_observations(self, rubric: Rubric, obs: pd.DataFrame, who: Actor | str, source: str,
                            is_demo: bool = False, rubric_ref: str | Path | None = None,
                            why: str = "") -> int | None:
        """Validate and import in one transaction (see :func:`queries.store.batches.import_observations`);
        returns the batch id, or None when every unit's facts are already stored exactly so."""
        request = Request("import", rubric.id, batches.periods_of(obs), why=why)
        batch_id, self.last_plan = self.write(who, request, batches.import_observations, rubric, obs,
                                              who=Actor.of(who).name, source=source, is_demo=is_demo,
                                              rubric_ref=rubric_ref, why=why)
        return batch_id

    def edit_unit(self, scheme: str, period: str, entity: str, facts: pd.DataFrame, who: Actor | str,
                  why: str = "") -> int | None:
        """Replace one unit's facts for a period (see :func:`queries.store.batches.edit_unit`)."""
        return self.write(who, Request("edit", scheme, (period,), entity, why), batches.edit_unit, scheme, period,
                          entity, facts, who=Actor.of(who).name, why=why)

    def undo_last(self, scheme: str, period: str, who: Actor | str, why: str = "") -> dict:
        """Revert the latest import or edit of a period (see :func:`queries.store.batches.undo_last`)."""
        return self.write(who, Request("undo", scheme, (period,), why=why), batches.undo_last, scheme, period,
                          why=why)

    def record_decision(self, scheme: str, period: str, grp: str, entity: str, who: Actor | str,
                        why: str) -> None:
        """The office decides a pending (待定) award (see :func:`queries.store.decisions.record_decision`)."""
        self.write(who, Request("award_decision", scheme, (period,), entity, why), decisions.record_decision,
                   scheme, period, grp, entity, who=Actor.of(who).name, why=why)

    def publish(self, scheme: str, period: str, who: Actor | str, why: str = "") -> pd.DataFrame:
        """Keep a period's league table as published and lock the period; returns the published table."""
        return self.write(who, Request("publish", scheme, (period,), why=why), publishing.publish, scheme, period,
                          who=Actor.of(who).name, why=why)

    def reopen(self, scheme: str, period: str, who: Actor | str, why: str) -> None:
        """Unlock a published period with a reason (the published table is kept)."""
        self.write(who, Request("reopen", scheme, (period,), why=why), publishing.reopen, scheme, period,
                   who=Actor.of(who).name, why=why)

    def bulk_load(self, rubric: Rubric, path: str | Path, who: Actor | str, source: str = "", score: bool = True,
                  rubric_ref: str | Path | None = None) -> dict:
        """Load a large Parquet/CSV file into new periods as one batch (see :func:`queries.store.bulk.bulk_load`)."""
        return self.write(who, Request("bulk_load", rubric.id), bulk.bulk_load, rubric, path,
                          who=Actor.of(who).name, source=source, score=score, rubric_ref=rubric_ref)

    def set_contract_terms(self, scheme: str, window: str, terms: ContractTerms, who: Actor | str,
                           why: str = "") -> None:
        """Store one contract year's price and certification counts (see :mod:`queries.store.contracts`)."""
        self.write(who, Request("contract_terms", scheme, (window,), why=why), contracts.set_terms,
                   self.rubric(scheme), window, terms, why=why)

    def rescore_group(self, scheme: str, period: str, grp: str, rubric: Rubric | None = None, *,
                      who: Actor | str) -> Scored:
        """Rescore one group of one period only (see :func:`queries.store.bulk.rescore_group`)."""
        rubric = rubric or self.rubric(scheme)
        return self.write(who, Request("rescore", scheme, (period,)), bulk.rescore_group, rubric, period, grp)

    def rescore(self, scheme: str, periods: list[str], who: Actor | str, why: str = "") -> None:
        """Rescore ``periods`` from their stored facts, each period through the door on its own (committed and
        audited as ``rescore``), the next ones scored meanwhile (in two worker processes on a large store); raises
        :class:`InputError` listing every period's problems (periods before the first problem stay rescored)."""
        rubric = self.rubric(scheme)
        periods = list(periods)
        with _WRITES, self.reading() as reader:  # no other write of this process between a read and its write
            rows = facts.count_of_periods(reader, scheme, periods)
            scorer.score_each(
                rubric, periods, fetch=lambda period: scorer.fetch_for_scoring(reader, rubric, period),
                write=lambda period, scored: self.write(who, Request("rescore", scheme, (period,), why=why),
                                                        results.rescore_period, rubric, period, scored, why),
                rows=rows)
