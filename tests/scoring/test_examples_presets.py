"""The worked examples of every preset (data/examples/<id>/), computed BY HAND here, clause by clause.

Each example's observations.csv is a full sheet per unit (every item, 0 / 达标 unless a finding is listed
below). The expectations are written out from the seed's clauses, never produced by the engine; the test then
checks (1) the engine, (2) the expected league.csv kept next to the example and (3) ``flagboard score`` agree.
"""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest

from cli.main import main as flagboard
from scoring.engine import score
from scoring.payout import contract_years, lost_point_costs, payout_table, year1_shortfall
from scoring.intake import read_path
from scoring.rubric import load_rubric

EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "examples"
PRESETS = ["liaoning-2024-center", "liaoning-2024-subcenter", "liaoning-2024-township", "liaoning-2024-station",
           "haikou-2023", "rudong-2021"]


def scored(rubric_id: str):
    rubric = load_rubric(rubric_id)
    return rubric, score(read_path(EXAMPLES / rubric_id / "observations.csv").obs, rubric)


def finals(result, period: str | None = None) -> dict:
    lg = result.league if period is None else result.league[result.league["period"] == period]
    return {(p, e): (f, r) for p, e, f, r in lg[["period", "entity", "final", "rank"]].itertuples(index=False)}


def lost(result, entity: str, period: str) -> dict[str, float]:
    d = result.detail
    d = d[(d["entity"] == entity) & (d["period"] == period) & (d["lost"] != 0)]
    return dict(zip(d["indicator"], d["lost"]))


# -- Liaoning: 综合政务服务中心 (附件1) -----------------------------------------------------------------------------

def test_liaoning_center_by_hand():
    _, res = scored("liaoning-2024-center")
    # 海城市 (unified 2024):
    #  1.2 「未建立进驻事项负面清单并对外公布的，扣2分。」 + 「…每事项扣0.5分，扣完为止。」 3 事项 → 2 + 1.5 = 3.5 lost
    #  1.4 「存在超范围审批的，每个事项扣2分。」 2 → 4；「…每个事项扣1分，扣完为止。」 3 → 3; 7 > 5 → all 5 lost
    #  4.1 「未设立帮办代办机制的，扣3分。 未开展“全年无休”服务的，扣3分。 不能…提供代理办、陪同办服务的，扣2分。」
    #      3 + 3 + 2 = 8 > max 7 → 0 (疑义3: floor, no rescaling): 7 lost
    #  base 100 − 3.5 − 5 − 7 = 84.5
    #  7.1 「国家作为典型经验在全国推广的，每项加5分；…省政府…每项加3分；承担省级试点工作的…每项加1分。加满为止。」
    #      one measure (ref 海城-帮办代办模式) recognised 省级 and 国家级 → counted once at 5 (疑义29);
    #      a 省级试点 +1 → 6 → 加满为止 at 5. Final 84.5 + 5 = 89.5
    assert lost(res, "海城市政务服务中心", "2024") == {"1.2": 3.5, "1.4": 5.0, "4.1": 7.0}
    # 台安县: 1.8 「差评未实现100%整改的，每件次扣0.5分」 4 → 2; 6.1 「每条扣1分」 2 → 2;
    #  6.3 「存在“不推荐”“不知晓”“不应用”任意一项，扣2分」 → 2; base 94; 7.1 省级试点 2 项 × 1 = 2; final 96
    assert lost(res, "台安县政务服务中心", "2024") == {"1.8": 2.0, "6.1": 2.0, "6.3": 2.0}
    # 鞍山市 (市级): 3.1 「未实现…同源发布、同步更新的，每事项扣0.5分。 事项办理线上线下不一致的，每事项扣0.5分。扣完为止。」
    #  5 × 0.5 + 4 × 0.5 = 4.5 > max 4 → 0; base 96, no bonus; final 96
    assert lost(res, "鞍山市政务服务中心", "2024") == {"3.1": 4.0}
    # groups (疑义27): 县区级 centers rank together; the 市级 center alone → rank 1 in its own group
    assert finals(res, "2024") == {("2024", "台安县政务服务中心"): (96.0, 1), ("2024", "海城市政务服务中心"): (89.5, 2),
                                   ("2024", "鞍山市政务服务中心"): (96.0, 1)}
    # self-check of 海城市: 1.2 one 事项 −0.5; 1.4 one 超范围 −2; 4.1 未设机制 −3 → 94.5; bonus 5 → 99.5
    # recheck of 海城市: 1.2 one 事项 −0.5; 4.1 未设机制 −3 → 96.5; no bonus rows at the recheck → 96.5
    assert finals(res, "2024-自检") == {("2024-自检", "海城市政务服务中心"): (99.5, 1)}
    assert finals(res, "2024-复检") == {("2024-复检", "海城市政务服务中心"): (96.5, 1)}


