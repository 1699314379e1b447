"""Change batches: the write commands that change facts (import, edit, undo) and the import plan.

- an import replaces the facts of the (period, entity) pairs it contains and leaves all others untouched;
  pairs whose facts are identical are not touched, so re-importing a file changes nothing (it is audited
  as "no change" and creates no batch); any error writes nothing;
- an edit replaces one unit's facts for a period, validated with the whole period;
- each import or edit is a batch that keeps the rows it replaced, so :func:`undo_last` restores a period
  exactly as it was before its latest change;
- a published period is locked (:mod:`queries.store.publishing`), checked inside the writing transaction; a
  reopened one needs a reason for changes; a period in 公示 changes only through an accepted objection
  (:mod:`queries.store.workflow`, :mod:`queries.store.objections`);
- an import may bring a higher rubric version, which is stored and rescores the unpublished periods
  (:mod:`queries.store.rubric_versions`).

Each command is ``fn(cur, ...) -> Written`` for :meth:`queries.store.Store.write`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from queries.changes import pair_status, row_changes
from queries.statements import beside
from queries.store import facts, publishing, results, rubric_versions, scorer, workflow
from queries.store.door import AuditEntry, Written
from queries.store.errors import LockedError, RefusedError
from scoring.intake import in_file_order
from scoring.lookalike import lookalike_problems
from scoring.problems import InputError, Problem, errors_only
from scoring.reader import STORED_LINE, csv_line_labels, fill_stored_lines
from scoring.rubric import Rubric

SQL = beside(__file__)
OBS_COLUMNS = ["period", "group", "entity", "indicator", "item", "value", "ref", "note", "line"]
EDIT_COLUMNS = ["indicator", "item", "value", "ref", "note"]
EDIT_LINE = "修改表第{n}行"


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
    clean: pd.DataFrame | None = field(default=None, repr=False)  # every row of the periods, validated: scored as is

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


def periods_of(obs: pd.DataFrame) -> tuple[str, ...]:
    """The periods a frame of observations is about (for the write door's request)."""
    return tuple(sorted(obs["period"].astype(str).unique())) if "period" in obs.columns else ()


def plan(cur, rubric: Rubric, obs: pd.DataFrame) -> ImportPlan:
    """Validate ``obs`` with the stored facts of the same periods and say what importing would change."""
    obs = obs.reset_index(drop=True).copy()
    for col in ("group", "ref", "note"):
        if col not in obs.columns:
            obs[col] = ""
    if "line" not in obs.columns:
        obs["line"] = csv_line_labels(len(obs)).to_numpy()
    empty_units = pd.DataFrame(columns=["period", "entity", "group", "status"])
    if obs.empty:
        return ImportPlan(obs, [Problem("文件 file", "没有任何观测数据行 (no observation rows)")], empty_units)
    units = obs[["period", "entity", "group"]].drop_duplicates(["period", "entity"]).reset_index(drop=True)
    cur.register("incoming_units", units)
    cur.register("wanted_periods", pd.DataFrame({"period": sorted(units["period"].unique())}))
    others = facts.of_other_units(cur, rubric.id)
    others = fill_stored_lines(others.drop(columns="line", errors="ignore"))
    merged = pd.concat([obs.assign(_incoming=True), others.assign(_incoming=False)], ignore_index=True)
    clean, problems = scorer.validate_rows(merged, rubric)
    problems = [p for p in problems if p.severity == "error" or not p.where.startswith(STORED_LINE)]
    look_alikes = lookalike_problems(obs["entity"], obs["line"], facts.known_units(cur, rubric.id))
    problems = in_file_order(problems + look_alikes)
    locked, reopened = publishing.period_states(cur, rubric.id, sorted(units["period"].unique()))
    if errors_only(problems):
        return ImportPlan(obs, problems, units.assign(status="invalid"), locked, reopened)
    rows = clean[clean["_incoming"].astype(bool)][OBS_COLUMNS].reset_index(drop=True)
    return ImportPlan(rows, problems, pair_status(rows, facts.of_incoming_units(cur, rubric.id)), locked, reopened,
                      clean.drop(columns=["_incoming"]))


def import_observations(cur, rubric: Rubric, obs: pd.DataFrame, *, who: str, source: str, is_demo: bool = False,
                        rubric_ref: str | Path | None = None, why: str = "") -> Written:
    """Write command: validate and import; replaces the facts of the (period, entity) pairs present.

    Raises :class:`InputError` if the rows have errors, :class:`RefusedError` if a period is published and
    locked (or reopened and ``why`` is empty) or if the rubric file differs from the stored one under the same
    version. Its value is ``(batch id, plan)``; the batch id is None when every unit's facts are already stored
    exactly so (nothing changes; audited as "no change"). A higher rubric version is stored and every
    unpublished period is rescored with it (see :func:`queries.store.rubric_versions.adopt`).
    """
    found = plan(cur, rubric, obs)
    if found.locked:
        raise LockedError("\n".join(publishing.locked_message(p, "导入") for p in found.locked))
    workflow.refuse_in_review(cur, rubric.id, found.periods, "导入")
    if found.errors:
        raise InputError(found.problems)
    publishing.require_reason(why, bool(found.reopened), f"导入已发布后重新打开的期间（{'、'.join(found.reopened)}）")
    stale, adopted = rubric_versions.adopt(cur, rubric, rubric_ref, why)  # periods to rescore
    changed = found.units[found.units["status"] != "same"]
    audit = [adopted] if adopted else []
    batch_id = None
    if changed.empty:
        audit.append(AuditEntry("import", rubric.id, found.units,
                                {"source": source, "rows": len(found.rows), "units": len(found.units),
                                 "no_change": True}, why))
    else:
        batch_id, entry = _write_batch(cur, rubric, found, changed, kind="import", who=who, source=source, why=why,
                                       is_demo=is_demo)
        audit.append(entry)
    rest = [p for p in stale if p not in set(changed["period"])]
    if rest:
        scorer.rescore_in(cur, rubric, rest)
    return Written((batch_id, found), tuple(audit))


def next_batch_id(cur) -> int:
    return int(SQL.next_batch_id(cur))


def record_batch(cur, batch_id: int, scheme: str, *, kind: str, source: str, who: str, n_rows: int,
                 is_demo: bool = False, why: str = "") -> None:
    """Record one change batch (kind ``import``, ``edit`` or ``bulk``)."""
    SQL.insert_batch(cur, batch_id=batch_id, scheme=scheme, source=source, who=who, n_rows=n_rows, is_demo=is_demo,
                     kind=kind, why=why or "")


def _write_batch(cur, rubric: Rubric, found: ImportPlan, changed: pd.DataFrame, *, kind: str, who: str,
                 source: str, why: str, is_demo: bool = False) -> tuple[int, AuditEntry]:
    """Replace the facts of the ``changed`` pairs by ``found.rows``, keeping the replaced rows; rescore the periods
    from the rows the plan validated (validated once: never fetched and validated again)."""
    keys = changed[["period", "entity"]]
    rows = found.rows.merge(keys, on=["period", "entity"], how="inner")
    cur.register("incoming_units", changed[["period", "entity", "group"]])
    before = facts.of_incoming_units(cur, rubric.id)
    batch_id = next_batch_id(cur)
    SQL.save_replaced(cur, scheme=rubric.id, batch_id=batch_id)
    SQL.insert_batch_units(cur, scheme=rubric.id, batch_id=batch_id)
    SQL.delete_unit_periods(cur, scheme=rubric.id)
    cur.register("incoming", rows[OBS_COLUMNS])
    SQL.insert_observations(cur, scheme=rubric.id, batch_id=batch_id)
    SQL.upsert_entities(cur, scheme=rubric.id, kind=rubric.entity_kind, is_demo=is_demo)
    record_batch(cur, batch_id, rubric.id, kind=kind, source=source, who=who, n_rows=len(rows), is_demo=is_demo,
                 why=why)
    periods = sorted(changed["period"].unique())
    detail = {"batch_id": batch_id, "source": source, "rows": len(rows), "units": len(changed),
              "units_unchanged": found.count("same"), "periods": periods, **row_changes(before, rows)}
    for period, scored in scorer.score_clean(cur, rubric, found.clean, periods).items():
        results.replace_period(cur, rubric, period, scored)
    return batch_id, AuditEntry(kind, rubric.id, keys, detail, why)


def edit_rows(facts_table: pd.DataFrame) -> pd.DataFrame:
    """The table editor's rows as observations (indicator, item, value, ref, note; blank rows dropped),
    each named by its editor row ("修改表第N行")."""
    obs = facts_table.reindex(columns=EDIT_COLUMNS).fillna("").astype(str)
    obs = obs.apply(lambda c: c.str.strip())
    obs["line"] = [EDIT_LINE.format(n=i + 1) for i in range(len(obs))]
    return obs[(obs[EDIT_COLUMNS] != "").any(axis=1)].reset_index(drop=True)


def edit_unit(cur, scheme: str, period: str, entity: str, facts_table: pd.DataFrame, *, who: str,
              why: str = "", objection: int | None = None) -> Written:
    """Write command: replace one unit's facts for a period (columns indicator, item, value, ref, note).

    Validated with the whole period (every problem at once, rows named "修改表第N行"); audited with
    before/after values; undoable. Refused for a locked period; a reopened one needs ``why``; a period in 公示
    only through an accepted objection (``objection``: its id, named in the batch). Its value is the batch id,
    or None (nothing written) if the facts are unchanged.
    """
    rubric = rubric_versions.current(cur, scheme)
    obs = edit_rows(facts_table)
    reopened = publishing.refuse_if_locked(cur, scheme, [period], "修改")
    if objection is None:
        workflow.refuse_in_review(cur, scheme, [period], "修改")
    publishing.require_reason(why, bool(reopened), f"修改已发布后重新打开的期间 {period}")
    if obs.empty:
        raise RefusedError(f"修改后 {entity} 在 {period} 没有任何数据；如需删除该单位，请撤销导入 (no facts left)")
    current = facts.of_unit(cur, scheme, period, entity)
    obs.insert(0, "period", period)
    obs.insert(1, "entity", entity)
    obs.insert(2, "group", current["group"].iloc[0] if len(current) else "")
    found = plan(cur, rubric, obs)
    if found.errors:
        raise InputError(found.problems)
    changed = found.units[found.units["status"] != "same"]
    if changed.empty:
        return Written(None)
    source = f"{entity} {period}" + (f"（采纳异议 #{objection}）" if objection is not None else "")
    batch_id, entry = _write_batch(cur, rubric, found, changed, kind="edit", who=who, source=source, why=why)
    if objection is not None:
        entry.detail["objection_id"] = objection
    return Written(batch_id, (entry,))


def last_change(cur, scheme: str, period: str) -> dict | None:
    """The latest change batch of a period not undone yet (batch id, kind, source, who, ts, why, n_units)."""
    return SQL.last_change(cur, scheme=scheme, period=period)


def undo_last(cur, scheme: str, period: str, *, why: str = "") -> Written:
    """Write command: revert the latest import or edit of a period; its units get back exactly the facts they had.

    Its value is ``{"batch_id", "kind", "source", "who", "units"}`` of the reverted batch. Refused for a
    locked period or when there is nothing left to undo.
    """
    rubric = rubric_versions.current(cur, scheme)
    reopened = publishing.refuse_if_locked(cur, scheme, [period], "撤销")
    workflow.refuse_in_review(cur, scheme, [period], "撤销")
    publishing.require_reason(why, bool(reopened), f"撤销已发布后重新打开的期间 {period} 的数据")
    batch = last_change(cur, scheme, period)
    if batch is None:
        raise RefusedError(f"{period} 没有可以撤销的导入或修改 (nothing to undo)")
    batch_id = int(batch["batch_id"])
    before = SQL.batch_period_observations(cur, scheme=scheme, period=period, batch_id=batch_id)
    after = SQL.replaced_period_observations(cur, batch_id=batch_id, period=period)
    SQL.undo_batch_period(cur, scheme=scheme, period=period, batch_id=batch_id)
    SQL.prune_entities(cur, scheme=scheme, batch_id=batch_id)
    scorer.rescore_in(cur, rubric, [period])
    units = sorted(set(before["entity"]) | set(after["entity"]))
    info = {"batch_id": batch_id, "kind": str(batch["kind"]), "source": str(batch["source"]),
            "who": str(batch["who"]), "units": len(units)}
    entry = AuditEntry("undo", scheme, pd.DataFrame({"period": period, "entity": units or [""]}),
                       {**info, "period": period, **row_changes(before, after)}, why)
    return Written(info, (entry,))
