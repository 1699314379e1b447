"""Reading the stored facts (observation rows): which periods hold facts, one unit's rows, the stored rows an
import is validated with, and a period's or a group's rows for scoring (fetched through Arrow: several times
faster than DuckDB's ``.df()`` for millions of text cells).

Every function takes a cursor, so a write command reads inside its own transaction.
"""
from __future__ import annotations

import pandas as pd
import pyarrow as pa

from queries.statements import beside

SQL = beside(__file__)


def periods(cur, scheme: str) -> list[str]:
    """Periods with stored facts, newest first (text order; read models put them in time order)."""
    return list(SQL.fact_periods(cur, scheme=scheme)["period"])


def of_unit(cur, scheme: str, period: str, entity: str) -> pd.DataFrame:
    """One unit's stored rows in a period: period, entity, indicator, item, value, ref, note, group."""
    return SQL.observations_of(cur, scheme=scheme, period=period, entity=entity)


def of_incoming_units(cur, scheme: str) -> pd.DataFrame:
    """The stored rows (with line and batch id) of the (period, entity) pairs in the view ``incoming_units``."""
    return SQL.unit_observations(cur, scheme=scheme)


def of_other_units(cur, scheme: str) -> pd.DataFrame:
    """The stored rows of the periods in the view ``wanted_periods`` whose units are not in ``incoming_units``."""
    return SQL.other_units_observations(cur, scheme=scheme)


def table_of_period(cur, scheme: str, period: str) -> pa.Table:
    """Every stored row of a period, to score it (interchange columns, ``group`` and ``line``), as an Arrow table:
    what a scoring worker process receives (no pandas in this process)."""
    return SQL.period_observations.table(cur, scheme=scheme, period=period)


def of_group(cur, scheme: str, period: str, grp: str) -> pd.DataFrame:
    """Every stored row of one group in a period, to score that group alone."""
    return SQL.group_observations.arrow(cur, scheme=scheme, period=period, grp=grp)


def known_units(cur, scheme: str) -> list[str]:
    """The units a scheme already has (an incoming name that only looks like one of them is an error)."""
    return list(SQL.known_units(cur, scheme=scheme)["entity"])


def count_of_periods(cur, scheme: str, periods: list[str]) -> int:
    """How many facts the periods hold (whether scoring them in worker processes pays off)."""
    cur.register("wanted_periods", pd.DataFrame({"period": list(periods)}))
    try:
        return int(SQL.count_of_periods(cur, scheme=scheme) or 0)
    finally:
        cur.unregister("wanted_periods")
