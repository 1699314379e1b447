"""Fixtures of the page tests: stores, an AppTest of the app on a store, and the bytes behind download buttons.

Page modules live in ``dashboard/views/`` (never ``pages/``, which would put Streamlit in its old multipage
mode), so every AppTest run goes through app.py's st.navigation and sidebar, as in the browser.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from queries.store import Store, accounts
from tests.demo_stores import copy_store, demo_template, small_store

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
MY_PAGES = ["league", "town", "trends", "selection", "rubric"]
ALL_PAGES = MY_PAGES + ["data", "audit"]  # the pages of a Zichuan store (no phases, no payout: not offered)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> str:
    """A copy of the demo store that page tests only read."""
    template = demo_template(tmp_path_factory)
    return str(copy_store(template, tmp_path_factory.mktemp("demo-read") / "demo.duckdb"))


@pytest.fixture
def demo_db_writable(tmp_path_factory, tmp_path) -> str:
    """A private copy of the demo store for a test that writes (a decision)."""
    return str(copy_store(demo_template(tmp_path_factory), tmp_path / "demo-write.duckdb"))


@pytest.fixture(scope="session")
def small_db(tmp_path_factory) -> str:
    return str(small_store(tmp_path_factory.mktemp("small-pages") / "small.duckdb"))


class RecordingStorage(MemoryMediaFileStorage):
    """The AppTest media storage, remembered so tests can read what a download button would serve."""

    last: "RecordingStorage | None" = None

    def __init__(self, endpoint: str):
        super().__init__(endpoint)
        RecordingStorage.last = self


PASSWORD = "test-pass-2024"  # the password of every test account (set as FLAGBOARD_PASSWORD would be)
OFFICE = "办公室"


def ensure_account(db: str, name: str = OFFICE, role: str = "office", units: tuple = ()) -> None:
    """An account in the store for a page test, with :data:`PASSWORD` (made as the store's administrator; it need
    not change its password). The page's own connection shares the database instance in this process."""
    with Store(db) as store:
        if accounts.account(store, name) is None:
            accounts.add(store, "测试管理员", name, role, units, PASSWORD, must_change=False)


def sign_in(at: AppTest, name: str = OFFICE, password: str = PASSWORD) -> AppTest:
    """Sign in through the page's form: 用户名, 密码, 登录."""
    at.text_input(key="login_name").set_value(name)
    at.text_input(key="login_password").set_value(password)
    next(b for b in at.button if b.label == "登录").click()
    return at.run()


def open_signed_in(db: str, name: str = OFFICE, role: str = "office", units: tuple = ()) -> AppTest:
    """An AppTest of dashboard/app.py on ``db`` (FLAGBOARD_DB set by the caller), signed in as ``name``."""
    ensure_account(db, name, role, units)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert [t.value for t in at.title] == ["红旗榜 Flagboard · 登录"]
    sign_in(at, name)
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.fixture
def app(monkeypatch):
    """``app(db)`` → an AppTest of dashboard/app.py on the store file ``db``, signed in (as the office unless
    ``name``/``role``/``units`` say otherwise) through the sign-in form."""
    monkeypatch.setattr("streamlit.testing.v1.app_test.MemoryMediaFileStorage", RecordingStorage)

    def open_app(db: str, name: str = OFFICE, role: str = "office", units: tuple = ()) -> AppTest:
        monkeypatch.setenv("FLAGBOARD_DB", db)
        return open_signed_in(db, name, role, units)

    return open_app


def download_bytes(at: AppTest, key: str) -> bytes:
    """The bytes a download button (by key) serves."""
    url = at.download_button(key=key).proto.url
    return RecordingStorage.last.get_file(url.rsplit("/", 1)[1]).content


_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def unescaped(markdown: str) -> str:
    """A Markdown source with CommonMark backslash escapes removed: user text as the page shows it (pages escape
    user text with ``dashboard.plain.plain``; our own ``**`` markers stay)."""
    return _ESCAPED.sub(r"\1", markdown)
def download_name(at: AppTest, key: str) -> str:
    """The file name a download button (by key) offers."""
    url = at.download_button(key=key).proto.url
    return RecordingStorage.last.get_file(url.rsplit("/", 1)[1]).filename


def page_text(at: AppTest) -> str:
    """Every text element of the page (for 'is this said somewhere' checks), escapes removed."""
    kinds = ("title", "caption", "markdown", "info", "warning", "error", "success", "subheader", "code")
    return "\n".join(unescaped(str(el.value)) for kind in kinds for el in getattr(at, kind))


def table(at: AppTest, *columns: str):
    """The first shown dataframe that has all ``columns`` (plain dataframes carry no key in AppTest)."""
    for element in at.dataframe:
        value = element.value
        if all(c in value.columns for c in columns):
            return value
    raise AssertionError(f"no dataframe with columns {columns}")


def plotly_spec(at: AppTest, index: int = 0) -> dict:
    """A shown Plotly chart's figure JSON, with typed arrays ({dtype, bdata}) decoded to lists."""
    import base64
    import json

    import numpy as np

    def decode(node):
        if isinstance(node, dict):
            if set(node) >= {"dtype", "bdata"}:
                values = np.frombuffer(base64.b64decode(node["bdata"]), dtype=node["dtype"])
                if "shape" in node:
                    values = values.reshape([int(n) for n in str(node["shape"]).split(",")])
                return values.tolist()
            return {k: decode(v) for k, v in node.items()}
        if isinstance(node, list):
            return [decode(v) for v in node]
        return node

    return decode(json.loads(at.get("plotly_chart")[index].proto.spec))
