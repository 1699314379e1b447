"""Helpers for the preset tests: a preset cut down to some indicators, and one unit's full sheet."""
from __future__ import annotations

import copy

import pandas as pd
import yaml

from scoring.rubric import PRESET_DIR, Rubric, parse_rubric


def preset_data(rubric_id: str) -> dict:
    return yaml.safe_load((PRESET_DIR / f"{rubric_id}.yaml").read_text(encoding="utf-8"))


def preset_only(rubric_id: str, *codes: str) -> Rubric:
    """The preset cut down to ``codes`` (rules exactly as in the file); one component, final = its sum."""
    data = copy.deepcopy(preset_data(rubric_id))
    cats = []
    for cat in data["categories"]:
        inds = [i for i in cat["indicators"] if i["code"] in codes]
        if inds:
            cats.append({**{k: v for k, v in cat.items() if k != "max"}, "indicators": inds})
    data["categories"] = cats
    data["components"] = [{"id": "total", "name": "合计", "kinds": ["base", "bonus", "penalty"]}]
    data["final"] = {"total": 1.0}
    return parse_rubric(data, f"{rubric_id}-only-{'-'.join(codes)}")


def rows(facts: list[tuple], period: str, group: str = "") -> pd.DataFrame:
    """Observation rows from (entity, indicator, item, value[, ref]) tuples, labelled with CSV lines."""
    out = pd.DataFrame([{"period": period, "group": group, "entity": f[0], "indicator": f[1], "item": f[2],
                         "value": f[3], "ref": f[4] if len(f) > 4 else "", "note": ""} for f in facts])
    out["line"] = [f"第{i + 2}行" for i in range(len(out))]
    return out


def points(detail: pd.DataFrame, code: str) -> dict[str, tuple]:
    """{entity: (points, lost, reason)} of one indicator."""
    part = detail[detail["indicator"] == code]
    return {e: (p, l, r) for e, p, l, r in part[["entity", "points", "lost", "reason"]].itertuples(index=False)}
