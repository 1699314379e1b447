"""Warnings of readings that decided an outcome are kept with a period's results and read on every page of it
(DESIGN: "a warning appears wherever it decides an outcome")."""
from __future__ import annotations

import pandas as pd

from queries.league import reading_warnings
from scoring.rubric import load_rubric

EXAMPLE = "data/examples/haikou-2023/observations.csv"


def test_a_cap_reading_that_decided_points_is_read_with_the_period(store):
    """Seed 003 (表 1): "每项减 5 分" and "上述扣分及加分以各考核项目分值为上限": two exposures in one month (10) count 5."""
    rubric = load_rubric("haikou-2023")
    obs = pd.read_csv(EXAMPLE, dtype=str, keep_default_na=False)
    month = obs[obs["period"] == "2023-03"].copy()
    month = pd.concat([month, month.iloc[:1].assign(indicator="7B", item="曝光件数", value="2", ref="", note="")],
                      ignore_index=True)
    store.import_observations(rubric, month, who="张三", source="m.csv")
    entity = month["entity"].iloc[0]
    expected = [f"2023-03 {entity} 指标 7B：减分项合计扣10分，超过5分上限，按5分计（读法：减分项单独以5分为上限（A3）） "
                f"(total above the cap)"]
    assert reading_warnings(store, "haikou-2023", "2023-03") == expected
    store.rescore("haikou-2023", ["2023-03"], who="张三")  # rewritten, never doubled
    assert reading_warnings(store, "haikou-2023", "2023-03") == expected
    store.rescore_group("haikou-2023", "2023-03", "", who="张三")
    assert reading_warnings(store, "haikou-2023", "2023-03") == expected
