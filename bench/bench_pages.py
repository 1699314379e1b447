"""Benchmark (not a test): each dashboard page's script time on the demo store, and each read model's time.

    python bench/bench_pages.py [--db DEMO.duckdb] [--runs 7]

Without ``--db`` a demo store is built in a temp dir with every preset's 演示数据 (as ``flagboard serve`` seeds
it). Page times are AppTest runs of dashboard/app.py with the scheme and the page selected (app.py + page script,
as in a browser session), every page each scheme's menu offers: "warm" = read models
cached (a user clicking around), "cold" = every cache cleared first (first view after a data change). Read-model
times call the ``queries`` functions directly, without Streamlit's cache. Each figure is the median of
``--runs`` runs; "cpu" is the warm run's CPU time of the process (less disturbed by other work on the machine
than wall time). Target: every page under 300 ms on the demo store. Pages are read signed in as the office
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

SCHEMES = {"zichuan-2022": "2022Q4", "haikou-2023": None, "liaoning-2024-center": None}  # None: the latest period
TARGET_MS = 300.0
BENCH_ACCOUNT = "bench-office"


def median_ms(fn, runs: int, clock=time.perf_counter) -> float:
    times = []
    for _ in range(runs):
        start = clock()
        fn()
        times.append((clock() - start) * 1000)
    return statistics.median(times)


def bench_pages(db: str, runs: int, scheme: str, period: str | None) -> list[tuple[str, float, float, float]]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from dashboard.navigation import PAGES
    from scoring.rubric import load_rubric

    # clearing the cache between runs (outside a script run) logs "No runtime found" each time
    from streamlit.runtime.caching import cache_data_api

    cache_data_api._LOGGER.disabled = True
    os.environ["FLAGBOARD_DB"] = db
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120)
    at.run()
    sign_in_as_office(at, db)
    at.selectbox(key="scheme").set_value(scheme).run()
    if period:
        at.selectbox(key="period").select(period).run()
    rows = []
    rubric = load_rubric(scheme)
    for page in [spec.view.removesuffix(".py") for spec in PAGES if "office" in spec.roles and spec.applies(rubric)]:
        at.switch_page(f"views/{page}.py")
        at.run()  # warm up imports and caches

        def cold():
            st.cache_data.clear()
            at.run()

        cold_ms = median_ms(cold, runs)
        warm_ms = median_ms(at.run, runs)
        cpu_ms = median_ms(at.run, runs, time.process_time)  # the process's CPU time: steadier on a busy machine
        if at.exception:
            raise SystemExit(f"page {page} failed: {[e.message for e in at.exception]}")
        rows.append((f"{scheme} {page}", warm_ms, cold_ms, cpu_ms))
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
    from queries import compare as cp, league as lg, notice as nt, selection as sm, summary_table as stb, trends as tm, \
        unit as un
    from queries.robustness_view import robustness_view
    from queries.scenario_view import scenario_view, standard_scenarios
    from queries.whatif_view import scratch_facts, what_if_view
    from documents.notice import notice_xlsx
    from documents.summary_xlsx import summary_xlsx
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
        "notice_facts+xlsx": lambda: notice_xlsx(nt.notice_facts(store, scheme, period, "")),
        "comparison": lambda: cp.comparison(store, scheme, period, unit, ""),
        "lost_matrix": lambda: cp.lost_matrix(store, scheme, unit),
        "summary_table(2 periods)": lambda: stb.summary_table(store, scheme, (period, "2022Q3"), ""),
        "summary_xlsx(2 periods)": lambda: summary_xlsx(stb.summary_table(store, scheme, (period, "2022Q3"), "")),
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
        from cli.serve_cmd import seed_demo

        tmp = tempfile.TemporaryDirectory()
        db = str(Path(tmp.name) / "demo.duckdb")
        seed_demo(db)
    print(f"store: {db}; median of {runs} runs; target < {TARGET_MS:.0f} ms per page (warm)\n")
    print(f"{'read model':<30}{'ms':>9}")
    for name, ms in bench_read_models(db, runs, args.period):
        print(f"{name:<30}{ms:>9.1f}")
    print(f"\n{'page (AppTest script time)':<34}{'warm ms':>9}{'cold ms':>9}{'cpu ms':>9}  target (warm)")
    for scheme, period in SCHEMES.items():
        for page, warm, cold, cpu in bench_pages(db, runs, scheme, args.period if period else None):
            verdict = "ok" if warm < TARGET_MS else "SLOW"
            print(f"{page:<34}{warm:>9.1f}{cold:>9.1f}{cpu:>9.1f}  {verdict} ({warm / TARGET_MS:.2f}× target)")
    print(f"\nload average while measuring: {os.getloadavg()[0]:.2f} (on {os.cpu_count()} cores)")
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
