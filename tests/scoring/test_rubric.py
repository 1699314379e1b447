"""Rubric files: every preset loads, bad files fail naming file, indicator and field (all problems at once), and
the rule registry is documented in docs/rules.md (one ``## <type>`` section per registered rule type).

docs/rules.md is generated from the rule classes by this module: ``PYTHONPATH=. python -m tests.scoring.test_rubric``
rewrites it (the tests below check it still matches the registry).
"""
from __future__ import annotations

import inspect
import re
import textwrap
import typing
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from scoring.rubric import PRESET_DIR, Rubric, RubricError, load_rubric, parse_rubric, preset_ids
from scoring.rules import REGISTRY
from tests.conftest import zichuan_data

RULES_MD = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
CHINESE = re.compile(r"[\u4e00-\u9fff]")

# The example shown for each rule type: (preset, indicator code); a type not listed uses its first use in a preset.
EXAMPLES = {
    "tier": ("zichuan-2022", "1.1"),
    "award": ("zichuan-2022", "1.2"),
    "deduct": ("zichuan-2022", "4.1"),
    "judged": ("zichuan-2022", "2.2"),
    "rank": ("zichuan-2022", "2.3"),
    "average": ("zichuan-2022", "6"),
    "events": ("zichuan-2022", "8.3"),
    "direct": ("zichuan-2022", "showcase"),
}
ORDER = ["tier", "award", "deduct", "deduct_by_type", "judged", "rank", "average", "events", "ratio", "direct"]


# --- presets ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("preset", preset_ids())
def test_every_preset_loads(preset):
    rubric = load_rubric(preset)
    assert isinstance(rubric, Rubric)
    assert rubric.id == preset
    assert rubric.indicators  # at least one indicator, each with a rule that renders
    assert all(CHINESE.search(i.describe()) for i in rubric.indicators)


def test_presets_include_zichuan():
    assert "zichuan-2022" in preset_ids()


def test_zichuan_preset_has_the_designed_indicators(zichuan):
    """DESIGN.md § Zichuan 2022: codes, maxima and rule types."""
    assert [(i.code, i.max, i.kind, i.rule.type) for i in zichuan.indicators] == [
        ("1.1", 10, "base", "tier"), ("1.2", 6, "base", "award"), ("1.3", 4, "base", "deduct"),
        ("2.1", 6, "base", "deduct"), ("2.2", 6, "base", "judged"), ("2.3", 8, "base", "rank"),
        ("3.1", 8, "base", "rank"), ("3.2", 4, "base", "rank"), ("3.3", 4, "base", "rank"),
        ("3.4", 4, "base", "rank"), ("4.1", 5, "base", "deduct"), ("4.2", 5, "base", "rank"),
        ("5.1", 5, "base", "deduct"), ("5.2", 5, "base", "deduct"), ("6", 10, "base", "average"),
        ("7", 10, "base", "rank"), ("8.1", 10, "bonus", "events"), ("8.2", 5, "bonus", "events"),
        ("8.3", 5, "bonus", "events"), ("8.4", 10, "penalty", "events"), ("8.5", 10, "penalty", "events"),
        ("showcase", 100, "score", "direct"),
    ]
    assert sum(i.max for i in zichuan.indicators if i.kind == "base") == 100
    assert zichuan.final == {"daily": 0.7, "showcase": 0.3}


# --- bad rubric files --------------------------------------------------------------------------------------------


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def indicator(data: dict, code: str) -> dict:
    return next(i for c in data["categories"] for i in c["indicators"] if i["code"] == code)


def load_problems(path: Path) -> RubricError:
    with pytest.raises(RubricError) as exc:
        load_rubric(path)
    assert exc.value.path == str(path)
    assert str(exc.value).startswith(f"rubric {path}: ")
    return exc.value


def test_unknown_rule_type_names_the_registry(tmp_path):
    data = zichuan_data()
    indicator(data, "5.1")["rule"] = {"type": "checklist", "items": ["a"]}
    err = load_problems(write(tmp_path, data))
    assert err.problems == [
        "indicator 5.1: field 'rule.type': unknown rule type 'checklist'; "
        f"the registry has: {', '.join(sorted(REGISTRY))}"]


