"""Normalising the text of an observation file at intake, so that what looks the same is the same.

- **Periods and indicator codes** are read through Unicode NFKC (a full-width ``２０２２Q2`` typed with a Chinese
  input method becomes ``2022Q2``); each change NFKC made is a warning naming the line, never a second period.
  Codes must then be ASCII. A period's digits must be ASCII; its words may not be (a phase suffix such as
  ``2024-自检``), and the rubric's period format (``scoring.validate``) checks the rest.
- **Values** are read through NFKC too (full-width digits become 0–9, with a warning); a digit NFKC cannot make
  ASCII (Arabic-Indic ``٣``…) is refused — Python's ``\\d`` and ``float()`` accept them, the format does not. Every
  number must be finite with ``|x| ≤`` :attr:`~scoring.limits.Limits.max_number` (1e308, 99999999999999999999
  and ``inf`` are refused), so nothing downstream overflows.
- **Names** (entity, item, group, ref) are already trimmed by the reader; a control or format character inside
  one (Unicode Cc/Cf: zero-width space U+200B, bidi overrides U+202E…, line separators) is refused, naming the
  line and the character. **Notes** are free text: tab and line breaks are allowed there, nothing else invisible.
- A text cell that Flagboard's own exports neutralised against formula injection (``'=x``, see
  ``documents.neutralise``) reads back as it was (``=x``), so a template round-trips.

Whole columns are tested in Arrow (NFKC, ASCII, RE2 Unicode classes); Python looks only at the rows flagged.
"""
from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from scoring.limits import Limits
from scoring.problems import Problem

NFKC_COLUMNS = {"period": ("期间 period", False), "indicator": ("指标 indicator", True)}  # label, must be ASCII
NAME_COLUMNS = {"entity": "单位 entity", "item": "细项 item", "group": "组别 group", "ref": "事项编号 ref"}
NOTE_COLUMN, NOTE_LABEL = "note", "备注 note"
NOTE_ALLOWED = frozenset("\t\n\r")
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})
# RE2 (Arrow) patterns: Cc is \x00-\x1f and \x7f-\x9f; notes allow tab, LF and CR
HIDDEN_IN_NAMES = r"[\x00-\x1f\x7f-\x9f\p{Cf}\p{Zl}\p{Zp}]"
HIDDEN_IN_NOTES = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\p{Cf}\p{Zl}\p{Zp}]"
NEUTRALISED = r"^'([=+\-@\t\r])"  # documents.neutralise's quote before a formula trigger
NUMBER = r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
NOT_FINITE = r"(?i)^[+-]?(?:inf|infinity|nan)$"


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


def _arrow(series: pd.Series) -> pa.Array:
    return pa.array(series.array, type=pa.large_string())


def _rows(mask) -> np.ndarray:
    """Positions where an Arrow boolean mask is true."""
    return np.flatnonzero(mask.to_numpy(zero_copy_only=False))


def _store(obs: pd.DataFrame, col: str, arr: pa.Array) -> None:
    obs[col] = pd.Series(pd.array(arr, dtype="str"), index=obs.index)


def _nfkc_problem(old: str, new: str, label: str, ascii_only: bool) -> str:
    """The error for one NFKC-normalised text, or "" when it is acceptable."""
    odd = list(dict.fromkeys(ch for ch in new if not ch.isascii()))
    digits = [ch for ch in odd if unicodedata.category(ch) == "Nd"]
    if digits:
        return (f"{label} “{shown(old)}” 含非 ASCII 数字 " + "、".join(f"“{ch}”（{char_name(ch)}）" for ch in digits[:3])
                + "；数字只能用 0–9 书写 (non-ASCII digit)")
    if ascii_only and odd:
        return (f"{label} “{shown(old)}” 含非 ASCII 字符 "
                + "、".join(f"“{shown(ch)}”（{char_name(ch)}）" for ch in odd[:3])
                + f"；{label.split()[0]}只能用半角字母、数字和符号 (must be ASCII)")
    return ""