def test_liaoning_subcenter_by_hand():
    _, res = scored("liaoning-2024-subcenter")
    # 不动产: 1.5 「…沦为“摆设”的，扣5分。」 → 5; 2.2 「未公开容缺受理和告知承诺事项清单的，扣3分。 未同步修改办事指南…扣2分。」
    #  → 5; base 90; 7.1 国家级推广 5 + 省级推广 3 (two different measures) = 8 → 加满为止 5; final 95
    assert lost(res, "鞍山市不动产登记分中心", "2024") == {"1.5": 5.0, "2.2": 5.0}
    # 公积金: 1.7 「…差评未实现100%整改的，每件次扣0.5分，扣完为止。」 11 × 0.5 = 5.5 > 5 → 5;
    #  6.2 「未及时调整《办事不找关系指南》的，每事项扣0.5分」 3 → 1.5; base 93.5; final 93.5
    assert lost(res, "鞍山市住房公积金分中心", "2024") == {"1.7": 5.0, "6.2": 1.5}
    assert finals(res) == {("2024", "鞍山市不动产登记分中心"): (95.0, 1), ("2024", "鞍山市住房公积金分中心"): (93.5, 2)}


def test_liaoning_township_by_hand():
    _, res = scored("liaoning-2024-township")
    # 腾鳌: 3.1 「未设置两个综合服务窗口的扣3分，综合窗口未实现“无差别”受理的扣2分。」 both (疑义17) → 5;
    #  3.2 「…每发现一项扣1分，扣完为止。」 2 → 2; total 93
    assert lost(res, "腾鳌镇便民服务中心", "2024") == {"3.1": 5.0, "3.2": 2.0}
    # 牛庄: 5.6 「未公开人员信息的，扣2分；未设置“好差评”二维码、意见箱或意见簿的，扣2分；…每件次扣1分，扣完为止。」
    #  2 + 2 + 3 = 7 > 5 → 5; 1.4 「便民服务设施缺失的，每项扣1分」 2 → 2; total 93
    assert lost(res, "牛庄镇便民服务中心", "2024") == {"1.4": 2.0, "5.6": 5.0}
    # 西柳: 5.2 「…等情况的，扣10分。」 → 10; 2.2 「未制作高频事项“一次性”告知单的扣2分。」 → 2; total 88
    assert lost(res, "西柳镇便民服务中心", "2024") == {"2.2": 2.0, "5.2": 10.0}
    # competition ranks within 海城市: 93, 93, 88 → 1, 1, 3
    assert finals(res) == {("2024", "牛庄镇便民服务中心"): (93.0, 1), ("2024", "腾鳌镇便民服务中心"): (93.0, 1),
                           ("2024", "西柳镇便民服务中心"): (88.0, 3)}


def test_liaoning_station_by_hand():
    _, res = scored("liaoning-2024-station")
    # 东三台子村 (村): 4.1 「社区综合窗口未执行AB岗工作制度的，扣2分。」 does not apply (疑义16) → 5 kept;
    #  3.4 「事项清单等物品缺失的，每缺少一项扣1分，扣完为止。」 6 → 5 (floor); 1.2 「…未张贴便民服务站标识的,扣3分。」 → 3
    #  total 92
    assert lost(res, "腾鳌镇东三台子村便民服务站", "2024") == {"1.2": 3.0, "3.4": 5.0}
    # 腾鳌社区: 4.1 专职 3 + AB岗 2 = 5; 5.3 「存在“生冷硬推”等现象的，扣5分」 → 5; total 90
    assert lost(res, "腾鳌镇腾鳌社区便民服务站", "2024") == {"4.1": 5.0, "5.3": 5.0}
    # 牛庄社区: 4.1 AB岗 2; 5.5 「未执行延时服务或节假日值班制度的，扣3分」 3; 5.4 「每件次扣1分」 2 → 2; total 93
    assert lost(res, "牛庄镇牛庄社区便民服务站", "2024") == {"4.1": 2.0, "5.4": 2.0, "5.5": 3.0}
    assert finals(res) == {("2024", "牛庄镇牛庄社区便民服务站"): (93.0, 1), ("2024", "腾鳌镇东三台子村便民服务站"): (92.0, 2),
                           ("2024", "腾鳌镇腾鳌社区便民服务站"): (90.0, 3)}


# -- Haikou: monthly table, contract year, payout ------------------------------------------------------------------

