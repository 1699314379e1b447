"""Bad input: every class of mistake gives a clear problem naming its line or its period/entity/indicator,
and all problems are reported at once. Inputs are small CSV byte strings read with scoring.reader, so the
line numbers are the real ones (the header is line 1)."""
from __future__ import annotations

import pytest

from scoring.engine import score
from scoring.problems import InputError, Problem, errors_only
from scoring.reader import read_csv_bytes
from scoring.validate import validate
from tests.conftest import HEADER, csv_bytes, fact, unit


def filler(explicit: list[dict], entities, drop=()) -> list[dict]:
    """The rest of each unit's facts at full marks: everything ``explicit`` does not already say (a 名次 or 实绩
    row in ``explicit`` replaces the unit's place for that indicator), minus the (indicator, item) keys in ``drop``."""
    out = []
    for e in entities:
        for r in unit(e):
            if (r["indicator"], r["item"]) in drop:
                continue
            said = any(x["entity"] == e and x["indicator"] == r["indicator"]
                       and (x["item"] == r["item"] or r["item"] == "名次") for x in explicit)
            if not said:
                out.append(r)
    return out


def problems_of(rubric, explicit: list[dict], entities=("A镇",), drop=(), roster=None) -> list[Problem]:
    """Validate a CSV whose lines 2, 3, … are ``explicit`` followed by the units' remaining facts."""
    obs = read_csv_bytes(csv_bytes(explicit + filler(explicit, entities, drop)))
    return validate(obs, rubric, roster)[1]


# --- one mistake, one problem naming its line -------------------------------------------------------------

ONE_LINE = [
    # indicator and item
    ("unknown indicator", [fact("A镇", "9.9", "", "1")],
     "指标 indicator “9.9” 不在细则 zichuan-2022 中 (unknown indicator)"),
    ("unknown item", [fact("A镇", "5.1", "问题数", "0")],
     "指标 5.1 没有细项 item “问题数”，可填：“问题次数” (unknown item)"),
    ("empty entity", [fact("", "5.1", "问题次数", "0")],
     "单位 entity 为空 (entity is empty)"),
    # numbers and counts
    ("non-number", [fact("A镇", "5.1", "问题次数", "三")],
     "指标 5.1 的 问题次数 应为非负整数 (a whole number ≥ 0)，实际为 “三” (not a number)"),
    ("empty value", [fact("A镇", "5.1", "问题次数", "")],
     "指标 5.1 的 问题次数 的 value 为空，应填非负整数 (a whole number ≥ 0) (value is empty)"),
    ("negative count", [fact("A镇", "5.1", "问题次数", "-1")],
     "指标 5.1 的 问题次数 应为整数且不小于 0，实际为 “-1”，不能为负数 (must be a whole number ≥ 0)"),
    ("fractional count", [fact("A镇", "1.3", "缺项数", "1.5")],
     "指标 1.3 的 缺项数 应为整数且不小于 0，实际为 “1.5”，不能有小数 (must be a whole number ≥ 0)"),
    ("名次 0", [fact("A镇", "2.3", "名次", "0")],
     "指标 2.3 的 名次 应为整数且不小于 1，实际为 “0”，不能小于 1 (must be a whole number ≥ 1)"),
    ("fractional reads", [fact("A镇", "8.3", "公众号", "1200.5")],
     "指标 8.3 的 公众号 应为整数且不小于 0，实际为 “1200.5”，不能有小数 (must be a whole number ≥ 0)"),
    # 1/0 fields
    ("flag 2", [fact("A镇", "4.1", "未设自助服务区", "2")],
     "指标 4.1 的 未设自助服务区 只能填 1/0 或 是/否，实际为 “2” (must be 1/0, 是/否)"),
    ("flag word", [fact("A镇", "1.2", "基础型全覆盖", "对")],
     "指标 1.2 的 基础型全覆盖 只能填 1/0 或 是/否，实际为 “对” (must be 1/0, 是/否)"),
    # 酌情扣分 ranges
    ("2.2 judged 1", [fact("A镇", "2.2", "酌情扣分", "1")],
     "指标 2.2 的 酌情扣分 应在 0 或 2–4 之间，实际为 “1” (out of range 0 或 2–4)"),
    ("2.2 judged 4.5", [fact("A镇", "2.2", "酌情扣分", "4.5")],
     "指标 2.2 的 酌情扣分 应在 0 或 2–4 之间，实际为 “4.5” (out of range 0 或 2–4)"),
    ("8.4 judged 4", [fact("A镇", "8.4", "酌情扣分", "4")],
     "指标 8.4 的 酌情扣分 应在 1–3 之间，实际为 “4” (out of range 1–3)"),
    ("8.5 judged 6", [fact("A镇", "8.5", "酌情扣分", "6")],
     "指标 8.5 的 酌情扣分 应在 3–5 之间，实际为 “6” (out of range 3–5)"),
    # scores within bounds
    ("month over 100", [fact("A镇", "6", "第2月", "100.5")],
     "指标 6 的 第2月 应在 0–100 之间，实际为 “100.5” (out of range 0–100)"),
    ("showcase −1", [fact("A镇", "showcase", "", "-1")],
     "指标 showcase 的 得分 应在 0–100 之间，实际为 “-1” (out of range 0–100)"),
    # labels
    ("unknown tier", [fact("A镇", "1.1", "", "标杆")],
     "指标 1.1 的 得分 应为 标杆型／标准型／基础型／未达标 之一，实际为 “标杆” (unknown tier label)"),
    # events
    ("ref row with value 2", [fact("A镇", "8.1", "省级", "2", "创新1")],
     "指标 8.1 的 省级 行填写了 ref（同一事项），value 必须为 1，实际为 “2” (a level row with a ref must have value 1)"),
]


