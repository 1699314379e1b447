"""红旗评选: a 待定 full tie shows as pending, a recorded decision (who + why) resolves it; history; the notice."""
from __future__ import annotations

from documents.notice import read_notice_table
from queries.audit import audit_log
from queries.store import Store
from tests.dashboard.conftest import download_bytes, page_text, table, unescaped


def open_selection(app, db, period, name="办公室"):
    at = app(db, name)
    at.selectbox(key="period").select(period).run()
    at.switch_page("views/selection.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_demo_pending_tie_is_decided_by_the_office(app, demo_db_writable):
    at = open_selection(app, demo_db_writable, "2022Q4", name="王主任")  # the signed-in account decides
    candidates = table(at, "单位", "红旗")
    tied = candidates.loc[candidates["红旗"] == "待定", "单位"].tolist()
    assert len(tied) == 2
    assert any("仍然并列，标为“待定”" in w.value for w in at.warning)
    assert "仍并列" in page_text(at)

    chosen = tied[1]
    at.radio(key="sel_winner").set_value(chosen)
    at.text_area(key="sel_why").input("主任办公会研究决定")
    next(b for b in at.button if b.label == "记录决定").click().run()  # the form's submit button
    assert not at.exception, [e.message for e in at.exception]

    candidates = table(at, "单位", "红旗")
    assert candidates.loc[candidates["红旗"] != "", ["单位", "红旗"]].values.tolist() == [[chosen, "红旗"]]
    assert any(f"已记录：红旗授予 {chosen}" in s.value for s in at.success)
    assert any("决定人：王主任；理由：主任办公会研究决定" in i.value for i in at.info)
    assert not any("仍然并列" in w.value for w in at.warning)
    history = table(at, "红旗单位", "连续期数")
    assert history.loc[history["期间"] == "2022Q4", ["红旗单位", "状态"]].values.tolist() == [[chosen, "办公室决定"]]
    audit = audit_log(page_store(), "zichuan-2022", "2022Q4")
    assert audit.loc[audit["action"] == "award_decision", ["who", "why"]].values.tolist() == [["王主任", "主任办公会研究决定"]]


def page_store() -> Store:
    """The page's own store connection (the file is open for writing in this process)."""
    from dashboard.state import _open_store, db_path

    return _open_store(db_path())


def test_decision_needs_a_reason_and_names_the_signed_in_account(app, small_db):
    at = open_selection(app, small_db, "2022Q2")
    assert "**记录办公室决定**（决定人：办公室；写入审计日志，并重新评分本期）" in [m.value for m in at.markdown]
    next(b for b in at.button if b.label == "记录决定").click().run()
    assert [e.value for e in at.error] == ["请填写理由 (why is required)。未记录任何内容。"]
    assert table(at, "单位", "红旗")["红旗"].tolist()[:2] == ["待定", "待定"]


def test_steps_say_how_grade_and_flag_were_decided(app, small_db):
    at = open_selection(app, small_db, "2022Q2")
    steps = [unescaped(m.value) for m in at.markdown if m.value.startswith("1. ")][0]  # unit names are escaped
    assert "2. 名次在前 4 名的单位评为“好”：A、B、C、D、E。" in steps
    assert "3. 第 4 名并列（D、E，总分均为 97.90），均评为“好”，本期共 5 个“好”（并列，多于 4 个）。" in steps
    assert "6. 仍并列：A、B 均标为待定，请办公室决定" in steps
    assert "本地规则：总分并列第一时，依次比较日常评估、风采展示得分（原文未规定）" in [c.value for c in at.caption]


def test_history_streaks_and_annual_view(app, small_db):
    at = open_selection(app, small_db, "2022Q2")
    assert table(at, "红旗单位", "连续期数").values.tolist() == [["2022Q1", "A", 100.0, "红旗", 1],
                                                         ["2022Q2", "A、B", 100.0, "待定", 0]]
    assert table(at, "获旗次数").values.tolist() == [["A", 1, 1, 0, "2022Q1"]]
    annual = table(at, "年度名次")
    assert annual[["单位", "平均总分", "好次数", "红旗次数"]].values.tolist()[0] == ["A", 100.0, 2, 1]


def test_notice_export(app, small_db, monkeypatch):
    monkeypatch.setattr("dashboard.exports.figure_png", lambda fig, **kw: None)  # no Chrome start in this test
    at = open_selection(app, small_db, "2022Q2")
    at.button(key="sel_notice_build").click().run()
    assert not at.exception, [e.message for e in at.exception]
    xlsx = read_notice_table(download_bytes(at, "sel_notice_xlsx")).fillna("")
    assert xlsx["单位"].tolist() == ["A", "B", "C", "D", "E", "F"]
    assert xlsx["红旗"].tolist() == ["待定", "待定", "", "", "", ""]
    assert download_bytes(at, "sel_notice_pdf").startswith(b"%PDF-")
    assert any("图表未能生成" in w.value for w in at.warning)
