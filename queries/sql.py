"""Load named SQL statements from ``queries/sql/*.sql`` (aiosql style).

Each statement starts with ``-- name: <name>`` followed by a comment line saying what it returns;
parameters are DuckDB named parameters (``$scheme``).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

SQL_DIR = Path(__file__).resolve().parent / "sql"
_NAME = re.compile(r"^--\s*name:\s*([A-Za-z_][A-Za-z0-9_]*)\s*$", re.MULTILINE)


def parse_sql(text: str, source: str = "<sql>") -> dict[str, str]:
    """Split a .sql file into {name: statement}; the text before the first name header is ignored."""
    parts = _NAME.split(text)
    out: dict[str, str] = {}
    for name, body in zip(parts[1::2], parts[2::2]):
        if name in out:
            raise ValueError(f"{source}: query name {name!r} used twice")
        out[name] = body.strip()
    return out


@lru_cache(maxsize=1)
def statements() -> dict[str, str]:
    out: dict[str, str] = {}
    for path in sorted(SQL_DIR.glob("*.sql")):
        for name, body in parse_sql(path.read_text(encoding="utf-8"), path.name).items():
            if name in out:
                raise ValueError(f"{path.name}: query name {name!r} already defined in another file")
            out[name] = body
    return out


def sql(name: str) -> str:
    try:
        return statements()[name]
    except KeyError:
        raise KeyError(f"no SQL named {name!r} in {SQL_DIR} (known: {', '.join(sorted(statements()))})") from None
