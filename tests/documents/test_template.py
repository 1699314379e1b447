"""The XLSX template: pre-filled rows, dropdowns and ranges, the 说明 sheet, and a filled template importing with
no edits for every preset rubric."""
from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from documents.template import build_template, default_units, read_units, template_rows
from scoring.demo import demo_observations
from scoring.intake import read_upload
from scoring.rubric import load_rubric, preset_ids
from scoring.validate import validate

UNITS = pd.DataFrame({"entity": ["甲镇", "乙镇", "丙镇"], "group": ""})
PERIOD_OF = {"quarter": "2023Q1", "month": "2023-05", "year": "2024"}


def workbook(raw: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(raw))


def validations(ws) -> dict[str, tuple]:
    """{first cell of each range: (type, formula1, formula2, prompt)} of a sheet's data validations."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in str(dv.sqref).split():
            out[rng] = (dv.type, dv.formula1, dv.formula2, dv.prompt)
    return out


def test_every_unit_gets_every_needed_row_by_indicator_with_measures_for_rank_ladders(zichuan):
    rows = template_rows(zichuan, "2023Q1", UNITS)
    assert len(rows) == 3 * 23
    assert rows[["indicator", "item", "entity"]].head(4).values.tolist() == [
        ["1.1", "", "甲镇"], ["1.1", "", "乙镇"], ["1.1", "", "丙镇"], ["1.2", "基础型全覆盖", "甲镇"]]
    ranked = rows[rows["indicator"].isin(["2.3", "3.1", "3.2", "3.3", "3.4", "4.2", "7"])]
    assert set(ranked["item"]) == {"实绩"} and len(ranked) == 21
    assert set(rows["value"]) == {""} and set(rows["period"]) == {"2023Q1"}
    assert not rows["indicator"].isin(["8.1", "8.2", "8.3", "8.4", "8.5"]).any()


def test_the_workbook_has_dropdowns_ranges_and_a_hidden_list_sheet(zichuan):
    wb = workbook(build_template(zichuan, "2023Q1", UNITS))
    assert wb.sheetnames == ["数据", "说明", "选项"]
    assert [wb[n].sheet_state for n in wb.sheetnames] == ["visible", "visible", "hidden"]
    data = wb["数据"]
    assert [c.value for c in data[1]] == ["period", "entity", "indicator", "item", "value", "ref", "note"]
    assert [c.value for c in data[2]] == ["2023Q1", "甲镇", "1.1", None, None, None, None]
    dv = validations(data)
    last = 3 * 23 + 300 + 1
    assert dv[f"B2:B{last}"][:2] == ("list", "'选项'!$B$2:$B$4")
    assert dv[f"C2:C{last}"][:2] == ("list", "'选项'!$C$2:$C$23")  # 22 indicators
    assert dv["E2:E4"] == ("list", "'选项'!$E$2:$E$5", None, "以下之一：标杆型／标准型／基础型／未达标")
    assert dv["E5:E7"][:3] == ("list", '"1,0,是,否"', None)
    assert dv["E11:E13"][:3] == ("whole", "0", None)
    assert dv["E17:E19"] == ("decimal", "0", "4", "0（不扣分）或 2–4 之间的扣分")
    assert dv["E68:E70"] == ("decimal", "0", "100", "0–100 之间的数")  # showcase, the last block
    assert dv["E65:E67"] == (None, None, None, "数值（实绩（越高越好））")  # 7: a measure, any number
    assert [wb["选项"].cell(row=r, column=5).value for r in range(1, 6)] == ["1.1", "标杆型", "标准型", "基础型", "未达标"]


def test_the_help_sheet_explains_items_ranges_and_the_place_alternative(zichuan):
    ws = workbook(build_template(zichuan, "2023Q1", UNITS))["说明"]
    text = [[c for c in row if c is not None] for row in ws.iter_rows(values_only=True)]
    joined = "\n".join(" | ".join(map(str, r)) for r in text)
    assert ("如责任科室给的是名次，可在表末为每个单位追加 item 为“名次”的行并填名次（1 为第一名），预填的空白实绩行不必删除："
            "每个单位都填了名次时，系统忽略空白的实绩行（每个指标提示一次）。同一期间所有单位必须统一用名次或统一用实绩") in joined
    assert ["2.2", "加强人员队伍建设", "6", "酌情扣分", "0（不扣分）或 2–4 之间的扣分", "必填"] == text[
        next(i for i, r in enumerate(text) if r[:1] == ["2.2"])][:6]
    assert ["8.1", "加分：创新审批机制", "10", "省级", "整数，不小于 0（件数（空=1））；空 = 1", "有事项才填（可多行）"] == text[
        next(i for i, r in enumerate(text) if r[:4] == ["8.1", "加分：创新审批机制", "10", "省级"])][:6]
    codes = {r[0] for r in text if r and isinstance(r[0], str)}
    assert {i.code for i in zichuan.indicators} <= codes


@pytest.mark.parametrize("rubric_id", preset_ids())
def test_a_filled_template_imports_with_no_edits(rubric_id):
    """Fill every value cell of the data sheet (from the demo generator), save, read back: no error."""
    rubric = load_rubric(rubric_id)
    period = PERIOD_OF[rubric.period_kind]
    wb = workbook(build_template(rubric, period, UNITS))
    demo = demo_observations(rubric, list(UNITS["entity"]), [period], seed=3)
    values = {(e, i, it): v for e, i, it, v in zip(demo["entity"], demo["indicator"], demo["item"], demo["value"])}
    for row in wb["数据"].iter_rows(min_row=2, max_row=wb["数据"].max_row):
        if row[1].value:
            value = values[(row[1].value, row[2].value, row[3].value or "")]
            try:
                row[4].value = float(value)  # a number cell, as Excel stores what a clerk types
            except ValueError:
                row[4].value = value  # a tier label
    out = io.BytesIO()
    wb.save(out)
    upload = read_upload("filled.xlsx", out.getvalue())
    assert [p for p in validate(upload.obs, rubric)[1] if p.severity == "error"] == []
    assert len(upload.obs) == len(template_rows(rubric, period, UNITS))


def test_units_come_from_a_file_or_the_roster(tmp_path):
    names = tmp_path / "units.txt"
    names.write_text("甲镇\n乙镇\n\n甲镇\n", encoding="utf-8")
    assert read_units(names).values.tolist() == [["甲镇", ""], ["乙镇", ""]]
    table = tmp_path / "units.csv"
    table.write_text("entity,kind,group\n甲镇,镇,东区\n乙镇,镇,西区\n", encoding="utf-8-sig")
    assert read_units(table).values.tolist() == [["甲镇", "东区"], ["乙镇", "西区"]]
    assert len(default_units("zichuan-2022")) == 13


def test_a_bad_period_is_refused(zichuan):
    with pytest.raises(ValueError, match="期间 “2023-Q1” 格式不对，应为 2022Q3 这样的格式"):
        template_rows(zichuan, "2023-Q1", UNITS)


def test_groups_add_the_group_column(zichuan):
    units = pd.DataFrame({"entity": ["甲镇", "乙镇"], "group": ["东区", "西区"]})
    data = workbook(build_template(zichuan, "2023Q1", units))["数据"]
    assert [c.value for c in data[1]][-1] == "group" and [c.value for c in data[3]][-1] == "西区"
