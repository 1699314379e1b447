"""Normalising the text of an observation file at intake, so that what looks the same is the same.

- **Periods and indicator codes** are read through Unicode NFKC (a full-width ``２０２２Q2`` typed with a Chinese
  input method becomes ``2022Q2``) and must then be ASCII. Each change NFKC made is a warning naming the line,
  never a second period.
- **Values** are read through NFKC too (full-width digits become 0–9, with a warning); a digit NFKC cannot make
  ASCII (Arabic-Indic ``٣``…) is refused — Python's ``\\d`` and ``float()`` accept them, the format does not. Every
  number must be finite with ``|x| ≤`` :attr:`~scoring.limits.Limits.max_number` (1e308, 99999999999999999999
  and ``inf`` are refused), so nothing downstream overflows.
- **Names** (entity, item, group, ref) are already trimmed by the reader; a control or format character inside
  one (Unicode Cc/Cf: zero-width space U+200B, bidi overrides U+202E…, line separators) is refused, naming the
  line and the character. **Notes** are free text: tab and line breaks are allowed there, nothing else invisible.
- A text cell that Flagboard's own exports neutralised against formula injection (``'=x``, see
  ``documents.neutralise``) reads back as it was (``=x``), so a template round-trips.

Work is done once per distinct value of a column, then spread back to the rows.
"""
from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from scoring.limits import Limits
from scoring.problems import Problem

ASCII_COLUMNS = {"period": "期间 period", "indicator": "指标 indicator"}
NAME_COLUMNS = {"entity": "单位 entity", "item": "细项 item", "group": "组别 group", "ref": "事项编号 ref"}
NOTE_COLUMN, NOTE_LABEL = "note", "备注 note"
NOTE_ALLOWED = frozenset("\t\n\r")
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$", re.ASCII)
_NOT_FINITE = re.compile(r"^[+-]?(?:inf|infinity|nan)$", re.IGNORECASE)


def char_name(ch: str) -> str:
    """'\\u200b' → 'U+200B ZERO WIDTH SPACE'."""
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" {name}" if name else "")


def is_hidden(ch: str) -> bool:
    return unicodedata.category(ch) in HIDDEN_CATEGORIES


def shown(text: str) -> str:
    """Text for a message: every invisible character written as ⟨U+200B⟩ (a bidi override would reorder the
    message itself)."""
    return "".join(f"⟨U+{ord(ch):04X}⟩" if is_hidden(ch) else ch for ch in text)


