"""The data verbs end to end: template → fill → import → export equals score; publish / reopen / undo / audit;
backup / restore; file refusals through ``flagboard import``; and a second process on a held store."""
from __future__ import annotations

import getpass
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from cli.main import main as flagboard
from scoring.demo import demo_observations
from scoring.rubric import load_rubric
from tests.conftest import csv_bytes, flagboard_script, unit
from tests.queries.helpers import snapshot

ROOT = Path(__file__).resolve().parents[2]
BUSY = "正被另一个程序（例如正在运行的看板或另一个命令）使用，请先关闭它再试 (the store is in use by another process; " \
       "close it and retry)"
LOCKED = ("2023Q1 的结果已发布并锁定，不能{}；如确需更改，请先“重新打开”该期间并填写理由 "
          "(period 2023Q1 is published and locked; reopen it with a reason first)")


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = flagboard([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def filled_template(path: Path, rubric_id: str = "zichuan-2022", period: str = "2023Q1", seed: int = 5) -> None:
    """Fill a template's value cells in place with valid values (the demo generator's, numbers as numbers)."""
    wb = openpyxl.load_workbook(path)
    ws = wb["数据"]
    entities = sorted({r[1].value for r in ws.iter_rows(min_row=2) if r[1].value})
    demo = demo_observations(load_rubric(rubric_id), entities, [period], seed=seed)
    values = {(e, i, it): v for e, i, it, v in zip(demo["entity"], demo["indicator"], demo["item"], demo["value"])}
    for row in ws.iter_rows(min_row=2):
        if row[1].value:
            value = values[(row[1].value, row[2].value, row[3].value or "")]
            try:
                row[4].value = float(value)
            except ValueError:
                row[4].value = value
    wb.save(path)


@pytest.fixture
def imported(tmp_path, capsys) -> tuple[str, Path]:
    """A store with a filled template of 2023Q1 (the Zichuan roster) imported."""
    db, xlsx = str(tmp_path / "store.duckdb"), tmp_path / "2023Q1.xlsx"
    assert run(capsys, "template", "--rubric", "zichuan-2022", "--period", "2023Q1", "--out", xlsx)[0] == 0
    filled_template(xlsx)
    assert run(capsys, "import", "--db", db, "--rubric", "zichuan-2022", "--who", "张三", xlsx)[0] == 0
    return db, xlsx


def test_a_filled_template_imports_and_exports_the_same_league_as_score(tmp_path, capsys):
    db, xlsx = str(tmp_path / "store.duckdb"), tmp_path / "2023Q1.xlsx"
    code, out, _ = run(capsys, "template", "--rubric", "zichuan-2022", "--period", "2023Q1", "--out", xlsx)
    assert (code, out.strip()) == (0, f"已生成模板 template: 13 个单位 units, 2023Q1 → {xlsx}")
    filled_template(xlsx)
    code, out, err = run(capsys, "import", "--db", db, "--rubric", "zichuan-2022", "--who", "张三", xlsx)
    assert code == 0, err
    assert out.strip() == (f"已导入 imported 299 rows as batch 1: 13 个新单位 new, 0 个更新 changed, 0 个不变 unchanged "
                           f"→ {db}")
    assert "只读取了工作表“数据”；其他工作表已忽略：说明、选项（隐藏 hidden）" in err
    assert run(capsys, "export", "--db", db, "--rubric", "zichuan-2022", "--period", "2023Q1",
               "--out", tmp_path / "export.csv")[0] == 0
    assert run(capsys, "score", "--rubric", "zichuan-2022", "--input", xlsx, "--out", tmp_path / "score.csv")[0] == 0
    exported = pd.read_csv(tmp_path / "export.csv", dtype=str, keep_default_na=False)
    scored = pd.read_csv(tmp_path / "score.csv", dtype=str, keep_default_na=False)
    assert len(exported) == 13
    assert exported.to_dict("records") == scored.to_dict("records")


def test_reimporting_prints_no_change(imported, capsys):
    db, xlsx = imported
    before = snapshot(db, skip=("audit", "audit_scope"))
    code, out, _ = run(capsys, "import", "--db", db, "--rubric", "zichuan-2022", "--who", "张三", xlsx)
    assert (code, out.strip()) == (0, f"无变化 no change: 299 rows are already stored exactly so → {db}")
    assert snapshot(db, skip=("audit", "audit_scope")) == before


def test_template_takes_units_from_the_store_or_a_file(imported, tmp_path, capsys):
    db, _ = imported
    code, out, _ = run(capsys, "template", "--rubric", "zichuan-2022", "--period", "2023Q2", "--db", db,
                       "--out", tmp_path / "t.xlsx")
    assert (code, out.split(":")[1].strip()) == (0, "13 个单位 units, 2023Q2 → " + str(tmp_path / "t.xlsx"))
    (tmp_path / "units.txt").write_text("甲镇\n乙镇\n", encoding="utf-8")
    run(capsys, "template", "--rubric", "zichuan-2022", "--period", "2023Q2", "--entities", tmp_path / "units.txt",
        "--out", tmp_path / "t2.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "t2.xlsx")["数据"]
    assert sorted({r[1].value for r in ws.iter_rows(min_row=2) if r[1].value}) == ["乙镇", "甲镇"]
    code, _, err = run(capsys, "template", "--rubric", "zichuan-2022", "--period", "2023-Q2", "--out", tmp_path / "x.xlsx")
    assert (code, err.strip()) == (2, "错误 error: 期间 “2023-Q2” 格式不对，应为 2022Q3 这样的格式 (bad period)")
    assert not (tmp_path / "x.xlsx").exists()


def test_publish_locks_and_reopen_undo_and_audit_work_from_the_command_line(imported, capsys):
    db, xlsx = imported
    args = ("--db", db, "--rubric", "zichuan-2022", "--period", "2023Q1")
    code, _, err = run(capsys, "publish", *args, "--who", "王主任")  # a draft skipping 公示 needs a reason
    assert (code, err.strip()) == (2, "错误 error: 2023Q1 未经公示直接从草稿发布必须填写理由 (a reason is required)")
    assert not (Path(db).parent / "backups").exists()  # a refused publish leaves no backup
    code, out, _ = run(capsys, "publish", *args, "--who", "王主任", "--why", "一季度通报")
    backups = list((Path(db).parent / "backups").iterdir())  # every publish leaves a verified backup (issue 12)
    assert (code, out) == (0, f"已发布 published 2023Q1: 13 个单位，期间已锁定 (locked)，状态：已发布\n"
                              f"已备份 backed up → {backups[0]}（已校验 SHA-256 verified）\n")
    for verb, action in (("import", "导入"), ("undo", "撤销")):
        extra = ("--db", db, "--rubric", "zichuan-2022", "--who", "张三", xlsx) if verb == "import" else args
        code, out, err = run(capsys, verb, *extra)
        assert (code, err.strip()) == (2, f"错误 error: {LOCKED.format(action)}")
    with pytest.raises(SystemExit) as exc:
        flagboard(["reopen", *args, "--who", "王主任"])
    assert exc.value.code == 2 and "the following arguments are required: --why" in capsys.readouterr().err
    assert run(capsys, "reopen", *args, "--who", "王主任", "--why", "复核")[0] == 0
    code, _, err = run(capsys, "undo", *args, "--who", "张三")
    assert (code, err.strip()) == (2, "错误 error: 撤销已发布后重新打开的期间 2023Q1 的数据必须填写理由 (a reason is required)")
    code, out, _ = run(capsys, "undo", *args, "--who", "张三", "--why", "重新导入")
    me = getpass.getuser()  # the command line records the OS account, with --who beside it as declared
    assert (code, out.strip()) == (0, f"已撤销 undone 2023Q1: 批次 batch #1（导入 import 2023Q1.xlsx，{me}），"
                                      "13 个单位恢复为此前的数据")
    code, out, _ = run(capsys, "audit", "--db", db, "--period", "2023Q1")
    zhang, wang = f"{me}（命令行，自称 张三）", f"{me}（命令行，自称 王主任）"
    assert [line.split("  ")[1:4] for line in out.strip().splitlines()] == [
        [zhang, "撤销", "2023Q1"], [zhang, "拒绝", "2023Q1"], [wang, "重新打开", "2023Q1"], [f"{me}（命令行）", "拒绝", "2023Q1"],
        [zhang, "拒绝", "2023Q1"], [wang, "发布", "2023Q1"], [wang, "拒绝", "2023Q1"], [zhang, "导入", "2023Q1"]]


def test_backup_and_restore_from_the_command_line(imported, tmp_path, capsys):
    db, _ = imported
    code, out, _ = run(capsys, "backup", "--db", db, "--out", tmp_path / "bk")
    assert code == 0 and out.startswith("已备份 backed up ")
    code, _, err = run(capsys, "backup", "--db", db, "--out", tmp_path / "bk")
    assert (code, err.strip()) == (2, f"错误 error: 备份目录 {tmp_path / 'bk'} 已存在且不为空，请换一个新目录 "
                                      f"(backup folder must be new or empty)")
    copy = tmp_path / "copy.duckdb"
    code, out, _ = run(capsys, "restore", "--db", copy, "--from", tmp_path / "bk")
    assert code == 0 and out.startswith("已恢复 restored ")
    original, restored = snapshot(db), snapshot(str(copy))
    assert {t: r for t, r in restored.items() if t != "audit"} == {t: r for t, r in original.items() if t != "audit"}
    # the audit as backed up, then the restore's own row (issue 12), recorded with the OS account
    assert restored["audit"][:-1] == original["audit"]
    assert restored["audit"][-1][2:4] == (getpass.getuser(), "restore")


def test_import_refuses_unsafe_files_and_writes_nothing(imported, tmp_path, capsys):
    db, _ = imported
    before = snapshot(db)
    big = tmp_path / "big.csv"
    big.write_bytes(csv_bytes(unit("A镇")) + b"#" * (21 * 1024 * 1024))
    code, _, err = run(capsys, "import", "--db", db, "--rubric", "zichuan-2022", big)
    assert code == 2
    assert err.splitlines()[1].startswith("[错误 error] 文件 big.csv: 文件太大（21.0 MB），上限为 20 MB")
    assert err.splitlines()[-1] == "未写入任何数据 (nothing was written)"
    wb = openpyxl.Workbook()
    wb.active.append(["period", "entity", "indicator", "item", "value", "ref", "note"])
    wb.active.append(["2023Q1", "洪山镇", "5.1", "问题次数", "=2+1", None, None])
    wb.save(tmp_path / "formula.xlsx")
    code, _, err = run(capsys, "import", "--db", db, "--rubric", "zichuan-2022", tmp_path / "formula.xlsx")
    assert (code, err.splitlines()[1]) == (2, "[错误 error] Sheet!E2: 这是公式单元格 (formula)：只能导入数值。"
                                              "请选中数据，复制后“选择性粘贴 → 数值”，再保存导入")
    assert snapshot(db) == before


# --- two processes on one store file ---------------------------------------------------------------------------

HOLDER = "import sys, time; from queries.store import Store; s = Store(sys.argv[1]); print('ready', flush=True); time.sleep(60)"


@pytest.fixture
def held(imported):
    """The store held open for writing by another process (as the running dashboard does)."""
    db, xlsx = imported
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, db], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    yield db, xlsx
    proc.kill()
    proc.wait(timeout=30)


def test_every_verb_on_a_held_store_exits_2_with_a_clear_message(held, tmp_path, capsys):
    db, xlsx = held
    p = ("--rubric", "zichuan-2022", "--period", "2023Q1")
    verbs = {
        "import": ("import", "--db", db, "--rubric", "zichuan-2022", xlsx),
        "export": ("export", "--db", db, *p, "--out", tmp_path / "e.csv"),
        "demo": ("demo", "--db", db),
        "template": ("template", *p, "--db", db, "--out", tmp_path / "t.xlsx"),
        "publish": ("publish", "--db", db, *p),
        "reopen": ("reopen", "--db", db, *p, "--why", "x"),
        "undo": ("undo", "--db", db, *p),
        "audit": ("audit", "--db", db),
        "backup": ("backup", "--db", db, "--out", tmp_path / "bk"),
        "restore": ("restore", "--db", db, "--from", tmp_path),
    }
    (tmp_path / "manifest.json").write_text('{"format": "flagboard-backup/1", "tables": {}}', encoding="utf-8")
    got = {verb: run(capsys, *args)[::2] for verb, args in verbs.items()}
    busy = {verb: (2, f"错误 error: 数据库文件 {db} {BUSY}\n") for verb in verbs}
    # backup says how to back up while the dashboard holds the store (issue 12)
    busy["backup"] = (2, f"错误 error: 数据库文件 {db} 正被另一个程序（例如正在运行的看板）使用，命令行无法打开它 (the store is "
                         f"held by another process; DuckDB allows one per file)。看板运行时请在看板“数据管理”页的“备份”标签点"
                         f"“立即备份”（写到数据库旁的 backups/ 文件夹，并可下载 ZIP）；或先停止看板，再运行 flagboard backup\n")
    assert got == busy
    assert not (tmp_path / "e.csv").exists() and not (tmp_path / "t.xlsx").exists()


def test_the_console_script_on_a_held_store_prints_no_trace(held):
    db, xlsx = held
    res = subprocess.run([flagboard_script(), "import", "--db", db, "--rubric", "zichuan-2022", str(xlsx)],
                         capture_output=True, text=True, timeout=120)
    assert (res.returncode, res.stderr) == (2, f"错误 error: 数据库文件 {db} {BUSY}\n")


@pytest.mark.parametrize("limit", ["0", "-1", "x"])
def test_audit_limit_must_be_a_positive_whole_number(capsys, tmp_path, limit):
    with pytest.raises(SystemExit) as exc:
        flagboard(["audit", "--db", str(tmp_path / "s.duckdb"), "--limit", limit])
    assert exc.value.code == 2
    assert f"argument --limit: 应为正整数 (a whole number ≥ 1): '{limit}'" in capsys.readouterr().err
    assert not (tmp_path / "s.duckdb").exists()