@pytest.mark.parametrize(("explicit", "message"), [c[1:] for c in ONE_LINE], ids=[c[0] for c in ONE_LINE])
def test_one_bad_row_gives_one_problem_naming_its_line(zichuan, explicit, message):
    assert problems_of(zichuan, explicit) == [Problem("第2行", message)]


def test_duplicate_single_valued_fact_names_both_lines(zichuan):
    explicit = [fact("A镇", "5.1", "问题次数", "1"), fact("A镇", "5.2", "制度不健全", "0"),
                fact("A镇", "5.1", "问题次数", "2")]
    assert problems_of(zichuan, explicit) == [
        Problem("第2行、第4行", "2022Q2 A镇 指标 5.1 的 问题次数 重复填写了 2 次，只能有一行 (duplicate fact)")]


def test_bad_period_format_names_every_line(zichuan):
    rows = unit("A镇", period="2022-Q2")
    problems = validate(read_csv_bytes(csv_bytes(rows)), zichuan)[1]
    msg = "期间 period “2022-Q2” 格式不对，应为 2022Q3 这样的格式 (period must look like 2022Q3)"
    assert problems == [Problem(f"第{i + 2}行", msg) for i in range(len(rows))]


def test_one_bad_period_cell_is_one_problem(zichuan):
    """The row with the bad period does not invent an incomplete unit '2022-Q2 A镇' (22 'missing' errors)."""
    explicit = [fact("A镇", "5.1", "问题次数", "0", period="2022-Q2"), fact("A镇", "5.1", "问题次数", "0")]
    assert problems_of(zichuan, explicit) == [
        Problem("第2行", "期间 period “2022-Q2” 格式不对，应为 2022Q3 这样的格式 (period must look like 2022Q3)")]


def test_infinite_count_is_rejected(zichuan):
    assert problems_of(zichuan, [fact("A镇", "5.1", "问题次数", "inf")]) == [
        Problem("第2行", "指标 5.1 的 问题次数 应为非负整数 (a whole number ≥ 0)，实际为 “inf” (not a number)")]


