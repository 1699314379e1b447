"""The clerk's round trip through a real office suite (issue 15), with LibreOffice headless standing in for WPS/Excel:
a template filled as a clerk fills it (places from the department appended, the pre-filled 实绩 rows left blank) and
re-saved by LibreOffice Calc imports and scores exactly; every XLSX we write (template, league, 汇总表, 通报) and the
Word 通报 open in it and print the units."""
from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from dashboard.exports import for_download, xlsx_bytes
from documents.notice import NoticeMeta, notice_xlsx
from documents.notice_docx import notice_docx
from documents.summary_xlsx import summary_xlsx
from documents.template import DATA_SHEET, build_template, default_units
from queries.league import league
from queries.notice import notice_facts
from queries.store import Store
from queries.summary_table import summary_table
from scoring.demo import demo_observations
from scoring.engine import score
from scoring.intake import read_upload
from scoring.rubric import load_rubric
from tests.demo_stores import copy_store, demo_template
from tests.office_suite import convert, pdf_text

QUARTER = "2023Q1"
SCHEME = "zichuan-2022"


@pytest.fixture(scope="module")
def zichuan_towns():
    return load_rubric(SCHEME), default_units(SCHEME)


def department_places(facts: pd.DataFrame, rubric) -> pd.DataFrame:
    """The quarter as the departments send it: every rank indicator as places (名次), the order of the measures
    (the best measure first; the rubric ranks higher measures first for these indicators)."""
    rank_codes = [i.code for i in rubric.indicators if any(s.group for s in i.rule.items(i))]
    measured = facts["indicator"].isin(rank_codes) & (facts["item"] == "实绩")
    places = facts[measured].copy()
    places["value"] = (places.assign(v=places["value"].astype(float)).groupby("indicator")["v"]
                       .rank(method="min", ascending=False).astype(int).astype(str))
    places["item"] = "名次"
    return pd.concat([facts[~measured], places], ignore_index=True)


def typed(value: str):
    """A value as a clerk types it: numbers become numbers in the sheet, words stay words."""
    try:
        number = float(value)
    except ValueError:
        return value
    return int(number) if number.is_integer() else number


def fill_like_a_clerk(raw: bytes, facts: pd.DataFrame) -> bytes:
    """The template with each pre-filled row's value typed in; facts without a row (the departments' places,
    events) appended below the pre-filled rows. Pre-filled rows nobody has a value for stay blank."""
    wb = openpyxl.load_workbook(io.BytesIO(raw))
    ws = wb[DATA_SHEET]
    header = [c.value for c in ws[1]]
    col = {name: header.index(name) + 1 for name in header}
    row_of, last = {}, 1
    for r in range(2, ws.max_row + 1):
        entity = ws.cell(row=r, column=col["entity"]).value
        if entity is None:
            break
        key = (entity, ws.cell(row=r, column=col["indicator"]).value, ws.cell(row=r, column=col["item"]).value or "")
        row_of[key], last = r, r
    for rec in facts.itertuples(index=False):
        r = row_of.pop((rec.entity, rec.indicator, rec.item), None)
        if r is None:
            last += 1
            r = last
            for name in ("period", "entity", "indicator", "item", "ref"):
                ws.cell(row=r, column=col[name]).value = getattr(rec, name) or None
        ws.cell(row=r, column=col["value"]).value = typed(rec.value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_template_filled_and_resaved_by_libreoffice_scores_exactly(zichuan_towns, tmp_path):
    """13 towns, the departments' places appended below the template's blank 实绩 rows, saved by LibreOffice Calc:
    the import drops the blank 实绩 rows (one warning per rank indicator) and the league equals the league of the
    same facts read directly."""
    rubric, towns = zichuan_towns
    facts = department_places(demo_observations(rubric, list(towns["entity"]), [QUARTER], seed=7), rubric)
    filled = tmp_path / "filled.xlsx"
    filled.write_bytes(fill_like_a_clerk(build_template(rubric, QUARTER, towns), facts))
    resaved = convert(filled, "xlsx", tmp_path / "libreoffice")
    upload = read_upload(resaved.name, resaved.read_bytes())
    got = score(upload.obs, rubric)
    want = score(facts.drop(columns=["note", "group"]), rubric)
    pd.testing.assert_frame_equal(got.league, want.league)
    rank_codes = [i.code for i in rubric.indicators if any(s.group for s in i.rule.items(i))]
    dropped = [w for w in got.warnings if "空白的实绩已忽略" in w.message]
    assert [w.where for w in dropped] == [f"指标 {c}" for c in rank_codes]
    assert all(f"{len(towns)} 行空白的实绩" in w.message for w in dropped)


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    path = copy_store(demo_template(tmp_path_factory), tmp_path_factory.mktemp("office") / "demo.duckdb")
    with Store(path) as store:
        yield store


def printed(data: bytes, name: str, folder) -> str:
    """The text of ``data`` (an XLSX) printed to PDF by LibreOffice."""
    src = folder / name
    src.write_bytes(data)
    return pdf_text(convert(src, "pdf", folder / "pdf"))


def test_the_template_opens_and_prints_in_libreoffice(zichuan_towns, tmp_path):
    rubric, towns = zichuan_towns
    text = printed(build_template(rubric, QUARTER, towns), "模板.xlsx", tmp_path)
    assert all(town in text for town in towns["entity"])


def test_the_league_download_opens_and_prints_in_libreoffice(demo_store, tmp_path):
    table = league(demo_store, SCHEME, "2023Q4")
    text = printed(xlsx_bytes(for_download(table), "榜单"), "榜单.xlsx", tmp_path)
    assert len(table) == 13 and [town for town in table["entity"] if town not in text] == []


def test_the_notice_xlsx_opens_and_prints_in_libreoffice(demo_store, tmp_path):
    facts = notice_facts(demo_store, SCHEME, "2023Q4")
    text = printed(notice_xlsx(facts), "通报.xlsx", tmp_path)
    towns = league(demo_store, SCHEME, "2023Q4")["entity"]
    assert all(town in text for town in towns)


def test_the_summary_table_xlsx_opens_and_prints_in_libreoffice(demo_store, tmp_path):
    """The 考核得分汇总表 (two quarters side by side): every unit printed."""
    table = summary_table(demo_store, SCHEME, ("2023Q3", "2023Q4"), layout="side")
    text = printed(summary_xlsx(table), "汇总表.xlsx", tmp_path)
    towns = league(demo_store, SCHEME, "2023Q4")["entity"]
    assert [town for town in towns if town not in text] == []


def test_the_notice_docx_opens_and_prints_in_libreoffice_writer(demo_store, tmp_path):
    """The Word 通报 opened by LibreOffice Writer: every unit of the table and the 文号 in the printed text."""
    facts = notice_facts(demo_store, SCHEME, "2023Q4")
    src = tmp_path / "通报.docx"
    src.write_bytes(notice_docx(facts, None, NoticeMeta(number="淄政管办〔2024〕3号")))
    text = pdf_text(convert(src, "pdf", tmp_path / "pdf"))
    towns = league(demo_store, SCHEME, "2023Q4")["entity"]
    assert [town for town in towns if town not in text] == [] and "淄政管办〔2024〕3号" in text
