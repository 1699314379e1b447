"""The rubric model (a scheme's rules as data) and its YAML loader.

A rubric file mirrors the rule signatures: every indicator names one registered rule type and its
parameters. Loading validates everything with pydantic; every error names the file, the indicator and
the field, and all errors are reported together.
"""
from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from scoring.payout import Payout, Window
from scoring.phase import Phase
from scoring.rules import Rule, rule_class

PRESET_DIR = Path(__file__).resolve().parent.parent / "data" / "rubrics"

IndicatorKind = Literal["base", "bonus", "penalty", "score"]
PeriodKind = Literal["quarter", "month", "year"]


class Indicator(BaseModel):
    """One scored indicator: its place in the tree, its points and exactly one rule."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    code: str
    name: str
    max: float
    kind: IndicatorKind = "base"
    category: str = ""
    method: str = ""  # 考核方式 (how it is assessed)
    dept: str = ""  # 责任科室 (who to ask)
    clause: str = ""  # the seed's scoring sentence, quoted
    subcategory: str = ""  # a middle level of the seed's tree (二级指标), a label only
    requirement: str = ""  # what the seed requires (三级指标 / 考核内容), quoted
    rule: Rule

    def describe(self) -> str:
        return self.rule.describe(self)


class Category(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    name: str
    max: float | None = None
    indicators: list[Indicator]


class Component(BaseModel):
    """A part of the final score: the signed sum of some indicators' points (by code or by kind)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    indicators: list[str] = []
    kinds: list[IndicatorKind] = []
    floor_at_zero: bool = False


class Grade(BaseModel):
    """A grade every unit earns by rank (``top``: rank ≤ top) or by score (``min_final``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    top: int | None = Field(default=None, ge=1)
    min_final: float | None = None

    @model_validator(mode="after")
    def _one_criterion(self):
        if (self.top is None) == (self.min_final is None):
            raise ValueError("a grade needs exactly one of top or min_final")
        return self


class Award(BaseModel):
    """A single award (one physical flag) for the rank-1 unit, with tie-breakers."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    mark: str = "红旗"
    pending_mark: str = "待定"
    requires_grade: str | None = None
    tie_breakers: list[str] = []
    tie_breakers_label: str = ""
    clause: str = ""


class NetEvents(BaseModel):
    """A reading where a bonus and a penalty section are netted and the net clamped to ±``cap`` (Haikou 7A/7B,
    "加减分相抵"): the engine then rewrites both indicators' points. Absent = each section capped on its own."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    bonus: str
    penalty: str
    cap: float
    reading: str = ""


class DemoSettings(BaseModel):
    """How ``flagboard demo`` fills this scheme: its periods and how often a finding is drawn."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    periods: list[str] = []  # empty = the period kind's default (scoring/demo.py)
    finding_rate: float = Field(default=1.0, gt=0, le=1)  # scales demo deductions (long checklists)


