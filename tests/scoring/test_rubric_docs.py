"""The rubric documents say what the presets do: quotes verbatim from the seeds, every item a file must write, the
readings' defaults as the preset files hold them, and a document and a worked example for every preset.

DESIGN.md (Quality bar): "every preset rubric loads, round-trips and is documented"; (Exactness): "Where a seed can be
read two ways, the reading is a rubric setting, documented with the seed quote".
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from scoring.rubric import load_rubric, preset_ids

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "rubrics"
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
QUOTE = re.compile(r"「([^」]*)」")


def doc_of(rubric_id: str) -> Path:
    """A preset's document: docs/rubrics/<id>.md, or the scheme's shared one (liaoning-2024-center → liaoning-2024)."""
    own = DOCS / f"{rubric_id}.md"
    return own if own.exists() else DOCS / f"{rubric_id.rsplit('-', 1)[0]}.md"


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("doc, seed", [("zichuan-2022.md", "002_8a4163f350163693.txt"),
                                       ("liaoning-2024.md", "001_1cfa93f6409a2c36.txt")])
def test_corner_bracket_quotes_are_verbatim_from_the_seed(doc, seed):
    """Every 「…」 quote occurs in the seed, whitespace aside (the seeds' tables wrap lines inside cells)."""
    text = squeeze((SEEDS / seed).read_text(encoding="utf-8"))
    quotes = [q for q in QUOTE.findall((DOCS / doc).read_text(encoding="utf-8")) if squeeze(q)]
    assert len(quotes) > 50
    assert [q for q in quotes if squeeze(q) not in text] == []


def test_zichuan_doc_lists_every_item_as_files_write_it():
    """Each indicator's row in §2 names every item of the preset (data/rubrics/zichuan-2022.yaml is the source of
    truth), its kind, and the seed's 考核方式 and 责任科室."""
    rubric = load_rubric("zichuan-2022")
    text = (DOCS / "zichuan-2022.md").read_text(encoding="utf-8")
    section = text[text.index("## 2. Every indicator"):text.index("## 3.")]
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `([^`]+)` \|.*$", section, re.MULTILINE)}
    missing = []
    for ind in rubric.indicators:
        row = rows.get(ind.code, "")
        for spec in ind.rule.items(ind):
            name = spec.name or "(empty)"
            if name not in row:
                missing.append((ind.code, name))
            if spec.kind not in ("place", "measure") and f"`{spec.kind}`" not in row and ind.kind == "base":
                missing.append((ind.code, spec.kind))
        if ind.kind == "base" and (ind.method.replace("、", "") not in row.replace("、", "") or ind.dept not in row):
            missing.append((ind.code, "考核方式 / 责任科室"))
    assert missing == []
    assert set(rows) == {i.code for i in rubric.indicators}


# (what §5 of the document names, the value it gives as the default, the preset's value)
ZICHUAN_SETTINGS = [
    ("| `tie_method` | `competition`", lambda r: r.tie_method, "competition"),
    ("| `award.tie_breakers` | `[daily, showcase]`", lambda r: r.award.tie_breakers, ["daily", "showcase"]),
    ("| `grades[].top` | 4 |", lambda r: r.grades[0].top, 4),
    ("| `award.requires_grade` | 好 |", lambda r: r.award.requires_grade, "好"),
    ("| 6: `rule.scale` (`lo`, `hi`) | 0.1 (months 0–100)", lambda r: (r.indicator("6").rule.scale,
                                                                     r.indicator("6").rule.lo,
                                                                     r.indicator("6").rule.hi), (0.1, 0, 100)),
    ("| `final` | `{daily: 0.7, showcase: 0.3}`", lambda r: r.final, {"daily": 0.7, "showcase": 0.3}),
    ("| `components[daily].floor_at_zero` | `false`", lambda r: r.components[0].floor_at_zero, False),
    ("| 8.1–8.3: `rule.merge_by_ref` | `true`",
     lambda r: [r.indicator(c).rule.merge_by_ref for c in ("8.1", "8.2", "8.3")], [True] * 3),
    ("| 8.4–8.5: `rule.merge_by_ref` | `false`",
     lambda r: [r.indicator(c).rule.merge_by_ref for c in ("8.4", "8.5")], [False] * 2),
    ("| 8.x: `rule.cap_mode` | `cap` |",
     lambda r: [r.indicator(c).rule.cap_mode for c in ("8.1", "8.2", "8.3", "8.4", "8.5")], ["cap"] * 5),
    ("| 8.3: `rule.posts` | 1 + 0.1 per full 1,000 reads, extra ≤ 1",
     lambda r: r.indicator("8.3").rule.posts.model_dump(),
     {"item": "公众号", "base": 1, "per": 1000, "step": 0.1, "extra_max": 1}),
    ("| 8.4: `rule.labels` | 省级通报 shown 省级及以上通报", lambda r: r.indicator("8.4").rule.labels,
     {"省级通报": "省级及以上通报"}),
    ("| rank: `rule.higher_is_better` | `true`",
     lambda r: {i.rule.higher_is_better for i in r.indicators if i.rule.type == "rank"}, {True}),
    ("| `display_decimals` | 2 |", lambda r: r.display_decimals, 2),
]


@pytest.mark.parametrize("said, value, default", ZICHUAN_SETTINGS, ids=[s[0].split("|")[1].strip()
                                                                       for s in ZICHUAN_SETTINGS])
def test_zichuan_readings_table_gives_the_presets_defaults(said, value, default):
    """§5 of docs/rubrics/zichuan-2022.md names each setting with the default the preset holds."""
    assert said in (DOCS / "zichuan-2022.md").read_text(encoding="utf-8")
    assert value(load_rubric("zichuan-2022")) == default


@pytest.mark.parametrize("rubric_id", preset_ids())
def test_every_preset_has_its_document_and_worked_example_linked_from_the_readme(rubric_id):
    """README.md promises, for each preset, docs/rubrics/<id>.md and data/examples/<id>/ (observations, league and
    the hand computation)."""
    doc = doc_of(rubric_id)
    example = ROOT / "data" / "examples" / rubric_id
    assert doc.exists(), doc
    assert sorted(p.name for p in example.iterdir() if p.name in ("README.md", "league.csv", "observations.csv")) == [
        "README.md", "league.csv", "observations.csv"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"(docs/rubrics/{doc.name})" in readme
    assert f"(data/examples/{rubric_id}/)" in readme


# (document, what its readings table says, the preset, the preset's value, the default the document gives)
PRESET_READINGS = [
    ("haikou-2023.md", "7B capped at 5 on its own (`cap_mode: cap` on 7B)", "haikou-2023",
     lambda r: (r.indicator("7B").rule.cap_mode, r.indicator("7B").rule.cap, bool(r.indicator("7B").rule.reading),
                r.net_events), ("cap", 5, True, [])),
    ("haikou-2023.md", "the shortfall against the target (`payout.shortfall_basis: target`)", "haikou-2023",
     lambda r: r.payout.shortfall_basis, "target"),
    ("haikou-2023.md", "the net is floored at 0 (`payout.floor_at_zero: true`)", "haikou-2023",
     lambda r: r.payout.floor_at_zero, True),
    ("rudong-2021.md", "`judged: {item: 额外加分, lo: 0, hi: 0.05, soft: true}`", "rudong-2021",
     lambda r: r.indicator("2.3.3").rule.judged.model_dump(), {"item": "额外加分", "lo": 0, "hi": 0.05, "soft": True}),
    ("rudong-2021.md", "the total is capped at 0.05 (`cap: 0.05`, `cap_mode: cap`, a hard cap)", "rudong-2021",
     lambda r: (r.indicator("2.3.3").rule.cap, r.indicator("2.3.3").rule.cap_mode,
                bool(r.indicator("2.3.3").rule.reading)), (0.05, "cap", True)),
    ("liaoning-2024.md", "`warn_above: 7` on 6.1's item 违反七看条数 (center, subcenter)", "liaoning-2024-center",
     lambda r: [(d.item, d.warn_above) for d in r.indicator("6.1").rule.deductions], [("违反七看条数", 7)]),
    ("liaoning-2024.md", "`warn_above: 7` on 6.1's item 违反七看条数 (center, subcenter)", "liaoning-2024-subcenter",
     lambda r: [(d.item, d.warn_above) for d in r.indicator("6.1").rule.deductions], [("违反七看条数", 7)]),
    ("liaoning-2024.md", "{id: 复检, suffix: -复检, groups: [市直]}", "liaoning-2024-subcenter",
     lambda r: [(p.id, p.suffix, p.groups) for p in r.phases if p.role == "recheck"], [("复检", "-复检", ["市直"])]),
    ("liaoning-2024.md", "the center recheck covers every center (`groups: []`)", "liaoning-2024-center",
     lambda r: [p.groups for p in r.phases if p.role == "recheck"], [[]]),
    ("liaoning-2024.md", "township and station rubrics have no recheck phase", "liaoning-2024-township",
     lambda r: [p.role for p in r.phases], ["self_check", "record"]),
    ("liaoning-2024.md", "township and station rubrics have no recheck phase", "liaoning-2024-station",
     lambda r: [p.role for p in r.phases], ["self_check", "record"]),
]


@pytest.mark.parametrize("doc, said, rubric_id, value, default", PRESET_READINGS,
                         ids=[f"{r[2]}: {r[1][:30]}" for r in PRESET_READINGS])
def test_other_presets_readings_tables_give_the_presets_defaults(doc, said, rubric_id, value, default):
    """Each preset document's *Readings* table names the setting with the default the preset file holds."""
    text = (DOCS / doc).read_text(encoding="utf-8")
    assert said in text[text.index("### Readings"):]
    assert value(load_rubric(rubric_id)) == default
