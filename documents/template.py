"""The XLSX template a clerk fills for one period: the data sheet pre-filled, dropdowns, and a 说明 sheet.

Sheet “数据” (read on import) is in the interchange format, pre-filled with every unit × indicator × item
row the period needs (value empty), ordered by indicator so each 科室 fills one block; a rank indicator gets
its 实绩 rows (名次 may be used instead, for all units). Data validation gives dropdowns for period, entity,
indicator, item and tier labels, and number ranges for values. Sheet “说明” explains each indicator's items
and ranges from the rubric; a hidden sheet “选项” holds the dropdown lists. A filled template imports with
no edits (the extra sheets are ignored with a notice).
"""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from documents.neutralise import neutral
from queries.data_views import store_units
from queries.store import Store
from scoring.exact import fmt_points
from scoring.rubric import Rubric
from scoring.rules.base import ItemSpec
from scoring.validate import PERIOD_PATTERNS

ROSTER_DIR = Path(__file__).resolve().parent.parent / "data" / "rosters"
DATA_SHEET, HELP_SHEET, LIST_SHEET = "数据", "说明", "选项"
COLUMNS = ["period", "entity", "indicator", "item", "value", "ref", "note"]
SPARE_ROWS = 300  # blank rows with dropdowns below the pre-filled ones, for bonus/penalty events
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def roster_path(rubric_id: str) -> Path:
    """data/rosters/<prefix>.csv, e.g. zichuan.csv for zichuan-2022."""
    return ROSTER_DIR / f"{rubric_id.split('-')[0]}.csv"


def read_units(path: str | Path) -> pd.DataFrame:
    """Units from a file: a CSV with an ``entity`` column (and optional ``group``), or one name per line."""
    text = Path(path).read_text(encoding="utf-8-sig")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if lines and "entity" in [c.strip() for c in lines[0].split(",")]:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        frame["group"] = frame["group"] if "group" in frame.columns else ""
        units = frame[["entity", "group"]].map(str.strip)
    else:
        units = pd.DataFrame({"entity": lines, "group": ""})
    units = units[units["entity"] != ""].drop_duplicates("entity").reset_index(drop=True)
    if units.empty:
        raise ValueError(f"{path}: 没有单位名称 (no units)")
    return units


def default_units(rubric_id: str) -> pd.DataFrame:
    """The scheme's roster file; raises FileNotFoundError if there is none."""
    path = roster_path(rubric_id)
    if not path.exists():
        raise FileNotFoundError(f"没有 {rubric_id} 的单位名单 {path.name}，请用 --entities 或 --db 指定 (no roster)")
    return read_units(path)


def needed_specs(rubric: Rubric) -> list[tuple[str, ItemSpec]]:
    """(indicator code, item spec) of every row a unit needs in a period; a rank pair contributes its 实绩."""
    out = []
    for ind in rubric.indicators:
        specs = ind.rule.items(ind)
        chosen_groups = set()
        for spec in specs:
            if not spec.required:
                continue
            if spec.group is None:
                out.append((ind.code, spec))
            elif spec.group not in chosen_groups:
                alts = [s for s in specs if s.group == spec.group]
                out.append((ind.code, next((s for s in alts if s.kind == "measure"), alts[0])))
                chosen_groups.add(spec.group)
    return out


def template_rows(rubric: Rubric, period: str, units: pd.DataFrame) -> pd.DataFrame:
    """The pre-filled rows (value empty), by indicator, item, then unit."""
    pattern, example = PERIOD_PATTERNS[rubric.period_kind]
    if not pattern.match(period):
        raise ValueError(f"期间 “{period}” 格式不对，应为 {example} 这样的格式 (bad period)")
    rows = [{"period": period, "entity": e, "indicator": code, "item": spec.name, "value": "", "ref": "",
             "note": "", "group": g}
            for code, spec in needed_specs(rubric) for e, g in zip(units["entity"], units["group"])]
    return pd.DataFrame(rows)


