"""Safe spreadsheet cells (documents.neutralise, issue 12): the OWASP CSV-injection rule on every CSV and XLSX
Flagboard writes — the CLI's LEAGUE/DETAIL/export files, the pages' downloads, the 通报, the template and the
audit export — with a unit, note and account name beginning with each trigger: ``= + - @``, tab and CR.
Numbers stay numbers.
"""
from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from cli.main import main as flagboard
from dashboard import exports
from documents.neutralise import neutral, neutral_frame, write_csv_rows
from queries.audit import audit_log
from queries.data_views import audit_table
from documents.notice import TABLE_HEADER_ROW, notice_xlsx
from queries.notice import notice_facts
from queries.store import Store
from documents.template import DATA_SHEET, LIST_SHEET, build_template
from scoring.intake import read_upload
from scoring.rubric import load_rubric
from tests.conftest import csv_bytes, frame, unit

# a unit named with each trigger; tab and CR cannot come through a file (names are trimmed), but could reach the
# store by other doors, so the exports must still be safe for them
UNITS = {"=": "=HYPERLINK(\"http://x\")镇", "+": "+1镇", "-": "-2+3镇", "@": "@SUM(1)镇", "tab": "\t制表镇",
         "cr": "\r回车镇"}
FROM_FILES = ["=", "+", "-", "@"]


