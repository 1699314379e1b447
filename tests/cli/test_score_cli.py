"""`flagboard score` run as the installed console script, in a subprocess (DESIGN.md § Command line)."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pandas as pd

from queries.league import league
from queries.trends import totals as trend_totals
from tests.conftest import flagboard_script

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "zichuan-2022Q2"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([flagboard_script(), *args], capture_output=True, text=True, cwd=cwd, timeout=120)


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
        totals = trend_totals(store, "zichuan-2022")
        entities = league(store, "zichuan-2022", "2022Q1")
    assert totals.groupby("period").size().to_dict() == {f"{y}Q{q}": 13 for y in (2022, 2023) for q in range(1, 5)}
    assert bool(entities["is_demo"].all())
    flags = totals[totals["flag"] != ""].groupby("period")["flag"].apply(sorted).to_dict()
    assert flags["2022Q4"] == ["待定", "待定"]  # a full tie at the top: the office decides
    firsts = totals[totals["rank"] == 1].groupby("period")["flag"].apply(sorted).to_dict()
    assert ["", "红旗"] in firsts.values()  # a top tie broken by the tie-breakers in some quarter
    good = totals[totals["grade"] == "好"].groupby("period").size()
    assert good["2023Q3"] == 5  # a tie at the 好 cutoff gives five 好
    assert (good >= 4).all()


# --- files that cannot be read or written: a message and exit 2, never a traceback, never half an output --------


def _score(tmp_path, input_path, *extra) -> tuple[subprocess.CompletedProcess, Path]:
    out = tmp_path / "league.csv"
    return run("score", "--rubric", "zichuan-2022", "--input", str(input_path), "--out", str(out), *extra), out


def test_corrupt_xlsx_is_exit_2_with_a_message(tmp_path):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    res, out = _score(tmp_path, bad)
    assert (res.returncode, out.exists()) == (2, False)
    assert "Traceback" not in res.stderr and "broken.xlsx" in res.stderr


def test_xlsx_with_a_column_named_twice_is_refused(tmp_path):
    obs = pd.read_csv(FIXTURE / "observations.csv", dtype=str, keep_default_na=False)
    obs["value2"] = obs["value"]
    xlsx = tmp_path / "twice.xlsx"
    obs.rename(columns={"value2": "value"}).to_excel(xlsx, index=False, sheet_name="观测")
    res, out = _score(tmp_path, xlsx)
    assert (res.returncode, out.exists()) == (2, False)
    assert "列 “value” 出现了 2 次" in res.stderr and "Traceback" not in res.stderr


def test_formula_cells_are_refused_as_on_import(tmp_path):
    import openpyxl

    obs = pd.read_csv(FIXTURE / "observations.csv", dtype=str, keep_default_na=False)
    xlsx = tmp_path / "formula.xlsx"
    obs.to_excel(xlsx, index=False, sheet_name="观测")
    wb = openpyxl.load_workbook(xlsx)
    wb["观测"]["E3"] = "=1+1"
    wb.save(xlsx)
    res, out = _score(tmp_path, xlsx)
    assert (res.returncode, out.exists()) == (2, False)
    assert "观测!E3" in res.stderr and "公式" in res.stderr


def test_unwritable_detail_path_writes_neither_file(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x", encoding="utf-8")
    res, out = _score(tmp_path, FIXTURE / "observations.csv", "--detail", str(blocker / "detail.csv"))
    assert res.returncode == 2 and "无法写入输出文件" in res.stderr and "Traceback" not in res.stderr
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-dir"]  # no temp file left behind


def test_problems_are_listed_in_file_order(tmp_path):
    lines = (FIXTURE / "observations.csv").read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4].replace("缺项数,5", "缺项数,x")          # line 5
    lines[2] = lines[2].replace("标杆型站点数,0", "标杆型站点数,y")  # line 3
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res, _ = _score(tmp_path, bad)
    found = [ln.split("]")[1].split(":")[0].strip() for ln in res.stderr.splitlines() if ln.startswith("[错误")]
    assert found == ["第3行", "第5行"]