class Rubric(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    seed: str = ""
    version: int = 1
    period_kind: PeriodKind
    entity_kind: str = "town"
    tie_method: Literal["competition", "dense"] = "competition"
    tie_method_note: str = ""
    categories: list[Category]
    components: list[Component]
    final: dict[str, float]
    grades: list[Grade] = []
    award: Award | None = None
    notes: list[str] = []
    display_decimals: int = Field(default=2, ge=2, le=4)  # decimals shown to people (comparison: always 4)
    phases: list[Phase] = []  # assessment phases as periods (scoring/phases.py); empty = none
    windows: list[Window] = []  # contract years over fixed month windows (scoring/payout.py)
    payout: Payout | None = None  # payout bands and money (scoring/payout.py)
    net_events: list[NetEvents] = []  # bonus/penalty sections netted (a reading; see NetEvents)
    demo: DemoSettings = DemoSettings()

    @model_validator(mode="after")
    def _consistent(self):
        codes = [i.code for c in self.categories for i in c.indicators]
        dup = sorted({c for c in codes if codes.count(c) > 1})
        if dup:
            raise ValueError(f"indicator codes used twice: {', '.join(dup)}")
        comp_ids = {c.id for c in self.components}
        for cid in self.final:
            if cid not in comp_ids:
                raise ValueError(f"final weight names unknown component {cid!r} (components: {sorted(comp_ids)})")
        for comp in self.components:
            for code in comp.indicators:
                if code not in codes:
                    raise ValueError(f"component {comp.id!r} names unknown indicator {code!r}")
        if self.phases and [p.role for p in self.phases].count("record") != 1:
            raise ValueError("phases: exactly one phase must have role record (the score of record)")
        kinds = {i.code: i.kind for c in self.categories for i in c.indicators}
        for net in self.net_events:
            if kinds.get(net.bonus) != "bonus" or kinds.get(net.penalty) != "penalty":
                raise ValueError(f"net_events: {net.bonus!r} must be a bonus and {net.penalty!r} a penalty indicator")
        if self.payout is not None and not self.windows:
            raise ValueError("payout needs windows (the contract years it pays)")
        if self.award:
            for tb in self.award.tie_breakers:
                if tb not in comp_ids:
                    raise ValueError(f"award tie-breaker {tb!r} is not a component ({sorted(comp_ids)})")
            if self.award.requires_grade and self.award.requires_grade not in {g.name for g in self.grades}:
                raise ValueError(f"award requires unknown grade {self.award.requires_grade!r}")
        return self

    @property
    def indicators(self) -> list[Indicator]:
        return [i for c in self.categories for i in c.indicators]

    def indicator(self, code: str) -> Indicator:
        for i in self.indicators:
            if i.code == code:
                return i
        raise KeyError(code)

    def component_indicators(self, comp: Component) -> list[Indicator]:
        return [i for i in self.indicators if i.code in comp.indicators or i.kind in comp.kinds]


class RubricError(Exception):
    """A rubric file that does not load; ``problems`` lists every error with file, indicator and field."""

    def __init__(self, path: str, problems: list[str]):
        self.path = path
        self.problems = problems
        super().__init__(f"rubric {path}: {len(problems)} problem(s)\n" + "\n".join(f"- {p}" for p in problems))


class _Unbuilt(Rule):
    """Stands in for a rule that failed to build, so the indicator's other fields still get checked."""

    type = "(unbuilt)"


_UNBUILT = _Unbuilt()


def _build_rule(raw: object, where: str, problems: list[str]) -> Rule | None:
    if not isinstance(raw, dict) or "type" not in raw:
        problems.append(f"{where}: field 'rule' must be a mapping with a 'type'")
        return None
    params = dict(raw)
    type_name = params.pop("type")
    try:
        cls = rule_class(str(type_name))
    except KeyError as exc:
        problems.append(f"{where}: field 'rule.type': {exc.args[0]}")
        return None
    try:
        return cls(**params)
    except ValidationError as exc:
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"])
            problems.append(f"{where}: field 'rule.{field}': {err['msg']}")
        return None


def parse_rubric(data: dict, path: str = "<memory>") -> Rubric:
    """Build a :class:`Rubric` from parsed YAML, collecting every problem before failing."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise RubricError(path, ["细则文件应为映射（id、name、categories…）(the file must hold a mapping (id, name, categories, ...))"])
    data = dict(data)
    cats = []
    for ci, cat in enumerate(data.get("categories") or []):
        if not isinstance(cat, dict):
            problems.append(f"categories[{ci}]: must be a mapping")
            continue
        cat = dict(cat)
        inds = []
        for ii, ind in enumerate(cat.get("indicators") or []):
            if not isinstance(ind, dict):
                problems.append(f"categories[{ci}].indicators[{ii}]: must be a mapping")
                continue
            ind = dict(ind)
            where = f"indicator {ind.get('code', f'#{ii + 1}')!s}"
            rule = _build_rule(ind.get("rule"), where, problems)
            ind["rule"] = rule if rule is not None else _UNBUILT
            ind.setdefault("category", str(cat.get("code", "")))
            try:
                built = Indicator(**ind)  # its own fields are checked even when its rule did not build
                if rule is not None:
                    inds.append(built)
            except ValidationError as exc:
                for err in exc.errors():
                    field = ".".join(str(p) for p in err["loc"])
                    problems.append(f"{where}: field '{field}': {err['msg']}")
        cat["indicators"] = inds
        cats.append(cat)
    data["categories"] = cats
    try:
        rubric = Rubric(**data)
    except ValidationError as exc:
        for err in exc.errors():
            if problems and (not err["loc"] or err["loc"][0] == "categories"):
                continue  # cross-checks over indicators that did not build would only repeat those problems
            field = ".".join(str(p) for p in err["loc"]) or "(top level)"
            problems.append(f"field '{field}': {err['msg']}")
        raise RubricError(path, problems) from None
    if problems:
        raise RubricError(path, problems)
    return rubric


def preset_ids() -> list[str]:
    return sorted(p.stem for p in PRESET_DIR.glob("*.yaml"))


def resolve_rubric_path(ref: str | Path) -> Path:
    """A preset id ("zichuan-2022") or a path to a rubric file."""
    path = Path(ref)
    if path.suffix in (".yaml", ".yml") and path.exists():
        return path
    preset = PRESET_DIR / f"{ref}.yaml"
    if preset.exists():
        return preset
    raise FileNotFoundError(f"no rubric {ref!r}: not a file and not a preset (presets: {', '.join(preset_ids())})")


def load_rubric(ref: str | Path) -> Rubric:
    path = resolve_rubric_path(ref)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RubricError(str(path), [f"not valid YAML: {exc}"]) from None
    except UnicodeDecodeError:
        raise RubricError(str(path), ["细则文件须为 UTF-8 编码 (the rubric file is not UTF-8)"]) from None
    except OSError as exc:
        raise RubricError(str(path), [f"无法读取细则文件 (cannot read the rubric file): {exc.strerror or exc}"]) from None
    return parse_rubric(data, str(path))
