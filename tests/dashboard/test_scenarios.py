"""情景分析 (AppTest): the weights, quota and tie-breakers as scenarios, equal to the engine's own scenarios; offered to
the office and analyst of a scheme with such settings, never to a town."""
from __future__ import annotations

import pytest

from queries.display import round_to
from queries.store import Store, scorer
from scoring.whatif import Scenario, weight_scenarios
from tests.conftest import SEED_002, quotes_not_in_seed
from tests.dashboard.conftest import plotly_spec, table

SCHEME, PERIOD = "zichuan-2022", "2023Q1"  # the demo quarter whose flag was decided by the tie-breakers


def open_scenarios(app, db):
    at = app(db)
    at.selectbox(key="period").select(PERIOD).run()
    at.switch_page("views/scenarios.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def engine_scenarios(db: str, scenarios: list[Scenario]):
    """The engine's own scenarios of the stored period (scoring.whatif.weight_scenarios), straight from the facts."""
    with Store(db) as store:
        rubric = store.rubric(SCHEME)
        with store.reading() as cur:
            got = scorer.fetch_period(cur, rubric, PERIOD)
    return weight_scenarios(got.obs, rubric, scenarios, scorer.decisions_of(got.decided))


def shown(detail, name: str) -> list[list]:
    part = detail[detail["情景"] == name].sort_values("单位")
    return part[["单位", "总分", "名次", "等次", "红旗"]].values.tolist()


def expected(table_, name: str) -> list[list]:
    part = table_[table_["scenario"] == name].sort_values("entity")
    return [[e, float(f), int(r), g, fl] for e, f, r, g, fl in
            zip(part["entity"], round_to(part["final"], 2), part["rank"], part["grade"], part["flag"])]


def test_the_60_40_scenario_is_the_engines(app, demo_db):
    """Seed 002 (三、结果运用): "其中日常评估占 70%，风采展示占 30%。" — at 60/40 the page shows, unit by unit, exactly what
    the engine gives with those weights (and the rubric's own settings as 现行)."""
    at = open_scenarios(app, demo_db)
    assert at.multiselect(key=f"scn_pick_{SCHEME}").value == ["权重 60/40", "权重 80/20", "3个“好”", "5个“好”",
                                                              "不用并列规则"]
    engine = engine_scenarios(demo_db, [Scenario("权重 60/40", weights={"daily": 0.6, "showcase": 0.4})])
    detail = table(at, "情景", "总分")
    assert shown(detail, "权重 60/40") == expected(engine, "权重 60/40")
    assert shown(detail, "现行") == expected(engine, "现行")
    summary = table(at, "设置").set_index("情景")
    assert summary.loc["权重 60/40", "设置"] == "日常评估 60% + 风采展示 40%"
    moved = engine[engine["scenario"] == "权重 60/40"].set_index("entity")["rank"].sort_index() != \
        engine[engine["scenario"] == "现行"].set_index("entity")["rank"].sort_index()
    assert summary.loc["权重 60/40", "名次变动单位数"] == int(moved.sum())
    ranks = table(at, "单位", "权重 60/40")
    assert ranks.set_index("单位")["权重 60/40"].to_dict() == \
        engine[engine["scenario"] == "权重 60/40"].set_index("entity")["rank"].to_dict()
    spec = plotly_spec(at)  # the bump chart: one line per unit, its true rank per scenario in the hover data
    assert [t["name"] for t in spec["data"]] == list(ranks["单位"])
    assert spec["data"][0]["x"] == ["现行", "权重 60/40", "权重 80/20", "3个“好”", "5个“好”", "不用并列规则"]
    assert {t["name"]: int(t["customdata"][1][0]) for t in spec["data"]} == \
        engine[engine["scenario"] == "权重 60/40"].set_index("entity")["rank"].to_dict()

def test_quota_tie_breakers_and_a_custom_scenario(app, demo_db):
    """Seed 002 (三、结果运用): "评选出 4 个“好”等次" — with 3 好 the fourth loses it; without the local tie-breakers
    the two units tied first are both 待定; a custom 50/50 is the engine's too."""
    at = open_scenarios(app, demo_db)
    at.slider(key="scn_weight").set_value(50).run()
    at.toggle(key="scn_ties").set_value(False).run()
    assert not at.exception, [e.message for e in at.exception]
    name = "自定义：权重 50/50，不用并列规则"
    assert f"已加入情景“{name}”。" in [c.value for c in at.caption]
    engine = engine_scenarios(demo_db, [Scenario("3个“好”", quota=3), Scenario("不用并列规则", tie_breakers=False),
                                        Scenario(name, weights={"daily": 0.5, "showcase": 0.5}, tie_breakers=False)])
    detail = table(at, "情景", "总分")
    for scenario in ("3个“好”", "不用并列规则", name):
        assert shown(detail, scenario) == expected(engine, scenario)
    summary = table(at, "设置").set_index("情景")
    assert summary.loc["3个“好”", "“好”变化"] == "−龙泉镇"
    assert summary.loc["不用并列规则", "红旗"] == "寨里镇（待定）、般阳路街道（待定）"


@pytest.mark.parametrize("role, offered", [("town", False), ("analyst", True)])
def test_the_page_is_for_the_office_and_analysts(app, demo_db, role, offered):
    """Seed 002 (三、结果运用): "评选出 4 个“好”等次" — the settings are the office's: a town is not offered the page."""
    at = app(demo_db, f"scn-{role}", role, (("", "洪山镇"),) if role == "town" else ())
    if offered:
        at.switch_page("views/scenarios.py").run()
        assert not at.exception, [e.message for e in at.exception]
    else:
        with pytest.raises(ValueError):
            at.switch_page("views/scenarios.py")


def test_scenarios_quotes_are_verbatim_from_the_seed():
    assert SEED_002.exists() and quotes_not_in_seed(globals()) == []
