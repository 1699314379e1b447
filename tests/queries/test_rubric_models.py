"""Rubric page read models: settings in sentences and the indicator tree with each rule's sentence."""
from __future__ import annotations

import pytest

from queries.rubric_models import rubric_facts, rubric_tree
from scoring.rubric import load_rubric, preset_ids


def test_zichuan_facts():
    facts = rubric_facts(load_rubric("zichuan-2022"))
    assert facts[1:5] == ["**总分** = 日常评估 × 70% + 风采展示 × 30%", "**日常评估** = 基础指标 + 加分 − 减分",
                          "**风采展示** = 风采展示", "**“好”等次**：名次前 4 名（并列者均获评）"]
    assert "**并列处理**：本地规则：总分并列第一时，依次比较日常评估、风采展示得分（原文未规定）" in facts


def test_zichuan_tree_lists_every_indicator_with_its_rule_sentence():
    rubric = load_rubric("zichuan-2022")
    tree = rubric_tree(rubric)
    assert [h for h, _ in tree][:2] == ["1 基层服务场所标准化建设（20 分）", "2 基层服务帮办代办体系（20 分）"]
    rows = {r["编号"]: r for _, frame in tree for r in frame.to_dict("records")}
    assert list(rows) == [i.code for i in rubric.indicators]
    assert rows["2.3"]["计分规则"] == rubric.indicator("2.3").describe()
    assert (rows["2.3"]["满分/上限"], rows["2.3"]["类型"], rows["2.3"]["责任科室"]) == (8.0, "基础指标", "政务服务管理科")
    assert rows["8.4"]["类型"] == "减分"


@pytest.mark.parametrize("preset", preset_ids())
def test_every_preset_renders(preset):
    rubric = load_rubric(preset)
    assert rubric_facts(rubric)[0].startswith(f"**{rubric.name}**")
    assert sum(len(frame) for _, frame in rubric_tree(rubric)) == len(rubric.indicators)
