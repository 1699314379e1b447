"""The store: one DuckDB file holding observations, results, decisions and the audit trail.

One read-write connection per process; callers get a fresh cursor per statement, so a Streamlit app
can share the connection across script runs. DuckDB allows one writer process per file: a second
process gets :class:`StoreBusyError` with a message a clerk understands, never a lock trace.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pandas as pd
import yaml

from queries.sql import sql
from scoring.engine import Scored, score_valid
from scoring.problems import InputError, errors_only
from scoring.rubric import Rubric, load_rubric, parse_rubric, resolve_rubric_path
from scoring.validate import validate

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
OBS_COLUMNS = ["period", "group", "entity", "indicator", "item", "value", "ref", "note", "line"]


class StoreBusyError(RuntimeError):
    """Another process (the dashboard, or another command) holds the store file for writing."""


def _split(statement: str) -> list[str]:
    return [s.strip() for s in re.split(r";\s*(?:\n|$)", statement) if s.strip()]


class Store:
    def __init__(self, path: str | Path, read_only: bool = False):
        self.path = str(path)
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise StoreBusyError(
                    f"数据库文件 {self.path} 正被另一个程序（例如正在运行的看板或另一个命令）使用，"
                    f"请先关闭它再试 (the store is in use by another process; close it and retry)"
                ) from None
            raise
        if not read_only:
            self.run("create_schema")

    def close(self) -> None:
        self.con.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- running named SQL -------------------------------------------------------------------------
    def run(self, name: str, con=None, **params) -> None:
        cur = con or self.con.cursor()
        for stmt in _split(sql(name)):
            used = {k: v for k, v in params.items() if f"${k}" in stmt}
            cur.execute(stmt, used or None)

    def query(self, name: str, **params) -> pd.DataFrame:
        """Run a named read model and return it as a DataFrame."""
        stmt = sql(name)
        used = {k: v for k, v in params.items() if k in set(_PARAM.findall(stmt))}
        return self.con.cursor().execute(stmt, used or None).df()

    # -- rubrics -------------------------------------------------------------------------------------
    def rubric(self, scheme: str) -> Rubric:
        """The rubric a scheme was scored with (stored at first import), else the preset of that id."""
        found = self.query("rubric_yaml", scheme=scheme)
        if len(found):
            return parse_rubric(yaml.safe_load(found["yaml"].iloc[0]), f"store:{scheme}")
        return load_rubric(scheme)

    def _save_rubric(self, cur, rubric: Rubric, ref: str | Path | None) -> None:
        path = resolve_rubric_path(ref if ref is not None else rubric.id)
        self.run("save_rubric", cur, scheme=rubric.id, version=rubric.version,
                 yaml=path.read_text(encoding="utf-8"))

    # -- writing -------------------------------------------------------------------------------------
    def import_observations(self, rubric: Rubric, obs: pd.DataFrame, who: str, source: str,
                            is_demo: bool = False, rubric_ref: str | Path | None = None) -> int:
        """Validate and import in one transaction; replaces the facts of the (period, entity) pairs present.

        Raises :class:`InputError` (nothing written) if the rows have errors. Returns the batch id.
        """
        clean, problems = validate(obs, rubric)
        if errors_only(problems):
            raise InputError(problems)
        incoming = clean[OBS_COLUMNS].copy()
        units = incoming[["period", "entity", "group"]].drop_duplicates(["period", "entity"])
        periods = sorted(units["period"].unique())
        cur = self.con.cursor()
        cur.execute("BEGIN TRANSACTION")
        try:
            cur.register("incoming", incoming)
            cur.register("incoming_units", units)
            batch_id = int(cur.execute(sql("next_batch_id")).fetchone()[0])
            self._save_rubric(cur, rubric, rubric_ref)
            self.run("delete_unit_periods", cur, scheme=rubric.id)
            self.run("insert_observations", cur, scheme=rubric.id, batch_id=batch_id)
            self.run("upsert_entities", cur, scheme=rubric.id, kind=rubric.entity_kind, is_demo=is_demo)
            self.run("insert_batch", cur, batch_id=batch_id, scheme=rubric.id, source=source, who=who,
                     n_rows=len(incoming), is_demo=is_demo)
            detail = {"batch_id": batch_id, "source": source, "rows": len(incoming),
                      "units": len(units), "periods": periods}
            self.run("insert_audit", cur, who=who, action="import", scheme=rubric.id, period=",".join(periods),
                     entity="", detail=json.dumps(detail, ensure_ascii=False), why="")
            self._rescore(cur, rubric, periods)
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        return batch_id

    def rescore(self, scheme: str, periods: list[str]) -> None:
        rubric = self.rubric(scheme)
        cur = self.con.cursor()
        cur.execute("BEGIN TRANSACTION")
        try:
            self._rescore(cur, rubric, periods)
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise

    def score_periods(self, rubric: Rubric, periods: list[str], cur=None) -> Scored:
        """Score stored observations of ``periods`` (with recorded award decisions) without writing."""
        cur = cur or self.con.cursor()
        cur.register("wanted_periods", pd.DataFrame({"period": list(periods)}))
        obs = cur.execute(sql("period_observations"), {"scheme": rubric.id}).df()
        decided = cur.execute(sql("decisions_of_periods"), {"scheme": rubric.id}).df()
        clean, problems = validate(obs, rubric)
        if errors_only(problems):
            raise InputError(problems)
        decisions = {(p, g): e for p, g, e in zip(decided["period"], decided["grp"], decided["entity"])}
        return score_valid(clean, rubric, decisions)

    def _rescore(self, cur, rubric: Rubric, periods: list[str]) -> None:
        scored = self.score_periods(rubric, periods, cur)
        comp_ids = [c.id for c in rubric.components]
        comps = scored.league.melt(id_vars=["period", "entity"], value_vars=comp_ids, var_name="component",
                                   value_name="value")
        cur.register("new_results", scored.league)
        cur.register("new_detail", scored.detail)
        cur.register("new_components", comps)
        self.run("delete_results", cur, scheme=rubric.id)
        self.run("insert_results", cur, scheme=rubric.id)
        self.run("insert_results_indicator", cur, scheme=rubric.id)
        self.run("insert_components", cur, scheme=rubric.id)

    def record_decision(self, scheme: str, period: str, grp: str, entity: str, who: str, why: str) -> None:
        """The office decides a pending (待定) award; audited, then the period is rescored."""
        if not who.strip() or not why.strip():
            raise ValueError("决定必须填写决定人和理由 (who and why are required)")
        rubric = self.rubric(scheme)
        cur = self.con.cursor()
        cur.execute("BEGIN TRANSACTION")
        try:
            self.run("save_decision", cur, scheme=scheme, period=period, grp=grp, entity=entity, who=who, why=why)
            self.run("insert_audit", cur, who=who, action="award_decision", scheme=scheme, period=period,
                     entity=entity, detail=json.dumps({"group": grp, "award": entity}, ensure_ascii=False), why=why)
            self._rescore(cur, rubric, [period])
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise

    # -- read models with the rubric's components as columns --------------------------------------------
    def league(self, scheme: str, period: str) -> pd.DataFrame:
        """The league table of a period, with each component (e.g. daily, showcase) as a column."""
        league = self.query("league", scheme=scheme, period=period)
        comps = self.query("components", scheme=scheme, period=period)
        if len(comps):
            wide = comps.pivot(index="entity", columns="component", values="value").reset_index()
            order = [c.id for c in self.rubric(scheme).components if c.id in wide.columns]
            league = league.merge(wide[["entity"] + order], on="entity", how="left")
        return league