def _nfkc_column(obs: pd.DataFrame, col: str, label: str, lines: pa.Array, ascii_only: bool) -> list[Problem]:
    """NFKC one column in place: a warning per row it changed, an error per row whose text stays non-ASCII
    (``ascii_only``) or holds a non-ASCII digit."""
    arr = _arrow(obs[col])
    rows = _rows(pc.invert(pc.string_is_ascii(arr)))
    if not len(rows):
        return []
    new = pc.utf8_normalize(arr, "NFKC")
    problems, verdicts = [], {}
    for line, old, norm in zip(*(a.take(rows).to_pylist() for a in (lines, arr, new))):
        if old not in verdicts:
            verdicts[old] = _nfkc_problem(old, norm, label, ascii_only)
        if verdicts[old]:
            problems.append(Problem(line, verdicts[old]))
        elif norm != old:
            problems.append(Problem(line, f"{label} “{old}” 含全角或兼容字符，已按 NFKC 规范化读作 “{norm}”，"
                                                f"请核对 (normalised by NFKC)", "warning"))
    _store(obs, col, new)
    return problems


def _number_problems(obs: pd.DataFrame, lines: pa.Array, max_number: float) -> list[Problem]:
    """Values that are numbers but not finite or beyond ±max_number (each distinct one parsed once, in Python:
    1e400 is inf, never a numpy overflow warning)."""
    values = _arrow(obs["value"])
    numeric = pc.or_(pc.match_substring_regex(values, NUMBER), pc.match_substring_regex(values, NOT_FINITE))
    words = {}
    for v in pc.unique(values.filter(numeric)).to_pylist():
        x = float(v)
        if x != x or x in (float("inf"), float("-inf")):
            words[v] = "不是有限的数 (not a finite number)"
        elif abs(x) > max_number:
            words[v] = f"超出允许范围，数值的绝对值不能超过 {max_number:,.0f} (number out of range: |x| ≤ {max_number:g})"
    if not words:
        return []
    rows = _rows(pc.is_in(values, value_set=pa.array(list(words), type=pa.large_string())))
    return [Problem(line, f"value “{v}” {words[v]}")
            for line, v in zip(lines.take(rows).to_pylist(), values.take(rows).to_pylist())]


def _hidden_problems(obs: pd.DataFrame, col: str, label: str, lines: pa.Array, pattern: str,
                     allowed: frozenset) -> list[Problem]:
    """Refuse control/format characters (Cc, Cf, Zl, Zp) in one text column; un-neutralise ``'=x`` in place."""
    arr = _arrow(obs[col])
    if pc.any(pc.match_substring_regex(arr, NEUTRALISED)).as_py():
        arr = pc.replace_substring_regex(arr, pattern=NEUTRALISED, replacement=r"\1")
        _store(obs, col, arr)
    rows = _rows(pc.match_substring_regex(arr, pattern))
    problems, verdicts = [], {}
    for line, text in zip(lines.take(rows).to_pylist(), arr.take(rows).to_pylist()):
        if text not in verdicts:
            hidden = list(dict.fromkeys(ch for ch in text if is_hidden(ch) and ch not in allowed))
            cleaned = "".join(ch for ch in text if not is_hidden(ch)).strip()
            hint = f"，去掉后为 “{cleaned}”" if cleaned else ""
            verdicts[text] = (f"{label} “{shown(text)}” 含不可见或控制字符 " + "、".join(char_name(ch) for ch in hidden[:3])
                              + f"（常见于从网页或聊天软件复制的文字）；请删除后重新输入{hint} (invisible or control character)"
                              if hidden else "")
        if verdicts[text]:
            problems.append(Problem(line, verdicts[text]))
    return problems


def screen(obs: pd.DataFrame, limits: Limits) -> tuple[pd.DataFrame, list[Problem]]:
    """Normalise a frame read by :mod:`scoring.reader` (columns of the format plus ``line``), in place.

    Returns the normalised frame and every problem: warnings for what NFKC changed, errors for what is refused.
    """
    lines = _arrow(obs["line"])
    problems: list[Problem] = []
    for col, (label, ascii_only) in NFKC_COLUMNS.items():
        problems += _nfkc_column(obs, col, label, lines, ascii_only)
    problems += _nfkc_column(obs, "value", "value", lines, False)
    problems += _number_problems(obs, lines, limits.max_number)
    for col, label in NAME_COLUMNS.items():
        if col in obs.columns:
            problems += _hidden_problems(obs, col, label, lines, HIDDEN_IN_NAMES, frozenset())
    problems += _hidden_problems(obs, NOTE_COLUMN, NOTE_LABEL, lines, HIDDEN_IN_NOTES, NOTE_ALLOWED)
    return obs, problems
