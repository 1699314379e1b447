"""Shared test helpers: the Zichuan rubric, tiny observation frames and CSV bytes.

Helpers are plain functions (importable as ``from tests.conftest import ...`` so hypothesis strategies can
use them at import time); fixtures wrap the expensive ones so they load once per session.
"""
from __future__ import annotations

import copy
import re
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from scoring.rubric import PRESET_DIR, Rubric, load_rubric, parse_rubric

PERIOD = "2022Q2"
ZICHUAN_PATH = PRESET_DIR / "zichuan-2022.yaml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED_002 = Path(__file__).resolve().parent / "fixtures" / "seeds" / "002_8a4163f350163693.txt"  # a copy of the seed

# A unit that loses nothing: every base indicator at full marks, showcase 100. (indicator, item) -> value.
FULL_MARKS: dict[tuple[str, str], str] = {
    ("1.1", ""): "标杆型",
    ("1.2", "基础型全覆盖"): "1",
    ("1.2", "标杆型站点数"): "6",
    ("1.3", "缺项数"): "0",
    ("2.1", "缺项数"): "0",
    ("2.2", "酌情扣分"): "0",
    ("2.3", "名次"): "1",
    ("3.1", "名次"): "1",
    ("3.2", "名次"): "1",
    ("3.3", "名次"): "1",
    ("3.4", "名次"): "1",
    ("4.1", "未设自助服务区"): "0",
    ("4.1", "设备故障次数"): "0",
    ("4.2", "名次"): "1",
    ("5.1", "问题次数"): "0",
    ("5.2", "制度不健全"): "0",
    ("5.2", "未建台账"): "0",
    ("5.2", "落实不到位次数"): "0",
    ("6", "第1月"): "100",
    ("6", "第2月"): "100",
    ("6", "第3月"): "100",
    ("7", "名次"): "1",
    ("showcase", ""): "100",
}
RANK_CODES = ("2.3", "3.1", "3.2", "3.3", "3.4", "4.2", "7")
BASE_CODES = ("1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3", "3.4", "4.1", "4.2", "5.1", "5.2",
              "6", "7")
HEADER = ["period", "entity", "indicator", "item", "value", "ref", "note"]


def fact(entity: str, indicator: str, item: str, value: str, ref: str = "", *, period: str = PERIOD,
         group: str = "", note: str = "") -> dict:
    """One observation row."""
    return {"period": period, "group": group, "entity": entity, "indicator": indicator, "item": item,
            "value": value, "ref": ref, "note": note}


def unit(entity: str, changes: dict | None = None, *, period: str = PERIOD, group: str = "") -> list[dict]:
    """A whole unit's base rows: FULL_MARKS with ``changes`` applied ({(indicator, item): value}; None drops a
    fact; a key not in FULL_MARKS adds one; an 实绩 key replaces the indicator's 名次)."""
    values = dict(FULL_MARKS)
    for (code, item), value in (changes or {}).items():
        if item == "实绩":
            values.pop((code, "名次"), None)
        if value is None:
            values.pop((code, item), None)
        else:
            values[(code, item)] = value
    return [fact(entity, code, item, value, period=period, group=group) for (code, item), value in values.items()]


def place_fillers(code: str, rows: list[dict], size: int, *, period: str = PERIOD, group: str = "") -> list[dict]:
    """Rows of other units (其他1, 其他2 …, each placed 1st) so that ``size`` units are ranked on ``code``: a
    名次 may not exceed the number of units ranked. Their results are left out by :func:`named`."""
    have = {r["entity"] for r in rows if r["period"] == period and r["group"] == group}
    return [fact(f"其他{i + 1}", code, "名次", "1", period=period, group=group) for i in range(size - len(have))]


def named(result: dict) -> dict:
    """A {entity: ...} result without the filler units of :func:`place_fillers`."""
    return {e: v for e, v in result.items() if not e.startswith("其他")}


