"""Fixtures of the store tests: a fresh store file per test."""
from __future__ import annotations

import pytest

from queries.store import Store
from tests.demo_stores import small_store


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "store.duckdb")


@pytest.fixture
def store(db):
    s = Store(db)
    yield s
    s.close()


@pytest.fixture(scope="session")
def small(tmp_path_factory):
    """The small constructed store (tests/demo_stores.py), read-only, shared by the read-model tests."""
    path = small_store(tmp_path_factory.mktemp("small") / "small.duckdb")
    with Store(path, read_only=True) as store:
        yield store
