"""Fixtures of the backup and restore tests: a store with a row in every kind of table, built once per session
and copied for each test (so each test may damage, back up or replace its own copy)."""
from __future__ import annotations

import pandas as pd
import pytest

from queries.data_views import unit_facts
from queries.store import Store
from tests.conftest import frame, unit
from tests.demo_stores import copy_store
from tests.queries.helpers import quarter

SCHEME = "zichuan-2022"


def make_full_store(db: str, zichuan) -> str:
    """Imports, an edit, an undo, a decision and a publication: audit rows 1–6, batches 1–3."""
    with Store(db) as store:
        store.import_observations(zichuan, pd.concat([quarter("2022Q2"), frame(unit("A镇", period="2022Q3") +
                                                                           unit("B镇", period="2022Q3"))]),
                                  who="张三", source="a.csv")
        table = unit_facts(store, SCHEME, "2022Q2", "B镇")
        table.loc[table["indicator"] == "5.1", "value"] = "2"
        store.edit_unit(SCHEME, "2022Q2", "B镇", table, who="李四", why="复核")
        store.import_observations(zichuan, quarter("2022Q4"), who="张三", source="q4.csv")
        store.undo_last(SCHEME, "2022Q4", who="张三")
        store.record_decision(SCHEME, "2022Q3", "", "A镇", "王主任", "办公会决定")
        store.publish(SCHEME, "2022Q2", who="王主任", why="第二季度通报")
    return db


@pytest.fixture(scope="session")
def full_store_template(tmp_path_factory, zichuan) -> str:
    return make_full_store(str(tmp_path_factory.mktemp("full-store") / "store.duckdb"), zichuan)


@pytest.fixture
def full_store(full_store_template, tmp_path) -> str:
    """A private copy of the full store: ``<tmp_path>/store.duckdb``."""
    return str(copy_store(full_store_template, tmp_path / "store.duckdb"))
