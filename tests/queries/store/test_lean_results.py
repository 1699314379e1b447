"""Lean results (issue 10): per-indicator points and places only, reasons rendered when read, every rubric version
kept; rescoring in worker processes gives the same store; and stores made before open and keep working (issue 9:
published periods as published, the others rescored exactly, refused stored values listed)."""
from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from queries.league import league
from queries.store import Store, workers
from queries.unit import indicator_detail
from scoring.engine import score
from scoring.rubric import load_rubric
from tests.conftest import ZICHUAN_PATH, frame, unit
from tests.queries.helpers import SCHEME, quarter, snapshot

DETAIL = ["indicator", "category", "kind", "points", "max", "lost", "reason", "place"]


def test_reasons_rendered_when_read_equal_the_full_scoring(store, zichuan):
    """The store keeps points and places; one unit's reasons rendered from its facts equal the scoring's."""
    obs = quarter("2022Q2", {"B镇": {("5.1", "问题次数"): "2", ("2.3", "名次"): "3", ("6", "第3月"): "99.003"}})
    store.import_observations(zichuan, obs, who="张三", source="q2.csv")
    full = score(obs, zichuan).detail
    for entity in ("A镇", "B镇", "C镇"):
        got = indicator_detail(store, SCHEME, "2022Q2", entity)
        want = full[full["entity"] == entity][DETAIL].reset_index(drop=True)
        pd.testing.assert_frame_equal(got[DETAIL].reset_index(drop=True), want, check_dtype=False)
    b = indicator_detail(store, SCHEME, "2022Q2", "B镇").set_index("indicator")["reason"]
    assert (b["5.1"], b["2.3"], b["6"]) == ("现场管理问题 2 次 −2", "第3名 −1", "3个月平均99.6677分 −0.0332")


def test_the_lean_table_holds_no_text_but_the_unit(store, zichuan):
    store.import_observations(zichuan, quarter(), who="张三", source="q2.csv")
    columns = [c[0] for c in store.con.execute("DESCRIBE result_points").fetchall()]
    assert columns == ["scheme", "period", "entity", "ord", "points", "place"]
    assert store.con.execute("SELECT count(*) FROM result_points").fetchone()[0] == 3 * len(zichuan.indicators)


def test_a_published_period_keeps_its_version_and_its_reasons(store, zichuan, tmp_path):
    """After a new rubric version (4.1's self-service deduction 2 → 3), the published period still names version 1
    and renders its reasons with version 1; the unpublished one is rescored with version 2."""
    changes = {"B镇": {("4.1", "未设自助服务区"): "1"}}
    store.import_observations(zichuan, quarter("2022Q1", changes), who="张三", source="q1.csv")
    store.publish(SCHEME, "2022Q1", who="王主任", why="定稿")
    store.import_observations(zichuan, quarter("2022Q2", changes), who="张三", source="q2.csv")
    text = ZICHUAN_PATH.read_text(encoding="utf-8").replace("version: 1", "version: 2", 1).replace(
        "{item: 未设自助服务区, amount: 2,", "{item: 未设自助服务区, amount: 3,")
    assert "amount: 3" in text
    path = tmp_path / "zichuan-v2.yaml"
    path.write_text(text, encoding="utf-8")
    store.import_observations(load_rubric(path), quarter("2022Q3", changes), who="张三", source="q3.csv",
                              rubric_ref=path)
    versions = dict(store.con.execute("SELECT period, max(rubric_version) FROM results GROUP BY period").fetchall())
    assert versions == {"2022Q1": 1, "2022Q2": 2, "2022Q3": 2}
    reason = {p: indicator_detail(store, SCHEME, p, "B镇").set_index("indicator").loc["4.1", "reason"]
              for p in ("2022Q1", "2022Q2")}
    assert reason == {"2022Q1": "未按要求设置自助服务区 −2", "2022Q2": "未按要求设置自助服务区 −3"}
    assert store.con.execute("SELECT scheme, version FROM rubric_versions ORDER BY version").fetchall() == [
        (SCHEME, 1), (SCHEME, 2)]


