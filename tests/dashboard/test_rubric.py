"""评分细则: every indicator with its max points and its rule's describe() sentence."""
from __future__ import annotations

from scoring.rubric import load_rubric


def test_rubric_page_lists_every_rule_sentence(app, small_db):
    at = app(small_db)
    at.switch_page("views/rubric.py").run()
    assert not at.exception
    text = "\n".join(m.value for m in at.markdown)
    rubric = load_rubric("zichuan-2022")
    for ind in rubric.indicators:
        assert f"**{ind.code} {ind.name}**" in text
        assert f"计分规则：{ind.describe()}" in text
    assert "**总分** = 日常评估 × 70% + 风采展示 × 30%" in text
    assert [e.label for e in at.expander][:2] == ["1 基层服务场所标准化建设（20 分）", "2 基层服务帮办代办体系（20 分）"]