# --- problems about a unit or a period: named by period / entity / indicator ------------------------------------------

MISSING = [
    # a base indicator
    (("5.1", "问题次数"), "2022Q2 A镇 指标 5.1", "缺少 加强现场管理 的细项 “问题次数”，不能按 0 分处理，请补录 (missing)"),
    # one item of a two-item indicator
    (("4.1", "设备故障次数"), "2022Q2 A镇 指标 4.1",
     "缺少 设施设备配置 的细项 “设备故障次数”，不能按 0 分处理，请补录 (missing)"),
    # a month
    (("6", "第3月"), "2022Q2 A镇 指标 6", "缺少 政务服务“好差评” 的细项 “第3月”，不能按 0 分处理，请补录 (missing)"),
    # the showcase score
    (("showcase", ""), "2022Q2 A镇 指标 showcase", "缺少 风采展示 的得分，不能按 0 分处理，请补录 (missing)"),
    # a tier
    (("1.1", ""), "2022Q2 A镇 指标 1.1",
     "缺少 镇（街道、开发区）便民服务中心标准化建设 的得分，不能按 0 分处理，请补录 (missing)"),
    # a rank indicator (neither 名次 nor 实绩)
    (("7", "名次"), "2022Q2 A镇 指标 7", "缺少 阶段性重点工作 的名次或实绩，不能按 0 分处理，请补录 (missing)"),
]


@pytest.mark.parametrize(("dropped", "where", "message"), MISSING, ids=[f"{d[0]} {d[1]}" for d, *_ in MISSING])
def test_missing_fact_is_an_error_never_a_silent_zero(zichuan, dropped, where, message):
    assert problems_of(zichuan, [], drop=(dropped,)) == [Problem(where, message)]


def test_rank_indicator_mixing_place_and_measure_in_a_period(zichuan):
    explicit = [fact("A镇", "2.3", "名次", "1"), fact("B镇", "2.3", "实绩", "9")]
    assert problems_of(zichuan, explicit, entities=("A镇", "B镇")) == [
        Problem("2022Q2 指标 2.3",
                "同一期间内有的单位填名次、有的填实绩，必须统一为一种 (a rank indicator mixes 名次 and 实绩)")]


def test_rank_indicator_mixing_is_fine_across_periods(zichuan):
    explicit = [fact("A镇", "2.3", "名次", "1"), fact("A镇", "2.3", "实绩", "9", period="2022Q3")]
    rows = explicit + filler(explicit, ["A镇"]) + [r for r in unit("A镇", period="2022Q3") if r["indicator"] != "2.3"]
    assert validate(read_csv_bytes(csv_bytes(rows)), zichuan)[1] == []


def test_one_unit_with_both_place_and_measure(zichuan):
    explicit = [fact("A镇", "2.3", "名次", "1"), fact("A镇", "2.3", "实绩", "9")]
    assert problems_of(zichuan, explicit) == [
        Problem("2022Q2 A镇 指标 2.3", "同时填写了名次和实绩，只能填其中一种 (both place and measure)"),
        # redundant here (no unit uses only one of them) but true of the period's rows
        Problem("2022Q2 指标 2.3",
                "同一期间内有的单位填名次、有的填实绩，必须统一为一种 (a rank indicator mixes 名次 and 实绩)"),
    ]


def test_unit_with_two_groups_in_a_period(zichuan):
    rows = [dict(r, group="东") for r in unit("A镇")]
    rows[3]["group"] = "西"
    raw = csv_bytes(rows, header=[*HEADER, "group"])
    assert validate(read_csv_bytes(raw), zichuan)[1] == [
        Problem("2022Q2 A镇", "同一单位在同一期间填写了不同的 group (one unit, several groups)")]


def test_entity_not_in_roster(zichuan):
    rows = unit("A镇") + unit("B镇")
    obs = read_csv_bytes(csv_bytes(rows))
    assert validate(obs, zichuan, roster={"A镇"})[1] == [
        Problem(f"第{i}行", "单位 “B镇” 不在名单中 (unknown entity)") for i in range(25, 48)]


