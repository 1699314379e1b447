"""Hostile files at intake (issue 12): every class is refused — or read with a warning, for what NFKC fixes — with
a message naming the sheet, line or character, before anything expensive runs. Files are generated at test time.
"""
from __future__ import annotations

import dataclasses
import re
import warnings

import pandas as pd
import pytest

from scoring.intake import read_upload
from scoring.isolated import read_upload_isolated, run_child
from scoring.limits import GIB, Limits
from scoring.problems import InputError, Problem
from scoring.reader import _header_problems
from tests.conftest import HEADER, csv_bytes, fact, unit
from tests.hostile_files import (dense_bomb, narrow_wide_csv, rows_xlsx, sparse_bomb, text_cell, unpacked_size,
                                 wide_csv, xlsx_package, SHEET_START)
from tests.queries.helpers import xlsx_bytes

FIX = "请删除数据区域以外有内容或格式的行和列（或把数据复制到新工作簿）后另存为 .xlsx"
NO_BUDGETS = Limits(max_cells=10**15, max_columns=10**6)


def refused(name: str, raw: bytes, limits: Limits | None = None) -> list[Problem]:
    with pytest.raises(InputError) as exc:
        read_upload(name, raw, limits=limits)
    return exc.value.problems


@pytest.fixture(scope="module")
def dense() -> bytes:
    return dense_bomb()


# --- XLSX: the sheet's size is checked before calamine allocates it ------------------------------------------------


def test_the_sparse_bomb_is_small_and_refused_by_its_declared_dimension():
    raw = sparse_bomb()
    assert len(raw) < 2000  # one header row and one far cell
    assert refused("bomb.xlsx", raw) == [Problem("文件 bomb.xlsx", f"工作表“数据”声明的数据范围 (dimension A1:XFD1048576) "
                                                                 f"宽到第 16,384 列（XFD 列），超过上限 64 列；{FIX} "
                                                                 f"(sheet too wide: 16384 columns)")]


def test_a_sparse_bomb_whose_dimension_lies_is_refused_by_its_cell_references():
    assert refused("bomb.xlsx", sparse_bomb(declared=False)) == [Problem(
        "文件 bomb.xlsx", f"工作表“数据”的数据区域宽到第 16,384 列（XFD 列），超过上限 64 列；{FIX} "
                         f"(sheet too wide: 16384 columns)")]


def test_the_dense_bomb_is_refused_soon_after_the_first_row_beyond_the_cell_budget(dense):
    assert len(dense) < 3_000_000 and unpacked_size(dense) > 390_000_000  # ~2.4 MB → ~390 MB of cells
    [problem] = refused("dense.xlsx", dense)
    found = re.fullmatch(rf"工作表“数据”的数据区域有 至少 ([\d,]+) 行 × 64 列 = ([\d,]+) 个单元格，超过上限 2,000,000 个"
                         rf"单元格；{FIX} \(sheet too large: (\d+) rows × 64 columns\)", problem.message)
    assert problem.where == "文件 dense.xlsx" and found, problem.message
    rows = int(found.group(3))
    # stopped within the first megabyte of XML past the budget, not after 400,000 rows
    assert 2_000_000 // 64 < rows < 2_000_000 // 64 + 2_000 and int(found.group(2).replace(",", "")) == rows * 64


def test_one_column_beyond_the_column_budget_is_refused():
    wide = SHEET_START + "<sheetData>" + f'<row r="1">{text_cell("A1", "period")}{text_cell("BM1", "x")}</row>' \
        + "</sheetData></worksheet>"
    assert refused("wide.xlsx", xlsx_package([wide])) == [Problem(
        "文件 wide.xlsx", f"工作表“数据”的数据区域宽到第 65 列（BM 列），超过上限 64 列；{FIX} (sheet too wide: 65 columns)")]