def _distinct(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    return codes, np.asarray(uniques, dtype=object)


def _non_ascii(uniques: np.ndarray) -> np.ndarray:
    """Positions of the distinct values that hold a non-ASCII character (Arrow, no Python loop over ASCII)."""
    if len(uniques) == 0:
        return np.zeros(0, dtype=np.int64)
    ascii_ = pc.string_is_ascii(pa.array(uniques, type=pa.large_string())).to_numpy(zero_copy_only=False)
    return np.flatnonzero(~ascii_)


def _rows(codes: np.ndarray, bad: np.ndarray) -> np.ndarray:
    """Rows whose distinct value is flagged in ``bad`` (a bool array over the distinct values)."""
    return np.flatnonzero(bad[codes]) if bad.any() else np.zeros(0, dtype=np.int64)


def _unquote(uniques: np.ndarray) -> np.ndarray:
    """``'=x`` → ``=x``: undo the formula-injection neutraliser of Flagboard's own exports."""
    return np.array([u[1:] if len(u) > 1 and u[0] == "'" and u[1] in FORMULA_TRIGGERS else u for u in uniques],
                    dtype=object)


def _nfkc_column(obs: pd.DataFrame, col: str, label: str, lines: np.ndarray, ascii_only: bool,
                 problems: list[Problem]) -> tuple[np.ndarray, np.ndarray]:
    """NFKC one column in place (warnings for changes; errors for what stays non-ASCII when ``ascii_only``).
    Returns the column's (codes, normalised distinct values)."""
    codes, uniques = _distinct(obs[col])
    new = uniques.copy()
    changed = np.zeros(len(uniques), dtype=bool)
    wrong = {}  # distinct position → error message
    for k in _non_ascii(uniques):
        old = uniques[k]
        new[k] = unicodedata.normalize("NFKC", old)
        changed[k] = new[k] != old
        odd = list(dict.fromkeys(ch for ch in new[k] if not ch.isascii()))
        digits = [ch for ch in odd if unicodedata.category(ch) == "Nd"]
        if digits:
            wrong[k] = (f"{label} “{shown(old)}” 含非 ASCII 数字 "
                        + "、".join(f"“{ch}”（{char_name(ch)}）" for ch in digits[:3])
                        + "；数字只能用 0–9 书写 (non-ASCII digit)")
        elif ascii_only and odd:
            wrong[k] = (f"{label} “{shown(old)}” 含非 ASCII 字符 "
                        + "、".join(f"“{shown(ch)}”（{char_name(ch)}）" for ch in odd[:3])
                        + f"；{label.split()[0]}只能用半角字母、数字和符号 (must be ASCII)")
    for row in _rows(codes, changed):
        k = codes[row]
        if k not in wrong:
            problems.append(Problem(lines[row], f"{label} “{uniques[k]}” 含全角或兼容字符，已按 NFKC 规范化读作 "
                                                f"“{new[k]}”，请核对 (normalised by NFKC)", "warning"))
    if wrong:
        flagged = np.zeros(len(uniques), dtype=bool)
        flagged[list(wrong)] = True
        problems += [Problem(lines[row], wrong[codes[row]]) for row in _rows(codes, flagged)]
    if changed.any():
        obs[col] = pd.Series(new[codes], index=obs.index, dtype="str")
    return codes, new


def _number_problems(codes: np.ndarray, values: np.ndarray, lines: np.ndarray, max_number: float) -> list[Problem]:
    """Numbers that are not finite or beyond ±max_number (parsed once per distinct value, no numpy overflow)."""
    bad = np.zeros(len(values), dtype=bool)
    words = {}
    for k, v in enumerate(values):
        if _NOT_FINITE.match(v):
            bad[k], words[k] = True, "不是有限的数 (not a finite number)"
        elif _NUMBER.match(v):
            x = float(v)  # a Python float: 1e400 is inf, never a warning
            if not abs(x) <= max_number:
                bad[k] = True
                words[k] = f"超出允许范围，数值的绝对值不能超过 {max_number:,.0f} (number out of range: |x| ≤ {max_number:g})"
    return [Problem(lines[row], f"value “{values[codes[row]]}” {words[codes[row]]}") for row in _rows(codes, bad)]


def _hidden_problems(obs: pd.DataFrame, col: str, label: str, lines: np.ndarray, allowed: frozenset) -> list[Problem]:
    """Refuse control/format characters (Cc, Cf, Zl, Zp) in one text column; un-neutralise ``'=x`` in place."""
    codes, uniques = _distinct(obs[col])
    plain = _unquote(uniques)
    if (plain != uniques).any():
        obs[col] = pd.Series(plain[codes], index=obs.index, dtype="str")
    candidates = pd.Series(plain, dtype="str").str.contains(r"[\x00-\x1f\x7f]", regex=True).to_numpy(dtype=bool, copy=True)
    candidates[_non_ascii(plain)] = True
    bad = np.zeros(len(plain), dtype=bool)
    words = {}
    for k in np.flatnonzero(candidates):
        hidden = list(dict.fromkeys(ch for ch in plain[k] if is_hidden(ch) and ch not in allowed))
        if hidden:
            bad[k] = True
            cleaned = "".join(ch for ch in plain[k] if not is_hidden(ch)).strip()
            hint = f"，去掉后为 “{cleaned}”" if cleaned else ""
            words[k] = (f"{label} “{shown(plain[k])}” 含不可见或控制字符 "
                        + "、".join(char_name(ch) for ch in hidden[:3])
                        + f"（常见于从网页或聊天软件复制的文字）；请删除后重新输入{hint} (invisible or control character)")
    return [Problem(lines[row], words[codes[row]]) for row in _rows(codes, bad)]


def screen(obs: pd.DataFrame, limits: Limits) -> tuple[pd.DataFrame, list[Problem]]:
    """Normalise a frame read by :mod:`scoring.reader` (columns of the format plus ``line``).

    Returns the normalised frame and every problem: warnings for what NFKC changed, errors for what is refused.
    """
    obs = obs.copy()
    problems: list[Problem] = []
    lines = obs["line"].to_numpy(dtype=object)
    for col, label in ASCII_COLUMNS.items():
        _nfkc_column(obs, col, label, lines, True, problems)
    codes, values = _nfkc_column(obs, "value", "value", lines, False, problems)
    problems += _number_problems(codes, values, lines, limits.max_number)
    for col, label in NAME_COLUMNS.items():
        if col in obs.columns:
            problems += _hidden_problems(obs, col, label, lines, frozenset())
    problems += _hidden_problems(obs, NOTE_COLUMN, NOTE_LABEL, lines, NOTE_ALLOWED)
    return obs, problems
