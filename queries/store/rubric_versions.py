"""Stored rubrics and their versions: the rubric file a scheme is scored with lives in the store.

DESIGN: "Versioned: a rubric edit never silently rescores a published period." So when an import brings a
rubric file for a scheme that already has one (:func:`adopt`):
- the same rubric: nothing happens (an import through the dashboard scores with the stored rubric);
- a different file under the same (or a lower) ``version``: refused, nothing written ("改了细则请提高 version");
- a higher ``version``: stored, audited (action ``rubric_change``: old and new version, the periods rescored
  and the published periods kept), and every period that was never published is rescored with it by the
  caller (:func:`adopt` returns those periods and the audit entry for the write door). Published periods
  (locked or reopened) keep their results and their published table; :func:`queries.publication.publication_diff`
  shows what the new rubric would change there.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from queries.statements import beside
from queries.store import facts
from queries.store.door import AuditEntry
from queries.store.errors import RefusedError
from scoring.rubric import Rubric, load_rubric, parse_rubric, resolve_rubric_path

SQL = beside(__file__)


@lru_cache(maxsize=32)
def parse_stored(text: str, scheme: str) -> Rubric:
    """Parse a stored rubric file once per text (rubrics are frozen; read models ask for it many times)."""
    return parse_rubric(yaml.safe_load(text), f"store:{scheme}")


def current(cur, scheme: str) -> Rubric:
    """The rubric a scheme is scored with (stored at its first import), else the preset of that id."""
    text = SQL.rubric_yaml(cur, scheme=scheme)
    return parse_stored(text, scheme) if text is not None else load_rubric(scheme)


def version_refusal(scheme: str, stored: int, incoming: int) -> str:
    """Why a rubric file that differs from the stored one cannot replace it (Chinese with English terms)."""
    if incoming == stored:
        return (f"细则 {scheme} 与库中已存的细则内容不同，但版本号相同（version {stored}）：改了细则请提高 version"
                f"（例如改为 {stored + 1}）后再导入；已发布期间的结果不会被改写 "
                f"(the rubric differs from the stored one but has the same version; "
                f"raise `version` when you change it)")
    return (f"细则 {scheme} 的 version {incoming} 低于库中已存的 version {stored}，不能用旧版细则导入 "
            f"(the rubric is older than the stored one)")


def adopt(cur, rubric: Rubric, ref: str | Path | None, why: str = "") -> tuple[list[str], AuditEntry | None]:
    """Store the rubric file an import scores with (``ref``, else the preset of that id), inside ``cur``'s
    transaction. Returns the periods with facts the caller must rescore with ``rubric`` (none unless the
    stored rubric was replaced by a higher version) and the audit entry of that change (action
    ``rubric_change``), if any.

    Raises :class:`RefusedError` (nothing written) for a different file under the same or a lower version.
    """
    text = SQL.rubric_yaml(cur, scheme=rubric.id)
    stored = parse_stored(text, rubric.id) if text is not None else None
    if stored == rubric:
        return [], None
    text = resolve_rubric_path(ref if ref is not None else rubric.id).read_text(encoding="utf-8")
    if stored is not None and parse_rubric(yaml.safe_load(text), str(ref or rubric.id)) == stored:
        return [], None  # the stored file (``rubric`` was built in code from it): keep what is stored
    if stored is not None and rubric.version <= stored.version:
        raise RefusedError(version_refusal(rubric.id, stored.version, rubric.version))
    SQL.save_rubric(cur, scheme=rubric.id, version=rubric.version, yaml=text)
    register(cur, rubric, text)
    if stored is None:
        return [], None
    with_facts = sorted(facts.periods(cur, rubric.id))
    published = set(SQL.published_periods(cur, scheme=rubric.id)["period"])
    rescored = [p for p in with_facts if p not in published]
    entry = AuditEntry("rubric_change", rubric.id, pd.DataFrame({"period": with_facts or [""], "entity": ""}),
                       {"old_version": stored.version, "new_version": rubric.version, "rescored": rescored,
                        "published_kept": [p for p in with_facts if p in published]}, why)
    return rescored, entry


def register(cur, rubric: Rubric, text: str | None = None) -> None:
    """Make sure a rubric version is kept with its indicators (results name the version they were scored with,
    and the results view joins its indicators). ``text``: the version's file, when known (else the stored file of
    the scheme if it is that version). Reads first: every scoring write calls it, and the version is usually kept."""
    if (SQL.version_yaml(cur, scheme=rubric.id, version=rubric.version) is not None
            and SQL.has_version_indicators(cur, scheme=rubric.id, version=rubric.version)):
        return  # kept with its file and its indicators: nothing to add
    if text is None:
        stored = SQL.rubric_yaml(cur, scheme=rubric.id)
        text = stored if stored is not None and parse_stored(stored, rubric.id).version == rubric.version else None
    SQL.save_version(cur, scheme=rubric.id, version=rubric.version, yaml=text)
    if SQL.has_version_indicators(cur, scheme=rubric.id, version=rubric.version):
        return
    rows = pd.DataFrame([{"ord": k, "indicator": i.code, "name": i.name, "category": i.category, "kind": i.kind,
                          "max": float(i.rule.max_points(i))} for k, i in enumerate(rubric.indicators)])
    cur.register("version_indicators", rows)
    SQL.save_version_indicators(cur, scheme=rubric.id, version=rubric.version)
    cur.unregister("version_indicators")


def of_period(cur, scheme: str, period: str) -> Rubric:
    """The rubric a period's results were scored with (its version's file), else the scheme's current rubric."""
    version = SQL.period_version(cur, scheme=scheme, period=period)
    if version is not None:
        text = SQL.version_yaml(cur, scheme=scheme, version=int(version))
        if text is not None:
            return parse_stored(text, scheme)
    return current(cur, scheme)
