"""Readings of the seeds that are rubric settings: each default, its alternative, and the warning shown wherever the
reading decides an outcome (DESIGN.md, Exactness: "Where a seed can be read two ways, the reading is a rubric
setting, documented with the seed quote, and a warning appears wherever it decides an outcome")."""
from __future__ import annotations

import copy

import pytest

from scoring.engine import score
from scoring.problems import InputError, Problem
from scoring.rubric import parse_rubric
from tests.scoring.preset_helpers import points, preset_data, rows


def cut(rubric_id: str, *codes: str, **top) -> object:
    """A preset cut down to ``codes``, one component (final = its sum), with top-level settings and rule settings
    (``rule_<code>={...}``) changed."""
    data = copy.deepcopy(preset_data(rubric_id))
    rule_changes = {k[5:].replace("_", "."): v for k, v in top.items() if k.startswith("rule_")}
    cats = []
    for cat in data["categories"]:
        inds = [{**i, "rule": {**i["rule"], **rule_changes.get(i["code"], {})}} for i in cat["indicators"]
                if i["code"] in codes]
        if inds:
            cats.append({**{k: v for k, v in cat.items() if k != "max"}, "indicators": inds})
    data["categories"] = cats
    data["components"] = [{"id": "total", "name": "合计", "kinds": ["base", "bonus", "penalty"]}]
    data["final"] = {"total": 1.0}
    data.update({k: v for k, v in top.items() if not k.startswith("rule_")})
    return parse_rubric(data, f"{rubric_id}-cut")


HAIKOU_MONTH = [("中心", "7A", "客户表扬件数", "3"), ("中心", "7B", "曝光件数", "2")]  # +3, and 2 × 5 = 10 off


def test_haikou_7b_is_capped_at_5_on_its_own_by_default_and_says_so():
    """Seed 003 (表 1): "每项减 5 分" and "注：上述扣分及加分以各考核项目分值为上限。" — default reading (A3): 7B is capped at its
    own 5 points; two exposures (10) count 5, and a warning says the reading decided it."""
    result = score(rows(HAIKOU_MONTH, "2023-03"), cut("haikou-2023", "7A", "7B"))
    assert points(result.detail, "7B") == {"中心": (-5.0, 5.0, "曝光件数 2项 −10，合计−5（合计超过上限，按5分计）")}
    assert result.league["final"].tolist() == [-2.0]
    assert result.warnings == [Problem("2023-03 中心 指标 7B", "减分项合计扣10分，超过5分上限，按5分计"
                                                             "（读法：减分项单独以5分为上限（A3）） (total above the cap)",
                                       "warning")]


def test_haikou_7b_uncapped_is_a_setting():
    """Seed 003 (表 1): "每项减 5 分" — read without the section cap (``cap_mode: none``) every exposure counts."""
    result = score(rows(HAIKOU_MONTH, "2023-03"), cut("haikou-2023", "7A", "7B", rule_7B={"cap_mode": "none"}))
    assert result.league["final"].tolist() == [-7.0]
    assert [w.message for w in result.warnings] == [
        "减分项合计扣10分，超过5分上限，全部计入（不封顶）（读法：减分项单独以5分为上限（A3）） (total above the cap)"]


def test_haikou_7a_and_7b_netted_and_clamped_is_a_setting():
    """Seed 003 (表 1 注): "上述扣分及加分以各考核项目分值为上限。" — read as one section 加减分项 worth 5 (``net_events``):
    +3 − 10 = −7, clamped to −5 (instead of +3 − 5 = −2); 7A shows 0 and 7B 5, and a warning names the reading."""
    rubric = cut("haikou-2023", "7A", "7B", net_events=[{"bonus": "7A", "penalty": "7B", "cap": 5,
                                                         "reading": "加减分相抵后以5分为限"}])
    result = score(rows(HAIKOU_MONTH, "2023-03"), rubric)
    assert result.league["final"].tolist() == [-5.0]
    assert result.detail.set_index("indicator")[["points", "reason"]].to_dict("index") == {
        "7A": {"points": 0.0, "reason": "客户表扬件数 3项 +3，合计+3；与减分项相抵后计0分"},
        "7B": {"points": -5.0, "reason": "曝光件数 2项 −10，合计−5（合计超过上限，按5分计）"}}  # 7B: still 5 off
    assert Problem("2023-03 中心 指标 7A/7B", "按“加减分相抵后以5分为限”读法，加分项与减分项相抵后计-5分（在 ±5 分以内），"
                                             "与分别封顶的结果不同 (net of bonus and penalty, clamped)",
                   "warning") in result.warnings


