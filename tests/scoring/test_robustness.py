"""Robustness of the awards to the inspectors' judgement (scoring/robustness.py), against seed 002's ranged items."""
from __future__ import annotations

import itertools
import os

import pandas as pd
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from scoring.engine import score, score_valid
from scoring.robustness import SEP, analyse, apply_witness, judged_rows
from scoring.validate import validate
from tests.conftest import SEED_002, fact, frame, quotes_not_in_seed, unit, unquoted_tests


def valid(rows: list[dict], rubric) -> pd.DataFrame:
    clean, problems = validate(frame(rows), rubric)
    assert [p for p in problems if p.severity == "error"] == []
    return clean


def test_a_flag_that_hinges_on_one_2_2_judgement(zichuan):
    """Seed 002 (2.2): "人员培训、工作制度落实不到位的，视情扣2-4分。" — A镇 was deducted 2 (daily 98, final 98.6); B镇 lost 3
    points on 5.1 (daily 97, final 97.9). Judged 4 instead of 2 (allowed), A镇 would score 97.2 and B镇 would hold the
    flag: the verdict names that judgement, and scoring the witness through the engine gives B镇 the flag."""
    rows = (unit("A镇", {("2.2", "酌情扣分"): "2"}) + unit("B镇", {("5.1", "问题次数"): "3"})
            + unit("C镇", {("1.1", ""): "标准型"}) + unit("D镇", {("1.1", ""): "基础型"}))
    obs = valid(rows, zichuan)
    result = analyse(obs, zichuan)
    [verdict] = result.groups
    assert (verdict.flag_now, verdict.flag_robust) == ("红旗：A镇", False)
    [witness] = verdict.flag_witnesses
    assert witness.outcome == "红旗：B镇"
    assert witness.changes == [{"line": "第7行", "entity": "A镇", "indicator": "2.2", "item": "酌情扣分", "value": "2",
                                "to": "4"}]
    assert verdict.summary == "取决于评判：A镇 2.2 酌情扣分 2→4 ⇒ 红旗：B镇"
    again = score(apply_witness(frame(rows), witness), zichuan).league
    assert again.loc[again["flag"] == "红旗", "entity"].tolist() == ["B镇"]
    table = result.table.set_index("entity")
    assert table.loc["A镇", ["final", "final_min", "final_max", "best_rank", "worst_rank"]].tolist() == [
        98.6, 97.2, 98.6, 1, 2]
    assert table.loc["B镇", ["final_min", "final_max", "flag_possible"]].tolist() == [97.9, 97.9, True]


def test_the_witness_names_only_the_judgement_the_flag_hinges_on(zichuan):
    """Seed 002 (2.2): "人员培训、工作制度落实不到位的，视情扣2-4分。" — as above, but C镇 and D镇 were judged too (2.2: 3 and
    4, 8.5: 4). The scenario under which B镇 gets the flag moves every unit's judgements; the witness keeps only the
    one the flag hinges on, A镇's 2.2, and scoring it normally still gives B镇 the flag."""
    rows = (unit("A镇", {("2.2", "酌情扣分"): "2"}) + unit("B镇", {("5.1", "问题次数"): "3"})
            + unit("C镇", {("1.1", ""): "标准型", ("2.2", "酌情扣分"): "3"}) + [fact("C镇", "8.5", "酌情扣分", "4")]
            + unit("D镇", {("1.1", ""): "基础型", ("2.2", "酌情扣分"): "4"}))
    obs = valid(rows, zichuan)
    [verdict] = analyse(obs, zichuan).groups
    [witness] = verdict.flag_witnesses
    assert (witness.scenario, witness.outcome) == ("worst:A镇", "红旗：B镇")
    assert witness.changes == [{"line": "第7行", "entity": "A镇", "indicator": "2.2", "item": "酌情扣分", "value": "2",
                                "to": "4"}]
    assert verdict.summary == "取决于评判：A镇 2.2 酌情扣分 2→4 ⇒ 红旗：B镇"
    again = score_valid(apply_witness(obs, witness), zichuan, reasons=False).league
    assert again.loc[again["flag"] == "红旗", "entity"].tolist() == ["B镇"]


def test_a_wide_margin_is_robust(zichuan):
    """Seed 002 (8.5): "经核查属实的视情况扣 3-5 分。" — A镇 (100) leads B镇 (标准型 −4 and 8.5 −5: daily 91, final
    93.7) by 6.3; B镇's deduction judged 3 instead of 5 gives 95.1, still 4.9 behind: the flag is robust, and no 好
    can change."""
    rows = (unit("A镇") + unit("B镇", {("1.1", ""): "标准型"}) + [fact("B镇", "8.5", "酌情扣分", "5")]
            + unit("C镇", {("1.1", ""): "基础型"}) + unit("D镇", {("1.1", ""): "基础型"}))
    result = analyse(valid(rows, zichuan), zichuan)
    [verdict] = result.groups
    assert (verdict.flag_now, verdict.flag_robust, verdict.flag_witnesses, verdict.good_witnesses) == (
        "红旗：A镇", True, [], {})
    assert verdict.summary == "稳健：在允许的评判范围内，结果（红旗：A镇）不会改变"
    assert result.table.set_index("entity").loc["B镇", ["final_min", "final_max"]].tolist() == [93.7, 95.1]