@pytest.mark.parametrize(("text", "safe"), [
    # each trigger gets one quote in front
    ("=1+1", "'=1+1"), ("+cmd", "'+cmd"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"),
    # a plain number written as text is read as that number by a spreadsheet: kept
    ("-3", "-3"), ("+1.5", "+1.5"), ("-0.25e3", "-0.25e3"),
    # anything else is untouched, numbers and None included
    ("洪山镇", "洪山镇"), ("a=1", "a=1"), ("", ""), (-3, -3), (2.5, 2.5), (None, None),
])
def test_a_cell_that_would_be_a_formula_gets_a_quote_and_nothing_else_changes(text, safe):
    assert neutral(text) == safe


def test_a_frame_keeps_its_numbers_and_column_types():
    table = pd.DataFrame({"单位": pd.Series(["=x", "B镇"], dtype="str"), "总分": [-3.0, 90.5], "名次": [2, 1],
                          "=列": pd.Series(["@a", None], dtype=object)})
    safe = neutral_frame(table)
    assert safe.to_dict("list") == {"单位": ["'=x", "B镇"], "总分": [-3.0, 90.5], "名次": [2, 1],
                                    "'=列": ["'@a", None]}
    assert [str(t) for t in safe.dtypes] == ["str", "float64", "int64", "object"]


def test_rows_written_one_by_one_are_neutralised():
    buf = io.StringIO()
    write_csv_rows(buf, ["severity", "where", "message"], [("error", "=A1", "-x"), ("warning", "第2行", "-3")])
    assert buf.getvalue() == "severity,where,message\r\nerror,'=A1,'-x\r\nwarning,第2行,-3\r\n"


# --- a store holding such units, notes and accounts --------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory):
    """Six units named with the triggers (tab and CR through the store's own door), notes and an account too."""
    rows = []
    for n, name in enumerate(UNITS.values()):
        rows += unit(name, {("showcase", ""): str(100 - n)})
    obs = frame(rows)
    obs.loc[obs["indicator"] == "5.1", "note"] = "-见通知"
    path = tmp_path_factory.mktemp("hostile-store") / "store.duckdb"
    with Store(path) as store:
        store.import_observations(load_rubric("zichuan-2022"), obs, who="=cmd|' /C calc'!A0", source="+x.csv",
                                  why="@备注")
    return str(path)


def in_xlsx(text: str) -> str:
    """How text reads back from XLSX (the cell is still text, quoted): openpyxl with lxml (python-docx brings it)
    writes a CR as ``&#13;``, which reads back as CR; without lxml the XML holds a bare CR, which reads back as LF."""
    return text if openpyxl.LXML else text.replace("\r", "\n")


def cell_values(data: bytes, sheet: str | None = None) -> list[tuple]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb[sheet] if sheet else wb.active
    return [tuple((c.value, c.data_type) for c in row) for row in ws.iter_rows()]


def test_cli_score_quotes_text_cells_of_league_and_detail_and_keeps_numbers(tmp_path, capsys):
    src, league, detail = tmp_path / "obs.csv", tmp_path / "league.csv", tmp_path / "detail.csv"
    rows = []
    for n, t in enumerate(FROM_FILES):
        rows += unit(UNITS[t], {("showcase", ""): str(100 - n), ("8.4", "市级通报"): "9" if t == "-" else None})
    src.write_bytes(csv_bytes(rows))
    assert flagboard(["score", "--rubric", "zichuan-2022", "--input", str(src), "--out", str(league),
                      "--detail", str(detail)]) == 0
    assert league.read_text(encoding="utf-8").splitlines()[1] == \
        '2022Q2,"\'=HYPERLINK(""http://x"")镇",100.0000,100.0000,100.0000,1,好,红旗'
    cells = pd.read_csv(league, dtype=str, keep_default_na=False)
    assert cells[["entity", "daily", "final"]].values.tolist() == [  # -2+3镇: 9 × 市级通报 −2, capped at −10
        ["'" + UNITS["="], "100.0000", "100.0000"], ["'+1镇", "100.0000", "99.7000"],
        ["'@SUM(1)镇", "100.0000", "99.1000"], ["'-2+3镇", "90.0000", "92.4000"]]
    details = pd.read_csv(detail, dtype=str, keep_default_na=False)
    assert sorted(set(details["entity"])) == sorted("'" + UNITS[t] for t in FROM_FILES)
    penalty = details[details["indicator"] == "8.4"]
    assert dict(zip(penalty["entity"], penalty["points"])) == {  # a negative number stays a plain number
        "'" + UNITS["="]: "0.0000", "'+1镇": "0.0000", "'@SUM(1)镇": "0.0000", "'-2+3镇": "-10.0000"}


def test_cli_export_quotes_unit_names_including_tab_and_cr(hostile_store, tmp_path, capsys):
    out = tmp_path / "league.csv"
    assert flagboard(["export", "--db", hostile_store, "--rubric", "zichuan-2022", "--period", "2022Q2",
                      "--out", str(out)]) == 0
    names = pd.read_csv(out, dtype=str, keep_default_na=False)["entity"].tolist()
    assert sorted(names) == sorted("'" + name for name in UNITS.values())


def test_page_downloads_quote_text_and_keep_numbers_in_csv_and_xlsx():
    shown = pd.DataFrame({"单位": list(UNITS.values()), "备注": ["-见通知"] * 6, "总分": [-3.0, 1, 2, 3, 4, 5]})
    back = pd.read_csv(io.BytesIO(exports.csv_bytes(shown)), encoding="utf-8-sig", keep_default_na=False)
    assert back["单位"].tolist() == ["'" + name for name in UNITS.values()]
    assert back["总分"].tolist() == [-3.0, 1, 2, 3, 4, 5]
    rows = cell_values(exports.xlsx_bytes(shown))
    assert rows[1] == (("'" + UNITS["="], "s"), ("'-见通知", "s"), (-3, "n"))
    assert [r[0] for r in rows[1:]] == [("'" + in_xlsx(name), "s") for name in UNITS.values()]


def test_the_notice_xlsx_quotes_unit_names_and_keeps_scores_numbers(hostile_store):
    with Store(hostile_store, read_only=True) as store:
        facts = notice_facts(store, "zichuan-2022", "2022Q2", "")
    rows = cell_values(notice_xlsx(facts), "通报")[TABLE_HEADER_ROW:]
    units = {values[1][0] for values in rows if values[1][0]}
    assert units == {"'" + in_xlsx(name) for name in UNITS.values()}
    # (the rows under the table — 落款, date, seal — leave empty cells, which openpyxl reads as None of type "n")
    finals = [v for values in rows for v, kind in values if kind == "n" and v is not None]
    assert finals and all(isinstance(v, (int, float)) for v in finals)


def test_the_template_quotes_pre_filled_unit_names_and_reads_them_back_unquoted():
    units = pd.DataFrame({"entity": [UNITS[t] for t in FROM_FILES], "group": ""})
    data = build_template(load_rubric("zichuan-2022"), "2024Q1", units)
    entities = {row[1][0] for row in cell_values(data, DATA_SHEET)[1:] if row[1][0]}
    assert entities == {"'" + UNITS[t] for t in FROM_FILES}
    listed = [row[1][0] for row in cell_values(data, LIST_SHEET)[1:] if row[1][0]]
    assert listed == ["'" + UNITS[t] for t in FROM_FILES]
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for row in wb[DATA_SHEET].iter_rows(min_row=2):
        if row[1].value:
            row[4].value = 0 if row[2].value != "1.1" else "标杆型"
    out = io.BytesIO()
    wb.save(out)
    upload = read_upload("filled.xlsx", out.getvalue())
    assert sorted(set(upload.obs["entity"])) == sorted(UNITS[t] for t in FROM_FILES)


def test_the_audit_export_quotes_account_source_and_reason(hostile_store):
    with Store(hostile_store, read_only=True) as store:
        table = audit_table(store, "zichuan-2022")
        assert audit_log(store, "zichuan-2022")["who"].tolist() == ["=cmd|' /C calc'!A0"]
    back = pd.read_csv(io.BytesIO(exports.csv_bytes(table.drop(columns=["detail"]))), encoding="utf-8-sig",
                       keep_default_na=False)
    assert back[["操作人", "理由"]].values.tolist() == [["'=cmd|' /C calc'!A0", "'@备注"]]
    assert back["内容"].iloc[0].startswith("导入 +x.csv：6 个单位")
