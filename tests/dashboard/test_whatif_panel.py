"""The unit page's what-if (AppTest): a town edits its own facts in the scratch table and sees exactly what the engine
gives for the edited facts; nothing is written; the only scratch table a town gets is its own unit's."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from queries.store import Store, workflow
from scoring.engine import score
from scoring.rubric import load_rubric
from tests.conftest import SEED_002, frame, quotes_not_in_seed, unit
from tests.dashboard.conftest import table, unescaped
from tests.queries.helpers import snapshot

SCHEME = "zichuan-2022"
ROWS = (unit("A镇", {("2.2", "酌情扣分"): "2", ("showcase", ""): "90"})
        + unit("B镇", {("5.1", "问题次数"): "3", ("showcase", ""): "96"})
        + unit("C镇", {("1.1", ""): "标准型", ("showcase", ""): "80"})
        + unit("D镇", {("1.1", ""): "基础型", ("showcase", ""): "80"}))
KEY = f"whatif_{SCHEME}_2022Q2_A镇"  # the scratch table's widget key


@pytest.fixture
def review_db(tmp_path) -> str:
    """ROWS as 2022Q2, in 公示 (a town sees it)."""
    db = tmp_path / "whatif.duckdb"
    with Store(db) as store:
        store.import_observations(load_rubric(SCHEME), frame(ROWS), who="测试", source="q.csv")
        workflow.review(store, "王主任", SCHEME, "2022Q2", until=date.today() + timedelta(days=6), today=date.today())
    return str(db)


def page_store() -> Store:
    from dashboard.state import _open_store, db_path

    return _open_store(db_path())


def open_as_town(app, db):
    at = app(db, "a-town", "town", (("", "A镇"),))
    at.switch_page("views/town.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_a_town_edits_its_own_facts_and_sees_the_engine_result(app, review_db):
    """Seed 002 (2.2): "人员培训、工作制度落实不到位的，视情扣2-4分。" — A镇 asks what its 2.2 deduction of 2 costs it: with
    0 instead, the scratch result is exactly what scoring the edited facts gives (97.00: first, ahead of B镇's 96.70,
    and the flag), the 2 points show as the gain on 2.2, and nothing is written."""
    at = open_as_town(app, review_db)
    [whatif] = [e for e in at.expander if e.label == "假如…（试算，不保存）"]
    editor = at.data_editor[0].value
    assert set(editor["编号"]) >= {"2.2", "showcase"} and len(editor) == len(frame(ROWS).query("entity == 'A镇'"))
    assert "在上表中修改数值，即可看到试算结果。" in [c.value for c in whatif.caption]
    before = snapshot(page_store())
    row = int(editor.index[editor["编号"] == "2.2"][0])
    at.session_state[KEY] = {"edited_rows": {row: {"数值": "0"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    [whatif] = [e for e in at.expander if e.label == "假如…（试算，不保存）"]

    edited = [dict(r, value="0") if (r["entity"], r["indicator"]) == ("A镇", "2.2") else r for r in ROWS]
    real = score(frame(edited), load_rubric(SCHEME)).league.set_index("entity").loc["A镇"]
    assert [(m.label, m.value, m.delta) for m in whatif.metric] == [
        ("日常评估", f"{real['daily']:.2f}", "+2.00"), ("风采展示", f"{real['showcase']:.2f}", ""),  # "": unchanged
        ("总分", f"{real['final']:.2f}", "+1.40"), ("名次", f"{real['rank']} / 4", "+1 位"),
        ("“好”等次", real["grade"], ""), ("红旗", real["flag"], "获得")]
    assert (real["final"], real["rank"], real["flag"]) == (97.0, 1, "红旗")
    assert [unescaped(m.value) for m in whatif.markdown if m.value.startswith("**试算")] == [
        "**试算结果：总分 95.60 → 97.00（+1.40），名次 第 2 名 → 第 1 名，仍为“好”，获得红旗。**"]
    assert table(at, "改动").values.tolist() == [["2.2", "加强人员队伍建设", "酌情扣分 2→0", 4.0, 6.0, 2.0]]
    assert table(at, "试算名次")[["单位", "试算名次", "原名次"]].values.tolist() == [
        ["A镇", 1, 2], ["B镇", 2, 1], ["C镇", 3, 3], ["D镇", 4, 4]]
    assert snapshot(page_store()) == before  # data version (the audit trail), facts and results unchanged

    at.button(key=f"{KEY}_reset").click().run()  # 恢复原值: the stored facts again
    assert at.data_editor[0].value.equals(editor)


def test_a_bad_edit_is_named_and_nothing_is_scored(app, review_db):
    """Seed 002 (2.2): "人员培训、工作制度落实不到位的，视情扣2-4分。" — a 5 is not allowed: the row is named, no result."""
    at = open_as_town(app, review_db)
    editor = at.data_editor[0].value
    row = int(editor.index[editor["编号"] == "2.2"][0])
    at.session_state[KEY] = {"edited_rows": {row: {"数值": "5"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert [unescaped(e.value) for e in at.error] == [
        "修改后的数据有问题，未试算 (the edited facts do not validate)：\n\n- [错误 error] 修改表第6行: 指标 2.2 的 酌情扣分 "
        "应在 0 或 2–4 之间，实际为 “5” (out of range 0 或 2–4)"]
    [whatif] = [e for e in at.expander if e.label == "假如…（试算，不保存）"]
    assert not whatif.metric


def test_a_town_gets_only_its_own_scratch_table(app, review_db):
    """Seed 002 (2.2): "人员培训、工作制度落实不到位的，视情扣2-4分。" — a remembered other unit changes nothing: the only
    scratch table is A镇's, holding A镇's facts (its 2.2 of 2), never B镇's."""
    at = open_as_town(app, review_db)
    at.session_state["unit"] = "B镇"
    at.run()
    assert at.title[0].value == "镇街详情 · A镇"
    [editor] = at.data_editor
    facts = editor.value.set_index(["编号", "项目"])["数值"]
    assert (facts[("2.2", "酌情扣分")], facts[("5.1", "问题次数")], facts[("showcase", "")]) == ("2", "0", "90")


def test_what_if_panel_quotes_are_verbatim_from_the_seed():
    assert SEED_002.exists() and quotes_not_in_seed(globals()) == []
