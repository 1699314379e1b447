"""Problems found in input (observations or rubric files), reported all at once."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can.

    ``where`` is a line label ("第5行" / "Sheet1!5") or a period/entity/indicator path;
    ``message`` says what is wrong in words a clerk understands (Chinese, with English terms).
    ``severity`` is "error" (blocks scoring and import) or "warning" (shown, does not block).
    """

    where: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        tag = "错误 error" if self.severity == "error" else "提醒 warning"
        return f"[{tag}] {self.where}: {self.message}"


@dataclass
class InputError(Exception):
    """Raised when input has errors; carries every problem found, not just the first."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        errors = [p for p in self.problems if p.severity == "error"]
        lines = [f"输入有 {len(errors)} 处错误 (input has {len(errors)} error(s)):"]
        lines += [str(p) for p in self.problems]
        return "\n".join(lines)


def errors_only(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]
