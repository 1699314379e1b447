"""``flagboard serve``: every preset's 演示数据 and the first accounts on first start; SIGTERM stops the Streamlit child (which holds the
store's lock), and the child does not outlive a killed parent."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from cli.serve_cmd import first_accounts, seed_demo
from queries.league import schemes
from queries.store import Store, accounts
from scoring.rubric import preset_ids
from tests.conftest import flagboard_script
from tests.demo_stores import copy_store, demo_template


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry.name))
    return out


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_until(check, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def started(tmp_path_factory, tmp_path):
    """``flagboard serve`` on a copy of the demo store; yields (parent process, its Streamlit child's pid)."""
    db = copy_store(demo_template(tmp_path_factory), tmp_path / "demo.duckdb")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    parent = subprocess.Popen([flagboard_script(), "serve", "--db", str(db), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def healthy() -> bool:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
            return True
        except OSError:
            return False

    assert wait_until(healthy), "the dashboard did not start"
    child = children(parent.pid)
    assert len(child) == 1
    yield parent, child[0]
    for pid in (child[0], parent.pid):
        if alive(pid):
            os.kill(pid, signal.SIGKILL)
    parent.wait(timeout=10)


def test_sigterm_stops_the_streamlit_child(started):
    parent, child = started
    parent.send_signal(signal.SIGTERM)
    assert parent.wait(timeout=30) is not None
    assert wait_until(lambda: not alive(child), 15)


def test_the_child_does_not_outlive_a_killed_parent(started):
    parent, child = started
    parent.send_signal(signal.SIGKILL)
    parent.wait(timeout=10)
    assert wait_until(lambda: not alive(child), 15)


def test_first_start_seeds_every_preset_and_the_first_accounts(tmp_path, monkeypatch):
    db = str(tmp_path / "new.duckdb")
    seed_demo(db)
    with Store(db, read_only=True) as store:
        seeded = schemes(store)
    assert sorted(seeded["scheme"]) == preset_ids() and seeded["is_demo"].all()
    made = first_accounts(db)  # as on every first start (issue 11): the office, and the 演示 town and analyst
    assert [(name, what) for name, what, _ in made] == [
        ("office", "办公室 office（全部权限）"), ("demo-town", "演示 镇街 town：双杨镇"), ("demo-analyst", "演示 分析人员 analyst")]
    with Store(db, read_only=True) as store:  # the demo town is a town of the flagship, whatever sorts first
        assert accounts.account(store, "demo-town").units == (("zichuan-2022", "双杨镇"),)
