"""Every page renders for every preset scheme (AppTest), on one store holding the demo data of all of them.

The store is built once with ``flagboard demo --rubric ID`` for each preset; each scheme is then picked in the
sidebar and every page of its navigation is opened. A page that does not apply to a scheme (绩效付款 without
payout bands, 阶段对比 without phases) is not offered: neither in the menu nor by its URL.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cli.main import main as flagboard
from dashboard.navigation import PAGES as NAVIGATION
from queries.audit import audit_log
from queries.store import Store
from scoring.rubric import load_rubric
from tests.dashboard.conftest import open_signed_in

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "dashboard" / "app.py"


def offered(scheme: str) -> list[str]:
    """The pages the navigation offers for a scheme (view module names)."""
    rubric = load_rubric(scheme)
    return [spec.view.removesuffix(".py") for spec in NAVIGATION if spec.applies(rubric)]

PRESETS = ["liaoning-2024-center", "liaoning-2024-subcenter", "liaoning-2024-township", "liaoning-2024-station",
           "haikou-2023", "rudong-2021"]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    db = tmp_path_factory.mktemp("presets") / "presets.duckdb"
    for rubric_id in PRESETS:
        assert flagboard(["demo", "--rubric", rubric_id, "--db", str(db)]) == 0
    return str(db)


def open_app(store: str, monkeypatch, scheme: str) -> AppTest:
    monkeypatch.setenv("FLAGBOARD_DB", store)
    at = open_signed_in(store)  # the office: every page of the scheme
    at.selectbox(key="scheme").set_value(scheme).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    parts = [m.value for kind in ("info", "warning", "error", "success", "caption", "markdown", "title", "subheader")
             for m in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("scheme", PRESETS)
def test_every_page_renders_for_the_scheme(store, monkeypatch, scheme):
    at = open_app(store, monkeypatch, scheme)
    failed = {}
    for page in offered(scheme):
        at.switch_page(f"views/{page}.py").run()
        if at.exception:
            failed[page] = [e.message for e in at.exception]
        assert at.selectbox(key="scheme").value == scheme, page
    assert failed == {}


def test_payout_page_shows_the_money_for_haikou(store, monkeypatch):
    at = open_app(store, monkeypatch, "haikou-2023")
    at.switch_page("views/payout.py").run()
    assert not at.exception
    years = at.dataframe[0].value  # the contract-year table
    assert list(years["合同年度"]) == ["第一年（2023-01至2023-11）", "第二年（2023-12至2024-11）", "第三年（2024-12至2025-12）"]
    assert list(years["已考核月数"]) == [11, 12, 13]
    assert set(years["中标价（元）"]) == {11265500.0}
    # the office stores 54 of 56 persons certified in year 1: 2 short cost 2 × 11,265,500 × 10% × 0.5% = 11,265.50
    before = years["实付绩效考核金额（元）"].iloc[0]
    at.number_input(key="payout_target_第一年").set_value(56)
    at.number_input(key="payout_certified_第一年").set_value(54)
    at.button(key="payout_save_第一年").click().run()
    assert not at.exception, [e.message for e in at.exception]
    after = at.dataframe[0].value["实付绩效考核金额（元）"].iloc[0]
    assert round(before - after, 2) == 11265.5
    with Store(store) as st:
        assert audit_log(st, "haikou-2023")["action"].tolist()[0] == "contract_terms"  # audited, newest first
    assert at.get("plotly_chart")


@pytest.mark.parametrize("scheme, page", [("rudong-2021", "payout"), ("haikou-2023", "phases"),
                                          ("liaoning-2024-center", "payout")])
def test_pages_that_do_not_apply_are_not_offered(store, monkeypatch, scheme, page):
    at = open_app(store, monkeypatch, scheme)
    assert page not in offered(scheme)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(f"views/{page}.py")


def test_phases_page_compares_self_check_and_recheck_for_a_center(store, monkeypatch):
    at = open_app(store, monkeypatch, "liaoning-2024-center")
    at.switch_page("views/phases.py").run()
    assert not at.exception
    finals = at.dataframe[0].value
    assert list(finals["阶段"]) == ["自检评估", "统一考核", "复检复查"]
    assert "自检得分" in at.dataframe[1].value.columns
    assert "整改情况" in at.dataframe[2].value.columns
    assert [m.label for m in at.metric] == ["统一考核发现问题", "已整改", "部分整改", "未整改"]


def test_one_period_choice_follows_the_scheme(store, monkeypatch):
    """One session-state key holds the period: a period the next scheme does not have gives way to its latest."""
    at = open_app(store, monkeypatch, "haikou-2023")
    months = at.selectbox(key="period").options
    at.selectbox(key="period").set_value(months[0]).run()
    assert (at.session_state["scheme"], at.session_state["period"]) == ("haikou-2023", months[0])
    at.selectbox(key="scheme").set_value("rudong-2021").run()
    assert not at.exception, [e.message for e in at.exception]
    years = at.selectbox(key="period").options
    assert (at.session_state["scheme"], at.session_state["period"]) == ("rudong-2021", years[-1])
    assert years[-1] not in months
