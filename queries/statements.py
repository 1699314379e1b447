"""Named SQL statements kept in a ``.sql`` file beside the module that runs them (aiosql style).

Each statement starts with a header naming it and saying what it returns, then a comment line in words::

    -- name: league*
    -- Returns a period's league table: one row per unit ...
    SELECT ...

The marker after the name is what the statement returns, and the runner holds it to that:

====== ============================================================================================
``*``  many rows: a DataFrame (``.arrow(cur, ...)`` fetches it through Arrow, ``.relation`` lazily)
``^``  one row or none: a dict of the row, or None (a second row is an error)
``$``  one value: the single column of the single row, or None when there is no row
``!``  nothing: exactly one statement, run for its effect
``#``  a script: several statements separated by ``;`` at the end of a line, run in order
====== ============================================================================================

Parameters are DuckDB named parameters (``$scheme``). A call passes exactly the parameters its statement
uses: a missing or an unknown one is a :class:`TypeError`, never silently dropped. A ``{name}`` slot (for
the few statements DuckDB cannot parameterise, e.g. ``CREATE SEQUENCE``) takes an identifier or an integer
only and is filled in as text, or a :class:`Quoted` name (any text, written as a double-quoted identifier,
e.g. a database name taken from a file name).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pyarrow as pa

ARROW_BATCH_ROWS = 10_000_000  # few large Arrow chunks: pandas works much faster on them than on many small ones
KINDS = {"*": "many rows", "^": "one row", "$": "one value", "!": "nothing", "#": "a script"}
_HEADER = re.compile(r"^--\s*name:\s*(\S+)\s*$", re.MULTILINE)
_NAME = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)([*^$!#])$")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_SLOT = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_SLOT_VALUE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_COMMENT = re.compile(r"--[^\n]*")


class Quoted(str):
    """A name for a ``{slot}`` written as a double-quoted SQL identifier (inner quotes doubled)."""

    def sql(self) -> str:
        return '"' + self.replace('"', '""') + '"'


class StatementError(ValueError):
    """A malformed .sql file, or a statement that returned what its marker says it never returns."""


def _split(text: str) -> list[str]:
    """The statements of a script: split at a ';' that ends a line."""
    return [s.strip() for s in re.split(r";\s*(?:\n|$)", text) if s.strip()]


@dataclass(frozen=True)
class Statement:
    """One named statement: its text, what it returns (``kind``) and the parameters it takes."""

    name: str
    kind: str
    sql: str
    source: str
    doc: str = ""

    @property
    def params(self) -> frozenset[str]:
        return frozenset(_PARAM.findall(_COMMENT.sub("", self.sql)))

    @property
    def slots(self) -> frozenset[str]:
        return frozenset(_SLOT.findall(_COMMENT.sub("", self.sql)))

    def _bind(self, params: dict) -> tuple[str, dict | None]:
        given = set(params)
        wanted = self.params | self.slots
        if given != wanted:
            missing, unknown = sorted(wanted - given), sorted(given - wanted)
            raise TypeError(f"{self.source} {self.name}: "
                            + "; ".join(([f"missing parameter(s) {', '.join(missing)}"] if missing else [])
                                        + ([f"unknown parameter(s) {', '.join(unknown)}"] if unknown else [])))
        text = self.sql
        for slot in self.slots:
            value = params[slot]
            if isinstance(value, Quoted):
                value = value.sql()
            elif not (isinstance(value, int) or (isinstance(value, str) and _SLOT_VALUE.match(value))):
                raise TypeError(f"{self.source} {self.name}: slot {{{slot}}} takes an identifier or an integer, "
                                f"not {value!r}")
            text = text.replace(f"{{{slot}}}", str(value))
        return text, ({k: params[k] for k in self.params} or None)

    def _need(self, *kinds: str) -> None:
        if self.kind not in kinds:
            raise StatementError(f"{self.source} {self.name}{self.kind} returns {KINDS[self.kind]}, "
                                 f"not {' or '.join(KINDS[k] for k in kinds)}")

    def __call__(self, cur, /, **params):
        """Run on cursor ``cur`` (inside its transaction, if any) and return what the marker says."""
        text, values = self._bind(params)
        if self.kind == "#":
            for part in _split(_COMMENT.sub("", text)):
                cur.execute(part, {k: values[k] for k in set(_PARAM.findall(part))} or None)
            return None
        result = cur.execute(text, values)
        if self.kind == "!":
            return None
        if self.kind == "*":
            return result.df()
        rows = result.fetchall()
        if len(rows) > 1:
            raise StatementError(f"{self.source} {self.name}{self.kind} returned {len(rows)} rows")
        if self.kind == "^":
            return dict(zip([d[0] for d in result.description], rows[0])) if rows else None
        if rows and len(rows[0]) != 1:
            raise StatementError(f"{self.source} {self.name}$ returned {len(rows[0])} columns")
        return rows[0][0] if rows else None

    def arrow(self, cur, /, **params) -> pd.DataFrame:
        """A ``*`` statement's rows through Arrow (several times faster than ``.df()`` for millions of text cells)."""
        return self.table(cur, **params).to_pandas()

    def table(self, cur, /, **params) -> pa.Table:
        """A ``*`` statement's rows as an Arrow table (e.g. to hand to another process without pandas)."""
        self._need("*")
        return self.relation(cur, **params).to_arrow_table(batch_size=ARROW_BATCH_ROWS)

    def relation(self, cur, /, **params):
        """A ``*`` statement as a lazy DuckDB relation (for ``.columns``, ``.create_view`` …)."""
        self._need("*")
        text, values = self._bind(params)
        return cur.sql(text, params=values)


