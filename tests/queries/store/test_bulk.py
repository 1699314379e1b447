"""The store's bulk paths: loading a large file into new periods, per-period rescoring, one group's rescore."""
from __future__ import annotations

import copy

import pandas as pd
import pytest
import yaml

from queries.league import league as league_table
from queries.store import RefusedError
from queries.unit import indicator_detail
from scoring.engine import score
from scoring.problems import InputError
from scoring.rubric import parse_rubric
from tests.conftest import frame, unit, zichuan_data
from tests.queries.helpers import SQL, set_fact

# two districts of two towns in two quarters; every town loses points only where its changes say
ROWS = [
    *unit("甲镇", {("1.3", "缺项数"): "2"}, period="2022Q1", group="东区"),
    *unit("乙镇", {("2.2", "酌情扣分"): "3"}, period="2022Q1", group="东区"),
    *unit("丙镇", {("5.1", "问题次数"): "1"}, period="2022Q1", group="西区"),
    *unit("丁镇", {}, period="2022Q1", group="西区"),
    *unit("甲镇", {("1.3", "缺项数"): "1"}, period="2022Q2", group="东区"),
    *unit("乙镇", {}, period="2022Q2", group="东区"),
    *unit("丙镇", {}, period="2022Q2", group="西区"),
    *unit("丁镇", {("4.1", "设备故障次数"): "2"}, period="2022Q2", group="西区"),
]
COLUMNS = ["period", "group", "entity", "indicator", "item", "value", "ref", "note"]


def write(tmp_path, rows: list[dict], kind: str = "parquet", columns=COLUMNS):
    path = tmp_path / f"obs.{kind}"
    data = pd.DataFrame(rows)[columns]
    if kind == "parquet":
        data.to_parquet(path, index=False)
    else:
        data.to_csv(path, index=False)
    return path


def league(store, period: str) -> dict:
    found = league_table(store, "zichuan-2022", period)
    return {e: (g, float(f), int(r)) for e, g, f, r in zip(found["entity"], found["grp"], found["final"], found["rank"])}


@pytest.mark.parametrize("kind", ["parquet", "csv"])
def test_bulk_load_stores_and_scores_like_the_engine(store, zichuan, tmp_path, kind):
    info = store.bulk_load(zichuan, write(tmp_path, ROWS, kind), who="测试")
    assert (info["rows"], info["units"], info["periods"]) == (len(ROWS), 8, ["2022Q1", "2022Q2"])
    expected = score(frame(ROWS), zichuan).league
    for period in ("2022Q1", "2022Q2"):
        part = expected[expected["period"] == period]
        assert league(store, period) == {e: (g, f, r) for e, g, f, r in
                                         zip(part["entity"], part["group"], part["final"], part["rank"])}


def test_bulk_load_without_a_group_column_puts_everyone_in_one_group(store, zichuan, tmp_path):
    rows = [r for r in ROWS if r["period"] == "2022Q1"]
    store.bulk_load(zichuan, write(tmp_path, rows, "csv", [c for c in COLUMNS if c != "group"]), who="测试")
    assert {g for g, _, _ in league(store, "2022Q1").values()} == {""}
    assert sorted(r for _, _, r in league(store, "2022Q1").values()) == [1, 2, 3, 4]


def test_bulk_load_refuses_periods_that_already_have_data_and_writes_nothing(store, zichuan, tmp_path):
    store.bulk_load(zichuan, write(tmp_path, [r for r in ROWS if r["period"] == "2022Q1"]), who="测试")
    before = store.read(SQL.observations_period, scheme="zichuan-2022", period="2022Q1")
    with pytest.raises(RefusedError, match="2022Q1 已有数据"):
        store.bulk_load(zichuan, write(tmp_path, ROWS), who="测试")
    pd.testing.assert_frame_equal(store.read(SQL.observations_period, scheme="zichuan-2022", period="2022Q1"), before)
    assert store.read(SQL.observations_period, scheme="zichuan-2022", period="2022Q2").empty