def test_a_judged_deduction_stays_a_deduction(zichuan):
    """Seed 002 (2.2): "人员培训、工作制度落实不到位的，视情扣2-4分。" — a 0 (nothing judged) stays 0; 3 moves within 2–4."""
    rows = unit("A镇", {("2.2", "酌情扣分"): "0"}) + unit("B镇", {("2.2", "酌情扣分"): "3"})
    assert judged_rows(valid(rows, zichuan), zichuan)[["entity", "value", "best", "worst"]].to_dict("records") == [
        {"entity": "B镇", "value": "3", "best": "2", "worst": "4"}]


# --- properties against a brute force over every range endpoint --------------------------------------------------

settings.register_profile("robust", max_examples=int(os.environ.get("ROBUST_EXAMPLES", "8")), deadline=None,
                          phases=[Phase.explicit, Phase.reuse, Phase.generate],
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def close_quarters(draw) -> list[dict]:
    """2–6 units close to each other, with judged 2.2, 8.4 and 8.5 rows (at most 7 judged rows in all)."""
    n = draw(st.integers(2, 6))
    rows, judged = [], 0
    for i in range(n):
        changes = {("showcase", ""): draw(st.sampled_from(["90", "91", "92", "93.5"])),
                   ("5.1", "问题次数"): str(draw(st.integers(0, 2)))}
        if judged < 7 and draw(st.booleans()):
            changes[("2.2", "酌情扣分")] = draw(st.sampled_from(["0", "2", "3", "4", "2.5"]))
            judged += 1
        rows += unit(f"U{i}", changes)
        for code, lo, hi in (("8.4", 1, 3), ("8.5", 3, 5)):
            if judged < 7 and draw(st.integers(0, 3)) == 0:
                rows.append(fact(f"U{i}", code, "酌情扣分", str(draw(st.integers(lo, hi)))))
                judged += 1
    return rows


def brute_force(obs: pd.DataFrame, rubric) -> pd.DataFrame:
    """Every combination of range endpoints of every judged row, scored in one engine call."""
    judged = judged_rows(obs, rubric)
    ends = [sorted({r.best, r.worst}) for r in judged.itertuples()]
    parts = []
    for k, combo in enumerate(itertools.product(*ends)):
        part = obs.copy()
        part.loc[judged["row"].to_numpy(), "value"] = list(combo)
        part["period"] = part["period"] + SEP + str(k)
        parts.append(part)
    return score_valid(pd.concat(parts, ignore_index=True), rubric, reasons=False).league


@settings(settings.get_profile("robust"))
@given(rows=close_quarters())
def test_verdicts_equal_a_brute_force_over_every_range_endpoint(zichuan, rows):
    obs = valid(rows, zichuan)
    result = analyse(obs, zichuan)
    every = brute_force(obs, zichuan)
    per_unit = every.groupby("entity").agg(final_min=("final", "min"), final_max=("final", "max"),
                                           best_rank=("rank", "min"), worst_rank=("rank", "max"),
                                           good_possible=("grade", lambda g: (g == "好").any()),
                                           good_certain=("grade", lambda g: (g == "好").all()),
                                           flag_possible=("flag", lambda f: (f == "红旗").any()))
    table = result.table.set_index("entity")[per_unit.columns]
    pd.testing.assert_frame_equal(table.sort_index(), per_unit.sort_index(), check_dtype=False)
    outcomes = {"、".join(sorted(g.loc[g["flag"] != "", "entity"])) + "|" + "".join(sorted(set(g["flag"]) - {""}))
                for _, g in every.groupby("period")}
    [verdict] = result.groups
    assert verdict.flag_robust == (len(outcomes) == 1)
    for witness in verdict.flag_witnesses:  # each witness, scored normally, gives the outcome it claims
        league = score_valid(apply_witness(obs, witness), zichuan, reasons=False).league
        held = league[league["flag"] != ""]
        assert f"{held['flag'].iloc[0]}：{'、'.join(sorted(held['entity']))}" == witness.outcome
    for entity, witness in verdict.good_witnesses.items():  # so does each 好 witness
        league = score_valid(apply_witness(obs, witness), zichuan, reasons=False).league.set_index("entity")
        assert f"{entity} {'获得' if league.at[entity, 'grade'] == '好' else '失去'}“好”" == witness.outcome


@settings(settings.get_profile("robust"))
@given(rows=close_quarters(), data=st.data())
def test_when_robust_no_random_allowed_judgement_changes_the_winner(zichuan, rows, data):
    obs = valid(rows, zichuan)
    [verdict] = analyse(obs, zichuan).groups
    if not verdict.flag_robust:
        return
    judged = judged_rows(obs, zichuan)
    moved = obs.copy()
    for r in judged.itertuples():
        lo, hi = sorted([float(r.best), float(r.worst)])
        moved.loc[r.row, "value"] = f"{data.draw(st.integers(int(lo * 10), int(hi * 10))) / 10:g}"
    league = score_valid(moved, zichuan, reasons=False).league
    held = league[league["flag"] != ""]
    assert f"{held['flag'].iloc[0]}：{'、'.join(sorted(held['entity']))}" == verdict.flag_now


def test_every_robustness_worked_example_quotes_the_seed():
    assert [t for t in unquoted_tests(globals()) if "brute" not in t and "random" not in t] == []


def test_robustness_quotes_are_verbatim_from_the_seed():
    assert SEED_002.exists() and quotes_not_in_seed(globals()) == []