class Statements:
    """The statements of one .sql file, as attributes named like the statements (``SQL.league(cur, ...)``)."""

    def __init__(self, path: Path):
        self._path = path
        self._by_name = parse(path.read_text(encoding="utf-8"), path.name)
        for name, statement in self._by_name.items():
            setattr(self, name, statement)

    def __getattr__(self, name: str) -> Statement:  # only reached for a name the file does not define
        raise AttributeError(f"no statement {name!r} in {self._path} (known: {', '.join(sorted(self._by_name))})")

    def __iter__(self):
        return iter(self._by_name.values())


def parse(text: str, source: str = "<sql>") -> dict[str, Statement]:
    """Split a .sql file into its named statements; text before the first header is the file's comment."""
    parts = _HEADER.split(text)
    out: dict[str, Statement] = {}
    for header, body in zip(parts[1::2], parts[2::2]):
        found = _NAME.match(header)
        if found is None:
            raise StatementError(f"{source}: '-- name: {header}' needs a name and one of the markers "
                                 f"{' '.join(KINDS)} ({', '.join(f'{k} {v}' for k, v in KINDS.items())})")
        name, kind = found.groups()
        if name in out:
            raise StatementError(f"{source}: statement {name!r} defined twice")
        body = body.strip()
        doc = " ".join(ln.lstrip("- ").strip() for ln in body.splitlines() if ln.startswith("--"))
        if not _COMMENT.sub("", body).strip():
            raise StatementError(f"{source}: statement {name!r} is empty")
        if kind != "#" and len(_split(_COMMENT.sub("", body))) > 1:
            raise StatementError(f"{source}: statement {name!r} holds several statements; mark it '#' (a script)")
        out[name] = Statement(name, kind, body, source, doc)
    return out


@lru_cache(maxsize=None)
def load(path: str | Path) -> Statements:
    """The statements of a .sql file (parsed once per process)."""
    return Statements(Path(path))


def beside(module_file: str) -> Statements:
    """The statements of the .sql file next to a module, with the module's name: ``beside(__file__)``."""
    return load(Path(module_file).resolve().with_suffix(".sql"))
