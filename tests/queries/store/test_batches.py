"""Change batches: import semantics (replace the pairs present, leave the rest), idempotent re-import, nothing
written on any error, edits validated with the whole period, undo restoring exactly, and a process killed in
the middle of a large import leaving the store exactly as before."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from queries.audit import SQL as AUDIT
from queries.data_views import last_change
from queries.league import league
from queries.store import RefusedError, Store
from scoring.demo import QUARTERS, demo_observations
from scoring.problems import InputError, Problem
from tests.conftest import frame, unit
from tests.queries.helpers import SQL, facts, quarter, snapshot, unit_table

ROOT = Path(__file__).resolve().parents[3]
SCHEME = "zichuan-2022"


def stored(store: Store) -> list[tuple]:
    """Every stored fact with its batch id and line (what 'untouched' means)."""
    return sorted(store.con.cursor().execute(
        "SELECT period, entity, indicator, item, value, ref, note, line, batch_id FROM observations").fetchall())


# --- import semantics ---------------------------------------------------------------------------------------------


def test_import_replaces_only_the_pairs_it_contains(store, zichuan):
    store.import_observations(zichuan, pd.concat([quarter("2022Q2"), quarter("2022Q3")]), who="张三", source="a.csv")
    before = stored(store)
    change = quarter("2022Q2", {"B镇": {("5.1", "问题次数"): "2"}}, entities=("B镇",))
    batch = store.import_observations(zichuan, change, who="张三", source="b.csv")
    after = stored(store)
    untouched = [r for r in before if (r[0], r[1]) != ("2022Q2", "B镇")]
    assert [r for r in after if (r[0], r[1]) != ("2022Q2", "B镇")] == untouched
    assert ("5.1", "问题次数", "2") in facts(store, "2022Q2", "B镇")
    assert {r[8] for r in after if (r[0], r[1]) == ("2022Q2", "B镇")} == {batch}
    table = league(store, SCHEME, "2022Q2").set_index("entity")
    assert table.loc["B镇", "daily"] == 98.0  # 5.1: two findings −2


def test_reimporting_the_same_file_changes_nothing(store, zichuan):
    obs = pd.concat([quarter("2022Q2"), quarter("2022Q3")])
    first = store.import_observations(zichuan, obs, who="张三", source="a.csv")
    before = snapshot(store, skip=("audit", "audit_scope"))
    again = store.import_observations(zichuan, obs.sample(frac=1, random_state=1), who="李四", source="a.csv")
    assert (first, again) == (1, None)
    assert snapshot(store, skip=("audit", "audit_scope")) == before
    last = store.read(AUDIT.audit_rows, scheme=SCHEME, period="", entity="", limit=1).iloc[0]
    assert (last["action"], last["who"], json.loads(last["detail"])) == (
        "import", "李四", {"source": "a.csv", "rows": 138, "units": 6, "no_change": True})


def test_a_partly_changed_file_only_replaces_the_changed_units(store, zichuan):
    store.import_observations(zichuan, quarter(), who="张三", source="a.csv")
    store.import_observations(zichuan, quarter(changes={"C镇": {("2.2", "酌情扣分"): "3"}}), who="张三", source="b.csv")
    last = last_change(store, SCHEME, "2022Q2")
    assert (last["batch_id"], last["n_units"]) == (2, 1)
    detail = json.loads(store.read(AUDIT.audit_rows, scheme=SCHEME, period="", entity="", limit=1)["detail"].iloc[0])
    assert {k: detail[k] for k in ("units", "units_unchanged", "added", "changed", "removed", "changes")} == {
        "units": 1, "units_unchanged": 2, "added": 0, "changed": 1, "removed": 0,
        "changes": [{"period": "2022Q2", "entity": "C镇", "indicator": "2.2", "item": "酌情扣分", "ref": "",
                     "before": "0", "after": "3"}]}


def test_any_error_writes_nothing(store, zichuan):
    store.import_observations(zichuan, quarter(), who="张三", source="a.csv")
    before = snapshot(store)
    bad = quarter(changes={"A镇": {("5.1", "问题次数"): "三"}, "B镇": {("showcase", ""): "101"}})
    with pytest.raises(InputError) as exc:
        store.import_observations(zichuan, bad, who="张三", source="bad.csv")
    assert [p.where for p in exc.value.problems] == ["第16行", "第47行"]
    assert snapshot(store) == before


def test_incoming_rows_are_validated_with_the_stored_units_of_the_period(store, zichuan):
    measured = {e: {("2.3", "实绩"): str(10 + n)} for n, e in enumerate(("A镇", "B镇"))}
    store.import_observations(zichuan, quarter(changes=measured, entities=("A镇", "B镇")), who="张三", source="a.csv")
    before = snapshot(store)
    with pytest.raises(InputError) as exc:
        store.import_observations(zichuan, quarter(entities=("C镇",)), who="张三", source="c.csv")
    assert exc.value.problems == [Problem(
        "2022Q2 指标 2.3", "同一期间内有的单位填名次、有的填实绩，必须统一为一种 (a rank indicator mixes 名次 and 实绩)")]
    assert snapshot(store) == before


def test_an_infinite_value_is_refused(store, zichuan):
    with pytest.raises(InputError) as exc:
        store.import_observations(zichuan, quarter(changes={"A镇": {("5.1", "问题次数"): "inf"}}), who="张三",
                                  source="a.csv")
    assert exc.value.problems == [
        Problem("第16行", "指标 5.1 的 问题次数 应为非负整数 (a whole number ≥ 0)，实际为 “inf” (not a number)")]


def test_a_name_is_required(store, zichuan):
    with pytest.raises(RefusedError, match="请先填写您的姓名"):
        store.import_observations(zichuan, quarter(), who=" ", source="a.csv")


# --- edits ------------------------------------------------------------------------------------------------------


def test_edit_replaces_one_units_facts_and_is_audited_with_before_and_after(store, zichuan):
    store.import_observations(zichuan, quarter(), who="张三", source="a.csv")
    table = unit_table(store)
    table.loc[(table["indicator"] == "5.1"), "value"] = "1"
    batch = store.edit_unit(SCHEME, "2022Q2", "A镇", table, who="王五", why="复核现场检查记录")
    assert ("5.1", "问题次数", "1") in facts(store, "2022Q2", "A镇")
    assert league(store, SCHEME, "2022Q2").set_index("entity").loc["A镇", "daily"] == 99.0
    row = store.read(AUDIT.audit_rows, scheme=SCHEME, period="", entity="A镇", limit=1).iloc[0]
    detail = json.loads(row["detail"])
    assert (row["action"], row["who"], row["why"], detail["batch_id"], detail["changes"]) == (
        "edit", "王五", "复核现场检查记录", batch,
        [{"period": "2022Q2", "entity": "A镇", "indicator": "5.1", "item": "问题次数", "ref": "", "before": "0",
          "after": "1"}])
    assert store.edit_unit(SCHEME, "2022Q2", "A镇", table, who="王五") is None  # nothing changed: no batch


def test_a_bad_edit_lists_every_problem_by_editor_row_and_writes_nothing(store, zichuan):
    store.import_observations(zichuan, quarter(), who="张三", source="a.csv")
    before = snapshot(store)
    table = unit_table(store)
    table.loc[table["indicator"] == "2.2", "value"] = "5"
    table = table[table["indicator"] != "showcase"]
    table = pd.concat([table, pd.DataFrame([{"indicator": "2.3", "item": "实绩", "value": "7", "ref": "", "note": ""}])])
    with pytest.raises(InputError) as exc:
        store.edit_unit(SCHEME, "2022Q2", "A镇", table.reset_index(drop=True), who="王五")
    line_22 = f"修改表第{list(table['indicator']).index('2.2') + 1}行"
    assert exc.value.problems == [
        Problem(line_22, "指标 2.2 的 酌情扣分 应在 0 或 2–4 之间，实际为 “5” (out of range 0 或 2–4)"),
        Problem("2022Q2 A镇 指标 2.3", "同时填写了名次和实绩，只能填其中一种 (both place and measure)"),
        Problem("2022Q2 指标 2.3",
                "同一期间内有的单位填名次、有的填实绩，必须统一为一种 (a rank indicator mixes 名次 and 实绩)"),
        Problem("2022Q2 A镇 指标 showcase", "缺少 风采展示 的得分，不能按 0 分处理，请补录 (missing)"),
    ]
    assert snapshot(store) == before


# --- undo -------------------------------------------------------------------------------------------------------


UNDO_BOOKKEEPING = ("audit", "audit_scope", "batches", "batch_units", "replaced_observations")


def test_undo_restores_exactly_the_facts_before_the_last_change(store, zichuan):
    store.import_observations(zichuan, pd.concat([quarter("2022Q2"), quarter("2022Q3")]), who="张三", source="a.csv")
    before = snapshot(store, skip=UNDO_BOOKKEEPING)
    store.import_observations(zichuan, quarter(changes={"A镇": {("1.1", ""): "标准型"}}, entities=("A镇", "D镇")),
                              who="张三", source="b.csv")
    table = unit_table(store, "B镇")
    table.loc[table["indicator"] == "5.1", "value"] = "4"
    store.edit_unit(SCHEME, "2022Q2", "B镇", table, who="王五")
    assert store.undo_last(SCHEME, "2022Q2", who="张三") == {
        "batch_id": 3, "kind": "edit", "source": "B镇 2022Q2", "who": "王五", "units": 1}
    assert store.undo_last(SCHEME, "2022Q2", who="张三") == {
        "batch_id": 2, "kind": "import", "source": "b.csv", "who": "张三", "units": 2}
    assert snapshot(store, skip=UNDO_BOOKKEEPING) == before
    assert store.undo_last(SCHEME, "2022Q2", who="张三")["batch_id"] == 1  # the first import of 2022Q2
    assert store.read(SQL.period_has_observations, scheme=SCHEME, period="2022Q2") == 0
    assert league(store, SCHEME, "2022Q2").empty and len(league(store, SCHEME, "2022Q3")) == 3
    with pytest.raises(RefusedError, match="2022Q2 没有可以撤销的导入或修改"):
        store.undo_last(SCHEME, "2022Q2", who="张三")


# --- a process killed mid-import ----------------------------------------------------------------------------------

KILLED_IMPORT = textwrap.dedent("""
    import sys, time
    from queries.store import results
    from cli.main import main
    real_write_scored = results.write_scored

    def write_scored(cur, rubric, scored):
        real_write_scored(cur, rubric, scored)  # the results of a period are written inside the transaction
        print("IN_TRANSACTION", flush=True)
        time.sleep(120)

    results.write_scored = write_scored
    sys.exit(main(["import", "--db", sys.argv[1], "--rubric", "zichuan-2022", "--who", "kill-test", sys.argv[2]]))
