"""AppTest smoke over every page: the demo store, an empty store, and the 演示数据 label everywhere it shows."""
from __future__ import annotations

import pytest

from dashboard.widgets import DEMO_BANNER
from tests.dashboard.conftest import ALL_PAGES, MY_PAGES, page_text


def test_every_page_renders_on_the_demo_store(app, demo_db):
    at = app(demo_db)
    titles = {}
    for page in ALL_PAGES:
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, (page, [e.message for e in at.exception])
        titles[page] = at.title[0].value if at.title else ""
    assert {p: titles[p] for p in MY_PAGES} == {"league": "季度榜单", "town": "镇街详情 · 般阳路街道",
                                                "trends": "趋势分析", "selection": "红旗评选", "rubric": "评分细则"}


def test_pages_a_scheme_does_not_have_are_not_offered(app, demo_db):
    """Zichuan has neither phases nor a payout rule: 阶段对比 and 绩效付款 are not in the menu, nor reachable."""
    at = app(demo_db)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/phases.py")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/payout.py")


@pytest.mark.parametrize("page", MY_PAGES)
def test_demo_data_is_labelled_on_every_page(app, demo_db, page):
    at = app(demo_db)
    at.switch_page(f"views/{page}.py").run()
    assert DEMO_BANNER in [w.value for w in at.warning]
    assert any("演示数据" in w.value for w in at.sidebar.warning)


@pytest.mark.parametrize("page", ["league", "town", "trends", "selection"])
def test_empty_store_shows_how_to_import(app, tmp_path, page):
    db = str(tmp_path / "empty.duckdb")
    at = app(db)
    at.switch_page(f"views/{page}.py").run()
    assert not at.exception
    text = page_text(at)
    assert "数据库中还没有评分结果" in text
    assert f"flagboard import --db {db} --rubric zichuan-2022" in text
    assert f"flagboard demo --db {db}" in text
    assert not at.dataframe and not at.get("plotly_chart")


def test_empty_store_rubric_page_shows_the_presets(app, tmp_path):
    at = app(str(tmp_path / "empty.duckdb"))
    at.switch_page("views/rubric.py").run()
    assert not at.exception
    at.selectbox(key="rubric_preset").select("zichuan-2022").run()
    assert any("担当作为流动红旗" in m.value for m in at.markdown)


def test_real_data_has_no_demo_label(app, small_db):
    at = app(small_db)
    for page in MY_PAGES:
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception
        assert DEMO_BANNER not in [w.value for w in at.warning], page
