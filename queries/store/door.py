"""The parts of the one write door (:meth:`queries.store.Store.write`): who writes, what they ask, what a write
command returns, the permission check, and the audit row every write leaves.

A write command is a plain function ``command(cur, *args) -> Written`` that works on the cursor of the door's
transaction; it never opens a transaction, takes the lock or writes an audit row itself. It says what it did
in :class:`AuditEntry` values; the door writes them (with the actor) in the same transaction and commits. A
command that returns no audit entry wrote nothing: the door rolls it back. So every committed change leaves
an audit row, and the latest audit id is the store's data version (:func:`data_version`).

The permission check is a function ``check(actor, request, cur) -> str | None``: None lets the write through,
a message refuses it. The door then writes nothing but one audit row (action ``refused``) and raises
:class:`~queries.store.errors.NotPermittedError`. A command that refuses itself (a locked period, a missing
reason: :class:`~queries.store.errors.RefusedError`) is rolled back and audited the same way. The store checks
accounts and roles by default (:func:`queries.store.permissions.by_role`); :func:`allow_everyone` lets every
actor do everything (for a store opened by its administrator's own code).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable

import pandas as pd

from queries.statements import beside

SQL = beside(__file__)
VIA = ("dashboard", "cli", "python", "system")  # where a write comes from


@dataclass(frozen=True)
class Actor:
    """Who writes: the name recorded in the audit trail, and where the write comes from (``via``).

    ``name`` is the signed-in account for ``via="dashboard"`` (the permission check looks its role up), the OS
    account on the command line; ``declared`` a name the command-line user declared (``--who``), recorded beside
    it and shown as declared."""

    name: str
    via: str = "python"
    declared: str = ""

    def __post_init__(self):
        if self.via not in VIA:
            raise ValueError(f"unknown actor source {self.via!r} (known: {', '.join(VIA)})")

    @classmethod
    def of(cls, who: "Actor | str") -> "Actor":
        """An :class:`Actor` as given, or a plain name writing from Python code (scripts, tests)."""
        return who if isinstance(who, Actor) else cls(str(who))


@dataclass(frozen=True)
class Request:
    """What an actor asks the door to do, known before the command runs: checked, and audited if refused."""

    action: str  # import, edit, undo, publish, reopen, review, draft, award_decision, bulk_load, rescore, restore,
    #              objection, answer, login, account, passwd
    scheme: str = ""
    periods: tuple[str, ...] = ()
    entity: str = ""
    why: str = ""
    account: str = ""  # the account an account action is about (login, account, passwd)


@dataclass(frozen=True)
class AuditEntry:
    """One audit row a command asks for: the action, the (period, entity) pairs it touches, a JSON detail."""

    action: str
    scheme: str
    scope: pd.DataFrame  # columns period, entity ("" entity: the whole period)
    detail: dict
    why: str = ""

    @classmethod
    def periods(cls, action: str, scheme: str, periods, detail: dict, why: str = "",
                entity: str = "") -> "AuditEntry":
        """An entry whose scope is whole periods (or one unit in each of them)."""
        return cls(action, scheme, pd.DataFrame({"period": list(periods), "entity": entity}), detail, why)


@dataclass(frozen=True)
class Written:
    """What a write command returns: its result for the caller and the audit rows it asks for (at least one, or
    the door rolls the command back)."""

    value: Any = None
    audit: tuple[AuditEntry, ...] = field(default_factory=tuple)


PermissionCheck = Callable[[Actor, Request, Any], "str | None"]


def allow_everyone(actor: Actor, request: Request, cur) -> str | None:
    """The permission check until accounts and roles exist: every named actor may do everything."""
    return None


def refusal_entry(request: Request, message: str) -> AuditEntry:
    """The audit row of a write the permission check refused."""
    detail = {"action": request.action, "message": message}
    if request.account:
        detail["account"] = request.account
    return AuditEntry.periods("refused", request.scheme, request.periods, detail, request.why, request.entity)


def write_audit(cur, actor: Actor, entry: AuditEntry) -> int:
    """Append one audit row and its scope; returns its id (a fresh one from the ``audit_ids`` sequence)."""
    audit_id = int(SQL.next_audit_id(cur))
    scope = entry.scope[["period", "entity"]].drop_duplicates().reset_index(drop=True)
    periods = sorted(scope["period"].unique())
    entities = sorted(e for e in scope["entity"].unique() if e)
    SQL.insert_audit(cur, audit_id=audit_id, who=actor.name, via=actor.via, declared=actor.declared,
                     action=entry.action,
                     scheme=entry.scheme, period=",".join(periods),
                     entity=entities[0] if len(entities) == 1 else "",
                     detail=json.dumps(entry.detail, ensure_ascii=False, default=str), why=entry.why or "")
    cur.register("scope_units", scope)
    SQL.insert_audit_scope(cur, audit_id=audit_id)
    cur.unregister("scope_units")
    return audit_id


def data_version(cur) -> int:
    """The store's data version: the id of the latest audit row. Every write the door commits leaves an audit row
    (a command without one is rolled back), so the version changes with every change of the data."""
    return int(SQL.data_version(cur))