def frame(rows: list[dict]) -> pd.DataFrame:
    """Observation frame as scoring.reader gives it, each row labelled with its CSV line (header = line 1)."""
    out = pd.DataFrame(rows, columns=["period", "group", "entity", "indicator", "item", "value", "ref", "note"])
    out["line"] = [f"第{i + 2}行" for i in range(len(out))]
    out["row"] = list(range(2, len(out) + 2))
    return out


def csv_bytes(rows: list[dict], encoding: str = "utf-8", header: list[str] | None = None) -> bytes:
    """The rows as an interchange CSV (no group column unless asked)."""
    header = header or HEADER
    lines = [",".join(header)] + [",".join(str(r.get(c, "")) for c in header) for r in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def zichuan_data() -> dict:
    return yaml.safe_load(ZICHUAN_PATH.read_text(encoding="utf-8"))


def zichuan_only(*codes: str, **settings) -> Rubric:
    """The Zichuan rubric cut down to ``codes`` (rules exactly as in the preset); final = daily."""
    data = copy.deepcopy(zichuan_data())
    cats = []
    for cat in data["categories"]:
        inds = [i for i in cat["indicators"] if i["code"] in codes]
        if inds:
            cats.append({**cat, "indicators": inds})
    data["categories"] = cats
    data["components"] = [{"id": "daily", "name": "日常评估", "kinds": ["base", "bonus", "penalty"]}]
    data["final"] = {"daily": 1.0}
    data["grades"] = []
    data["award"] = None
    data.update(settings)
    return parse_rubric(data, f"zichuan-only-{'-'.join(codes)}")


def by_entity(detail: pd.DataFrame, code: str, columns=("points", "lost", "reason")) -> dict:
    """{entity: (points, lost, reason)} of one indicator in a detail frame (whole values to compare)."""
    part = detail[detail["indicator"] == code]
    return {e: tuple(v) for e, *v in part[["entity", *columns]].itertuples(index=False)}


@pytest.fixture(scope="session")
def zichuan() -> Rubric:
    """The Zichuan 2022 preset, loaded once."""
    return load_rubric("zichuan-2022")


# --- every worked example quotes seed 002, verbatim ----------------------------------------------------------------

_QUOTE = re.compile(r'Seed 002 \([^)]*\): "([^"]+)"')


def seed_quotes(namespace: dict) -> list[tuple[str, str]]:
    """(test name, quoted sentence) for every ``Seed 002 (…): "…"`` quote in a test module's docstrings."""
    return [(name, q) for name, obj in sorted(namespace.items())
            if name.startswith("test_") and getattr(obj, "__doc__", None) for q in _QUOTE.findall(obj.__doc__)]


def unquoted_tests(namespace: dict) -> list[str]:
    """Tests of a module (other than its quote checks) whose docstring quotes no seed sentence."""
    quoting = {name for name, _ in seed_quotes(namespace)}
    return sorted(n for n in namespace if n.startswith("test_") and "quote" not in n and n not in quoting)


def quotes_not_in_seed(namespace: dict) -> list[tuple[str, str]]:
    """Quotes that do not occur in seed 002 (whitespace aside: the seed's table wraps lines)."""
    seed = re.sub(r"\s+", "", SEED_002.read_text(encoding="utf-8"))
    return [(name, q) for name, q in seed_quotes(namespace) if re.sub(r"\s+", "", q) not in seed]


# --- the installed console script ------------------------------------------------------------------------------------


def flagboard_script() -> str:
    """The ``flagboard`` console script installed for the interpreter running the tests (a venv's bin/ first).

    A missing script is a test failure, never a skip: the CLI contract is tested on the installed command."""
    beside = Path(sys.executable).with_name("flagboard")
    found = str(beside) if beside.exists() else shutil.which("flagboard")
    assert found, "the flagboard console script is not installed: pip install -e '.[test]'"
    return found