def test_bulk_load_with_a_missing_column_names_it(store, zichuan, tmp_path):
    with pytest.raises(InputError) as err:
        store.bulk_load(zichuan, write(tmp_path, ROWS, "csv", [c for c in COLUMNS if c != "ref"]), who="测试")
    assert [(p.where, p.message) for p in err.value.problems] == [("obs.csv 表头 header", "缺少列 missing column(s): ref")]


def test_bulk_load_with_invalid_rows_lists_every_period_and_writes_nothing(store, zichuan, tmp_path):
    rows = [dict(r) for r in ROWS]
    rows[3]["value"] = "-1"  # 甲镇 2022Q1 1.3 缺项数
    rows[len(ROWS) // 2 + 3]["value"] = "x"  # 甲镇 2022Q2 1.3 缺项数 (the same fact a quarter later)
    with pytest.raises(InputError) as err:
        store.bulk_load(zichuan, write(tmp_path, rows), who="测试")
    assert [p.where for p in err.value.problems] == ["已存数据 2022Q1 甲镇", "已存数据 2022Q2 甲镇"]
    assert store.read(SQL.observations_period, scheme="zichuan-2022", period="2022Q1").empty


def test_rescore_group_rewrites_that_group_only(store, zichuan, tmp_path):
    store.bulk_load(zichuan, write(tmp_path, ROWS), who="测试")
    west = league(store, "2022Q1")["丙镇"], league(store, "2022Q1")["丁镇"]
    set_fact(store, scheme="zichuan-2022", period="2022Q1", entity="甲镇", indicator="1.3", item="缺项数", value="0")
    store.rescore_group("zichuan-2022", "2022Q1", "东区", who="测试")
    after = league(store, "2022Q1")
    assert after["甲镇"][1:] == (100.0, 1) and after["乙镇"][2] == 2
    assert (after["丙镇"], after["丁镇"]) == west
    detail = indicator_detail(store, "zichuan-2022", "2022Q1", "甲镇")
    assert detail.set_index("indicator").loc["1.3", ["points", "reason"]].tolist() == [4.0, ""]


def test_rescore_commits_each_period_and_reports_every_periods_problems(store, zichuan, tmp_path):
    store.bulk_load(zichuan, write(tmp_path, ROWS), who="测试")
    for period in ("2022Q1", "2022Q2"):
        set_fact(store, scheme="zichuan-2022", period=period, entity="乙镇", indicator="2.2", item="酌情扣分",
                 value="9")
    with pytest.raises(InputError) as err:
        store.rescore("zichuan-2022", ["2022Q1", "2022Q2"], who="测试")
    assert [p.where for p in err.value.problems] == ["已存数据 2022Q1 乙镇", "已存数据 2022Q2 乙镇"]


def test_bulk_load_with_a_higher_rubric_version_rescores_the_stored_periods(store, zichuan, tmp_path):
    q1 = [r for r in ROWS if r["period"] == "2022Q1"]
    store.import_observations(zichuan, frame(q1), who="测试", source="q1.csv")
    data = copy.deepcopy(zichuan_data())
    data.update(version=2, final={"daily": 0.5, "showcase": 0.5})
    ref = tmp_path / "zichuan-v2.yaml"
    ref.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    newer = parse_rubric(data, str(ref))
    q2 = write(tmp_path, [r for r in ROWS if r["period"] == "2022Q2"])
    store.bulk_load(newer, q2, who="测试", rubric_ref=ref)
    expected = score(frame(ROWS), newer).league
    for period in ("2022Q1", "2022Q2"):
        mine = expected[expected["period"] == period]
        assert league(store, period) == {e: (g, float(f), int(r)) for e, g, f, r in
                                         zip(mine["entity"], mine["group"], mine["final"], mine["rank"])}
    assert store.rubric("zichuan-2022").version == 2