BAD_FIELDS = [
    # a rule parameter of the wrong kind
    ("2.3", lambda ind: ind["rule"].update(step="abc"),
     "indicator 2.3: field 'rule.step': Input should be a valid number, unable to parse string as a number"),
    # a rule parameter missing
    ("6", lambda ind: ind["rule"].pop("scale"), "indicator 6: field 'rule.scale': Field required"),
    # a rule parameter that does not exist
    ("2.2", lambda ind: ind["rule"].update(hight=4),
     "indicator 2.2: field 'rule.hight': Extra inputs are not permitted"),
    # an indicator field missing
    ("2.2", lambda ind: ind.pop("max"), "indicator 2.2: field 'max': Field required"),
    # an indicator field of the wrong kind
    ("8.4", lambda ind: ind.update(kind="malus"),
     "indicator 8.4: field 'kind': Input should be 'base', 'bonus', 'penalty' or 'score'"),
    # no rule at all
    ("7", lambda ind: ind.pop("rule"), "indicator 7: field 'rule' must be a mapping with a 'type'"),
]


@pytest.mark.parametrize(("code", "spoil", "problem"), BAD_FIELDS, ids=[p.split(": ")[1] for *_, p in BAD_FIELDS])
def test_bad_field_names_file_indicator_and_field(tmp_path, code, spoil, problem):
    data = zichuan_data()
    spoil(indicator(data, code))
    assert load_problems(write(tmp_path, data)).problems == [problem]


def test_top_level_problem_names_the_field(tmp_path):
    data = zichuan_data()
    data["final"] = {"daily": 0.7, "show": 0.3}
    assert load_problems(write(tmp_path, data)).problems == [
        "field '(top level)': Value error, final weight names unknown component 'show' "
        "(components: ['daily', 'showcase'])"]


def test_several_problems_are_reported_together(tmp_path):
    data = zichuan_data()
    indicator(data, "1.1")["rule"]["type"] = "foo"
    indicator(data, "2.2").pop("max")
    indicator(data, "2.3")["rule"]["step"] = "abc"
    err = load_problems(write(tmp_path, data))
    assert err.problems == [
        f"indicator 1.1: field 'rule.type': unknown rule type 'foo'; the registry has: {', '.join(sorted(REGISTRY))}",
        "indicator 2.2: field 'max': Field required",
        "indicator 2.3: field 'rule.step': Input should be a valid number, unable to parse string as a number",
    ]
    assert str(err).splitlines()[0] == f"rubric {err.path}: 3 problem(s)"


def test_bad_rule_and_bad_max_on_one_indicator_are_both_reported(tmp_path):
    data = zichuan_data()
    indicator(data, "2.3")["rule"]["step"] = "abc"
    indicator(data, "2.3")["max"] = "ten"
    assert load_problems(write(tmp_path, data)).problems == [
        "indicator 2.3: field 'rule.step': Input should be a valid number, unable to parse string as a number",
        "indicator 2.3: field 'max': Input should be a valid number, unable to parse string as a number",
    ]


def test_indicator_and_top_level_problems_are_reported_together(tmp_path):
    data = zichuan_data()
    indicator(data, "2.3")["rule"]["step"] = "abc"
    data["period_kind"] = "week"
    assert load_problems(write(tmp_path, data)).problems == [
        "indicator 2.3: field 'rule.step': Input should be a valid number, unable to parse string as a number",
        "field 'period_kind': Input should be 'quarter', 'month' or 'year'",
    ]


def test_not_yaml_names_the_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("id: [unclosed\n", encoding="utf-8")
    err = load_problems(path)
    assert len(err.problems) == 1 and err.problems[0].startswith("not valid YAML: ")


def test_unknown_preset_lists_the_presets():
    with pytest.raises(FileNotFoundError) as exc:
        load_rubric("nowhere-1999")
    assert str(exc.value) == (f"no rubric 'nowhere-1999': not a file and not a preset "
                              f"(presets: {', '.join(preset_ids())})")


# --- the registry: docstrings, describe(), docs ----------------------------------------------------------------------


def example_indicator(type_name: str) -> tuple[str, dict]:
    """(preset id, raw indicator mapping) of the example for ``type_name``."""
    if type_name in EXAMPLES:
        preset, code = EXAMPLES[type_name]
        data = yaml.safe_load((PRESET_DIR / f"{preset}.yaml").read_text(encoding="utf-8"))
        return preset, indicator(data, code)
    for preset in preset_ids():
        data = yaml.safe_load((PRESET_DIR / f"{preset}.yaml").read_text(encoding="utf-8"))
        for cat in data["categories"]:
            for ind in cat["indicators"]:
                if ind.get("rule", {}).get("type") == type_name:
                    return preset, ind
    raise LookupError(f"rule type {type_name!r} is used by no preset: give it an example in EXAMPLES")