def test_one_entity_typo_with_a_roster_is_one_problem(zichuan):
    explicit = [fact("A 镇", "5.1", "问题次数", "0")]
    assert problems_of(zichuan, explicit, roster={"A镇"}) == [
        Problem("第2行", "单位 “A 镇” 不在名单中 (unknown entity)")]


# --- all problems at once ----------------------------------------------------------------------------------------


def test_three_mistakes_give_three_errors(zichuan):
    explicit = [fact("A镇", "9.9", "", "1"),  # unknown indicator
                fact("A镇", "5.1", "问题次数", "三"),  # not a number
                fact("A镇", "2.2", "酌情扣分", "5")]  # out of range
    assert sorted(problems_of(zichuan, explicit), key=lambda p: p.where) == [
        Problem("第2行", "指标 indicator “9.9” 不在细则 zichuan-2022 中 (unknown indicator)"),
        Problem("第3行", "指标 5.1 的 问题次数 应为非负整数 (a whole number ≥ 0)，实际为 “三” (not a number)"),
        Problem("第4行", "指标 2.2 的 酌情扣分 应在 0 或 2–4 之间，实际为 “5” (out of range 0 或 2–4)"),
    ]


def test_score_raises_with_every_error_listed(zichuan):
    explicit = [fact("A镇", "1.1", "", "标杆"), fact("A镇", "showcase", "", "101")]
    obs = read_csv_bytes(csv_bytes(explicit + filler(explicit, ["A镇"], drop=(("6", "第1月"),))))
    with pytest.raises(InputError) as exc:
        score(obs, zichuan)
    assert str(exc.value).splitlines() == [
        "输入有 3 处错误 (input has 3 error(s)):",
        "[错误 error] 第2行: 指标 1.1 的 得分 应为 标杆型／标准型／基础型／未达标 之一，实际为 “标杆” (unknown tier label)",
        "[错误 error] 第3行: 指标 showcase 的 得分 应在 0–100 之间，实际为 “101” (out of range 0–100)",
        "[错误 error] 2022Q2 A镇 指标 6: 缺少 政务服务“好差评” 的细项 “第1月”，不能按 0 分处理，请补录 (missing)",
    ]


# --- encodings, header, warnings ----------------------------------------------------------------------------


def test_bom_is_accepted(zichuan):
    raw = b"\xef\xbb\xbf" + csv_bytes(unit("般阳路街道"))
    obs = read_csv_bytes(raw)
    assert list(obs.columns[:7]) == HEADER
    assert validate(obs, zichuan)[1] == []
    assert list(score(obs, zichuan).league["entity"]) == ["般阳路街道"]


def test_gbk_csv_is_accepted(zichuan):
    rows = unit("般阳路街道", {("1.1", ""): "标准型"})
    obs = read_csv_bytes(csv_bytes(rows, encoding="gbk"))
    assert validate(obs, zichuan)[1] == []
    assert obs[["entity", "indicator", "item", "value"]].values.tolist()[:2] == [
        ["般阳路街道", "1.1", "", "标准型"], ["般阳路街道", "1.2", "基础型全覆盖", "1"]]
    assert score(obs, zichuan).league["daily"].tolist() == [96.0]


def test_missing_column_is_reported_with_the_expected_header():
    with pytest.raises(InputError) as exc:
        read_csv_bytes("period,entity,indicator,item,value\n2022Q2,A镇,5.1,问题次数,0\n".encode())
    assert exc.value.problems == [Problem(
        "CSV 表头 header", "缺少列 missing column(s): ref, note；表头应为 period,entity,indicator,item,value,ref,note（可选 group）")]


def test_blank_lines_keep_real_line_numbers(zichuan):
    raw = csv_bytes([]) + b"\n\n" + csv_bytes([fact("A镇", "5.1", "问题次数", "x")])[len(",".join(HEADER)) + 1:]
    obs = read_csv_bytes(raw)
    assert list(obs["line"]) == ["第4行"]


