"""Look-alike unit names: two names that differ only by width, spaces or invisible characters.

``洪山镇`` and ``洪山镇`` followed by a zero-width space, ``A镇`` and ``Ａ镇``, ``洪山镇`` and ``洪山 镇`` read the
same to a person but are different units to a program: the second would join the period as a new unit, ranked
and graded. Such a name is an error that says which unit was probably meant — a name the store already knows,
else the one written plainly, else the one used on most rows of the file.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from scoring.normalise import shown
from scoring.problems import Problem

_IGNORED = frozenset({"Cc", "Cf", "Zl", "Zp", "Zs"})


def name_key(name: str) -> str:
    """What a person sees: NFKC (full-width → half-width), with every space and invisible character removed."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", name)
                   if not ch.isspace() and unicodedata.category(ch) not in _IGNORED)


def plain_names(names: pa.Array) -> np.ndarray:
    """Which names are their own key (printable, no space, NFKC-stable), tested in Arrow: two plain names never
    look alike, so only the others need :func:`name_key`."""
    if len(names) == 0:
        return np.zeros(0, dtype=bool)
    plain = pc.and_(pc.and_(pc.utf8_is_printable(names), pc.invert(pc.match_substring(names, " "))),
                    pc.equal(pc.utf8_normalize(names, "NFKC"), names))
    return plain.to_numpy(zero_copy_only=False)


def lookalike_problems(names: pd.Series, lines: pd.Series, known: Iterable[str] = ()) -> list[Problem]:
    """Errors for incoming unit names that look like another name but are not the same string.

    ``names``/``lines``: the unit and line label of every incoming row; ``known``: names already stored.
    One error per look-alike name, at its first line, naming the unit probably meant.
    """
    codes, distinct = pd.factorize(names, use_na_sentinel=False)  # distinct names in first-seen order
    if len(distinct) == 0:
        return []
    first_row = np.full(len(distinct), len(codes))
    np.minimum.at(first_row, codes, np.arange(len(codes)))
    rows = np.bincount(codes, minlength=len(distinct))
    arr = pa.array(pd.Index(distinct).array, type=pa.large_string())
    known_by_key: dict[str, list[str]] = {}
    for name in dict.fromkeys(known):
        known_by_key.setdefault(name_key(name), []).append(name)
    odd = {int(i): name_key(arr[int(i)].as_py()) for i in np.flatnonzero(~plain_names(arr))}
    targets = set(odd.values()) | set(known_by_key)  # a plain name matters only if it is one of these keys
    involved = sorted(set(odd) | set(np.flatnonzero(pc.is_in(arr, value_set=pa.array(
        sorted(targets), type=pa.large_string())).to_numpy(zero_copy_only=False)).tolist()))
    by_key: dict[str, list[int]] = {}
    for i in involved:
        name = arr[i].as_py()
        if name:
            by_key.setdefault(odd.get(i, name), []).append(i)
    problems = []
    for key, members in by_key.items():
        stored = sorted(known_by_key.get(key, []))
        if stored:
            meant, where = stored[0], "库中已有的单位"
        elif len(members) > 1:
            plain = [i for i in members if i not in odd]
            meant_i = plain[0] if plain else max(members, key=lambda i: rows[i])  # first seen on a tie
            meant, where = arr[meant_i].as_py(), "文件中的单位"
        else:
            continue
        for i in members:
            name = arr[i].as_py()
            if name == meant or name in stored:
                continue
            problems.append(Problem(str(lines.iloc[first_row[i]]),
                                    f"单位 “{shown(name)}”（{rows[i]} 行）与{where} “{meant}” 只差全角/半角、空格或不可见"
                                    f"字符，可能就是 “{meant}”；请改为 “{meant}”，若确为另一单位，请改用能区分的名称 "
                                    f"(look-alike of unit “{meant}”)"))
    return problems
