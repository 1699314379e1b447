"""The limits a file must stay within to be read, as settings with defaults.

Every budget is checked before the expensive step it protects (calamine, pandas, the parsing child), so a
hostile or broken file is refused with a message instead of exhausting memory or time. A district may change a
limit with an environment variable (``FLAGBOARD_MAX_CELLS=4000000``); the defaults fit a national quarter.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace

ENV_PREFIX = "FLAGBOARD_"
GIB = 1024**3


@dataclass(frozen=True)
class Limits:
    """Budgets for reading one observation file (names: ``FLAGBOARD_<NAME in capitals>`` overrides each)."""

    max_cells: int = 2_000_000  # an XLSX sheet's used rectangle (rows × columns from A1), as calamine allocates it
    max_columns: int = 64  # columns of an XLSX sheet or fields of a CSV header
    max_line_bytes: int = 65_536  # one physical CSV line; a row of the format is well under 1 KB
    max_shared_strings: int = 2_000_000  # entries of an XLSX shared-string table (a legitimate one ≤ its cells)
    max_number: float = 1e9  # |value| of any number in the value column
    parse_memory_bytes: int = GIB  # address space the parsing child allows itself (RLIMIT_AS)
    parse_timeout_s: float = 120.0  # wall-clock time the parsing child may take
    problems_listed: int = 500  # problems printed or shown; the rest are counted (all go to --problems FILE)

    @classmethod
    def from_env(cls, environ: dict | None = None) -> "Limits":
        """The defaults, each overridden by ``FLAGBOARD_<NAME>`` when that variable is set to a number."""
        environ = os.environ if environ is None else environ
        changes = {}
        for f in fields(cls):
            raw = environ.get(ENV_PREFIX + f.name.upper(), "").strip()
            if raw:
                kind = float if f.type in ("float", float) else int
                try:
                    changes[f.name] = kind(float(raw)) if kind is int else kind(raw)
                except ValueError:
                    raise ValueError(f"设置 {ENV_PREFIX}{f.name.upper()}={raw!r} 不是数字 (not a number)") from None
        return replace(cls(), **changes)

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def current() -> Limits:
    """The limits in force: defaults plus environment overrides."""
    return Limits.from_env()
