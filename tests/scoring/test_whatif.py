"""What-if (scoring/whatif.py): a unit's scratch facts and the office's weight/quota scenarios, re-scored by the engine."""
from __future__ import annotations

import pandas as pd
import pytest

from scoring.engine import score
from scoring.problems import InputError, Problem
from scoring.whatif import Scenario, unit_what_if, weight_scenarios
from tests.conftest import PERIOD, SEED_002, frame, quotes_not_in_seed, unit, unquoted_tests

ROWS = (unit("A镇", {("2.2", "酌情扣分"): "2", ("showcase", ""): "90"})
        + unit("B镇", {("5.1", "问题次数"): "3", ("showcase", ""): "96"})
        + unit("C镇", {("1.1", ""): "标准型", ("showcase", ""): "80"})
        + unit("D镇", {("1.1", ""): "基础型", ("showcase", ""): "80"}))


def facts_of(entity: str) -> pd.DataFrame:
    mine = frame(ROWS)
    return mine.loc[mine["entity"] == entity, ["indicator", "item", "value", "ref", "note"]].reset_index(drop=True)


def test_what_if_equals_a_real_rescore_of_the_edited_facts(zichuan):
    """Seed 002 (5.1): "每发现1次扣1分，扣完为止。" — B镇 asks what fixing its 3 findings is worth: the scratch
    result is exactly what scoring the edited file gives, and the 3 points show as the gain on 5.1."""
    edited = facts_of("B镇")
    edited.loc[edited["indicator"] == "5.1", "value"] = "0"
    result = unit_what_if(frame(ROWS), zichuan, PERIOD, "B镇", edited)
    real_rows = [dict(r, value="0") if (r["entity"], r["indicator"]) == ("B镇", "5.1") else r for r in ROWS]
    real = score(frame(real_rows), zichuan).league.set_index("entity")
    cols = ["daily", "showcase", "final", "rank", "grade", "flag"]
    assert result.after[cols].tolist() == real.loc["B镇", cols].tolist()
    assert (result.before["final"], result.after["final"], result.after["flag"]) == (96.7, 98.8, "红旗")
    assert result.gains.to_dict("records") == [
        {"indicator": "5.1", "name": "加强现场管理", "before": 2.0, "after": 5.0, "gain": 3.0}]
    pd.testing.assert_frame_equal(result.league.reset_index(drop=True),
                                  score(frame(real_rows), zichuan).league.reset_index(drop=True))


def test_what_if_refuses_facts_that_do_not_validate(zichuan):
    """Seed 002 (2.2): "人员培训、工作制度落实不到位的，视情扣2-4分。" — a scratch 5 is outside 0 or 2–4: refused, naming the row."""
    edited = facts_of("A镇")
    edited.loc[edited["indicator"] == "2.2", "value"] = "5"
    with pytest.raises(InputError) as exc:
        unit_what_if(frame(ROWS), zichuan, PERIOD, "A镇", edited)
    assert exc.value.problems == [Problem("修改表第6行", "指标 2.2 的 酌情扣分 应在 0 或 2–4 之间，实际为 “5” "
                                                    "(out of range 0 或 2–4)")]


def test_weights_quota_and_tie_breakers_as_scenarios(zichuan):
    """Seed 002 (三、结果运用): "其中日常评估占 70%，风采展示占 30%。" and "评选出 4 个“好”等次" — A镇 (daily 98, showcase 90)
    and B镇 (daily 97, showcase 96): at 70/30 95.6 and 96.7 (B镇 first); at 90/10 97.2 and 96.9: the flag moves to A镇.
    With 3 好 instead of 4, D镇 (4th) loses its 好."""
    table = weight_scenarios(frame(ROWS), zichuan, [Scenario("90/10", weights={"daily": 0.9, "showcase": 0.1}),
                                                     Scenario("3个好", quota=3)])
    got = {(s, e): (f, r, g, fl) for s, e, f, r, g, fl in
           table[["scenario", "entity", "final", "rank", "grade", "flag"]].itertuples(index=False)}
    assert got[("现行", "A镇")] == (95.6, 2, "好", "") and got[("现行", "B镇")] == (96.7, 1, "好", "红旗")
    assert got[("90/10", "A镇")] == (97.2, 1, "好", "红旗") and got[("90/10", "B镇")] == (96.9, 2, "好", "")
    assert got[("3个好", "D镇")][2] == "" and got[("现行", "D镇")][2] == "好"
    with pytest.raises(ValueError, match="unknown component"):
        Scenario("x", weights={"daily": 1, "其他": 0}).apply(zichuan)


def test_every_what_if_test_quotes_the_seed():
    assert unquoted_tests(globals()) == []


def test_what_if_quotes_are_verbatim_from_the_seed():
    assert SEED_002.exists() and quotes_not_in_seed(globals()) == []
