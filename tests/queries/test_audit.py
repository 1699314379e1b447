"""Every change is an audit row (when, who, what, why), filterable by period and unit through its scope."""
from __future__ import annotations

import json

import pandas as pd

from queries.audit import audit_filters, audit_log, summary
from queries.data_views import unit_facts
from tests.conftest import frame, unit
from tests.queries.helpers import quarter

SCHEME = "zichuan-2022"


def test_each_action_writes_one_audit_row_with_who_and_why(store, zichuan):
    store.import_observations(zichuan, pd.concat([quarter("2022Q2"), frame(unit("A镇", period="2022Q3") +
                                                                       unit("B镇", period="2022Q3"))]),
                              who="张三", source="a.csv")
    store.record_decision(SCHEME, "2022Q3", "", "A镇", "王主任", "办公会决定")
    table = unit_facts(store, SCHEME, "2022Q2", "B镇")
    table.loc[table["indicator"] == "5.1", "value"] = "2"
    store.edit_unit(SCHEME, "2022Q2", "B镇", table, who="李四", why="现场检查复核")
    store.undo_last(SCHEME, "2022Q2", who="李四", why="改错了")
    store.publish(SCHEME, "2022Q2", who="王主任", why="第二季度通报")
    store.reopen(SCHEME, "2022Q2", who="王主任", why="补交材料")
    log = audit_log(store, SCHEME)
    assert log[["action", "label", "who", "period", "entity", "why"]].values.tolist()[::-1] == [
        ["import", "导入", "张三", "2022Q2,2022Q3", "", ""],
        ["award_decision", "红旗决定", "王主任", "2022Q3", "A镇", "办公会决定"],
        ["edit", "修改", "李四", "2022Q2", "B镇", "现场检查复核"],
        ["undo", "撤销", "李四", "2022Q2", "B镇", "改错了"],
        ["publish", "发布", "王主任", "2022Q2", "", "第二季度通报"],
        ["reopen", "重新打开", "王主任", "2022Q2", "", "补交材料"],
    ]
    assert log["summary"].tolist()[::-1] == [
        "导入 a.csv：5 个单位，新增 115 行、修改 0 行、删除 0 行（批次 #1）",
        "决定 A镇 获得红旗",
        "修改 B镇 2022Q2：1 个单位，新增 0 行、修改 1 行、删除 0 行（批次 #2）",
        "撤销批次 #2（表格修改 B镇 2022Q2）：恢复 1 个单位此前的数据",
        "发布榜单：3 个单位，期间锁定",
        "重新打开已发布的期间（已发布的榜单保留）",
    ]
    undo = json.loads(log.loc[log["action"] == "undo", "detail"].iloc[0])
    assert undo["changes"] == [{"period": "2022Q2", "entity": "B镇", "indicator": "5.1", "item": "问题次数",
                                "ref": "", "before": "2", "after": "0"}]
    assert log["ts"].notna().all()


def test_filters_find_an_import_by_any_unit_and_period_it_touched(store, zichuan):
    store.import_observations(zichuan, quarter("2022Q2"), who="张三", source="a.csv")
    store.import_observations(zichuan, quarter("2022Q3", entities=("C镇",)), who="张三", source="c.csv")
    assert audit_log(store, SCHEME, entity="B镇")["period"].tolist() == ["2022Q2"]
    assert audit_log(store, SCHEME, entity="C镇")["period"].tolist() == ["2022Q3", "2022Q2"]
    assert audit_log(store, SCHEME, period="2022Q3", entity="A镇").empty
    assert audit_filters(store, SCHEME) == (["2022Q3", "2022Q2"], ["A镇", "B镇", "C镇"])


def test_summary_of_an_import_that_changed_nothing():
    assert summary("import", {"source": "a.csv", "no_change": True}) == "导入 a.csv：与库中数据相同，无变化"


def test_summary_of_a_bulk_load():
    assert summary("import", {"source": "big.parquet", "bulk": True, "units": 900, "rows": 206050, "batch_id": 4}) == (
        "批量导入 big.parquet：900 个单位、206050 行（批次 #4）")
