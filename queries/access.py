"""What a signed-in account may read, enforced where data is read: :func:`scoped` gives every read model the
store as that account may see it.

- **office**: the store itself (drafts, facts, the audit trail, accounts — hashes are never read by a page).
- **analyst**: a :class:`ScopedStore` whose reading cursors see only periods in 公示 or 已发布 (results, facts,
  decisions, publications, objections), and nothing of change batches, the audit trail, accounts or sign-in
  attempts.
- **town**: as the analyst, and of those periods only its own units' facts, reasons and objections; the other
  units keep their results and per-indicator points (no reason), so it can compare itself with the leader.

A :class:`ScopedStore` does this with temporary views (access.sql) that take the place of the store's tables on
each reading cursor it opens, so every read model in :mod:`queries` (which reads through ``store.read`` and
``store.reading``) is filtered without knowing it. It has no write verb: writes go through
:meth:`queries.store.Store.write`, whose permission check looks the account up itself.
"""
from __future__ import annotations

import threading
import weakref
from contextlib import contextmanager

import pandas as pd

from queries.statements import Quoted, beside
from queries.store import Store
from queries.store.accounts import Account
from queries.unit import units_of
from scoring.rubric import Rubric

SQL = beside(__file__)


class ScopedStore:
    """A store as a town or analyst account may read it (see module docstring)."""

    def __init__(self, store: Store, account: Account):
        if account.role not in ("town", "analyst"):
            raise ValueError(f"a scoped store is for town and analyst accounts, not {account.role!r}")
        self.store = store
        self.account = account
        self.path = store.path
        self._cursor = None  # the scoped cursor of the thread that made this object (views made once)
        self._thread = threading.get_ident()

    def _scoped_cursor(self):
        """A new cursor on which the store's tables show only what the account may see."""
        cur = self.store.con.cursor()
        db = Quoted(cur.execute("SELECT current_database()").fetchone()[0])
        SQL.analyst_scope(cur, db=db)
        if self.account.role == "town":
            cur.register("viewer_units", pd.DataFrame(list(self.account.units), columns=["scheme", "entity"],
                                                      dtype=str))
            SQL.town_scope(cur, db=db)
        return cur

    @contextmanager
    def reading(self):
        """A cursor on which the store's tables show only what the account may see. The thread that made this
        object reuses one such cursor for all its reads (a read model reads many times; the views are made once,
        and the cursor closes with this object); another thread gets a fresh one."""
        if threading.get_ident() == self._thread:
            if self._cursor is None:
                self._cursor = self._scoped_cursor()
                weakref.finalize(self, self._cursor.close)
            yield self._cursor
            return
        cur = self._scoped_cursor()
        try:
            yield cur
        finally:
            cur.close()

    def read(self, statement, /, **params):
        with self.reading() as cur:
            return statement(cur, **params)

    def rubric(self, scheme: str) -> Rubric:
        return self.store.rubric(scheme)

    def data_version(self) -> int:
        return self.store.data_version()


def scoped(store: Store, account: Account) -> Store | ScopedStore:
    """The store as ``account`` may read it: the store itself for the office, else a :class:`ScopedStore`."""
    return store if account.role == "office" else ScopedStore(store, account)


def unit_choices(store: Store | ScopedStore, scheme: str, period: str, grp: str | None) -> list[str]:
    """The units whose detail the reader may open (the unit picker): every unit of the period and group, in ranked
    order, but only its own for a town account."""
    units = units_of(store, scheme, period, grp)
    if isinstance(store, ScopedStore) and store.account.role == "town":
        units = [u for u in units if store.account.owns(scheme, u)]
    return units