HAIKOU_MONTHS = {
    # 注：上述扣分及加分以各考核项目分值为上限。 (each 考核项目 floors at 0; 7A ≤ +5, 7B ≤ −5)
    "2023-01": 90,   # 3A: [3.6] 仪容仪表 3 × 2 + [3.9] 不规范受理 2 × 2 = 10
    "2023-02": 90,   # 3A: [3.17] 迟到早退 4 × 1 + [3.10] 未提前到岗 2 × 1 + [3.5] 未按规范服务 2 × 2 = 10
    "2023-03": 72,   # 3A: [3.23] 不服从安排 2 × 10 + [3.25] 吃拿卡要 1 × 10 + [3.7] 1 × 3 = 33 → capped at 30; 7A +2
    "2023-04": 80,   # 3C: [3.49] 10 + [3.48] 5 + [3.36] 2 × 1 = 17 → 15; 7B: 曝光 5 + 声誉 5 = 10 → capped at 5
    "2023-05": 99,   # 2: [2.6] 1 + [2.7] 1 + [2.2] 2 项 × 2 = 6; 7A: one honour at 国家级 5 and 省级 3 (same ref) → 5,
                     #    甲方表扬 +2 → 7 → capped at 5
    "2023-06": 103,  # clean; 7A 信息采用 3 × 1 = +3
    "2023-07": 91,   # 4: [4.2] 5 + [4.3] 2 + [4.4] 2 = 9
    "2023-08": 90,   # 1: [1.1] 3 + [1.9] 2 人次 × 2 + [1.10] 5 人次 × 1 = 12 → capped at 10
    "2023-09": 86,   # 6: [6.1] 2 + [6.3] 2 = 4; 5: [5a.3] 2; 3C: [3.46] 8 → 14
    "2023-10": 92,   # 3B: 2 + 1 + 1 = 4; 3A: [3.1] 会议 4 × 1 = 4
    "2023-11": 75,   # 3A: [3.22] 5 × 2 + [3.28] 3 × 2 + [3.20] 3 × 1 + [3.19] 2 × 2 + [3.18] 1 × 2 = 25
    "2023-12": 97,   # 3A: [3.17] 3 × 1 (second contract year)
}


def test_haikou_months_by_hand():
    _, res = scored("haikou-2023")
    vendor = "政务大厅外包服务商（示例）"
    assert finals(res) == {(m, vendor): (float(v), 1) for m, v in HAIKOU_MONTHS.items()}
    assert lost(res, vendor, "2023-03") == {"3A": 30.0}
    assert lost(res, vendor, "2023-04") == {"3C": 15.0, "7B": 5.0}
    bonus = res.detail[(res.detail["period"] == "2023-05") & (res.detail["indicator"] == "7A")].iloc[0]
    assert (bonus["points"], bonus["reason"]) == (5.0, "国家级荣誉数 1项（同一事项按最高分值） +5；甲方表扬件数 1项 +2，"
                                                        "合计+5（合计超过上限，按5分计）")


def test_haikou_contract_year_and_payout_by_hand():
    rubric, res = scored("haikou-2023")
    vendor = "政务大厅外包服务商（示例）"
    years = contract_years(res.league[["period", "entity", "final"]], rubric.windows)
    # 「第一年为 2023 年 1 月-2023 年 11 月的月平均分数」: (90+90+72+80+99+103+91+90+86+92+75) / 11 = 968 / 11 = 88
    # 「第二年为 2023 年 12 月-2024 年 11 月」: only 2023-12 so far: 97 (11 months missing)
    assert years["mean_exact"].tolist() == [Fraction(968, 11), Fraction(97)]
    # 「80≤X<90 85%」; 「绩效考核金额=中标价*10%*考核系数」 with 中标价 = the budget 11,265,500.00 (rubric default):
    #   pot 1,126,550.00 × 85% = 957,567.50
    # 「未通过一人按中标价*10%*0.5%扣除」: 111 staff, 50 passed level 5 → ⌈55.5⌉ = 56 required → 6 short
    #   6 × 1,126,550.00 × 0.5% = 33,796.50 → net 923,771.00
    short = year1_shortfall(111, 50)
    assert short == 6
    table = payout_table(years, rubric.windows, rubric.payout, shorts={"第一年": short})
    want = pd.read_csv(EXAMPLES / "haikou-2023" / "payout.csv", dtype=str, keep_default_na=False)
    got = table.drop(columns=["rate", "certified", "target", "floored"]).assign(
        mean=[f"{v:.4f}" for v in table["mean"]], **{c: table[c].astype(str) for c in ("n_months", "n_expected",
                                                                                          "short_persons")},
        **{c: [f"{v:.2f}" for v in table[c]] for c in ("price", "pot", "band_amount", "deduction", "net")})
    assert got.to_dict("records") == want.to_dict("records")
    assert table["net"].iloc[0] == Decimal("923771.00")
    # what the lost points cost in year 1 (mean 88, 85%): 3A lost 10+10+30+4+25 = 79 → mean 88 + 79/11 = 95.18 → 100%;
    # 3C lost 15 + 8 = 23 → 88 + 23/11 = 90.09 → 100%; each cost 1,126,550 × 15% = 168,982.50. The rest (1: 10,
    # 4: 9, 2: 6, 7B: 5, 3B: 4, 6: 4, 5: 2) each leave the mean below 90 → cost 0.
    costs = lost_point_costs(res.detail[["period", "entity", "indicator", "lost"]], years, rubric.windows[0], vendor,
                             rubric.payout, 11_265_500, short)
    assert [(r.indicator, r.lost, str(r.cost)) for r in costs.itertuples()] == [
        ("3A", 79.0, "168982.50"), ("3C", 23.0, "168982.50"), ("1", 10.0, "0.00"), ("4", 9.0, "0.00"),
        ("2", 6.0, "0.00"), ("7B", 5.0, "0.00"), ("3B", 4.0, "0.00"), ("6", 4.0, "0.00"), ("5", 2.0, "0.00")]


