"""What a change does to the stored facts: which (period, entity) pairs it changes, and row by row how.

Pure pandas, no database: the store hands in the rows before and after, these functions say which units
differ (so an identical re-import changes nothing) and describe the difference for the audit trail
(rows added, changed and removed, with before/after values).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

PAIR = ["period", "entity"]
FACT = ["group", "indicator", "item", "value", "ref", "note"]
ROW_KEY = ["period", "entity", "indicator", "item", "ref"]
CHANGES_LISTED = 500  # audit detail lists at most this many row changes (the counts are always complete)


def _facts(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.reindex(columns=PAIR + FACT).fillna("").astype(str)
    return out.reset_index(drop=True)


def pair_signatures(frame: pd.DataFrame) -> pd.DataFrame:
    """Per (period, entity): row count and an order-independent hash of its facts (sum of 64-bit row hashes).

    Equal sets of facts give equal signatures; different ones collide with probability about 2⁻⁶⁴.
    """
    facts = _facts(frame)
    hashed = pd.util.hash_pandas_object(facts[FACT], index=False).to_numpy(dtype="uint64")
    keyed = facts[PAIR].assign(h=hashed, n=1)
    with np.errstate(over="ignore"):
        sig = keyed.groupby(PAIR, sort=False).agg(h=("h", "sum"), n=("n", "sum")).reset_index()
    sig["h"] = [f"{int(h):016x}" for h in sig["h"]]  # text: a merge that adds NaN never rounds it to float
    return sig


def pair_status(incoming: pd.DataFrame, stored: pd.DataFrame) -> pd.DataFrame:
    """For each (period, entity) of ``incoming``: its group and ``status`` new / changed / same versus ``stored``."""
    units = incoming[["period", "entity", "group"]].drop_duplicates(PAIR).reset_index(drop=True)
    new_sig = pair_signatures(incoming)
    old_sig = pair_signatures(stored)
    m = units.merge(new_sig, on=PAIR, how="left").merge(old_sig, on=PAIR, how="left", suffixes=("_new", "_old"))
    same = (m["h_new"] == m["h_old"]) & (m["n_new"] == m["n_old"])
    status = np.where(m["n_old"].isna(), "new", np.where(same, "same", "changed"))
    return m[["period", "entity", "group"]].assign(status=status)


def _numbered(frame: pd.DataFrame) -> pd.DataFrame:
    """Facts with an occurrence number per row key, so repeated event rows pair up one by one."""
    facts = _facts(frame).sort_values(ROW_KEY + ["value", "note"], kind="stable")
    facts["occ"] = facts.groupby(ROW_KEY, sort=False).cumcount()
    return facts


def row_changes(before: pd.DataFrame, after: pd.DataFrame, limit: int = CHANGES_LISTED) -> dict:
    """Rows added, changed and removed between two sets of facts, for the audit detail (JSON-ready).

    Returns ``{"added": n, "changed": n, "removed": n, "changes": [...], "not_listed": n}``; each listed
    change names period, entity, indicator, item, ref and the value ``before``/``after`` (None when the row
    does not exist on that side; ``note_before``/``note_after`` when the note changed too).
    """
    keys = ROW_KEY + ["occ"]
    m = _numbered(before).merge(_numbered(after), on=keys, how="outer", suffixes=("_b", "_a"), indicator="side")
    m = m.sort_values(keys, kind="stable").reset_index(drop=True)
    removed = m["side"] == "left_only"
    added = m["side"] == "right_only"
    both = m["side"] == "both"
    differs = both & ((m["value_b"] != m["value_a"]) | (m["note_b"] != m["note_a"]) | (m["group_b"] != m["group_a"]))
    listed = m[removed | added | differs]
    changes = []
    for row in listed.head(limit).itertuples(index=False):
        entry = {"period": row.period, "entity": row.entity, "indicator": row.indicator, "item": row.item,
                 "ref": row.ref,
                 "before": None if row.side == "right_only" else row.value_b,
                 "after": None if row.side == "left_only" else row.value_a}
        if row.side == "both" and row.note_b != row.note_a:
            entry.update(note_before=row.note_b, note_after=row.note_a)
        changes.append(entry)
    return {"added": int(added.sum()), "changed": int(differs.sum()), "removed": int(removed.sum()),
            "changes": changes, "not_listed": max(0, len(listed) - limit)}