def test_identical_event_rows_without_ref_warn_but_count_twice(zichuan):
    explicit = [fact("A镇", "8.1", "省级", "1"), fact("A镇", "8.1", "省级", "1"),
                fact("A镇", "8.4", "酌情扣分", "2"), fact("A镇", "8.4", "酌情扣分", "2")]
    obs = read_csv_bytes(csv_bytes(explicit + filler(explicit, ["A镇"])))
    warning = "2022Q2 A镇 指标 {} 有与前面完全相同的 {} 行，已按两次计入；请核对是否重复录入 (possible double entry)"
    expected = [Problem("第3行", warning.format("8.1", "省级=1"), "warning"),
                Problem("第5行", warning.format("8.4", "酌情扣分=2"), "warning")]
    assert validate(obs, zichuan)[1] == expected
    result = score(obs, zichuan)
    assert errors_only(result.warnings) == []
    assert result.warnings == expected
    assert result.league[["bonus", "penalty", "daily"]].values.tolist() == [[6.0, -4.0, 102.0]]


def test_identical_event_rows_with_different_refs_do_not_warn(zichuan):
    explicit = [fact("A镇", "8.1", "省级", "1", "创新1"), fact("A镇", "8.1", "省级", "1", "创新2")]
    assert problems_of(zichuan, explicit) == []


# --- unreadable files: a problem, never a crash --------------------------------------------------------------------


def test_row_with_extra_field_is_a_problem_naming_its_line():
    raw = ("period,entity,indicator,item,value,ref,note\n2022Q2,A镇,5.1,问题次数,0,,\n"
           "2022Q2,A镇,5.2,制度不健全,1,,见通知,第3条\n").encode()
    with pytest.raises(InputError) as exc:
        read_csv_bytes(raw)
    assert [p.where for p in exc.value.problems] == ["第3行"]


def test_every_row_with_extra_field_is_not_silently_shifted():
    raw = "period,entity,indicator,item,value,ref,note\n2022Q2,A镇,5.1,问题次数,0,,见通知,第3条\n".encode()
    with pytest.raises(InputError) as exc:
        read_csv_bytes(raw)
    assert [p.where for p in exc.value.problems] == ["第2行"]


def test_empty_file_is_a_problem():
    with pytest.raises(InputError) as exc:
        read_csv_bytes(b"")
    assert [p.where for p in exc.value.problems] == ["CSV 表头 header"]
    assert "文件是空的" in exc.value.problems[0].message


def test_header_only_file_has_no_rows_to_score(zichuan):
    obs = read_csv_bytes(csv_bytes([]))
    with pytest.raises(InputError) as exc:
        score(obs, zichuan)
    assert exc.value.problems == [Problem("文件 file", "没有任何观测数据行 (no observation rows)")]



def test_csv_column_named_twice_is_a_header_problem():
    raw = "period,entity,indicator,item,value,value,ref,note\n2022Q2,A镇,5.1,问题次数,0,1,,\n".encode()
    with pytest.raises(InputError) as exc:
        read_csv_bytes(raw)
    assert exc.value.problems == [Problem("CSV 表头 header", "列 “value” 出现了 2 次，每列只能有一个 (column named twice)")]


def test_xlsx_cells_right_of_the_header_are_problems_naming_the_row():
    import io

    import openpyxl

    from scoring.reader import read_xlsx_bytes

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(["period", "entity", "indicator", "item", "value", "ref", "note"])
    ws.append(["2022Q2", "A镇", "5.1", "问题次数", "0", "", ""])
    ws.append(["2022Q2", "A镇", "5.2", "制度不健全", "1", "", "见通知", "第3条"])
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(InputError) as exc:
        read_xlsx_bytes(buf.getvalue())
    assert [p.where for p in exc.value.problems] == ["数据!3"]
