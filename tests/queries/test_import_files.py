"""File safety and every bad-input class through the store import, as CSV and as XLSX.

The bad-input classes are the core's (tests/scoring/test_validate.py): each goes through
``read_upload`` → ``Store.import_observations`` in both formats, must give exactly the core's problem with the
line of its format (CSV "第2行", XLSX "数据!2"), and must write nothing.
"""
from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from queries.league import league
from scoring.intake import MAX_BYTES, read_path, read_upload
from scoring.problems import InputError, Problem
from tests.conftest import HEADER, csv_bytes, fact, unit
from tests.queries.helpers import snapshot, xlsx_bytes
from tests.scoring.test_validate import MISSING, ONE_LINE, filler

FORMATS = ["csv", "xlsx"]


def as_file(rows: list[dict], fmt: str, header: list[str] | None = None) -> tuple[str, bytes]:
    if fmt == "csv":
        return "obs.csv", csv_bytes(rows, header=header)
    return "obs.xlsx", xlsx_bytes(rows, header=header)


def line(n: int, fmt: str) -> str:
    return f"第{n}行" if fmt == "csv" else f"数据!{n}"


def import_problems(store, zichuan, name: str, raw: bytes) -> list[Problem]:
    """Problems of reading then importing a file; asserts the store was left untouched."""
    before = snapshot(store)
    with pytest.raises(InputError) as exc:
        upload = read_upload(name, raw)
        store.import_observations(zichuan, upload.obs, who="张三", source=name)
    assert snapshot(store) == before
    return exc.value.problems


# --- every bad-input class of the core, in both formats ---------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("explicit", "message"), [c[1:] for c in ONE_LINE], ids=[c[0] for c in ONE_LINE])
def test_one_bad_row_is_named_by_its_line_and_nothing_is_written(store, zichuan, fmt, explicit, message):
    name, raw = as_file(explicit + filler(explicit, ["A镇"]), fmt)
    assert import_problems(store, zichuan, name, raw) == [Problem(line(2, fmt), message)]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("dropped", "where", "message"), MISSING, ids=[f"{d[0]} {d[1]}" for d, *_ in MISSING])