def test_the_budgets_are_settings_with_defaults(monkeypatch):
    assert (Limits().max_cells, Limits().max_columns, Limits().parse_memory_bytes) == (2_000_000, 64, GIB)
    monkeypatch.setenv("FLAGBOARD_MAX_CELLS", "100")
    monkeypatch.setenv("FLAGBOARD_PARSE_TIMEOUT_S", "7.5")
    assert (Limits.from_env().max_cells, Limits.from_env().parse_timeout_s) == (100, 7.5)
    rows = unit("A镇")  # 23 rows + the header = 24 rows × 7 columns = 168 cells
    assert refused("obs.xlsx", rows_xlsx(rows), Limits.from_env()) == [Problem(
        "文件 obs.xlsx", f"工作表“数据”的数据区域有 至少 24 行 × 7 列 = 168 个单元格，超过上限 100 个单元格；{FIX} "
                        f"(sheet too large: 24 rows × 7 columns)")]
    monkeypatch.setenv("FLAGBOARD_MAX_CELLS", "many")
    with pytest.raises(ValueError, match="FLAGBOARD_MAX_CELLS='many' 不是数字"):
        Limits.from_env()


def test_a_workbook_with_a_dtd_is_refused_without_expanding_it():
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>')
    assert refused("lol.xlsx", xlsx_package([laughs])) == [Problem(
        "文件 lol.xlsx", "工作簿含有 DTD 或实体声明，不是 Excel 正常保存的文件 (DTD in workbook XML)")]


def test_unreferenced_and_referenced_cells_are_placed_as_calamine_places_them():
    """Cells without an r attribute are the next column (row 2: A–C); a formula's cell is named even then."""
    header = "".join(text_cell(c + "1", h) for c, h in zip("ABCDEFG", HEADER))
    sheet = (SHEET_START + "<sheetData>" + f'<row r="1">{header}</row>'
             '<row r="2"><c><v>1</v></c><c><v>2</v></c><c><f>1+1</f><v>2</v></c></row>'
             '<row><c r="G9"><v>1</v></c></row></sheetData></worksheet>')
    problems = refused("f.xlsx", xlsx_package([sheet]))
    assert problems == [Problem("数据!C2", "这是公式单元格 (formula)：只能导入数值。请选中数据，复制后“选择性粘贴 → 数值”，"
                                         "再保存导入")]


# --- CSV: line length and header width before pandas, a linear duplicate check ------------------------------------


def test_a_million_column_header_is_refused_as_one_long_line():
    raw = wide_csv()
    first = len(raw.split(b"\n", 1)[0])
    assert refused("wide.csv", raw) == [Problem("第1行", f"这一行长 {first:,} 字节，超过上限 65,536 字节；每行只应有一条观测"
                                                        f"数据，请检查是否缺少换行，或某格粘贴了大段文字 "
                                                        f"(line too long: {first} bytes)")]


def test_a_header_wider_than_the_column_budget_is_refused():
    assert refused("wide.csv", narrow_wide_csv(200)) == [Problem(
        "wide.csv 表头 header", "表头有 200 列，超过上限 64 列；表头应为 period,entity,indicator,item,value,ref,note"
                               "（可选 group）(too many columns: 200)")]


def test_a_long_data_line_is_named():
    rows = unit("A镇")
    rows[4]["note"] = "备" * 30_000  # 90,000 bytes in UTF-8
    raw = csv_bytes(rows)
    size = len(raw.split(b"\n")[5])
    assert refused("obs.csv", raw) == [Problem("第6行", f"这一行长 {size:,} 字节，超过上限 65,536 字节；每行只应有一条观测"
                                                       f"数据，请检查是否缺少换行，或某格粘贴了大段文字 "
                                                       f"(line too long: {size} bytes)")]


def test_the_duplicate_header_check_is_linear_in_the_number_of_columns():
    """The old check counted each name with list.count: a million columns took hours; a Counter takes a second."""
    header = [f"c{i}" for i in range(1_000_000)] + ["C5 "]
    assert _header_problems(header, "x.csv") == [Problem("x.csv 表头 header", "列 “c5” 出现了 2 次，每列只能有一个 "
                                                                            "(column named twice)")]


# --- normalisation: NFKC for periods, codes and numbers; nothing invisible in names -------------------------------


