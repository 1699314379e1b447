"""The store: a DuckDB file, its schema, and the one write door every change passes (:meth:`Store.write`).

- :mod:`.connection`: :class:`Store` (open and migrate, cursors for reading, the write door and the write verbs);
- :mod:`.door`: who writes (:class:`Actor`), what they ask (:class:`Request`), what a command returns
  (:class:`Written`, :class:`AuditEntry`), the permission check and the audit row;
- :mod:`.errors`: every refusal and conflict (:class:`RefusedError` and its subclasses, :class:`StoreBusyError`);
- write commands, each a plain function of a cursor: :mod:`.batches` (import, edit, undo), :mod:`.publishing`
  (publish, reopen, the lock checks), :mod:`.decisions`, :mod:`.bulk` (bulk load, one group's rescore),
  :mod:`.rubric_versions` (the stored rubric and its versions), :mod:`.results` (a period's results);
- :mod:`.facts` (reading stored observations) and :mod:`.scorer` (the only place the store calls scoring);
- :mod:`.accounts` (accounts, argon2 hashes, sign-in and its lockout), :mod:`.permissions` (the door's check by
  role, the default), :mod:`.workflow` (a period's status: 草稿, 公示, 已发布) and :mod:`.objections` (异议).
"""
from queries.store import accounts, objections, workflow
from queries.store.connection import Store
from queries.store.door import Actor, AuditEntry, Request, Written
from queries.store.errors import (LockedError, NotPermittedError, RefusedError, StoreBusyError,
                                  WriteConflictError)

__all__ = ["Store", "accounts", "objections", "workflow",
           "Actor", "AuditEntry", "Request", "Written", "RefusedError", "NotPermittedError",
           "LockedError", "WriteConflictError", "StoreBusyError"]
