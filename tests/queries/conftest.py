"""Fixtures of the store tests: a fresh store file per test."""
from __future__ import annotations

import pytest

from queries.store import Store


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "store.duckdb")


@pytest.fixture
def store(db):
    s = Store(db)
    yield s
    s.close()