def filler(changes: dict | None = None, entity: str = "A镇") -> list[dict]:
    """A whole valid unit (23 rows: lines 2–24; 5.1 问题次数 on line 16, 6 第1月 on line 20), with ``changes``
    ({(indicator, item): value})."""
    return unit(entity, changes)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_full_width_period_is_read_as_the_same_period_with_a_warning_per_line(fmt):
    rows = unit("A镇") + [dict(r, period="２０２２Q2") for r in unit("B镇")]
    raw = csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows)
    upload = read_upload(f"obs.{fmt}", raw)
    line = (lambda n: f"第{n}行") if fmt == "csv" else (lambda n: f"数据!{n}")
    warning = "期间 period “２０２２Q2” 含全角或兼容字符，已按 NFKC 规范化读作 “2022Q2”，请核对 (normalised by NFKC)"
    assert set(upload.obs["period"]) == {"2022Q2"}
    assert upload.notices == [Problem(line(n), warning, "warning") for n in range(25, 48)]


def test_full_width_codes_and_digits_are_normalised_with_a_warning():
    rows = filler({("5.1", "问题次数"): "３"})
    rows[-1]["indicator"] = "ｓｈｏｗｃａｓｅ"
    upload = read_upload("obs.csv", csv_bytes(rows))
    assert upload.notices == [
        Problem("第16行", "value “３” 含全角或兼容字符，已按 NFKC 规范化读作 “3”，请核对 (normalised by NFKC)", "warning"),
        Problem("第24行", "指标 indicator “ｓｈｏｗｃａｓｅ” 含全角或兼容字符，已按 NFKC 规范化读作 “showcase”，请核对 "
                         "(normalised by NFKC)", "warning")]
    assert upload.obs.loc[[14, 22], ["indicator", "value"]].values.tolist() == [["5.1", "3"], ["showcase", "100"]]


NON_ASCII = [
    # (column, value, message): digits NFKC cannot make ASCII, and codes that stay non-ASCII (a period's words are
    # the rubric's to check: a phase suffix such as 2024-自检 is Chinese)
    ("value", "٣", "value “٣” 含非 ASCII 数字 “٣”（U+0663 ARABIC-INDIC DIGIT THREE）；数字只能用 0–9 书写 (non-ASCII digit)"),
    ("period", "٢٠٢٢Q2", "期间 period “٢٠٢٢Q2” 含非 ASCII 数字 “٢”（U+0662 ARABIC-INDIC DIGIT TWO）、“٠”（U+0660 "
                         "ARABIC-INDIC DIGIT ZERO）；数字只能用 0–9 书写 (non-ASCII digit)"),
    ("indicator", "5.1号", "指标 indicator “5.1号” 含非 ASCII 字符 “号”（U+53F7 CJK UNIFIED IDEOGRAPH-53F7）；指标只能用"
                           "半角字母、数字和符号 (must be ASCII)"),
]


@pytest.mark.parametrize(("column", "value", "message"), [c for c in NON_ASCII if c[2]], ids=["value", "period",
                                                                                            "indicator"])
def test_what_nfkc_cannot_make_ascii_is_refused_naming_the_character(column, value, message):
    rows = filler()
    rows[18][column] = value  # 6 第1月, line 20
    assert [p for p in refused("obs.csv", csv_bytes(rows)) if p.severity == "error"] == [Problem("第20行", message)]


OUT_OF_RANGE = "超出允许范围，数值的绝对值不能超过 1,000,000,000 (number out of range: |x| ≤ 1e+09)"
NOT_FINITE = "不是有限的数 (not a finite number)"


@pytest.mark.parametrize(("value", "words"), [
    # beyond ±1e9: too large for any count, score or measure
    ("1e308", OUT_OF_RANGE), ("99999999999999999999", OUT_OF_RANGE), ("-1000000001", OUT_OF_RANGE),
    ("1e400", NOT_FINITE),  # overflows to inf
    # not numbers at all, though float() reads them
    ("inf", NOT_FINITE), ("-Infinity", NOT_FINITE), ("NaN", NOT_FINITE),
])
def test_numbers_must_be_finite_and_within_the_bound_without_numpy_warnings(value, words):
    rows = filler({("5.1", "问题次数"): value})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a numpy overflow warning fails the test
        assert refused("obs.csv", csv_bytes(rows)) == [Problem("第16行", f"value “{value}” {words}")]


