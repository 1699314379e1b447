"""The office's decision on a pending (待定) award: recorded with who and why, audited, the period rescored
(the ranking then gives the award to the decided unit, see :mod:`scoring.ranking`)."""
from __future__ import annotations

from queries.statements import beside
from queries.store import publishing, rubric_versions, scorer
from queries.store.door import AuditEntry, Written
from queries.store.errors import RefusedError

SQL = beside(__file__)


def record_decision(cur, scheme: str, period: str, grp: str, entity: str, *, who: str, why: str) -> Written:
    """Write command: the award of ``grp`` in ``period`` goes to ``entity``; refused for a locked period."""
    if not who.strip() or not why.strip():
        raise RefusedError("决定必须填写决定人和理由 (who and why are required)")
    rubric = rubric_versions.current(cur, scheme)
    publishing.refuse_if_locked(cur, scheme, [period], "更改红旗决定")
    SQL.save_decision(cur, scheme=scheme, period=period, grp=grp, entity=entity, who=who, why=why)
    scorer.rescore_in(cur, rubric, [period])
    return Written(None, (AuditEntry.periods("award_decision", scheme, [period], {"group": grp, "award": entity},
                                             why, entity=entity),))