def test_rescoring_in_two_worker_processes_gives_the_same_store(tmp_path, zichuan, monkeypatch):
    """The national path (periods scored in worker processes, data crossing as Arrow) writes exactly what the
    single-process path writes."""
    obs = pd.concat([quarter(p, {"B镇": {("5.1", "问题次数"): str(k)}}) for k, p in
                     enumerate(["2022Q1", "2022Q2", "2022Q3"])], ignore_index=True)
    stores, used = {}, []
    real = workers.score_in_processes
    monkeypatch.setattr(workers, "score_in_processes", lambda *a: used.append(1) or real(*a))
    for mode, rows in (("serial", "999999999"), ("processes", "0")):
        monkeypatch.setenv("FLAGBOARD_PARALLEL_ROWS", rows)
        db = str(tmp_path / f"{mode}.duckdb")
        with Store(db) as st:
            st.import_observations(zichuan, obs, who="张三", source="q.csv")
            st.rescore(SCHEME, ["2022Q1", "2022Q2", "2022Q3"], who="张三")
        everything = snapshot(db)
        stores[mode] = {t: everything[t] for t in ("results", "result_points", "result_components")}
    assert used == [1]  # the second store was rescored in the worker processes
    assert stores["processes"] == stores["serial"]
    assert len(stores["serial"]["result_points"]) == 3 * 3 * len(zichuan.indicators)


def test_facts_cross_to_the_workers_as_files_removed_once_answered(tmp_path, zichuan, monkeypatch):
    """Each period's facts go to a worker as an Arrow file in shared memory (mapped there, not pickled through a
    pipe); the file is gone once the worker has answered."""
    shared = tmp_path / "shm"
    shared.mkdir()
    monkeypatch.setattr(workers, "SHARED_MEMORY", str(shared))
    handed = []
    real = workers.handoff
    monkeypatch.setattr(workers, "handoff", lambda table: handed.append(real(table)) or handed[-1])
    monkeypatch.setenv("FLAGBOARD_PARALLEL_ROWS", "0")
    obs = pd.concat([quarter(p) for p in ("2022Q1", "2022Q2", "2022Q3")], ignore_index=True)
    with Store(str(tmp_path / "s.duckdb")) as st:
        st.import_observations(zichuan, obs, who="张三", source="q.csv")
        st.rescore(SCHEME, ["2022Q1", "2022Q2", "2022Q3"], who="张三")
        assert sorted(league(st, SCHEME, "2022Q3")["entity"]) == ["A镇", "B镇", "C镇"]
    assert [p.rsplit("/", 1)[0] for p in handed] == [str(shared)] * 3
    assert list(shared.iterdir()) == []


def test_a_period_without_facts_loses_its_results_in_the_workers_too(tmp_path, zichuan, monkeypatch):
    """A period whose facts are gone is rescored to no results, in the worker processes as in the serial path."""
    monkeypatch.setenv("FLAGBOARD_PARALLEL_ROWS", "0")
    obs = pd.concat([quarter(p) for p in ("2022Q1", "2022Q2")], ignore_index=True)
    with Store(str(tmp_path / "s.duckdb")) as st:
        st.import_observations(zichuan, obs, who="张三", source="q.csv")
        st.con.execute("DELETE FROM observations WHERE period = '2022Q1'")
        st.rescore(SCHEME, ["2022Q1", "2022Q2"], who="张三")
        kept = st.con.execute("SELECT DISTINCT period FROM results ORDER BY period").fetchall()
    assert kept == [("2022Q2",)]


def test_points_are_written_unit_by_unit_in_name_order(store, zichuan):
    """Rows of one unit sit together (its detail reads few blocks), units in name order, indicators in rubric order."""
    store.import_observations(zichuan, quarter(), who="张三", source="q2.csv")
    rows = store.con.execute("SELECT entity, ord FROM result_points ORDER BY rowid").fetchall()
    k = len(zichuan.indicators)
    assert rows == [(e, o) for e in ("A镇", "B镇", "C镇") for o in range(k)]


def test_workers_start_without_running_the_dashboard_script(tmp_path, zichuan, monkeypatch):
    """Under Streamlit ``__main__`` is the dashboard's script; a worker that re-ran it died without a session and
    broke the pool (seen in CI after the app tests). A ``__main__`` whose file would kill any process that runs it
    leaves the rescore, and the pool after it, working."""
    import sys
    import types

    script = tmp_path / "app.py"
    script.write_text("import os\nos._exit(3)\n", encoding="utf-8")
    fake = types.ModuleType("__main__")
    fake.__file__ = str(script)
    workers.shutdown()  # new worker processes, started while the fake script is __main__
    monkeypatch.setitem(sys.modules, "__main__", fake)
    monkeypatch.setenv("FLAGBOARD_PARALLEL_ROWS", "0")
    obs = pd.concat([quarter(p) for p in ("2022Q1", "2022Q2")], ignore_index=True)
    with Store(str(tmp_path / "s.duckdb")) as st:
        st.import_observations(zichuan, obs, who="张三", source="q.csv")
        st.rescore(SCHEME, ["2022Q1", "2022Q2"], who="张三")
        assert sorted(league(st, SCHEME, "2022Q2")["entity"]) == ["A镇", "B镇", "C镇"]
    assert sys.modules["__main__"] is fake


