"""One assessment phase inside a period (self-check, unified assessment, recheck): the rubric's ``phases`` entries.

What the phases mean and how they are compared is :mod:`scoring.phases`; this module holds only the model the
rubric file is validated with, so that the rubric imports it without importing the comparisons.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

PhaseRole = Literal["self_check", "record", "recheck"]


class Phase(BaseModel):
    """One phase of an assessment year; its period is the period of record + ``suffix``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    role: PhaseRole
    suffix: str = ""  # "" for the phase of record
    groups: list[str] = []  # the groups this phase covers (empty = all)
    when: str = ""
    clause: str = ""

    def describe(self) -> str:
        """The phase as a Chinese sentence for the rubric page."""
        role = {"self_check": "自检结果只与统一考核对照，不计入正式成绩",
                "record": "为正式成绩", "recheck": "复检整改情况，不改变正式成绩"}[self.role]
        where = f"期间写作“年份{self.suffix}”（如 2024{self.suffix}）" if self.suffix else "期间即年份（如 2024）"
        scope = f"，仅限 {'、'.join(self.groups)}" if self.groups else ""
        return f"{self.name}（{self.when or '时间未定'}）：{where}{scope}，{role}。"
