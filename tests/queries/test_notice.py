"""The notice's facts: from the published snapshot once a period is 已发布 (locked), and the scheme's 发文单位 and
落款, stored through the write door and audited."""
from __future__ import annotations

from datetime import date

import pytest

from documents.notice import title
from queries.audit import audit_log
from queries.notice import notice_facts, notice_settings_of
from queries.store import RefusedError, Store, notice_settings, workflow
from tests.demo_stores import small_store

Z = "zichuan-2022"


@pytest.fixture
def store(tmp_path):
    with Store(small_store(tmp_path / "small.duckdb")) as opened:
        yield opened


def test_a_published_period_speaks_from_its_snapshot(store):
    store.publish(Z, "2022Q1", who="王主任", why="测试：未经公示直接发布")
    # the results drift after publication (as a later rubric version would rescore them): the notice does not
    with store.transaction() as cur:
        cur.execute("UPDATE results SET final = 50 WHERE scheme = ? AND period = '2022Q1' AND entity = 'A'", [Z])
    facts = notice_facts(store, Z, "2022Q1", "")
    assert facts["source"].startswith("已发布版本（")
    assert facts["table"][["单位", "总分", "红旗"]].values.tolist()[:2] == [["A", 100.0, "红旗"], ["B", 99.3, ""]]
    assert notice_facts(store, Z, "2022Q2", "")["source"] == "当前评分结果（未发布）"


def test_a_notice_before_publication_is_marked_draft_or_review_copy(store):
    """Exports of a period not yet 已发布 say so (草稿 / 公示稿); the published notice carries no mark."""
    store.publish(Z, "2022Q1", who="王主任", why="测试：未经公示直接发布")
    assert notice_facts(store, Z, "2022Q1", "")["status_mark"] == ""
    assert notice_facts(store, Z, "2022Q2", "")["status_mark"] == "草稿"
    workflow.review(store, "王主任", Z, "2022Q2", until=date(2022, 7, 10), today=date(2022, 7, 3))
    facts = notice_facts(store, Z, "2022Q2", "")
    assert (facts["status_mark"], title(facts)) == ("公示稿", "关于淄川区2022年度镇（街道、开发区）政务服务工作评估"
                                                               "2022年第2季度结果的通报（公示稿）")


def test_issuer_and_signature_are_stored_per_scheme_and_audited(store):
    assert notice_settings_of(store, Z) == notice_settings.NoticeSettings("", "")
    store.write("王主任", notice_settings.request(Z), notice_settings.save, Z, " 淄川区政务服务管理办公室 ",
                "淄川区政务服务管理办公室")
    assert notice_settings_of(store, Z) == notice_settings.NoticeSettings("淄川区政务服务管理办公室",
                                                                          "淄川区政务服务管理办公室")
    facts = notice_facts(store, Z, "2022Q2", "")
    assert (facts["issuer"], facts["signature"]) == ("淄川区政务服务管理办公室", "淄川区政务服务管理办公室")
    row = audit_log(store, Z).iloc[0]
    assert (row["action"], row["who"], row["summary"]) == (
        "notice_settings", "王主任", "通报设置：发文单位“淄川区政务服务管理办公室”，落款“淄川区政务服务管理办公室”")
    version = store.data_version()
    store.write("王主任", notice_settings.request(Z), notice_settings.save, Z, "淄川区政务服务管理办公室",
                "淄川区政务服务管理办公室")
    assert store.data_version() == version  # nothing changed: nothing written, nothing audited


def test_empty_settings_are_refused_and_nothing_is_written(store):
    with pytest.raises(RefusedError, match="发文单位不能为空.*落款不能为空"):
        store.write("王主任", notice_settings.request(Z), notice_settings.save, Z, " ", "")
    assert notice_settings_of(store, Z) == notice_settings.NoticeSettings("", "")
    row = audit_log(store, Z).iloc[0]  # the door keeps only the refusal (rolled back, audited as refused)
    assert (row["action"], row["who"], row["summary"]) == (
        "refused", "王主任", "拒绝通报设置：发文单位不能为空 (issuer is required)；落款不能为空 (signature is required)")
