"""The flagship's worked example (data/examples/zichuan-2022/), computed BY HAND here, clause by clause.

Six units of one group in 2022Q3, every base indicator for each (the README next to the example has the same
arithmetic as tables). The expectations are written out from seed 002's clauses, never produced by the engine;
each test then checks the engine against them, and the last one checks that ``league.csv`` is exactly what
``flagboard score`` writes.
"""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from cli.main import main as flagboard
from scoring.engine import score
from scoring.intake import read_path
from scoring.rubric import load_rubric
from tests.conftest import SEED_002, quotes_not_in_seed, unquoted_tests

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples" / "zichuan-2022"
A, B, C, D, E, F = "洪山镇", "昆仑镇", "般阳路街道", "罗村镇", "松龄路街道", "淄川经济开发区"


@pytest.fixture(scope="module")
def result():
    return score(read_path(EXAMPLE / "observations.csv").obs, load_rubric("zichuan-2022"))


def points_of(result, *codes: str) -> dict[str, dict[str, float]]:
    """{indicator: {entity: points}} for ``codes``."""
    d = result.detail
    return {c: dict(zip(d.loc[d["indicator"] == c, "entity"], d.loc[d["indicator"] == c, "points"])) for c in codes}


def test_rank_ladders_by_hand(result):
    """Seed 002 (2.3): "根据工作落实情况，第一名得8分，每递减一个名次扣0.5分。" and the same ladder with 4/0.2 (3.2–3.4),
    5/0.3 (4.2) and 10/0.5 (7): points = max − step × (place − 1). Places are given (名次: 2.3, 3.1, 3.3) or
    ranked from 实绩 within the group, competition ties (1, 2, 3, 3, 5, 6), measures compared exactly."""
    assert points_of(result, "2.3", "3.1", "3.2", "3.3", "3.4", "4.2", "7") == {
        # 名次 1…6 → 8, 7.5, 7, 6.5, 6, 5.5
        "2.3": {A: 8.0, B: 7.5, C: 7.0, D: 6.5, E: 6.0, F: 5.5},
        "3.1": {A: 7.5, B: 8.0, C: 6.5, D: 5.5, E: 7.0, F: 6.0},
        # 实绩 F 44, A 42, B 38, C 38, D 35, E 30 → places 1, 2, 3, 3, 5, 6 → 4, 3.8, 3.6, 3.6, 3.2, 3.0
        "3.2": {A: 3.8, B: 3.6, C: 3.6, D: 3.2, E: 3.0, F: 4.0},
        # 名次 C 1, D 2, A 3, F 4, B 5, E 6
        "3.3": {A: 3.6, B: 3.2, C: 4.0, D: 3.8, E: 3.0, F: 3.4},
        # 实绩 A 96, B 91, D 91, C 88, E 85, F 80 → places 1, 2, 2, 4, 5, 6
        "3.4": {A: 4.0, B: 3.8, C: 3.4, D: 3.8, E: 3.2, F: 3.0},
        # 实绩 D 0.99, A 0.98764, B 0.98761 (a different place: exact, not 0.9876 = 0.9876), F 0.981, C 0.9702, E 0.965
        "4.2": {A: 4.7, B: 4.4, C: 3.8, D: 5.0, E: 3.5, F: 4.1},
        # 实绩 A 100, B 100, C 95, E 92, D 90, F 88 → places 1, 1, 3, 4, 5, 6
        "7": {A: 10.0, B: 10.0, C: 9.0, D: 8.0, E: 8.5, F: 7.5},
    }
    # Σ ladders: A 41.6, B 40.5, C 37.3, D 35.8, E 34.2, F 33.5 (used in test_league_by_hand)


def test_checklists_and_tiers_by_hand(result):
    """Seed 002 (1.2): "辖区内实现基础型便民服务站全覆盖得 3 分, 每打造 1 个标杆型便民服务站加 0.5 分, 加至满分为止。"
    with 1.1 "经验收达到标杆型得 10 分, 标准型得 6 分, 达不到标准型不得分。" and the 扣完为止 checklists."""
    assert points_of(result, "1.1", "1.2", "1.3", "2.1", "2.2", "4.1", "5.1", "5.2") == {
        "1.1": {A: 10.0, B: 10.0, C: 6.0, D: 10.0, E: 10.0, F: 10.0},  # C 标准型
        # 3 × 全覆盖 + 0.5 × 站点数, ≤ 6: A 是 + 8 = 7 → 6; B, D 1 + 4 = 5; C, E 1 + 6 = 6; F 1 + 5 = 5.5
        "1.2": {A: 6.0, B: 5.0, C: 6.0, D: 5.0, E: 6.0, F: 5.5},
        "1.3": {A: 3.0, B: 4.0, C: 4.0, D: 4.0, E: 4.0, F: 4.0},  # A 缺 1 项
        "2.1": {A: 6.0, B: 6.0, C: 6.0, D: 6.0, E: 5.0, F: 6.0},  # E 缺 1 项
        "2.2": {A: 6.0, B: 4.0, C: 6.0, D: 6.0, E: 6.0, F: 6.0},  # B 视情扣 2
        "4.1": {A: 5.0, B: 5.0, C: 5.0, D: 4.0, E: 5.0, F: 3.0},  # D 故障 1 次 −1; F 未设自助服务区 −2
        "5.1": {A: 5.0, B: 5.0, C: 5.0, D: 5.0, E: 5.0, F: 5.0},
        "5.2": {A: 5.0, B: 4.0, C: 5.0, D: 5.0, E: 5.0, F: 5.0},  # B 未建台账 −1
    }
    # Σ checklists: A 46, B 43, C 43, D 45, E 46, F 44.5


