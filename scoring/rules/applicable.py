"""Checklists where a deduction applies to one type of site only (社区综合窗口未执行AB岗…)."""
from __future__ import annotations

import pandas as pd

from scoring.kinds import ItemSpec
from scoring.problems import Problem
from scoring.rules.base import DEFAULT_CONTEXT, UNIT_KEYS, register
from scoring.rules.deduct import Deduct, Deduction


class TypedDeduction(Deduction):
    """A deduction that applies only to the site types in ``only_for`` (empty = every type)."""

    only_for: list[str] = []


@register
class DeductByType(Deduct):
    """Deduct-until-zero where some findings apply to one type of site only.

    Seed 001 (附件4, 人员配置): "综合窗口未明确具体人员专职从事窗口服务工作的，扣3分；社区综合窗口未执行AB岗工作制度的，
    扣2分。" — the requirement is "社区便民服务站综合窗口应实行A、B岗双重保障工作机制", so a 村 station keeps those
    2 points (not applicable: full marks, no prorating).

    The unit's type is an item of the indicator (``type_item``, one of ``types``). A finding entered for a
    type it does not apply to is an input error (a 村 station cannot fail the 社区 AB岗 rule).
    """

    type = "deduct_by_type"
    type_item: str
    types: list[str]
    deductions: list[TypedDeduction]

    def items(self, ind):
        return [ItemSpec(self.type_item, "label", labels=tuple(self.types), hint="／".join(self.types))] + \
            super().items(ind)

    def _inapplicable(self, rows: pd.DataFrame) -> pd.Series:
        """Rows of a finding whose unit's type is outside the finding's ``only_for``."""
        label = rows.loc[rows["item"] == self.type_item, UNIT_KEYS + ["value"]].rename(columns={"value": "_type"})
        typed = rows.merge(label, on=UNIT_KEYS, how="left")
        only = {d.item: set(d.only_for) for d in self.deductions if d.only_for}
        bad = [it in only and t == t and t not in only[it] for it, t in zip(typed["item"], typed["_type"])]
        return pd.Series(bad, index=rows.index, dtype=bool)

    def check(self, rows, ind, ctx=DEFAULT_CONTEXT):
        problems = []
        bad = self._inapplicable(rows) & (rows["num"] > 0)
        for line, item, entity in zip(rows.loc[bad, "line"], rows.loc[bad, "item"], rows.loc[bad, "entity"]):
            only = next(d.only_for for d in self.deductions if d.item == item)
            problems.append(Problem(line, f"{entity} 指标 {ind.code} 的 {item} 只适用于{'／'.join(only)}，"
                                          f"该单位的{self.type_item}不是{'／'.join(only)}，应填 0 "
                                          f"(finding does not apply to this type of site)"))
        return problems

    def counts(self, rows, units, ctx):
        """A finding entered for a type it does not apply to counts 0 (check() reports it as an error)."""
        return super().counts(rows[~self._inapplicable(rows).to_numpy(dtype=bool)], units, ctx)

    def describe(self, ind):
        tail = "；".join(f"“{d.item}”仅适用于{'／'.join(d.only_for)}" for d in self.deductions if d.only_for)
        return super().describe(ind) + (f"{tail}（{self.type_item}：{'／'.join(self.types)}）。" if tail else "")

    def demo_fix(self, rows: list[dict], entity: str) -> list[dict]:
        """Make a unit's demo rows consistent: its type from its name, inapplicable findings 0."""
        kind = next((t for t in self.types if t in entity), None)
        for row in rows:
            if row["item"] == self.type_item and kind:
                row["value"] = kind
        kind = next((r["value"] for r in rows if r["item"] == self.type_item), None)
        for d in self.deductions:
            if d.only_for and kind not in d.only_for:
                for row in rows:
                    if row["item"] == d.item:
                        row["value"] = "0"
        return rows

