"""Rubric versions: the same rubric changes nothing, a changed rubric under the same version is refused, a higher
version is stored, audited and rescores every unpublished period while published periods keep their table."""
from __future__ import annotations

import copy
import json

import pandas as pd
import pytest
import yaml

from queries.audit import summary
from queries.league import league
from queries.publication import publication_diff, published_league
from queries.store import RefusedError
from queries.store.rubric_versions import version_refusal
from scoring.rubric import Rubric, parse_rubric
from tests.conftest import ZICHUAN_PATH, zichuan_data
from tests.queries.helpers import quarter, snapshot

SCHEME = "zichuan-2022"
FINALS_70_30 = [100.0, 98.5, 97.0]  # A镇 B镇 C镇 of helpers.quarter: daily 100, showcase 100/95/90
FINALS_50_50 = [100.0, 97.5, 95.0]


def rubric_file(tmp_path, version: int, final: dict | None = None) -> tuple[Rubric, str]:
    """The Zichuan rubric written to a file with ``version`` and, if given, other weights."""
    data = copy.deepcopy(zichuan_data())
    data["version"] = version
    if final:
        data["final"] = final
    path = tmp_path / f"zichuan-v{version}-{len(list(tmp_path.glob('*.yaml')))}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return parse_rubric(data, str(path)), str(path)


def finals(store, period: str) -> list[float]:
    return league(store, SCHEME, period).sort_values("entity")["final"].tolist()


def rubric_changes(store) -> list[dict]:
    rows = store.con.cursor().execute("SELECT detail FROM audit WHERE action = 'rubric_change'").fetchall()
    return [json.loads(r[0]) for r in rows]


@pytest.fixture
def scored(store, zichuan):
    """Three quarters scored with the preset (version 1); 2022Q2 published."""
    store.import_observations(zichuan, pd.concat([quarter(p) for p in ("2022Q2", "2022Q3", "2022Q4")]),
                              who="张三", source="a.csv", rubric_ref=ZICHUAN_PATH)
    store.publish(SCHEME, "2022Q2", who="王主任", why="第二季度通报")
    return store


def test_reimporting_with_the_same_rubric_file_changes_no_rubric(scored, zichuan, tmp_path):
    same = tmp_path / "copy.yaml"
    same.write_text(ZICHUAN_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    before = snapshot(scored, skip=("audit", "audit_scope"))
    assert scored.import_observations(zichuan, quarter("2022Q3"), who="张三", source="b.csv", rubric_ref=same) is None
    assert snapshot(scored, skip=("audit", "audit_scope")) == before
    assert rubric_changes(scored) == []


def test_a_changed_rubric_under_the_same_version_is_refused_and_writes_nothing(scored, tmp_path):
    changed, path = rubric_file(tmp_path, 1, {"daily": 0.5, "showcase": 0.5})
    before = snapshot(scored)
    with pytest.raises(RefusedError) as exc:
        scored.import_observations(changed, quarter("2022Q4", {"B镇": {("5.1", "问题次数"): "2"}}), who="张三",
                                   source="b.csv", rubric_ref=path)
    assert str(exc.value) == (
        "细则 zichuan-2022 与库中已存的细则内容不同，但版本号相同（version 1）：改了细则请提高 version（例如改为 2）"
        "后再导入；已发布期间的结果不会被改写 "
        "(the rubric differs from the stored one but has the same version; raise `version` when you change it)")
    after = snapshot(scored)  # nothing changed but the refusal's row in the audit trail
    assert snapshot(scored, skip=("audit", "audit_scope")) == {k: v for k, v in before.items()
                                                               if k not in ("audit", "audit_scope")}
    assert [(r[2], r[3], json.loads(r[7])) for r in after["audit"] if r not in before["audit"]] == [
        ("张三", "refused", {"action": "import", "message": str(exc.value)})]


def test_a_higher_version_is_audited_and_rescores_only_the_unpublished_periods(scored, zichuan, tmp_path):
    published = published_league(scored, SCHEME, "2022Q2")
    newer, path = rubric_file(tmp_path, 2, {"daily": 0.5, "showcase": 0.5})
    change = quarter("2022Q4", {"B镇": {("5.1", "问题次数"): "2"}}, entities=("B镇",))
    assert scored.import_observations(newer, change, who="张三", source="b.csv", rubric_ref=path, why="新细则") == 2
    assert (scored.rubric(SCHEME).version, scored.rubric(SCHEME).final) == (2, {"daily": 0.5, "showcase": 0.5})
    assert rubric_changes(scored) == [{"old_version": 1, "new_version": 2, "rescored": ["2022Q3", "2022Q4"],
                                       "published_kept": ["2022Q2"]}]
    assert (finals(scored, "2022Q2"), finals(scored, "2022Q3"), finals(scored, "2022Q4")) == (
        FINALS_70_30, FINALS_50_50, [100.0, 99.0, 95.0])  # 2022Q4 B镇 re-imported: daily 98, showcase 100
    pd.testing.assert_frame_equal(published_league(scored, SCHEME, "2022Q2"), published)
    assert publication_diff(scored, SCHEME, "2022Q2").values.tolist() == [
        ["B镇", "final", 98.5, 97.5], ["C镇", "final", 97.0, 95.0]]
    with pytest.raises(RefusedError) as exc:  # and the older file cannot come back
        scored.import_observations(zichuan, quarter("2022Q3"), who="张三", source="c.csv", rubric_ref=ZICHUAN_PATH)
    assert str(exc.value) == version_refusal(SCHEME, 2, 1)


def test_a_higher_version_with_unchanged_facts_still_rescores(scored, tmp_path):
    newer, path = rubric_file(tmp_path, 2, {"daily": 0.5, "showcase": 0.5})
    assert scored.import_observations(newer, quarter("2022Q3"), who="张三", source="b.csv", rubric_ref=path) is None
    assert (finals(scored, "2022Q2"), finals(scored, "2022Q3"), finals(scored, "2022Q4")) == (
        FINALS_70_30, FINALS_50_50, FINALS_50_50)
    assert [d["rescored"] for d in rubric_changes(scored)] == [["2022Q3", "2022Q4"]]


def test_an_older_version_names_both_versions():
    assert version_refusal(SCHEME, 2, 1) == ("细则 zichuan-2022 的 version 1 低于库中已存的 version 2，不能用旧版细则导入 "
                                             "(the rubric is older than the stored one)")


def test_summary_of_a_rubric_change():
    detail = {"old_version": 1, "new_version": 2, "rescored": ["2022Q3", "2022Q4"], "published_kept": ["2022Q2"]}
    assert summary("rubric_change", detail) == (
        "评分细则由 version 1 改为 version 2：重新评分 2 个未发布的期间，已发布的 1 个期间保留发布时的结果")