def test_good_reviews_mean_is_exact(result):
    """Seed 002 (6): "当季度三个月考核平均分加权后作为此项得分。" — points = (m1 + m2 + m3) ÷ 3 × 10/100, exact."""
    exact = dict(zip(result.exact.units["entity"], result.exact.indicators["6"].fractions()))
    assert exact == {
        A: Fraction(98, 10),  # (98 + 97.5 + 98.5) ÷ 3 = 98
        B: Fraction(95, 10),  # (95 + 96 + 94) ÷ 3 = 95
        C: Fraction(96, 10),  # (96.5 + 95.5 + 96) ÷ 3 = 96
        D: Fraction(9524, 1000),  # (95.5 + 95.12 + 95.1) ÷ 3 = 285.72 ÷ 3 = 95.24
        E: Fraction(8924, 1000),  # (89 + 89.72 + 89) ÷ 3 = 267.72 ÷ 3 = 89.24
        F: Fraction(299003, 30000),  # (100 + 100 + 99.003) ÷ 3 = 99.6676666… → 9.9667666…, not a finite decimal
    }
    assert points_of(result, "6")["6"][F] == 9.9668  # shown rounded, added unrounded


def test_events_by_hand(result):
    """Seed 002 (8.3): "在“淄博行政审批服务”微信公众号每发布一篇信息得1分；单篇阅读量每过1000人次加0.1分，最多加1分。相同内容不重复加分，按最高分值加分。最高加5分。"
    with 8.1 "同一件事涉及多层级的，按最高分值加分。" and 8.4 "被省级及以上通报的，每次扣 3 分" (penalties: 每次扣)."""
    assert points_of(result, "8.1", "8.2", "8.3", "8.4", "8.5") == {
        # A: one innovation at 省级 (3) and 市级 (2), same ref → 3; D: 市局 1.5 + 区局 1; E: 省级 3; F: 国家级 5
        "8.1": {A: 3.0, B: 0.0, C: 0.0, D: 2.5, E: 3.0, F: 5.0},
        "8.2": {A: 0.0, B: 0.0, C: 1.0, D: 0.0, E: 1.5, F: 1.5},
        # A: 公众号 6100 reads → 1 + 0.6; B: 国家级 5 + 公众号 800 reads (1) = 6 → cap 5;
        # C: 公众号 15000 reads → 1 + min(1, 1.5) = 2, plus one content at 市级 (2) and on the 公众号 (1.2), same ref → 2;
        # F: 市级 2 articles × 2 = 4
        "8.3": {A: 1.6, B: 5.0, C: 4.0, D: 0.0, E: 0.0, F: 4.0},
        # B: 酌情扣分 1 and 1 with one ref, both deducted; D: 市局通报 1 × 1; F: 省级通报 1 × 3
        "8.4": {A: 0.0, B: -2.0, C: 0.0, D: -1.0, E: 0.0, F: -3.0},
        "8.5": {A: -3.0, B: 0.0, C: 0.0, D: 0.0, E: 0.0, F: 0.0},
    }
    d = result.detail.set_index(["entity", "indicator"])["reason"]
    assert d[(F, "8.4")] == "省级及以上通报 1次 −3，合计−3"
    assert d[(B, "8.3")] == "国家级 1篇 +5；公众号（阅读800） +1，合计+5（合计超过上限，按5分计）"