def spec_words(spec: ItemSpec, rule_type: str = "") -> str:
    """What to write in the value cell, in Chinese."""
    if spec.kind == "label":
        return "以下之一：" + "／".join(spec.labels)
    if spec.kind == "flag":
        return "1 或 0（也可填 是／否）"
    if spec.kind == "count":
        lo = fmt_points(spec.lo if spec.lo is not None else 0)
        extra = "；空 = 1" if spec.empty_means is not None else ""
        return f"整数，不小于 {lo}（{spec.hint}）{extra}" if spec.hint else f"整数，不小于 {lo}{extra}"
    if spec.kind == "number":
        return f"{fmt_points(spec.lo)}–{fmt_points(spec.hi)} 之间的数"
    if spec.kind == "judged":
        return f"0（不扣分）或 {fmt_points(spec.lo)}–{fmt_points(spec.hi)} 之间的扣分"
    return f"数值（{spec.hint}）" if spec.hint else "数值"


def _validation(spec: ItemSpec, list_ref: str | None) -> DataValidation:
    """The Excel data validation of a value cell for one item kind."""
    if spec.kind == "label":
        dv = DataValidation(type="list", formula1=list_ref, allow_blank=True)
    elif spec.kind == "flag":
        dv = DataValidation(type="list", formula1='"1,0,是,否"', allow_blank=True)
    elif spec.kind == "count":
        dv = DataValidation(type="whole", operator="greaterThanOrEqual",
                            formula1=fmt_points(spec.lo if spec.lo is not None else 0), allow_blank=True)
    elif spec.kind in ("number", "judged"):
        lo = 0 if spec.kind == "judged" else spec.lo
        dv = DataValidation(type="decimal", operator="between", formula1=fmt_points(lo),
                            formula2=fmt_points(spec.hi), allow_blank=True)
    else:
        dv = DataValidation(allow_blank=True)  # any value; the prompt still says what to enter
    dv.error, dv.errorTitle = f"应填：{spec_words(spec)}"[:250], "填写有误"
    dv.prompt, dv.promptTitle = spec_words(spec)[:250], (spec.name or "得分")[:30]
    return dv


def _list_column(ws, col: int, title: str, values: list[str]) -> str:
    ws.cell(row=1, column=col, value=title)
    for i, v in enumerate(values, start=2):
        ws.cell(row=i, column=col, value=neutral(v))  # unit names: never a live formula
    letter = get_column_letter(col)
    return f"'{LIST_SHEET}'!${letter}$2:${letter}${max(2, len(values) + 1)}"


def _help_sheet(ws, rubric: Rubric, period: str) -> None:
    rank_codes = [ind.code for ind in rubric.indicators if any(s.group for s in ind.rule.items(ind))]
    event_codes = [ind.code for ind in rubric.indicators if ind.kind in ("bonus", "penalty")]
    lines = [
        f"{rubric.name}：{period} 数据填写模板",
        "1. 只填写第一个工作表“数据”：每行一个事实，列为 period 期间、entity 单位、indicator 指标代码、item 细项、"
        "value 数值、ref 事项编号、note 备注。表头不要改动。",
        "2. 已预填本期每个单位需要的全部行，只需填写 value 列。value 留空不会按 0 分处理，导入时会逐行提示缺少。",
        "3. 只能导入数值：不要使用公式（含公式的文件会被拒绝）、不要合并单元格；本“说明”表和隐藏的“选项”表导入时忽略。",
    ]
    if rank_codes:
        lines.append(f"4. 排名类指标（{'、'.join(rank_codes)}）预填的是“实绩”行：系统按实绩在同组内排名（并列同名次）。"
                     "如责任科室给的是名次，可在表末为每个单位追加 item 为“名次”的行并填名次（1 为第一名），"
                     "预填的空白实绩行不必删除：每个单位都填了名次时，系统忽略空白的实绩行（每个指标提示一次）。"
                     "同一期间所有单位必须统一用名次或统一用实绩。")
    if event_codes:
        lines.append(f"5. 加分、减分事项（{'、'.join(event_codes)}）：每件事项在表格末尾新增一行，indicator 填指标代码，"
                     "item 填级别或类别，value 按下表填写；同一事项在多个级别获认可时，各行填相同的 ref、value 填 1，"
                     "只按最高级别计一次。没有事项就不填。")
    lines.append("6. 保存为 .xlsx 后，在“数据管理”页上传，或运行 flagboard import --rubric "
                 f"{rubric.id} 文件名.xlsx。")
    for r, text in enumerate(lines, start=1):
        ws.cell(row=r, column=1, value=text).alignment = Alignment(wrap_text=False)
    ws.cell(row=1, column=1).font = Font(bold=True, size=13)
    head = ["指标代码 indicator", "指标名称", "满分", "细项 item", "value 填写内容", "是否必填", "计分规则",
            "考核方式", "责任科室"]
    top = len(lines) + 2
    for c, h in enumerate(head, start=1):
        cell = ws.cell(row=top, column=c, value=h)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
    r = top + 1
    for ind in rubric.indicators:
        for spec in ind.rule.items(ind):
            need = "必填" if spec.required and spec.group is None else (
                "必填其一（名次或实绩）" if spec.required else "有事项才填（可多行）")
            values = [ind.code, ind.name, fmt_points(ind.rule.max_points(ind)), spec.name or "（空）",
                      spec_words(spec), need, ind.describe(), ind.method, ind.dept]
            for c, v in enumerate(values, start=1):
                ws.cell(row=r, column=c, value=v).alignment = Alignment(wrap_text=c in (2, 5, 7), vertical="top")
            r += 1
    for c, width in enumerate([12, 30, 6, 16, 34, 18, 60, 16, 14], start=1):
        ws.column_dimensions[get_column_letter(c)].width = width