# --- stores made before ----------------------------------------------------------------------------------------

def make_old_store(db: str, zichuan) -> None:
    """A store as the float engine left it: the wide per-indicator table with reasons, results naming no version,
    no mark of exact arithmetic; 2022Q1 published; 2022Q2 with a 5.1 finding; 2022Q3 with 有 stored for 4.1."""
    with Store(db) as st:
        st.import_observations(zichuan, quarter("2022Q1"), who="张三", source="q1.csv")
        st.publish(SCHEME, "2022Q1", who="王主任", why="定稿")
        st.import_observations(zichuan, quarter("2022Q2", {"A镇": {("5.1", "问题次数"): "1"}}), who="张三",
                               source="q2.csv")
        st.import_observations(zichuan, quarter("2022Q3"), who="张三", source="q3.csv")
    con = duckdb.connect(db)
    con.execute("CREATE TABLE wide AS SELECT *, '旧原因' AS reason FROM results_indicator")
    con.execute("DROP VIEW results_indicator")
    con.execute("CREATE TABLE results_indicator AS SELECT scheme, period, grp, entity, indicator, category, kind, "
                "points, max, lost, reason, place FROM wide")
    con.execute("DROP TABLE wide; DROP TABLE result_points; DROP TABLE rubric_indicators; DROP TABLE rubric_versions")
    con.execute("UPDATE results SET rubric_version = NULL, final = final + 0.00001 WHERE period <> '2022Q1'")
    con.execute("UPDATE results SET final = final + 0.00001 WHERE period = '2022Q1'")  # a float engine's last digit
    con.execute("DELETE FROM meta")
    con.execute("UPDATE observations SET value = '有' WHERE period = '2022Q3' AND entity = 'C镇' AND indicator = '4.1' "
                "AND item = '未设自助服务区'")
    con.close()


def test_a_store_made_before_opens_and_keeps_working(tmp_path, zichuan):
    db = str(tmp_path / "old.duckdb")
    make_old_store(db, zichuan)
    published_before = duckdb.connect(db, read_only=True).execute(
        "SELECT entity, final FROM results WHERE period = '2022Q1' ORDER BY entity").fetchall()
    with Store(db) as st:
        # published: exactly as published (not rescored)
        assert st.con.execute("SELECT entity, final FROM results WHERE period = '2022Q1' ORDER BY entity"
                               ).fetchall() == published_before
        # unpublished and valid: rescored exactly, audited as a rescore by the upgrade
        q2 = league(st, SCHEME, "2022Q2").set_index("entity")["final"].to_dict()
        assert q2 == {"A镇": 99.3, "B镇": 98.5, "C镇": 97.0}
        upgrades = st.con.execute("SELECT action, period, who FROM audit WHERE via = 'system' ORDER BY audit_id"
                                  ).fetchall()
        assert upgrades == [("rescore", "2022Q2", "系统升级"), ("stored_problems", "2022Q3", "系统升级")]
        # refused stored value: listed naming period, unit and indicator; its period keeps its results
        listed = st.con.execute("SELECT period, entity, indicator, item, value FROM stored_problems").fetchall()
        assert listed == [("2022Q3", "C镇", "4.1", "未设自助服务区", "有")]
        assert len(league(st, SCHEME, "2022Q3")) == 3
        # reasons render from the facts (the old stored reasons are gone with the wide table)
        assert indicator_detail(st, SCHEME, "2022Q2", "A镇").set_index("indicator").loc["5.1", "reason"] == \
            "现场管理问题 1 次 −1"
    with Store(db) as st:  # opening again changes nothing more
        assert st.con.execute("SELECT count(*) FROM audit WHERE via = 'system'").fetchone()[0] == 2


def test_fixing_a_listed_value_clears_it(tmp_path, zichuan):
    db = str(tmp_path / "old.duckdb")
    make_old_store(db, zichuan)
    with Store(db) as st:
        fixed = frame(unit("C镇", {("showcase", ""): "90"}, period="2022Q3"))
        st.import_observations(zichuan, fixed, who="张三", source="fix.csv")
        assert st.con.execute("SELECT count(*) FROM stored_problems").fetchone()[0] == 0


@pytest.mark.parametrize("column", ["reason", "category", "kind", "grp"])
def test_the_view_keeps_the_columns_readers_use(store, zichuan, column):
    store.import_observations(zichuan, quarter(), who="张三", source="q2.csv")
    columns = [c[0] for c in store.con.execute("DESCRIBE results_indicator").fetchall()]
    assert (column in columns) == (column != "reason")