def test_a_missing_fact_is_named_by_unit_and_indicator(store, zichuan, fmt, dropped, where, message):
    name, raw = as_file(filler([], ["A镇"], drop=(dropped,)), fmt)
    assert import_problems(store, zichuan, name, raw) == [Problem(where, message)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_duplicates_bad_periods_and_mixed_ranks_are_all_listed_at_once_in_file_order(store, zichuan, fmt):
    explicit = [fact("A镇", "5.1", "问题次数", "1"), fact("A镇", "5.1", "问题次数", "2"),
                fact("A镇", "2.3", "名次", "1"), fact("B镇", "2.3", "实绩", "9"),
                fact("B镇", "5.1", "问题次数", "0", period="2022-Q2")]
    name, raw = as_file(explicit + filler(explicit, ["A镇", "B镇"]), fmt)
    assert import_problems(store, zichuan, name, raw) == [
        Problem(f"{line(2, fmt)}、{line(3, fmt)}", "2022Q2 A镇 指标 5.1 的 问题次数 重复填写了 2 次，只能有一行 (duplicate fact)"),
        Problem(line(6, fmt), "期间 period “2022-Q2” 格式不对，应为 2022Q3 这样的格式 (period must look like 2022Q3)"),
        Problem("2022Q2 指标 2.3",
                "同一期间内有的单位填名次、有的填实绩，必须统一为一种 (a rank indicator mixes 名次 and 实绩)"),
        Problem("2022Q2 B镇 指标 5.1", "缺少 加强现场管理 的细项 “问题次数”，不能按 0 分处理，请补录 (missing)"),
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_missing_column_is_reported_with_the_expected_header(store, zichuan, fmt):
    header = ["period", "entity", "indicator", "item", "value"]
    name, raw = as_file(unit("A镇"), fmt, header=header)
    where = "obs.csv 表头 header" if fmt == "csv" else "数据 表头 header"
    assert import_problems(store, zichuan, name, raw) == [Problem(where, "缺少列 missing column(s): ref, note；"
                                                                         "表头应为 period,entity,indicator,item,value,ref,note（可选 group）")]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_clean_file_imports_in_either_format(store, zichuan, fmt):
    name, raw = as_file(unit("A镇") + unit("B镇"), fmt)
    upload = read_upload(name, raw)
    assert store.import_observations(zichuan, upload.obs, who="张三", source=name) == 1
    assert league(store, "zichuan-2022", "2022Q2")["entity"].tolist() == ["A镇", "B镇"]


# --- encodings ------------------------------------------------------------------------------------------------


def test_a_gbk_csv_imports_with_a_notice(store, zichuan):
    upload = read_upload("obs.csv", csv_bytes(unit("般阳路街道", {("1.1", ""): "标准型"}), encoding="gbk"))
    assert upload.notices == [Problem("文件 obs.csv", "文件编码是 GBK/GB18030（Excel 中文版常见），已自动识别 "
                                                     "(decoded as GB18030)", "warning")]
    store.import_observations(zichuan, upload.obs, who="张三", source="obs.csv")
    assert league(store, "zichuan-2022", "2022Q2")[["entity", "daily"]].values.tolist() == [["般阳路街道", 96.0]]


def test_a_bom_csv_has_no_notice():
    assert read_upload("obs.csv", b"\xef\xbb\xbf" + csv_bytes(unit("A镇"))).notices == []


# --- refused files ------------------------------------------------------------------------------------------------


def refused(name: str, raw: bytes) -> list[Problem]:
    with pytest.raises(InputError) as exc:
        read_upload(name, raw)
    return exc.value.problems


def test_formula_cells_are_refused_naming_each_cell():
    rows = unit("A镇")
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(HEADER)
    for r in rows:
        ws.append([r[c] for c in HEADER])
    ws["E3"] = "=1+0"
    ws["E5"] = "=SUM(E2:E3)"
    out = io.BytesIO()
    wb.save(out)
    msg = "这是公式单元格 (formula)：只能导入数值。请选中数据，复制后“选择性粘贴 → 数值”，再保存导入"
    assert refused("obs.xlsx", out.getvalue()) == [Problem("数据!E3", msg), Problem("数据!E5", msg)]


def test_macros_are_refused_by_extension_and_by_content():
    assert refused("obs.xlsm", xlsx_bytes(unit("A镇"))) == [Problem(
        "文件 obs.xlsm", "这是启用宏的 Excel 文件 (macro-enabled workbook)，不能导入；请“另存为” Excel 工作簿 (.xlsx)")]
    buf = io.BytesIO(xlsx_bytes(unit("A镇")))
    with zipfile.ZipFile(buf, "a") as zf:
        zf.writestr("xl/vbaProject.bin", b"\x00VBA")
    assert refused("obs.xlsx", buf.getvalue()) == [Problem(
        "文件 obs.xlsx", "工作簿包含宏 (VBA macros)，不能导入；请“另存为”不含宏的 Excel 工作簿 (.xlsx)")]


WRONG_TYPE = [
    # content that does not match the extension
    ("obs.csv", "xlsx", "扩展名是 .csv，但内容是 Excel 工作簿（可能改过扩展名）；请把扩展名改回 .xlsx，"
                        "或在 Excel 中“另存为” CSV (content does not match the extension)"),
    ("obs.xlsx", "csv", "扩展名是 .xlsx，但内容是文本，不是 Excel 工作簿；请用 Excel 打开后“另存为” .xlsx "
                        "(content does not match the extension)"),
    ("obs.csv", "png", "文件内容不是文本，不像 CSV（可能是图片、PDF 或其他文件）(not a text file)"),
    ("obs.xlsx", "docx", "文件内容是Word 文档，不是 Excel 工作簿 (not an Excel workbook)"),
    # old, encrypted or unknown kinds
    ("obs.xls", "ole2", "这是旧版 Excel 97-2003 文件 (.xls)，请“另存为” Excel 工作簿 (.xlsx) 或 CSV 后再导入"),
    ("obs.xlsx", "ole2", "文件是旧版 .xls 或设置了打开密码的工作簿，请去掉密码并“另存为” .xlsx 后再导入 "
                         "(old or password-protected Excel file)"),
    ("obs.txt", "csv", "不支持的文件类型 “.txt”，只接受 .csv 或 .xlsx (unsupported file type)"),
    ("obs.csv", "empty", "文件是空的 (empty file)"),
]


def content(kind: str) -> bytes:
    if kind == "xlsx":
        return xlsx_bytes(unit("A镇"))
    if kind == "csv":
        return csv_bytes(unit("A镇"))
    if kind == "png":
        return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    if kind == "ole2":
        return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    if kind == "docx":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("[Content_Types].xml", "<Types/>")
            zf.writestr("word/document.xml", "<document/>")
        return buf.getvalue()
    return b""


@pytest.mark.parametrize(("name", "kind", "message"), WRONG_TYPE, ids=[f"{n} holding {k}" for n, k, _ in WRONG_TYPE])
def test_a_file_of_the_wrong_type_is_refused(name, kind, message):
    assert refused(name, content(kind)) == [Problem(f"文件 {name}", message)]


def test_a_file_over_20_mb_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.csv"
    row = "2022Q2,A镇,5.1,问题次数,0,,这是一条很长的备注" + "。" * 60 + "\n"
    with path.open("w", encoding="utf-8") as fh:
        fh.write(",".join(HEADER) + "\n")
        fh.write(row * (MAX_BYTES // len(row.encode()) + 1000))
    assert path.stat().st_size > 20 * 1024 * 1024
    with pytest.raises(InputError) as exc:
        read_path(path)
    size = path.stat().st_size / 1048576
    assert exc.value.problems == [Problem("文件 big.csv", f"文件太大（{size:.1f} MB），上限为 20 MB；"
                                                        f"请按期间拆分后分别导入 (file too large)")]


def test_a_csv_line_with_more_fields_than_the_header_is_named():
    raw = ("period,entity,indicator,item,value,ref,note\n2022Q2,A镇,5.1,问题次数,0,,\n"
           "2022Q2,A镇,5.2,制度不健全,1,,见通知,第3条\n").encode()
    assert refused("obs.csv", raw) == [Problem("第3行", "这一行有 8 个字段，比表头多 1 个；可能是 value 或 note 里有逗号，"
                                                      "请删掉逗号或用英文引号括起该格 (more fields than the header)")]


# --- sheets -------------------------------------------------------------------------------------------------------


def test_hidden_and_extra_sheets_are_ignored_with_a_notice(zichuan):
    wb = Workbook()
    notes = wb.active
    notes.title = "封面"
    notes.append(["某某镇 2022年第二季度 报送"])
    hidden = wb.create_sheet("旧数据")
    hidden.append(HEADER)
    hidden.append(["2021Q4", "A镇", "5.1", "问题次数", 9, None, None])
    hidden.sheet_state = "hidden"
    data = wb.create_sheet("数据")
    data.append(HEADER)
    for r in unit("A镇"):
        data.append([r[c] or None for c in HEADER])
    out = io.BytesIO()
    wb.save(out)
    upload = read_upload("obs.xlsx", out.getvalue())
    assert upload.notices == [Problem("文件 obs.xlsx", "只读取了工作表“数据”；其他工作表已忽略：封面、旧数据（隐藏 hidden） "
                                                      "(other sheets ignored)", "warning")]
    assert set(upload.obs["period"]) == {"2022Q2"} and upload.obs["line"].iloc[0] == "数据!2"
