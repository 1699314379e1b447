"""Problems found in input (observations or rubric files), reported all at once."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can.

    ``where`` is a line label ("第5行" / "Sheet1!5") or a period/entity/indicator path;
    ``message`` says what is wrong in words a clerk understands (Chinese, with English terms).
    ``severity`` is "error" (blocks scoring and import) or "warning" (shown, does not block).
    ``sheet``, ``row`` and ``column`` locate it structurally (row: the file's line or sheet row; None when the
    problem names a unit, a period or the file): problems are sorted by them (:func:`in_file_order`), never by
    reading the label back. They do not take part in equality (two problems are the same when they say the same
    thing at the same place).
    """

    where: str
    message: str
    severity: str = "error"
    row: int | None = field(default=None, compare=False)
    sheet: str = field(default="", compare=False)
    column: str = field(default="", compare=False)

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


def in_file_order(problems: list[Problem]) -> list[Problem]:
    """Problems sorted by where they are in the file (sheet, row, column), stable; those naming a unit, a period
    or the file (no row) come after, in their original order."""
    def key(item):
        n, p = item
        return (p.row is None, p.sheet, p.row or 0, p.column, n)
    return [p for _, p in sorted(enumerate(problems), key=key)]