def test_the_number_bound_is_a_setting():
    rows = filler({("2.3", "实绩"): "5000"})
    assert refused("obs.csv", csv_bytes(rows), Limits(max_number=1000)) == [Problem(
        "第24行", "value “5000” 超出允许范围，数值的绝对值不能超过 1,000 (number out of range: |x| ≤ 1000)")]


HIDDEN = [
    # (column, text, message): zero-width, bidi override, line separator, a control character
    ("entity", "洪山镇\u200b", "单位 entity “洪山镇⟨U+200B⟩” 含不可见或控制字符 U+200B ZERO WIDTH SPACE（常见于从网页或聊天软件"
                               "复制的文字）；请删除后重新输入，去掉后为 “洪山镇” (invisible or control character)"),
    ("entity", "洪\u202e山镇", "单位 entity “洪⟨U+202E⟩山镇” 含不可见或控制字符 U+202E RIGHT-TO-LEFT OVERRIDE（常见于从网页或"
                               "聊天软件复制的文字）；请删除后重新输入，去掉后为 “洪山镇” (invisible or control character)"),
    ("item", "问题\u2028次数", "细项 item “问题⟨U+2028⟩次数” 含不可见或控制字符 U+2028 LINE SEPARATOR（常见于从网页或聊天软件"
                               "复制的文字）；请删除后重新输入，去掉后为 “问题次数” (invisible or control character)"),
    ("ref", "R\x071", "事项编号 ref “R⟨U+0007⟩1” 含不可见或控制字符 U+0007（常见于从网页或聊天软件复制的文字）；请删除后重新"
                      "输入，去掉后为 “R1” (invisible or control character)"),
    ("note", "见\u202e通知", "备注 note “见⟨U+202E⟩通知” 含不可见或控制字符 U+202E RIGHT-TO-LEFT OVERRIDE（常见于从网页或聊天"
                             "软件复制的文字）；请删除后重新输入，去掉后为 “见通知” (invisible or control character)"),
]


# every case as CSV and as XLSX, except U+0007 in XLSX: XML 1.0 cannot carry it at all
HIDDEN_FILES = [(fmt, *case) for case in HIDDEN for fmt in ("csv", "xlsx") if not (fmt == "xlsx" and "\x07" in case[1])]


@pytest.mark.parametrize(("fmt", "column", "text", "message"), HIDDEN_FILES,
                         ids=[f"{f} {c} {t!r}" for f, c, t, _ in HIDDEN_FILES])
def test_invisible_characters_are_refused_in_names_and_notes_naming_line_and_character(fmt, column, text, message):
    rows = filler()
    rows[18][column] = text
    raw = csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows)
    where = "第20行" if fmt == "csv" else "数据!20"
    assert [p for p in refused(f"obs.{fmt}", raw) if p.message == message] == [Problem(where, message)]


def test_a_note_may_hold_tabs_and_line_breaks():
    rows = filler()
    rows[18]["note"] = "第一次\t现场检查\n第二次复查"
    upload = read_upload("obs.xlsx", xlsx_bytes(rows))
    assert upload.notices == [] and upload.obs["note"].iloc[18] == "第一次\t现场检查\n第二次复查"


def test_a_name_our_exports_neutralised_reads_back_as_it_was():
    rows = unit("'=1+1镇") + unit("'@x镇")
    rows[0]["note"] = "'-备注"
    upload = read_upload("obs.csv", csv_bytes(rows))
    assert sorted(set(upload.obs["entity"])) == ["=1+1镇", "@x镇"] and upload.obs["note"].iloc[0] == "-备注"


# --- look-alike unit names within one file (against the store: tests/queries/test_lookalike_import.py) --------------


@pytest.mark.parametrize(("plain", "odd"), [("A镇", "Ａ镇"), ("洪山镇", "洪山 镇"), ("洪山镇", "洪山镇\u3000")],
                         ids=["width", "space", "ideographic space inside"])
