"""``flagboard payout``, ``flagboard contract`` and ``flagboard robustness``, end to end on stores and files."""
from __future__ import annotations

import getpass
from pathlib import Path

import pandas as pd

from cli.main import main as flagboard
from queries.audit import audit_log
from queries.store import Store
from scoring.rubric import load_rubric
from tests.conftest import frame, unit

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "examples" / "haikou-2023" / "observations.csv"
PAYOUT = "window,entity,months,mean,band,rate,price,base_amount,certified,target,shortfall,deduction,payout"


def run(capsys, *args) -> tuple[int, str, str]:
    code = flagboard([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_payout_from_an_observation_file_with_the_default_price(capsys, tmp_path):
    """Seed 003 (五 (二) 注 1): "绩效考核金额=中标价*10%*考核系数" — the worked example's first year: mean 88, band 85%,
    the rubric's default price 11,265,500 (no terms entered: no shortfall): 1,126,550 × 85% = 957,567.50."""
    out = tmp_path / "payout.csv"
    code, _, err = run(capsys, "payout", "--rubric", "haikou-2023", "--input", EXAMPLE, "--window", "第一年", "--out", out)
    assert code == 0, err
    assert out.read_text(encoding="utf-8").splitlines() == [
        PAYOUT, "第一年,政务大厅外包服务商（示例）,11,88.0000,80≤X<90，支付85%,0.85,11265500.00,957567.50,,,0,0.00,957567.50"]


def test_contract_terms_are_stored_audited_and_used(capsys, tmp_path):
    """Seed 003 (五 (二) 注 2): "未通过一人按中标价*10%*0.5%扣除" — price 10,000,000, 50 of the 56 required passed:
    6 short × 10,000,000 × 10% × 0.5% = 30,000 off the band amount."""
    db = tmp_path / "h.duckdb"
    with Store(db) as store:
        store.import_observations(load_rubric("haikou-2023"), pd.read_csv(EXAMPLE, dtype=str, keep_default_na=False),
                                  who="张三", source="ex.csv")
    code, _, err = run(capsys, "contract", "--db", db, "--rubric", "haikou-2023", "--window", "第一年",
                       "--price", "10000000", "--target", "56", "--certified", "50", "--who", "财务科")
    assert code == 0, err
    out = tmp_path / "payout.csv"
    code, _, err = run(capsys, "payout", "--db", db, "--rubric", "haikou-2023", "--window", "第一年", "--out", out)
    assert code == 0, err
    assert out.read_text(encoding="utf-8").splitlines()[1] == (
        "第一年,政务大厅外包服务商（示例）,11,88.0000,80≤X<90，支付85%,0.85,10000000.00,850000.00,50,56,6,30000.00,820000.00")
    with Store(db) as store:
        log = audit_log(store, "haikou-2023")
    row = log[log["action"] == "contract_terms"].iloc[0]
    assert (row["period"], row["who"]) == ("第一年", f"{getpass.getuser()}（命令行，自称 财务科）")


def test_a_net_below_zero_is_floored_and_said(capsys, tmp_path):
    """Seed 003 (五 (二) 注 2): "未通过一人按中标价*10%*0.5%扣除" — 200 persons short cost more than the band pays: the net
    is floored at 0 (reading A20) and stderr says the reading decided it."""
    db = tmp_path / "h.duckdb"
    with Store(db) as store:
        store.import_observations(load_rubric("haikou-2023"), pd.read_csv(EXAMPLE, dtype=str, keep_default_na=False),
                                  who="张三", source="ex.csv")
    run(capsys, "contract", "--db", db, "--rubric", "haikou-2023", "--window", "第一年", "--target", "200",
        "--certified", "0")
    out = tmp_path / "payout.csv"
    code, _, err = run(capsys, "payout", "--db", db, "--rubric", "haikou-2023", "--window", "第一年", "--out", out)
    assert code == 0
    assert out.read_text(encoding="utf-8").splitlines()[1].endswith(",200,1126550.00,0.00")
    assert "净额最低为0（读法 A20，payout.floor_at_zero）" in err


def test_payout_refuses_an_unknown_contract_year_and_a_scheme_without_payout(capsys, tmp_path):
    code, _, err = run(capsys, "payout", "--rubric", "haikou-2023", "--input", EXAMPLE, "--window", "第九年",
                       "--out", tmp_path / "p.csv")
    assert (code, "没有合同年度 “第九年”" in err, (tmp_path / "p.csv").exists()) == (2, True, False)
    code, _, err = run(capsys, "payout", "--rubric", "zichuan-2022", "--input", EXAMPLE, "--out", tmp_path / "p.csv")
    assert code == 2 and "没有按考核结果付款的规定" in err


def test_robustness_names_the_judgement_the_flag_hinges_on(capsys, tmp_path, zichuan):
    """Seed 002 (2.2): "人员培训、工作制度落实不到位的，视情扣2-4分。" — A镇 leads because its deduction was judged 2."""
    db = tmp_path / "z.duckdb"
    rows = (unit("A镇", {("2.2", "酌情扣分"): "2"}) + unit("B镇", {("5.1", "问题次数"): "3"})
            + unit("C镇", {("1.1", ""): "标准型"}) + unit("D镇", {("1.1", ""): "基础型"}))
    with Store(db) as store:
        store.import_observations(zichuan, frame(rows), who="张三", source="q.csv")
    out, witnesses = tmp_path / "robust.csv", tmp_path / "witness.csv"
    code, _, err = run(capsys, "robustness", "--db", db, "--rubric", "zichuan-2022", "--period", "2022Q2",
                       "--out", out, "--witnesses", witnesses)
    assert code == 0, err
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "period,entity,final,final_min,final_max,best_rank,worst_rank,good_possible,good_certain," \
                       "flag_possible"
    assert "2022Q2,A镇,98.6000,97.2000,98.6000,1,2,1,1,1" in lines
    assert "2022Q2,B镇,97.9000,97.9000,97.9000,1,2,1,1,1" in lines
    assert "2022Q2 取决于评判：A镇 2.2 酌情扣分 2→4 ⇒ 红旗：B镇" in err
    assert pd.read_csv(witnesses, dtype=str)[["award", "entity", "indicator", "value", "to", "outcome"]].to_dict(
        "records") == [{"award": "flag", "entity": "A镇", "indicator": "2.2", "value": "2", "to": "4",
                        "outcome": "红旗：B镇"}]


def test_robustness_of_a_period_without_results_is_exit_2(capsys, tmp_path):
    code, _, err = run(capsys, "robustness", "--db", tmp_path / "e.duckdb", "--rubric", "zichuan-2022",
                       "--period", "2022Q2", "--out", tmp_path / "r.csv")
    assert (code, "没有评分结果" in err) == (2, True)