def test_rudong_highlight_above_the_usual_amount_is_read_and_warned_not_refused():
    """Seed 004 (2.3): "3.特色亮点工作额外加分。" — the seed gives no amount: an office's award of 0.08 is accepted with a
    warning (the 0–0.05 per item is a local soft limit), and the 0.05 total cap (local rule A12) is warned about too."""
    result = score(rows([("掘港街道", "2.3.3", "额外加分", "0.08")], "2021"), cut("rudong-2021", "2.3.3"))
    assert points(result.detail, "2.3.3") == {"掘港街道": (0.05, 0.0, "额外加分 +0.08，合计+0.05（合计超过上限，按0.05分计）")}
    assert [(w.where, w.severity) for w in result.warnings] == [("第2行", "warning"), ("2021 掘港街道 指标 2.3.3", "warning")]
    assert "超过通常上限 0.05" in result.warnings[0].message


def test_rudong_highlight_below_zero_is_still_an_error():
    """Seed 004 (2.3): "3.特色亮点工作额外加分。" — a bonus is never negative."""
    with pytest.raises(InputError) as exc:
        score(rows([("掘港街道", "2.3.3", "额外加分", "-0.01")], "2021"), cut("rudong-2021", "2.3.3"))
    assert exc.value.problems == [Problem("第2行", "指标 2.3.3 的 额外加分 应在 0–0.05 之间，实际为 “-0.01” "
                                                 "(out of range 0–0.05)")]


def test_liaoning_seven_looks_above_seven_is_warned():
    """Seed 001 (6.1): "违反“七看”监督要求中任意一条，经核查属实，每条扣1分，扣完为止。" — there are seven 看: a count of 9 is
    scored as written (floors at 0) and warned about."""
    result = score(rows([("市政务服务中心", "6.1", "违反七看条数", "9")], "2024"), cut("liaoning-2024-center", "6.1"))
    assert points(result.detail, "6.1") == {"市政务服务中心": (0.0, 7.0, "违反七看条数 9 −9；扣完为止")}
    assert result.warnings == [Problem("第2行", "市政务服务中心 指标 6.1 的违反七看条数为 9，超过 7（通常最多 7 条），已按所填计分，"
                                               "请核对 (more than 7: check)", "warning")]


def test_liaoning_recheck_rows_only_for_the_groups_it_covers():
    """Seed 001 (五、工作安排): "10月底前对上述场所上半年考核中发现问题整改情况进行复检复查" — the subcenter recheck covers
    the 市直 group only: a 复检 row for a 县区 site is an error naming the line."""
    rubric = cut("liaoning-2024-subcenter", "6.1", phases=preset_data("liaoning-2024-subcenter")["phases"])
    with pytest.raises(InputError) as exc:
        score(rows([("某县分中心", "6.1", "违反七看条数", "0")], "2024-复检", group="县区"), rubric)
    assert exc.value.problems == [Problem("第2行", "2024-复检 属于复检复查，只覆盖 市直；某县分中心 的 group 为 “县区”，不在复检复查范围内 "
                                                 "(phase 复检 covers only 市直)")]
    ok = score(rows([("市直分中心", "6.1", "违反七看条数", "0")], "2024-复检", group="市直"), rubric)
    assert ok.league["final"].tolist() == [7.0]
