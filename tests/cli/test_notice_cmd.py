"""``flagboard notice``: the 通报 from the command line as .docx, .pdf or .xlsx (bad input: exit 2, nothing written)."""
from __future__ import annotations

import subprocess

import docx
import pytest

from documents.notice import read_notice_table
from tests.conftest import flagboard_script
from tests.demo_stores import small_store


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    return str(small_store(tmp_path_factory.mktemp("notice-cli") / "small.duckdb"))


def run(*args):
    return subprocess.run([flagboard_script(), "notice", *args], capture_output=True, text=True, timeout=180)


def test_docx_with_number_and_date(db, tmp_path, monkeypatch):
    out = tmp_path / "通报.docx"
    res = run("--db", db, "--rubric", "zichuan-2022", "--period", "2022Q1", "--number", "淄政服办〔2022〕7号",
              "--date", "2022-04-10", "--out", str(out))
    assert res.returncode == 0, res.stderr
    lines = [p.text for p in docx.Document(str(out)).paragraphs]
    assert lines[1] == "淄政服办〔2022〕7号" and "2022年4月10日" in lines
    assert "担当作为流动红旗：A。" in lines
    assert "尚未设置发文单位和落款" in res.stderr
    # 2022Q1 is a draft: the notice says so in its title, and on stderr
    assert "关于淄川区2022年度镇（街道、开发区）政务服务工作评估2022年第1季度结果的通报（草稿）" in lines
    assert "2022Q1 尚未发布，通报标为“草稿”" in res.stderr


def test_xlsx_holds_the_table(db, tmp_path):
    out = tmp_path / "通报.xlsx"
    assert run("--db", db, "--rubric", "zichuan-2022", "--period", "2022Q2", "--out", str(out)).returncode == 0
    table = read_notice_table(out.read_bytes()).fillna("")
    assert table["单位"].tolist() == ["A", "B", "C", "D", "E", "F"] and table["红旗"].tolist()[:2] == ["待定", "待定"]


@pytest.mark.parametrize("args, message", [
    (("--period", "2030Q1", "--out", "x.pdf"), "2030Q1 没有 zichuan-2022 的评分结果"),
    (("--period", "2022Q1", "--out", "x.txt"), "--out 应以 .docx、.pdf、.xlsx 结尾"),
    (("--period", "2022Q1", "--date", "2022-02-30", "--out", "x.pdf"), "不是日期"),
    (("--period", "2022Q1", "--group", "东区", "--out", "x.pdf"), "没有组别 '东区'"),
])
def test_bad_input_exits_2_and_writes_nothing(db, tmp_path, args, message):
    args = tuple(str(tmp_path / a) if a.startswith("x.") else a for a in args)
    res = run("--db", db, "--rubric", "zichuan-2022", *args)
    assert res.returncode == 2 and message in res.stderr
    assert list(tmp_path.iterdir()) == []
