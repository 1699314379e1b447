"""`flagboard score` run as the installed console script, in a subprocess (DESIGN.md § Command line)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "zichuan-2022Q2"
FLAGBOARD = shutil.which("flagboard")

pytestmark = pytest.mark.skipif(FLAGBOARD is None, reason="the flagboard console script is not installed")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([FLAGBOARD, *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_score_reproduces_the_shared_example(tmp_path):
    out, detail = tmp_path / "league.csv", tmp_path / "detail.csv"
    res = run("score", "--rubric", "zichuan-2022", "--input", str(FIXTURE / "observations.csv"),
              "--out", str(out), "--detail", str(detail))
    assert res.returncode == 0, res.stderr
    got = pd.read_csv(out, dtype=str, keep_default_na=False)
    want = pd.read_csv(FIXTURE / "league.csv", dtype=str, keep_default_na=False)
    assert list(got.columns) == ["period", "entity", "daily", "showcase", "final", "rank", "grade", "flag"]
    assert got.to_dict("records") == want.to_dict("records")
    d = pd.read_csv(detail, dtype=str, keep_default_na=False)
    assert list(d.columns) == ["period", "entity", "indicator", "name", "points", "max", "lost", "reason"]
    assert len(d) == 13 * 22  # 13 units × (20 indicators incl. bonus/penalty + showcase + ...)
    row = d[(d["entity"] == "岭子镇") & (d["indicator"] == "4.1")].iloc[0].to_dict()
    assert row == {"period": "2022Q2", "entity": "岭子镇", "indicator": "4.1", "name": "设施设备配置",
                   "points": "1.0000", "max": "5.0000", "lost": "4.0000", "reason": "设备故障 4 次 −4"}


def test_score_accepts_xlsx(tmp_path):
    obs = pd.read_csv(FIXTURE / "observations.csv", dtype=str, keep_default_na=False)
    xlsx = tmp_path / "obs.xlsx"
    obs.to_excel(xlsx, index=False, sheet_name="观测")
    out = tmp_path / "league.csv"
    res = run("score", "--rubric", "zichuan-2022", "--input", str(xlsx), "--out", str(out))
    assert res.returncode == 0, res.stderr
    want = pd.read_csv(FIXTURE / "league.csv", dtype=str, keep_default_na=False)
    assert pd.read_csv(out, dtype=str, keep_default_na=False).to_dict("records") == want.to_dict("records")


def test_bad_input_exit_2_lists_every_problem_and_writes_nothing(tmp_path):
    lines = (FIXTURE / "observations.csv").read_text(encoding="utf-8").splitlines()
    # line numbers count the header as line 1: data row k of the list is line k + 1
    lines[2] = lines[2].replace("标杆型站点数,0", "标杆型站点数,abc")      # line 3: not a number
    lines[6] = lines[6].replace("2.2,酌情扣分,0", "2.2,酌情扣分,5")         # line 7: out of 0 or 2–4
    lines[1] = lines[1].replace("2022Q2", "2022-Q2")                      # line 2: bad period
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, detail = tmp_path / "league.csv", tmp_path / "detail.csv"
    res = run("score", "--rubric", "zichuan-2022", "--input", str(bad), "--out", str(out), "--detail", str(detail))
    assert res.returncode == 2
    assert not out.exists() and not detail.exists()
    assert "第2行" in res.stderr and "2022-Q2" in res.stderr
    assert "第3行" in res.stderr and "“abc”" in res.stderr
    assert "第7行" in res.stderr and "0 或 2–4" in res.stderr
    assert res.stderr.count("[错误 error]") >= 3


def test_unknown_rubric_is_exit_2_naming_the_presets(tmp_path):
    res = run("score", "--rubric", "nope", "--input", str(FIXTURE / "observations.csv"),
              "--out", str(tmp_path / "x.csv"))
    assert res.returncode == 2
    assert "zichuan-2022" in res.stderr
    assert not (tmp_path / "x.csv").exists()


def test_missing_input_file_is_exit_2(tmp_path):
    res = run("score", "--rubric", "zichuan-2022", "--input", str(tmp_path / "none.csv"),
              "--out", str(tmp_path / "x.csv"))
    assert res.returncode == 2
    assert "文件不存在" in res.stderr


def test_demo_import_export_round_trip(tmp_path):
    db = tmp_path / "store.duckdb"
    res = run("import", "--db", str(db), "--rubric", "zichuan-2022", "--who", "测试员",
              str(FIXTURE / "observations.csv"))
    assert res.returncode == 0, res.stderr
    out = tmp_path / "exported.csv"
    res = run("export", "--db", str(db), "--rubric", "zichuan-2022", "--period", "2022Q2", "--out", str(out))
    assert res.returncode == 0, res.stderr
    want = pd.read_csv(FIXTURE / "league.csv", dtype=str, keep_default_na=False)
    assert pd.read_csv(out, dtype=str, keep_default_na=False).to_dict("records") == want.to_dict("records")


def test_demo_store_has_13_units_8_quarters_and_the_constructed_ties(tmp_path):
    db = tmp_path / "demo.duckdb"
    res = run("demo", "--db", str(db))
    assert res.returncode == 0, res.stderr
    assert "演示数据" in res.stdout
    from queries.store import Store

    with Store(db, read_only=True) as store:
        totals = store.query("trend_totals", scheme="zichuan-2022")
        entities = store.league("zichuan-2022", "2022Q1")
    assert totals.groupby("period").size().to_dict() == {f"{y}Q{q}": 13 for y in (2022, 2023) for q in range(1, 5)}
    assert bool(entities["is_demo"].all())
    flags = totals[totals["flag"] != ""].groupby("period")["flag"].apply(sorted).to_dict()
    assert flags["2022Q4"] == ["待定", "待定"]  # a full tie at the top: the office decides
    firsts = totals[totals["rank"] == 1].groupby("period")["flag"].apply(sorted).to_dict()
    assert ["", "红旗"] in firsts.values()  # a top tie broken by the tie-breakers in some quarter
    good = totals[totals["grade"] == "好"].groupby("period").size()
    assert good["2023Q3"] == 5  # a tie at the 好 cutoff gives five 好
    assert (good >= 4).all()
