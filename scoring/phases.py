"""Assessment phases inside one period: self-check, the unified assessment (of record) and the recheck.

Seed 001 (五、工作安排): "(一)自检评估。5月底前，各地区营商部门对照考核指标…开展自检评估…要积极整改发现的各类问题"；
"(二)统一考核。…市营商局负责在6月中旬前完成市级政务服务中心(分中心)、县区级综合政务服务中心统一考核,10月底前对上述场所
上半年考核中发现问题整改情况进行复检复查".

Representation (documented in docs/rubrics/liaoning-2024.md): every phase is its own period, named by the
period of record plus the phase's suffix — ``2024-自检`` (self-check), ``2024`` (统一考核, the score of record)
and ``2024-复检`` (recheck). Each holds a full sheet of the same items, so it validates and scores like any
period; the rubric's ``phases`` list says which suffix plays which role. The score of record is always the
unified assessment: a self-check or a recheck never replaces it. This module compares them:
- :func:`compare_self_check`: per indicator, the self-check's points against the unified assessment's;
- :func:`rectification`: per finding of the unified assessment, what the recheck found (已整改 / 部分整改 / 未整改).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.exact import round4
from scoring.phase import Phase, PhaseRole
from scoring.rubric import Rubric


def phase_of(rubric: Rubric, role: PhaseRole) -> Phase | None:
    return next((p for p in rubric.phases if p.role == role), None)


def split_period(rubric: Rubric, period: str) -> tuple[str, Phase | None]:
    """``2024-自检`` → ("2024", the self-check phase); ``2024`` → ("2024", the phase of record or None)."""
    for phase in rubric.phases:
        if phase.suffix and period.endswith(phase.suffix):
            return period[: -len(phase.suffix)], phase
    return period, phase_of(rubric, "record")


def phase_period(rubric: Rubric, period: str, role: PhaseRole) -> str | None:
    """The period that holds ``role`` for the same year as ``period`` (None if the rubric has no such phase)."""
    base, _ = split_period(rubric, period)
    phase = phase_of(rubric, role)
    return None if phase is None else base + phase.suffix


def sort_periods(rubric: Rubric, periods: list[str]) -> list[str]:
    """Periods in time order: by period of record, then phase order (自检 before 统一考核 before 复检)."""
    order = {p.id: i for i, p in enumerate(rubric.phases)}

    def key(period: str):
        base, phase = split_period(rubric, period)
        return base, order.get(phase.id, 0) if phase else 0

    return sorted(periods, key=key)


def compare_self_check(self_detail: pd.DataFrame, record_detail: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """Per indicator: self-check points, unified-assessment points, and the gap (self − unified).

    Both frames: one unit's per-indicator results (columns indicator, points, max, reason). A positive gap
    means the self-check was rosier than the unified assessment (自评偏高). Indicators missing from the
    self-check show an empty self-check value.
    """
    names = {i.code: i.name for i in rubric.indicators}
    order = {i.code: n for n, i in enumerate(rubric.indicators)}
    own = self_detail.set_index("indicator")
    rec = record_detail.set_index("indicator")
    rows = []
    for code in sorted(set(rec.index) | set(own.index), key=lambda c: order.get(c, len(order))):
        mine = float(own.loc[code, "points"]) if code in own.index else np.nan
        official = float(rec.loc[code, "points"]) if code in rec.index else np.nan
        gap = round4(mine - official) if not (np.isnan(mine) or np.isnan(official)) else np.nan
        verdict = "" if np.isnan(gap) or gap == 0 else ("自评偏高" if gap > 0 else "自评偏低")
        rows.append({"indicator": code, "name": names.get(code, code),
                     "max": float(rec.loc[code, "max"]) if code in rec.index else float(own.loc[code, "max"]),
                     "self_points": mine, "record_points": official, "gap": gap, "verdict": verdict,
                     "self_reason": str(own.loc[code, "reason"]) if code in own.index else "",
                     "record_reason": str(rec.loc[code, "reason"]) if code in rec.index else ""})
    cols = ["indicator", "name", "max", "self_points", "record_points", "gap", "verdict", "self_reason",
            "record_reason"]
    return pd.DataFrame(rows, columns=cols)


def _finding_amounts(rubric: Rubric) -> dict[tuple[str, str], float]:
    """(indicator, item) → points per finding, for every rule that lists its deductions."""
    return {(ind.code, item): float(amount) for ind in rubric.indicators
            for item, amount in ind.rule.finding_amounts().items()}


def rectification(record_obs: pd.DataFrame, recheck_obs: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """Per finding of the unified assessment (a deduction item with value > 0), what the recheck found.

    Both frames: one unit's observation rows (indicator, item, value). Status: 已整改 (recheck 0), 部分整改
    (fewer), 未整改 (as many or more); a finding that only the recheck has is 复检新发现. ``points_found``
    and ``points_open`` are amount × count before any 扣完为止 floor (what each finding is worth, for the list).
    """
    amounts = _finding_amounts(rubric)
    names = {i.code: i.name for i in rubric.indicators}

    def counts(obs: pd.DataFrame) -> dict[tuple[str, str], float]:
        values = pd.to_numeric(obs["value"].replace({"是": "1", "否": "0"}), errors="coerce")
        return {(c, it): float(v) for c, it, v in zip(obs["indicator"], obs["item"], values)
                if (c, it) in amounts and v == v}

    found, again = counts(record_obs), counts(recheck_obs)
    rows = []
    for key, amount in amounts.items():
        before, after = found.get(key, 0.0), again.get(key, np.nan)
        if before <= 0 and not (after > 0):
            continue
        if before <= 0:
            status = "复检新发现"
        elif np.isnan(after):
            status = "未复检"
        elif after == 0:
            status = "已整改"
        elif after < before:
            status = "部分整改"
        else:
            status = "未整改"
        rows.append({"indicator": key[0], "name": names[key[0]], "item": key[1], "found": before,
                     "recheck": after, "status": status, "points_found": round4(amount * before),
                     "points_open": round4(amount * (0.0 if np.isnan(after) else after))})
    cols = ["indicator", "name", "item", "found", "recheck", "status", "points_found", "points_open"]
    return pd.DataFrame(rows, columns=cols)


def rectification_summary(table: pd.DataFrame) -> dict[str, float]:
    """Counts for the page header: findings, rectified, partly, open, and the share rectified."""
    findings = table[table["found"] > 0]
    n = len(findings)
    done = int((findings["status"] == "已整改").sum())
    return {"findings": n, "rectified": done, "partly": int((findings["status"] == "部分整改").sum()),
            "open": int((findings["status"] == "未整改").sum()), "new": int((table["status"] == "复检新发现").sum()),
            "share": round4(done / n) if n else 0.0}


def demo_phase_rows(frame: pd.DataFrame, rubric: Rubric, seed: int = 2024) -> pd.DataFrame:
    """Demo self-check and recheck periods derived from each period of record (演示数据).

    A self-check is rosier: each finding is left out with probability 0.5. A recheck covers the phase's
    groups only and finds most findings rectified: each is cleared with probability 0.7.
    """
    record = phase_of(rubric, "record")
    if record is None:
        return frame
    rng = np.random.default_rng(seed)
    amounts = _finding_amounts(rubric)
    is_finding = pd.Series([(c, i) in amounts for c, i in zip(frame["indicator"], frame["item"])], index=frame.index)
    numeric = pd.to_numeric(frame["value"], errors="coerce").fillna(0.0)
    base = frame[frame["period"].map(lambda p: split_period(rubric, p)[1] is record)]
    out = [frame]
    for phase in rubric.phases:
        if phase.role == "record":
            continue
        part = base if not phase.groups else base[base["group"].isin(phase.groups)]
        copy = part.copy()
        copy["period"] = copy["period"] + phase.suffix
        hit = is_finding.loc[part.index] & (numeric.loc[part.index] > 0)
        cleared = hit & (rng.random(len(part)) < (0.5 if phase.role == "self_check" else 0.7))
        copy.loc[cleared.to_numpy(), "value"] = "0"
        copy["ref"] = np.where(copy["ref"] != "", copy["ref"] + phase.suffix, "")
        out.append(copy)
    return pd.concat(out, ignore_index=True)