def test_league_by_hand(result):
    """Seed 002 (三、结果运用): "得分由日常评估和风采展示两部分构成，其中日常评估占 70%，风采展示占 30%。根据日常评估和风采展示总分，评选出 4 个“好”等次，“好”等次中得分最高的授予“担当作为”流动红旗。"
    日常评估 = Σ 1.1…7 + 加分 − 减分; final = 0.7 × daily + 0.3 × showcase, rounded half-up to 4 decimals once."""
    # base = ladders + checklists + 好差评:
    #   A 41.6 + 46 + 9.8 = 97.4    B 40.5 + 43 + 9.5 = 93    C 37.3 + 43 + 9.6 = 89.9
    #   D 35.8 + 45 + 9.524 = 90.324    E 34.2 + 46 + 8.924 = 89.124    F 33.5 + 44.5 + 9.9667666… = 87.9667666…
    # daily = base + bonus − penalty:
    #   A 97.4 + 4.6 − 3 = 99    B 93 + 5 − 2 = 96    C 89.9 + 5 = 94.9    D 90.324 + 2.5 − 1 = 91.824
    #   E 89.124 + 4.5 = 93.624    F 87.9667666… + 10.5 − 3 = 95.4667666… (shown 95.4668)
    # final: A 69.3 + 27 = 96.3    B 67.2 + 29.1 = 96.3    C 66.43 + 28.8 = 95.23
    #   D 64.2768 + 29.7 = 93.9768    E 65.5368 + 28.44 = 93.9768    F 66.8267366… + 27.15 = 93.9767366… → 93.9767
    #   (rounding 好差评 first: 0.7 × 95.4668 + 27.15 = 93.97676 → 93.9768, a tie that does not exist)
    # ranks (competition) 1, 1, 3, 4, 4, 6: five 好 (并列 at 4th); A and B tie at 1st → 本地规则: daily 99 > 96 → A
    lg = result.league
    got = [tuple(r) for r in lg[["entity", "base", "bonus", "penalty", "daily", "showcase", "final", "rank", "grade",
                                 "flag"]].itertuples(index=False)]
    assert got == [
        (B, 93.0, 5.0, -2.0, 96.0, 97.0, 96.3, 1, "好", ""),
        (A, 97.4, 4.6, -3.0, 99.0, 90.0, 96.3, 1, "好", "红旗"),
        (C, 89.9, 5.0, 0.0, 94.9, 96.0, 95.23, 3, "好", ""),
        (E, 89.124, 4.5, 0.0, 93.624, 94.8, 93.9768, 4, "好", ""),
        (D, 90.324, 2.5, -1.0, 91.824, 99.0, 93.9768, 4, "好", ""),
        (F, 87.9668, 10.5, -3.0, 95.4668, 90.5, 93.9767, 6, "", ""),
    ]
    exact_final = dict(zip(result.exact.units["entity"], result.exact.league["final"].fractions()))
    # F: 0.7 × (85.5 + 299003/30000) + 0.3 × 90.5, where 85.5 = ladders 33.5 + checklists 44.5 + 10.5 − 3
    assert exact_final[F] == (Fraction(7, 10) * (Fraction(855, 10) + Fraction(299003, 30000))
                              + Fraction(3, 10) * Fraction(905, 10))
    assert exact_final[F] == Fraction(28193021, 300000)  # 93.9767366…
    assert lg.loc[lg["entity"] == A, "award_note"].item() == (
        "昆仑镇、洪山镇 总分并列第一；比较日常评估：洪山镇较高；按本地规则：总分并列第一时，依次比较日常评估、风采展示得分（原文未规定），"
        "红旗授予 洪山镇")
    assert result.warnings == []


def test_dense_ladders_change_the_ladders_not_the_league_rule():
    """Seed 002 (3.2): "根据工作落实情况，第一名得4分，每递减一个名次扣0.2分。" — the seed does not say how shared places
    count down; with ``tie_method: dense`` (1, 1, 2) the units below a shared place lose one step less, and the
    league's rank and 好 stay competition ranks."""
    rubric = load_rubric("zichuan-2022").model_copy(update={"tie_method": "dense"})
    lg = score(read_path(EXAMPLE / "observations.csv").obs, rubric).league
    # 3.2: D 4th, E 5th (+0.2 each); 3.4: C 3rd, E 4th, F 5th (+0.2 each); 7: C 2nd, E 3rd, D 4th, F 5th (+0.5 each)
    # C 94.9 + 0.7 = 95.6 → 66.92 + 28.8 = 95.72;  E 93.624 + 0.9 = 94.524 → 66.1668 + 28.44 = 94.6068
    # D 91.824 + 0.7 = 92.524 → 64.7668 + 29.7 = 94.4668;  F 95.4667666… + 0.7 → 67.3167366… + 27.15 = 94.4667366…
    assert [tuple(r) for r in lg[["entity", "daily", "final", "rank", "grade", "flag"]].itertuples(index=False)] == [
        (B, 96.0, 96.3, 1, "好", ""), (A, 99.0, 96.3, 1, "好", "红旗"), (C, 95.6, 95.72, 3, "好", ""),
        (E, 94.524, 94.6068, 4, "好", ""), (D, 92.524, 94.4668, 5, "", ""), (F, 96.1668, 94.4667, 6, "", "")]


def test_league_csv_is_what_flagboard_score_writes(tmp_path, capsys):
    """Seed 002 (三、结果运用): "评选出 4 个“好”等次，“好”等次中得分最高的授予“担当作为”流动红旗。" — the league kept
    next to the example is the command's output, byte for byte."""
    out = tmp_path / "league.csv"
    code = flagboard(["score", "--rubric", "zichuan-2022", "--input", str(EXAMPLE / "observations.csv"),
                      "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    assert capsys.readouterr().err == ""  # no warning: nothing in the example is questionable input
    assert out.read_bytes() == (EXAMPLE / "league.csv").read_bytes()


def test_every_example_test_quotes_the_seed():
    assert unquoted_tests(globals()) == []


@pytest.mark.skipif(not SEED_002.exists(), reason="the copy of seed 002 is missing from tests/fixtures/seeds")
def test_example_quotes_are_verbatim_from_the_seed():
    assert quotes_not_in_seed(globals()) == []