def one_indicator_rubric(ind: dict):
    """A rubric holding just ``ind`` (as raw YAML), to render its rule."""
    data = {"id": "example", "name": "example", "period_kind": "quarter",
            "categories": [{"code": "x", "name": "x", "indicators": [ind]}],
            "components": [{"id": "total", "name": "总分", "kinds": ["base", "bonus", "penalty", "score"]}],
            "final": {"total": 1.0}}
    return parse_rubric(data, "example").indicators[0]


@pytest.mark.parametrize("type_name", sorted(REGISTRY))
def test_every_rule_type_quotes_a_seed_and_describes_itself_in_chinese(type_name):
    cls = REGISTRY[type_name]
    assert cls.type == type_name
    assert "Seed" in (cls.__doc__ or ""), f"{cls.__name__} docstring must quote its seed clause"
    _, raw = example_indicator(type_name)
    sentence = one_indicator_rubric(raw).describe()
    assert isinstance(sentence, str) and CHINESE.search(sentence)


def documented_sections() -> dict[str, str]:
    """{type: section text} from docs/rules.md."""
    text = RULES_MD.read_text(encoding="utf-8")
    parts = re.split(r"^## (\S+)\s*$", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2]))


def test_docs_list_exactly_the_registered_rule_types():
    assert sorted(documented_sections()) == sorted(REGISTRY)


@pytest.mark.parametrize("type_name", sorted(REGISTRY))
def test_docs_section_lists_every_parameter_and_a_working_example(type_name):
    section = documented_sections().get(type_name, "")
    documented = set(re.findall(r"^\| `([^`]+)` \|", section, flags=re.M))
    assert {name for name, _, _ in parameters(REGISTRY[type_name])} <= documented
    blocks = re.findall(r"```yaml\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 1
    ind = one_indicator_rubric(yaml.safe_load(blocks[0]))
    assert ind.rule.type == type_name
    assert f"> {ind.describe()}" in section


# --- docs/rules.md, generated from the classes ------------------------------------------------------------------


def _type_name(annotation) -> str:
    text = inspect.formatannotation(annotation)
    return re.sub(r"\b(?:scoring\.[\w.]+\.|typing\.)", "", text)


def _model_in(annotation) -> type[BaseModel] | None:
    for arg in (annotation, *typing.get_args(annotation)):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def parameters(cls: type[BaseModel], prefix: str = "") -> list[tuple[str, str, str]]:
    """(name, type, default) of every YAML parameter of a rule class, nested models expanded (``deductions[].item``)."""
    rows = []
    for name, field in cls.model_fields.items():
        default = "必填 required" if field.is_required() else f"`{field.default!r}`"
        rows.append((prefix + name, _type_name(field.annotation), default))
        nested = _model_in(field.annotation)
        if nested is not None:
            many = typing.get_origin(field.annotation) is list
            rows += parameters(nested, f"{prefix}{name}{'[]' if many else ''}.")
    return rows


def render_rules_md() -> str:
    types = [t for t in ORDER if t in REGISTRY] + sorted(set(REGISTRY) - set(ORDER))
    out = [
        "# Rule types",
        "",
        "Every indicator in a rubric file names exactly one rule type (`rule: {type: …, …}`); the parameters below are",
        "the YAML fields of that mapping. This file is generated from the classes in `scoring/rules/` by",
        "`PYTHONPATH=. python -m tests.scoring.test_rubric`; `tests/scoring/test_rubric.py` checks that it lists",
        "exactly the registered types, every parameter, and an example that loads and renders as shown.",
        "",
    ]
    for t in types:
        cls = REGISTRY[t]
        preset, raw = example_indicator(t)
        example = {k: raw[k] for k in ("code", "name", "max", "kind", "rule") if k in raw}
        sentence = one_indicator_rubric(example).describe()
        doc = textwrap.dedent(cls.__doc__ or "").strip()
        first, _, rest = doc.partition("\n")
        out += [f"## {t}", "", f"`{cls.__module__}.{cls.__name__}` — {first.strip()}", "",
                textwrap.dedent(rest).strip(), "", "| parameter | type | default |", "|---|---|---|"]
        out += [f"| `{name}` | `{kind.replace('|', chr(92) + '|')}` | {default} |"  # a pipe in a table cell is escaped
                for name, kind, default in parameters(cls)]
        out += ["", f"Example (preset `{preset}`, indicator {raw['code']}):", "", "```yaml",
                yaml.safe_dump(example, allow_unicode=True, sort_keys=False, width=1000).rstrip(), "```", "",
                "Renders on the rubric page as:", "", f"> {sentence}", ""]
    return "\n".join(out)


if __name__ == "__main__":  # regenerate docs/rules.md
    RULES_MD.write_text(render_rules_md(), encoding="utf-8")
    print(f"wrote {RULES_MD}")