def build_template(rubric: Rubric, period: str, units: pd.DataFrame) -> bytes:
    """The template workbook as XLSX bytes (``units``: entity, group)."""
    rows = template_rows(rubric, period, units)
    with_group = bool((units["group"] != "").any())
    columns = COLUMNS + (["group"] if with_group else [])
    wb = Workbook()
    data = wb.active
    data.title = DATA_SHEET
    data.append(columns)
    for c in range(1, len(columns) + 1):
        data.cell(row=1, column=c).font, data.cell(row=1, column=c).fill = Font(bold=True), HEADER_FILL
    for rec in rows[columns].itertuples(index=False):
        data.append([neutral(v) if v != "" else None for v in rec])  # a unit named "=x" is written as text
    for c, width in enumerate([10, 18, 10, 16, 12, 14, 24, 10][: len(columns)], start=1):
        data.column_dimensions[get_column_letter(c)].width = width
        if columns[c - 1] != "value":
            for cell in data.iter_rows(min_row=2, max_row=len(rows) + SPARE_ROWS + 1, min_col=c, max_col=c):
                cell[0].number_format = "@"  # text: "1.10" or "0012" never turns into a number
    data.freeze_panes = "A2"

    help_ws = wb.create_sheet(HELP_SHEET)
    _help_sheet(help_ws, rubric, period)
    lists = wb.create_sheet(LIST_SHEET)
    lists.sheet_state = "hidden"
    codes = [ind.code for ind in rubric.indicators]
    items = list(dict.fromkeys(s.name for ind in rubric.indicators for s in ind.rule.items(ind) if s.name))
    refs = {"period": _list_column(lists, 1, "period", [period]),
            "entity": _list_column(lists, 2, "entity", list(units["entity"])),
            "indicator": _list_column(lists, 3, "indicator", codes),
            "item": _list_column(lists, 4, "item", items)}
    last = len(rows) + SPARE_ROWS + 1
    for col, ref in refs.items():
        letter = get_column_letter(columns.index(col) + 1)
        dv = DataValidation(type="list", formula1=ref, allow_blank=True)
        dv.error, dv.errorTitle = f"请从下拉列表中选择 {col}", "填写有误"
        data.add_data_validation(dv)
        dv.add(f"{letter}2:{letter}{last}")

    value_letter = get_column_letter(columns.index("value") + 1)
    next_col = 5
    for code, spec in needed_specs(rubric):
        hit = rows.index[(rows["indicator"] == code) & (rows["item"] == spec.name)]
        if len(hit) == 0:
            continue
        list_ref = None
        if spec.kind == "label":
            list_ref = _list_column(lists, next_col, f"{code} {spec.name}".strip(), list(spec.labels))
            next_col += 1
        dv = _validation(spec, list_ref)
        data.add_data_validation(dv)
        dv.add(f"{value_letter}{hit.min() + 2}:{value_letter}{hit.max() + 2}")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def template_units(store: Store, scheme: str) -> pd.DataFrame:
    """Units for a template: those the store knows for the scheme, else the scheme's roster file, else none."""
    units = store_units(store, scheme)
    if len(units):
        return units
    try:
        return default_units(scheme)
    except FileNotFoundError:
        return pd.DataFrame(columns=["entity", "group"])


def template_file(store: Store, scheme: str, period: str) -> bytes:
    """The XLSX template of a period for the units of :func:`template_units`."""
    return build_template(store.rubric(scheme), period, template_units(store, scheme))
