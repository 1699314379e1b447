"""The national benchmark's dataset: deterministic, shaped like the country, and scored the same alone or together.

Not timed: speed is what ``python -m bench.national`` prints.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bench.generate import NATIONAL_GROUPS, NATIONAL_UNITS, PERIODS, frame_hash, generate, roster, to_frame
from bench.national import SQL as BENCH
from queries.store import Store, facts
from queries.unit import indicator_detail
from scoring.engine import score
from scoring.rubric import load_rubric

SCALE = 0.01  # 387 units in 28 districts, 12 quarters: about 139,000 rows


@pytest.fixture(scope="module")
def table():
    return generate(SCALE, seed=7)


@pytest.fixture(scope="module")
def national(table, tmp_path_factory):
    """A store holding the whole dataset, loaded from Parquet and scored in one national run."""
    import pyarrow.parquet as pq

    folder = tmp_path_factory.mktemp("national")
    pq.write_table(table, folder / "observations.parquet")
    st = Store(folder / "national.duckdb")
    st.bulk_load(load_rubric("zichuan-2022"), folder / "observations.parquet", who="test")
    yield st
    st.close()


def test_same_seed_gives_the_same_rows(table):
    assert frame_hash(generate(SCALE, seed=7)) == frame_hash(table)


def test_another_seed_gives_other_rows(table):
    assert frame_hash(generate(SCALE, seed=8)) != frame_hash(table)


def test_roster_has_the_national_shape_at_every_scale():
    # (scale, units, groups): 1/100, 1/10 and the whole country
    for scale, units, groups in [(0.01, 387, 28), (0.1, 3_870, 285), (1.0, NATIONAL_UNITS, NATIONAL_GROUPS)]:
        ros = roster(scale)
        sizes = np.bincount(ros.group_of)
        assert (len(ros.entities), len(ros.groups), len(set(ros.entities))) == (units, groups, units)
        assert sizes.min() >= 3 and sizes.sum() == units


def test_every_unit_has_every_quarter_and_about_30_rows_each(table):
    frame = to_frame(table)
    per_unit = frame.groupby(["period", "entity"]).size()
    assert sorted(frame["period"].unique()) == PERIODS
    assert len(per_unit) == 387 * 12
    assert 28 <= per_unit.mean() <= 32


def test_the_mix_exercises_every_kind_of_fact(table):
    frame = to_frame(table)
    items = set(zip(frame["indicator"], frame["item"]))
    rank_items = frame[frame["indicator"].isin(["2.3", "3.1", "3.2", "3.3", "3.4", "4.2", "7"])]
    assert {("8.3", "公众号"), ("8.4", "酌情扣分"), ("8.5", "酌情扣分"), ("1.1", ""), ("6", "第3月")} <= items
    assert set(rank_items["item"]) == {"名次", "实绩"}  # places in some quarters, measures in others
    assert (frame["ref"] != "").any() and (frame["value"] == "是").any() and (frame["value"] == "").any()


def test_the_dataset_validates_without_errors(table):
    quarter = to_frame(table)
    scored = score(quarter[quarter["period"] == PERIODS[0]], load_rubric("zichuan-2022"))
    assert len(scored.league) == 387
    assert set(scored.league["grade"]) == {"好", ""}


@pytest.mark.parametrize("pick", range(4))
def test_a_group_scored_alone_equals_its_rows_in_the_national_run(national, pick):
    rubric = load_rubric("zichuan-2022")
    rng = np.random.default_rng(pick)
    ros = roster(SCALE, 7)
    period, grp = PERIODS[rng.integers(len(PERIODS))], str(ros.groups[rng.integers(len(ros.groups))])
    obs = facts.of_group(national.con.cursor(), rubric.id, period, grp)
    alone = score(obs, rubric)
    cols = ["entity", "base", "bonus", "penalty", "final", "rank", "grade", "flag", "award_note"]
    stored = national.read(BENCH.league_group, scheme=rubric.id, period=period, grp=grp, prev_period="")
    pd.testing.assert_frame_equal(alone.league[cols].sort_values("entity").reset_index(drop=True),
                                  stored[cols].sort_values("entity").reset_index(drop=True), check_dtype=False)
    keys = ["entity", "indicator"]
    detail = national.read(BENCH.group_detail, scheme=rubric.id, period=period, grp=grp)
    pd.testing.assert_frame_equal(alone.detail[keys + ["points", "lost"]].sort_values(keys).reset_index(drop=True),
                                  detail[keys + ["points", "lost"]].sort_values(keys).reset_index(drop=True),
                                  check_dtype=False)
    rendered = pd.concat([indicator_detail(national, rubric.id, period, e).assign(entity=e)
                          for e in sorted(detail["entity"].unique())])  # reasons rendered when read
    pd.testing.assert_frame_equal(alone.detail[keys + ["reason"]].sort_values(keys).reset_index(drop=True),
                                  rendered[keys + ["reason"]].sort_values(keys).reset_index(drop=True),
                                  check_dtype=False)


def test_rescoring_one_group_leaves_the_others_untouched(national):
    rubric = load_rubric("zichuan-2022")
    ros = roster(SCALE, 7)
    period, grp, other = PERIODS[5], str(ros.groups[3]), str(ros.groups[4])
    unit = str(ros.entities[ros.group_of == 3][0])
    before_other = national.read(BENCH.league_group, scheme=rubric.id, period=period, grp=other, prev_period=PERIODS[4])
    BENCH.set_fact_value(national.con.cursor(), scheme=rubric.id, period=period, entity=unit, indicator="1.3",
                         item="缺项数", value="4")
    national.rescore_group(rubric.id, period, grp, rubric, who="test")
    detail = indicator_detail(national, rubric.id, period, unit)
    assert detail.set_index("indicator").loc["1.3", ["points", "reason"]].tolist() == [0.0, "设施设备缺 4 项 −4"]
    after_other = national.read(BENCH.league_group, scheme=rubric.id, period=period, grp=other, prev_period=PERIODS[4])
    pd.testing.assert_frame_equal(after_other, before_other)
    mine = national.read(BENCH.league_group, scheme=rubric.id, period=period, grp=grp, prev_period=PERIODS[4])
    assert len(mine) == int((ros.group_of == 3).sum())
    assert mine["rank_change"].notna().all()  # every unit was ranked the quarter before