def test_a_unit_name_differing_only_by_width_or_spaces_is_an_error_naming_the_unit_meant(plain, odd):
    name = odd.strip()  # the reader trims names; an ideographic space at the end is trimmed like any space
    rows = unit(plain) + unit(name)
    if name == plain:
        assert read_upload("obs.csv", csv_bytes(rows)).obs["entity"].unique().tolist() == [plain]
        return
    assert refused("obs.csv", csv_bytes(rows)) == [Problem(
        "第25行", f"单位 “{name}”（23 行）与文件中的单位 “{plain}” 只差全角/半角、空格或不可见字符，可能就是 “{plain}”；"
                 f"请改为 “{plain}”，若确为另一单位，请改用能区分的名称 (look-alike of unit “{plain}”)")]


# --- the parsing child: its own limits, its peak memory, crashes and timeouts as messages ----------------------------


def test_the_child_reads_exactly_what_intake_reads_in_either_format():
    rows = unit("A镇") + [dict(r, period="２０２２Q2") for r in unit("B镇")]
    for name, raw in (("obs.csv", csv_bytes(rows)), ("obs.xlsx", xlsx_bytes(rows))):
        here, there = read_upload(name, raw), read_upload_isolated(name, raw)
        pd.testing.assert_frame_equal(there.obs, here.obs)
        assert (there.kind, there.notices) == (here.kind, here.notices)


def test_the_child_sets_its_own_address_space_limit_and_stays_under_it():
    rows = [r for n in range(400) for r in unit(f"单位{n:03d}")]  # 9,200 rows
    run = run_child({"name": "obs.xlsx", "path": None, "max_bytes": 10**9}, rows_xlsx(rows), Limits())
    assert run.header["status"] == "ok" and len(run.frame) == 9200
    assert run.peak["limit"] == GIB and 0 < run.peak["VmHWM"] <= run.peak["VmPeak"] <= GIB


def test_a_native_abort_in_the_child_becomes_a_message_and_this_process_lives_on():
    """With the budgets off, calamine asks for 512 GiB and aborts: the child dies (SIGABRT), never the caller."""
    run = run_child({"name": "bomb.xlsx", "path": None, "max_bytes": 10**9}, sparse_bomb(), NO_BUDGETS)
    assert run.returncode < 0 and "memory allocation of 549755813888 bytes failed" in run.stderr
    with pytest.raises(InputError) as exc:
        read_upload_isolated("bomb.xlsx", sparse_bomb(), limits=NO_BUDGETS)
    assert exc.value.problems == [Problem("文件 bomb.xlsx", "读取该文件需要的内存超过上限 1024 MB，已停止；文件可能过大或是"
                                                           "异常构造的文件，请按期间拆分，或在 Excel 中只保留数据后另存 "
                                                           "(reading needs more than 1024 MB)")]


def test_a_child_that_takes_too_long_is_stopped_with_a_message():
    with pytest.raises(InputError) as exc:
        read_upload_isolated("obs.csv", csv_bytes(unit("A镇")), limits=dataclasses.replace(Limits(),
                                                                                          parse_timeout_s=0.01))
    assert exc.value.problems == [Problem("文件 obs.csv", "读取文件超时（超过 0.01 秒），已停止；文件可能过大或结构异常，请按"
                                                         "期间拆分，或在 Excel 中只保留数据后另存 (reading timed out after "
                                                         "0.01 s)")]


def test_the_childs_refusals_are_the_same_problems_as_in_process():
    rows = unit("A镇") + unit("Ａ镇") + [fact("A镇", "8.1", "省级", "inf")]
    for name, raw in (("obs.csv", csv_bytes(rows)), ("obs.xlsx", xlsx_bytes(rows, numbers=False))):
        with pytest.raises(InputError) as here:
            read_upload(name, raw)
        with pytest.raises(InputError) as there:
            read_upload_isolated(name, raw)
        assert there.value.problems == here.value.problems and len(here.value.problems) == 2