""")


def test_a_killed_import_leaves_the_store_exactly_as_before(tmp_path, zichuan):
    db, big = str(tmp_path / "store.duckdb"), tmp_path / "big.csv"
    with Store(db) as store:
        store.import_observations(zichuan, quarter("2023Q1", entities=("单位0001", "单位0002", "单位0003")),
                                  who="张三", source="small.csv")
    before = snapshot(db)
    units = [f"单位{i:04d}" for i in range(900)]
    obs = demo_observations(zichuan, units, QUARTERS, seed=7)
    obs.drop(columns=["group"]).to_csv(big, index=False)
    assert len(obs) > 200_000
    proc = subprocess.Popen([sys.executable, "-c", KILLED_IMPORT, db, str(big)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "IN_TRANSACTION", proc.stderr.read()
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(db) == before
    with Store(db) as store:  # and the store still works
        assert store.import_observations(zichuan, quarter("2023Q2"), who="张三", source="next.csv") == 2


def test_stored_rows_keep_their_lines(store, zichuan):
    store.import_observations(zichuan, frame(unit("A镇")), who="张三", source="a.csv")
    rows = store.con.execute("SELECT line FROM observations ORDER BY line").fetchall()
    assert sorted(r[0] for r in rows) == sorted(f"第{i}行" for i in range(2, 25))
