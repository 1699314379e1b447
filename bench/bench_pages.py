"""Benchmark (not a test): each dashboard page's script time on the demo store, and each read model's time.

    python bench/bench_pages.py [--db DEMO.duckdb] [--runs 7]

Without ``--db`` a demo store is built in a temp dir (``flagboard demo``). Page times are AppTest runs of
dashboard/app.py with the page selected (app.py + page script, as in a browser session): "warm" = read models
cached (a user clicking around), "cold" = every cache cleared first (first view after a data change). Read-model
times call the ``queries`` functions directly, without Streamlit's cache. Each figure is the median of
``--runs`` runs. Target: every page under 300 ms on the demo store. Pages are read signed in as the office
(the account ``bench-office`` is added to the store if missing).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = ["league", "town", "trends", "selection", "scenarios", "rubric", "phases", "payout", "data", "audit"]
TARGET_MS = 300.0
BENCH_ACCOUNT = "bench-office"


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bench_pages(db: str, runs: int, period: str) -> list[tuple[str, float, float]]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    # clearing the cache between runs (outside a script run) logs "No runtime found" each time
    from streamlit.runtime.caching import cache_data_api

    cache_data_api._LOGGER.disabled = True
    os.environ["FLAGBOARD_DB"] = db
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120)
    at.run()
    sign_in_as_office(at, db)
    at.selectbox(key="period").select(period).run()
    rows = []
    for page in PAGES:
        try:
            at.switch_page(f"views/{page}.py")
        except ValueError:  # a page the scheme does not have (phases, payout for Zichuan) is not offered
            continue
        at.run()  # warm up imports and caches

        def cold():
            st.cache_data.clear()
            at.run()

        cold_ms = median_ms(cold, runs)
        warm_ms = median_ms(at.run, runs)
        if at.exception:
            raise SystemExit(f"page {page} failed: {[e.message for e in at.exception]}")
        rows.append((page, warm_ms, cold_ms))
    return rows


def sign_in_as_office(at, db: str) -> None:
    """Pages open only after sign-in: the bench's own office account (added to the store with a fresh password
    if missing), signed in through the form."""
    import secrets

    from queries.store import Request, Store, accounts

    password = secrets.token_urlsafe(12)
    with Store(db) as store:
        if accounts.account(store, BENCH_ACCOUNT) is None:
            accounts.add(store, "bench", BENCH_ACCOUNT, "office", (), password, must_change=False)
        else:
            store.write("bench", Request("account", account=BENCH_ACCOUNT), accounts.reset_password, BENCH_ACCOUNT,
                        password, must_change=False)
    at.text_input(key="login_name").set_value(BENCH_ACCOUNT)
    at.text_input(key="login_password").set_value(password)
    next(b for b in at.button if b.label == "登录").click()
    at.run()


def bench_read_models(db: str, runs: int, period: str) -> list[tuple[str, float]]:
    from queries import league as lg, selection as sm, trends as tm, unit as un
    from queries.robustness_view import robustness_view
    from queries.scenario_view import scenario_view, standard_scenarios
    from queries.whatif_view import scratch_facts, what_if_view
    from documents.notice import notice_xlsx
    from queries.rubric_models import rubric_tree
    from queries.store import Store

    store = Store(db, read_only=True)
    scheme = "zichuan-2022"
    unit = un.units_of(store, scheme, period, "")[-1]
    edited = scratch_facts(store, scheme, period, unit)
    edited.loc[edited.index[0], "数值"] = "标准型" if edited.loc[edited.index[0], "数值"] != "标准型" else "标杆型"
    calls = {
        "league_view": lambda: lg.league_view(store, scheme, period, ""),
        "unit_view": lambda: un.unit_view(store, scheme, period, unit, ""),
        "unit_history": lambda: un.unit_history(store, scheme, unit),
        "metric_long(final)": lambda: tm.metric_long(store, scheme, "final", ""),
        "metric_long(ind:2.3:lost)": lambda: tm.metric_long(store, scheme, "ind:2.3:lost", ""),
        "pivot(final)": lambda: tm.pivot(tm.metric_long(store, scheme, "final", "")),
        "category_means": lambda: tm.category_means(store, scheme, ""),
        "selection_view": lambda: sm.selection_view(store, scheme, period, ""),
        "robustness_view": lambda: robustness_view(store, scheme, period, ""),
        "scenario_view (5 scenarios)": lambda: scenario_view(store, scheme, period, "",
                                                             tuple(standard_scenarios(store.rubric(scheme)))),
        "what_if_view (one change)": lambda: what_if_view(store, scheme, period, unit, edited),
        "flag_history+streaks": lambda: sm.streaks(sm.flag_history(store, scheme, "")),
        "annual_view": lambda: sm.annual_view(store, scheme, ""),
        "notice_facts+xlsx": lambda: notice_xlsx(sm.notice_facts(store, scheme, period, "")),
        "rubric_tree": lambda: rubric_tree(store.rubric(scheme)),
        "store.rubric (YAML parse)": lambda: store.rubric(scheme),
        "sql data_version": lambda: store.data_version(),
        "sql rank_trail": lambda: store.read(lg.SQL.rank_trail, scheme=scheme, grp=""),
        "sql trend_indicators": lambda: tm.indicators(store, scheme),
        "league": lambda: lg.league(store, scheme, period),
    }
    rows = [(name, median_ms(fn, runs)) for name, fn in calls.items()]
    store.close()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="a demo store (default: build one in a temp dir)")
    parser.add_argument("--runs", type=int, default=7, help="runs per figure (median; at least 5)")
    parser.add_argument("--period", default="2022Q4", help="period to show (default: the demo's 待定 quarter)")
    args = parser.parse_args()
    runs = max(5, args.runs)
    tmp = None
    db = args.db
    if db is None:
        from cli.main import main as flagboard

        tmp = tempfile.TemporaryDirectory()
        db = str(Path(tmp.name) / "demo.duckdb")
        flagboard(["demo", "--db", db])
    print(f"store: {db}; median of {runs} runs; target < {TARGET_MS:.0f} ms per page (warm)\n")
    print(f"{'read model':<30}{'ms':>9}")
    for name, ms in bench_read_models(db, runs, args.period):
        print(f"{name:<30}{ms:>9.1f}")
    print(f"\n{'page (AppTest script time)':<30}{'warm ms':>9}{'cold ms':>9}  target")
    for page, warm, cold in bench_pages(db, runs, args.period):
        verdict = "ok" if warm < TARGET_MS else "SLOW"
        print(f"{page:<30}{warm:>9.1f}{cold:>9.1f}  {verdict} ({warm / TARGET_MS:.2f}× target)")
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
