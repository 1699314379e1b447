"""Look-alike unit names: two names that differ only by width, spaces or invisible characters.

``洪山镇`` and ``洪山镇`` followed by a zero-width space, ``A镇`` and ``Ａ镇``, ``洪山镇`` and ``洪山 镇`` read the
same to a person but are different units to a program: the second would join the period as a new unit, ranked
and graded. Such a name is an error that says which unit was probably meant — a name the store already knows,
else the one written plainly, else the one used on most rows of the file.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from scoring.normalise import shown
from scoring.problems import Problem

_IGNORED = frozenset({"Cc", "Cf", "Zl", "Zp", "Zs"})


def name_key(name: str) -> str:
    """What a person sees: NFKC (full-width → half-width), with every space and invisible character removed."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", name)
                   if not ch.isspace() and unicodedata.category(ch) not in _IGNORED)


def lookalike_problems(incoming: Iterable[tuple[str, str]], known: Iterable[str] = ()) -> list[Problem]:
    """Errors for incoming unit names that look like another name but are not the same string.

    ``incoming``: (name, line) of every row (or of each name's first row); ``known``: names already stored.
    One error per look-alike name, at its first line, naming the unit probably meant.
    """
    first: dict[str, str] = {}
    rows: dict[str, int] = {}
    for name, line in incoming:
        if name not in first:
            first[name] = line
        rows[name] = rows.get(name, 0) + 1
    known_by_key: dict[str, list[str]] = {}
    for name in dict.fromkeys(known):
        known_by_key.setdefault(name_key(name), []).append(name)
    by_key: dict[str, list[str]] = {}
    for name in first:
        if name:
            by_key.setdefault(name_key(name), []).append(name)
    problems = []
    for key, names in by_key.items():
        stored = sorted(known_by_key.get(key, []))
        if stored:
            meant, where = stored[0], "库中已有的单位"
        elif len(names) > 1:
            plain = [n for n in names if n == key]
            meant = plain[0] if plain else max(names, key=lambda n: rows[n])  # first seen on a tie
            where = "文件中的单位"
        else:
            continue
        for name in names:
            if name == meant or name in stored:
                continue
            problems.append(Problem(first[name], f"单位 “{shown(name)}”（{rows[name]} 行）与{where} “{meant}” 只差全角/半角、"
                                                 f"空格或不可见字符，可能就是 “{meant}”；请改为 “{meant}”，若确为另一单位，"
                                                 f"请改用能区分的名称 (look-alike of unit “{meant}”)"))
    return problems