# -- Rudong: tiny points, the third decimal ----------------------------------------------------------------------------

def test_rudong_by_hand():
    rubric, res = scored("rudong-2021")
    assert rubric.display_decimals == 4
    # tiers (22 items, 1.25 in all) 「…（0.05分）」: 达标 → the item's points, 未达标 → 0
    # 1.4.1 「按认领率高低进行排名，第一名得0.05分，其余按名次依次扣减0.002分」: 认领率 100, 98.5, 100, 97 →
    #   competition ranks 掘港 1, 长沙 3, 开发区 1, 马塘 4 → 0.05, 0.046, 0.05, 0.044
    # 1.4.2 「不达要求，每发现一例扣0.002分。」 0, 3, 30, 7 例 → 0.05, 0.044, 0 (0.05 − 0.06 floors), 0.036
    # 1.4.3a 「无超期，得0.05分，发现一例扣0.002分」 1, 0, 2, 0 → 0.048, 0.05, 0.046, 0.05
    # 1.4.3b 「对办件量及覆盖率进行综合排名，第一名得0.05分…」 名次 2, 1, 4, 3 → 0.048, 0.05, 0.044, 0.046
    # 1.6.2 「对满意度不足95%的按比例进行扣分」 96, 95, 90, 0 (未测评) → 0.05, 0.05, 0.05×90/95 = 0.0474, 0
    # 掘港: 1.25 + 0.05 + 0.05 + 0.048 + 0.048 + 0.05 = 1.496; 2.3.3 「特色亮点工作额外加分。」 0.03 + 0.04 → cap 0.05
    # 长沙: 1.25 − 0.1 (1.5.1 未达标) + 0.046 + 0.044 + 0.05 + 0.05 + 0.05 = 1.39
    # 开发区: 1.25 − 0.15 (2.3.2) − 0.05 (1.3.4) + 0.05 + 0 + 0.046 + 0.044 + 0.0474 = 1.2374
    # 马塘: 1.25 − 0.05 (1.1.1) + 0.044 + 0.036 + 0.05 + 0.046 + 0 = 1.376; extra 0.02 → 1.396
    lg = res.league
    assert {e: (b, x, f, r) for e, b, x, f, r in lg[["entity", "basic", "extra", "final", "rank"]].itertuples(
        index=False)} == {"掘港街道": (1.496, 0.05, 1.546, 1), "马塘镇": (1.376, 0.02, 1.396, 2),
                          "长沙镇": (1.39, 0.0, 1.39, 3), "如东经济开发区": (1.2374, 0.0, 1.2374, 4)}
    # 马塘 (1.396) ahead of 长沙 (1.390): they differ only at the third decimal — 2 decimals would show both as 1.40
    d = res.detail.set_index(["entity", "indicator"])["points"]
    assert [d[("如东经济开发区", c)] for c in ("1.4.1", "1.4.2", "1.4.3a", "1.4.3b", "1.6.2")] == [
        0.05, 0.0, 0.046, 0.044, 0.0474]


# -- the expected league files and `flagboard score` ------------------------------------------------------------

@pytest.mark.parametrize("rubric_id", PRESETS)
def test_flagboard_score_writes_the_expected_league(rubric_id, tmp_path, capsys):
    out = tmp_path / "league.csv"
    code = flagboard(["score", "--rubric", rubric_id, "--input", str(EXAMPLES / rubric_id / "observations.csv"),
                      "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    got = pd.read_csv(out, dtype=str, keep_default_na=False)
    want = pd.read_csv(EXAMPLES / rubric_id / "league.csv", dtype=str, keep_default_na=False)
    assert got.to_dict("records") == want.to_dict("records")
