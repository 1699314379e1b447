"""Read models of the data and audit pages: the problem report in file order, the import summary, the unit list."""
from __future__ import annotations

import pandas as pd

from documents.template import template_units
from queries.data_views import audit_table, plan_import, plan_summary, problems_table, scheme_choices
from scoring.problems import Problem
from tests.queries.helpers import quarter


def test_problems_are_listed_in_file_order_then_by_unit():
    problems = [Problem("2022Q2 A镇 指标 6", "缺少"), Problem("第12行", "b"), Problem("第3行、第9行", "dup"),
                Problem("数据!E2", "formula"), Problem("文件 x.csv", "GBK", "warning")]
    assert problems_table(problems).values.tolist() == [
        ["数据!E2", "错误", "formula"], ["第3行、第9行", "错误", "dup"], ["第12行", "错误", "b"],
        ["2022Q2 A镇 指标 6", "错误", "缺少"], ["文件 x.csv", "提醒", "GBK"]]


def test_the_import_summary_says_what_confirming_will_do(store, zichuan):
    store.import_observations(zichuan, quarter(), who="张三", source="a.csv")
    incoming = pd.concat([quarter(changes={"A镇": {("5.1", "问题次数"): "1"}}),
                          quarter(entities=("D镇",))])
    assert plan_summary(plan_import(store, zichuan, incoming)) == (
        "文件共 92 行（2022Q2）：1 个单位是新数据，1 个单位的数据将被替换，2 个单位与库中相同不变；文件中没有的单位不受影响。")
    assert plan_summary(plan_import(store, zichuan, quarter())) == (
        "文件共 69 行（2022Q2），与库中数据完全相同，导入不会改变任何数据。")


def test_template_units_and_scheme_choices_follow_the_store(store, zichuan):
    assert len(template_units(store, "zichuan-2022")) == 13  # the roster file
    assert len(template_units(store, "haikou-2023")) == 1
    assert template_units(store, "no-such-scheme").empty
    store.import_observations(zichuan, quarter(), who="张三", source="a.csv")
    assert template_units(store, "zichuan-2022").values.tolist() == [["A镇", ""], ["B镇", ""], ["C镇", ""]]
    assert scheme_choices(store, ["haikou-2023", "zichuan-2022"]) == ["zichuan-2022", "haikou-2023"]


def test_the_audit_table_has_chinese_columns(store, zichuan):
    store.import_observations(zichuan, quarter(), who="张三", source="a.csv")
    table = audit_table(store, "zichuan-2022", entity="B镇")
    assert list(table.columns) == ["编号", "时间", "操作人", "操作", "期间", "单位", "内容", "理由", "action", "detail"]
    assert table[["操作人", "操作", "期间"]].values.tolist() == [["张三", "导入", "2022Q2"]]
