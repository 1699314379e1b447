"""Helpers for the store tests: small valid quarters, store snapshots, XLSX bytes from rows, test-only SQL."""
from __future__ import annotations

import io

import duckdb
import pandas as pd
from openpyxl import Workbook

from queries.data_views import unit_facts
from queries.statements import beside
from queries.unit import stored_facts
from tests.conftest import HEADER, frame, unit

SQL = beside(__file__)  # statements only the tests run (tests/queries/helpers.sql)
ENTITIES = ("A镇", "B镇", "C镇")
SCHEME = "zichuan-2022"


def quarter(period: str = "2022Q2", changes: dict | None = None, entities=ENTITIES) -> pd.DataFrame:
    """A valid quarter: every unit at full marks except a distinct showcase score (no ties), plus ``changes``
    ({entity: {(indicator, item): value}})."""
    rows = []
    for n, e in enumerate(entities):
        mine = {("showcase", ""): str(100 - 5 * n), **(changes or {}).get(e, {})}
        rows += unit(e, mine, period=period)
    return frame(rows)


def snapshot(source, skip: tuple[str, ...] = (), views: bool = True) -> dict[str, list[tuple]]:
    """Every table (and view, unless ``views=False``) of a store as sorted row tuples; ``source`` is an open Store
    or a file (opened read-only)."""
    own = isinstance(source, str)
    con = duckdb.connect(source, read_only=True) if own else source.con.cursor()
    try:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "AND (? OR table_type = 'BASE TABLE') ORDER BY 1", [views]).fetchall()]
        return {t: sorted(con.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables if t not in skip}
    finally:
        con.close()


def xlsx_bytes(rows: list[dict], header: list[str] | None = None, sheet: str = "数据",
               numbers: bool = True) -> bytes:
    """The rows as a one-sheet workbook; ``value`` cells that parse as numbers are written as numbers."""
    header = header or HEADER
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header)
    for r in rows:
        cells = []
        for c in header:
            v = str(r.get(c, ""))
            if c == "value" and numbers:
                try:
                    v = float(v) if v.strip() else None
                    v = int(v) if v is not None and v.is_integer() else v
                except ValueError:
                    pass
            cells.append(v if v != "" else None)
        ws.append(cells)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def set_fact(store, **where) -> None:
    """Change one stored fact's value behind the store's back (``scheme, period, entity, indicator, item, value``)."""
    with store.reading() as cur:
        SQL.set_fact_value(cur, **where)


def facts(store, period: str, entity: str) -> list[tuple]:
    """One unit's stored (indicator, item, value) rows in a period, sorted."""
    rows = stored_facts(store, SCHEME, period, entity)
    return sorted(rows[["indicator", "item", "value"]].itertuples(index=False, name=None))


def unit_table(store, entity: str = "A镇", period: str = "2022Q2") -> pd.DataFrame:
    """One unit's facts as the table editor shows them."""
    return unit_facts(store, SCHEME, period, entity)
