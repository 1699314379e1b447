"""Which units a change touches and, row by row, how (the audit trail's before/after values)."""
from __future__ import annotations

import pandas as pd

from queries.changes import pair_status, row_changes


def rows(*facts) -> pd.DataFrame:
    return pd.DataFrame([dict(zip(["period", "entity", "indicator", "item", "value", "ref", "note"], f), group="")
                         for f in facts])


BEFORE = rows(("2022Q2", "A镇", "5.1", "问题次数", "0", "", ""),
              ("2022Q2", "A镇", "8.1", "省级", "1", "", ""),
              ("2022Q2", "A镇", "8.1", "省级", "1", "", ""),
              ("2022Q2", "B镇", "5.1", "问题次数", "2", "", ""))


def test_pair_status_ignores_row_order():
    after = pd.concat([BEFORE.iloc[::-1], rows(("2022Q2", "C镇", "5.1", "问题次数", "1", "", ""))])
    after.loc[after["entity"] == "B镇", "value"] = "3"
    assert pair_status(after, BEFORE).values.tolist() == [
        ["2022Q2", "B镇", "", "changed"], ["2022Q2", "A镇", "", "same"], ["2022Q2", "C镇", "", "new"]]


def test_repeated_event_rows_pair_up_one_by_one():
    after = rows(("2022Q2", "A镇", "5.1", "问题次数", "0", "", "复核"),
                 ("2022Q2", "A镇", "8.1", "省级", "1", "", ""),
                 ("2022Q2", "A镇", "8.4", "市级通报", "1", "", ""))
    assert row_changes(BEFORE[BEFORE["entity"] == "A镇"], after) == {
        "added": 1, "changed": 1, "removed": 1, "not_listed": 0, "changes": [
            {"period": "2022Q2", "entity": "A镇", "indicator": "5.1", "item": "问题次数", "ref": "", "before": "0",
             "after": "0", "note_before": "", "note_after": "复核"},
            {"period": "2022Q2", "entity": "A镇", "indicator": "8.1", "item": "省级", "ref": "", "before": "1",
             "after": None},
            {"period": "2022Q2", "entity": "A镇", "indicator": "8.4", "item": "市级通报", "ref": "", "before": None,
             "after": "1"},
        ]}


def test_long_change_lists_are_cut_but_counted():
    after = BEFORE.assign(value="9")
    got = row_changes(BEFORE, after, limit=2)
    assert (got["changed"], len(got["changes"]), got["not_listed"]) == (4, 2, 2)
