"""The real-browser test: ``streamlit run dashboard/app.py`` on the demo store, driven by headless Debian Chromium.

Signs in through the 用户名/密码/登录 form as the office and as a town (洪山镇, with 2023Q4 in 公示). As the office: the league
table (13 rows, the 红旗), the CJK font available to the page, the town page's lost-points chart, and uploading the
sparse XLSX bomb on the data page is a message while the server goes on answering. As the town: only its pages in the
menu, its own unit's detail, the period in 公示. Without /usr/bin/chromium the test is skipped — except in CI (``CI``
set), where it fails. Set ``FLAGBOARD_SHOTS=/some/dir`` to keep a screenshot of each page (never written into the
repo).
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

import pytest

from queries.store import Store, workflow
from tests.dashboard.conftest import OFFICE, PASSWORD, ensure_account
from tests.demo_stores import copy_store, demo_template
from tests.hostile_files import sparse_bomb

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
GRID = '[data-testid="stDataFrame"]'
LEAGUE_READY = """() => [...document.querySelectorAll('[data-testid="stDataFrame"] table[role="grid"] thead th')]
    .some(th => th.innerText.trim() === '单位')
    && document.querySelectorAll('[data-testid="stDataFrame"] table[role="grid"] tbody tr').length === 13"""
TOWN, TOWN_ACCOUNT = "洪山镇", "hongshan"


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing: install Debian chromium and fonts-noto-cjk (see .ci/run)"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_chromium()
    db = copy_store(demo_template(tmp_path_factory), tmp_path_factory.mktemp("browser") / "demo.duckdb")
    with Store(db) as store:
        workflow.review(store, "王主任", "zichuan-2022", "2023Q4", until=date.today() + timedelta(days=6),
                        today=date.today())
    ensure_account(str(db))
    ensure_account(str(db), TOWN_ACCOUNT, "town", (("", TOWN),))
    port = free_port()
    log = open(tmp_path_factory.mktemp("browser-log") / "streamlit.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(port), "--server.address",
         "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        env={**os.environ, "FLAGBOARD_DB": str(db)}, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"streamlit did not start (see {log.name})")
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


@pytest.fixture(scope="module")
def page(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1800})
        yield page
        browser.close()


def sign_in(page, server: str, name: str, path: str = "/") -> None:
    """A new session (a page load is one) on ``path`` (a deep link keeps its query), signed in through the form:
    用户名, 密码, 登录."""
    page.goto(server + path)
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def settle(page) -> None:
    """Wait until the script run finished (the status widget is gone)."""
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=30_000)


def shot(page, name: str) -> None:
    folder = os.environ.get("FLAGBOARD_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_league_table_in_a_real_browser(page, server):
    sign_in(page, server, OFFICE)
    page.wait_for_selector(f"{GRID} canvas", timeout=60_000)
    settle(page)
    grid = page.locator(f'{GRID} table[role="grid"]').first
    page.wait_for_function(
        """() => document.querySelectorAll('[data-testid="stDataFrame"] table[role="grid"] tbody tr').length === 13""",
        timeout=30_000)
    assert grid.get_attribute("aria-rowcount") == "14"  # header + 13 towns
    assert "红旗" in grid.locator("tbody").inner_text()
    assert page.evaluate("""() => document.fonts.check('16px "Noto Sans CJK SC"')""") is True
    assert page.get_by_role("heading", name="季度榜单").is_visible()
    assert page.get_by_text("演示数据", exact=False).first.is_visible()
    shot(page, "league")


def test_town_page_draws_its_lost_points_chart(page, server):
    sign_in(page, server, OFFICE)
    page.wait_for_selector(f"{GRID} canvas", timeout=60_000)
    settle(page)
    page.locator('[data-testid="stSidebarNav"] a', has_text="镇街详情").click()
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    settle(page)
    page.wait_for_selector("text=失分分布（按类别与指标）", timeout=30_000)
    assert page.locator(".js-plotly-plot .barlayer .point").count() > 0
    assert page.get_by_role("heading", name="镇街详情", exact=False).first.is_visible()
    shot(page, "town")


def test_the_sparse_bomb_uploaded_in_a_real_browser_is_a_message_and_the_server_lives_on(page, server, tmp_path):
    """Before issue 12 this upload killed the server process (calamine asked for 512 GiB and aborted)."""
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(sparse_bomb())
    sign_in(page, server, OFFICE)
    page.wait_for_selector(f"{GRID} canvas", timeout=60_000)
    settle(page)
    page.locator('[data-testid="stSidebarNav"] a', has_text="数据管理").click()
    page.wait_for_selector('[data-testid="stFileUploaderDropzoneInput"]', state="attached", timeout=30_000)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bomb))
    page.wait_for_selector("text=文件检查：发现 1 处错误", timeout=60_000)
    settle(page)
    shot(page, "bomb")
    with urllib.request.urlopen(f"{server}/_stcore/health", timeout=10) as health:
        assert health.status == 200 and health.read() == b"ok"
    sign_in(page, server, OFFICE)  # and it still serves pages
    page.wait_for_function(
        """() => document.querySelectorAll('[data-testid="stDataFrame"] table[role="grid"] tbody tr').length === 13""",
        timeout=60_000)


def test_a_town_signs_in_and_sees_its_own_unit_in_review(page, server):
    page.goto(server + "/")
    page.get_by_role("button", name="登录").wait_for(timeout=60_000)
    assert page.locator(GRID).count() == 0 and page.get_by_text(TOWN).count() == 0  # nothing before sign-in
    sign_in(page, server, TOWN_ACCOUNT)
    page.wait_for_selector(f"{GRID} canvas", timeout=60_000)
    settle(page)
    menu = page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
    assert [m.split()[-1] for m in menu] == ["季度榜单", "镇街详情", "评分细则", "修改密码"]  # after the icon's name
    assert page.get_by_text("本期状态：公示中（至", exact=False).first.is_visible()
    page.locator('[data-testid="stSidebarNav"] a', has_text="镇街详情").click()
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    settle(page)
    assert page.get_by_role("heading", name=f"镇街详情 · {TOWN}").is_visible()
    page.get_by_role("button", name="提交异议").wait_for(timeout=60_000)  # drawn last, after the tabs
    assert page.get_by_role("button", name="提交异议").is_visible()
    shot(page, "town-account")


@pytest.mark.parametrize("ci, outcome", [(None, pytest.skip.Exception), ("true", pytest.fail.Exception)])
def test_missing_chromium_skips_locally_and_fails_in_ci(monkeypatch, tmp_path, ci, outcome):
    monkeypatch.setattr(sys.modules[__name__], "CHROMIUM", tmp_path / "no-chromium")
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="no-chromium is missing"):
        require_chromium()


def open_league(page, server) -> list[str]:
    """Open the 2023Q4 league (a link, signed in as the office) and wait for its 13 rows; returns the table's column
    headers."""
    sign_in(page, server, OFFICE, "/?scheme=zichuan-2022&period=2023Q4")
    page.wait_for_selector(f"{GRID} canvas", timeout=60_000)
    settle(page)
    page.wait_for_function(LEAGUE_READY, timeout=30_000)
    return [h.strip() for h in page.locator(f'{GRID} table[role="grid"] thead th').all_inner_texts()]


def test_clicking_anywhere_on_a_league_row_opens_that_unit(page, server):
    """A click on a row's cell (not its checkbox) opens the unit's detail page."""
    page.set_viewport_size({"width": 1400, "height": 1800})
    headers = open_league(page, server)
    row = page.locator(f'{GRID} table[role="grid"] tbody tr').nth(2)  # the third unit
    cells = [c.strip() for c in row.locator("td").all_inner_texts()]
    unit = cells[headers.index("单位") - (len(headers) - len(cells))]
    box = page.locator(f"{GRID} canvas").first.bounding_box()
    # the grid is drawn on a canvas: click the 总分 cell of the third row (header 35 px, rows 35 px)
    page.mouse.click(box["x"] + 330, box["y"] + 35 * 3 + 17)
    page.wait_for_selector(f"h1:has-text('镇街详情 · {unit}')", timeout=30_000)
    assert "unit=" in page.url  # the opened view is a link


def test_a_deep_link_opens_a_town_as_it_was_after_sign_in(page, server):
    link = "/town?scheme=zichuan-2022&period=2022Q3&unit=%E6%B4%AA%E5%B1%B1%E9%95%87"  # 洪山镇
    page.goto(server + link)
    page.get_by_role("button", name="登录").wait_for(timeout=60_000)
    assert page.locator(GRID).count() == 0  # the link shows nothing before sign-in
    sign_in(page, server, OFFICE, link)
    page.wait_for_selector("h1:has-text('镇街详情 · 洪山镇')", timeout=60_000)
    settle(page)
    assert page.get_by_text("2022年第3季度", exact=False).first.is_visible()
    page.get_by_role("tab", name="逐项对比").click()
    page.wait_for_selector("h3:has-text('与第一名和最后一个“好”逐项对比')", timeout=30_000)


def test_phone_width_shows_rank_unit_final_grade_first_and_cards_two_by_two(page, server):
    page.set_viewport_size({"width": 390, "height": 844})
    headers = open_league(page, server)
    assert [h for h in headers if h][:4] == ["名次", "单位", "总分", "等次"]
    cards = [page.locator(f".st-key-{key}").bounding_box() for key in ("card_flag", "card_graded", "card_cutoff",
                                                                        "card_gap")]
    assert cards[0]["y"] == cards[1]["y"] and cards[2]["y"] == cards[3]["y"] > cards[0]["y"]  # two by two
    assert all(c["x"] + c["width"] <= 390 for c in cards)
    # the finals chart: unit names are axis labels that fit inside the chart (nothing cut, nothing rotated)
    chart = page.locator(".js-plotly-plot").first.bounding_box()
    labels = page.locator(".js-plotly-plot .yaxislayer-above text")
    assert labels.count() == 13
    for n in range(labels.count()):
        box = labels.nth(n).bounding_box()
        assert box["x"] >= chart["x"] - 1
    shot(page, "league-390")
    page.set_viewport_size({"width": 1400, "height": 1800})
