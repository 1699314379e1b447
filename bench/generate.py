"""A deterministic synthetic national dataset for the Zichuan rubric (the benchmark's input).

China has about 38,700 townships in about 2,850 county-level districts. At ``scale=1`` this module
makes that many units (镇) in that many groups (区县), each scored against the Zichuan 2022 rubric for
12 quarters (2021Q1–2023Q4): about 30 observation rows per unit and quarter, 14 million rows in all.

The mix is meant to look like real returns, so every code path of the rubric is exercised:
- every base indicator's items, with flags written as 1/0 and sometimes 是/否;
- rank indicators given per quarter either as a place (名次, ranked inside the district) or as a measure
  (实绩, coarse integers so ties happen); one choice per quarter and indicator, as validation requires;
- deductions (Poisson counts), 酌情扣分 within range, tier labels, monthly 好差评 scores, showcase;
- bonus events at several levels (some the same matter at two levels with a shared ``ref``: merged),
  WeChat posts with their reads, penalties (酌情扣分 occurrences and 通报 counts), caps reached.

Everything is vectorised with numpy and built as Arrow dictionary columns (small vocabularies: the
national frame needs a few hundred MiB, not gigabytes). Same ``seed`` and ``scale`` → identical rows.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

NATIONAL_UNITS = 38_700
NATIONAL_GROUPS = 2_850
PERIODS = [f"{y}Q{q}" for y in (2021, 2022, 2023) for q in (1, 2, 3, 4)]
COLUMNS = ["period", "group", "entity", "indicator", "item", "value", "ref", "note"]
RANK_CODES = ("2.3", "3.1", "3.2", "3.3", "3.4", "4.2", "7")
PLACE_SHARE = 0.3  # share of (quarter, rank indicator) pairs returned as places (名次) rather than measures


@dataclass(frozen=True)
class Roster:
    """The units and their groups, in a stable order (sorted by group, then unit)."""

    groups: np.ndarray  # group name per group
    entities: np.ndarray  # entity name per unit
    group_of: np.ndarray  # group index per unit


def roster(scale: float = 1.0, seed: int = 2024) -> Roster:
    """``round(38,700 × scale)`` units in ``round(2,850 × scale)`` groups of 3–60 units (sizes vary like counties)."""
    n_units = max(2, round(NATIONAL_UNITS * scale))
    n_groups = min(max(1, round(NATIONAL_GROUPS * scale)), n_units // 2)
    rng = np.random.default_rng([seed, 1])
    low = min(3, n_units // n_groups)
    weights = rng.lognormal(0.0, 0.5, n_groups)
    sizes = low + rng.multinomial(n_units - low * n_groups, weights / weights.sum())
    group_of = np.repeat(np.arange(n_groups), sizes)
    within = np.arange(n_units) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    groups = np.array([f"区县{g + 1:04d}" for g in range(n_groups)], dtype=object)
    entities = np.array([f"{groups[g]}·镇{k + 1:02d}" for g, k in zip(group_of, within)], dtype=object)
    return Roster(groups=groups, entities=entities, group_of=group_of)


class _Vocab:
    """Interns strings to small integer codes, so columns are built as Arrow dictionary arrays."""

    def __init__(self):
        self.words: list[str] = []
        self.index: dict[str, int] = {}

    def code(self, word: str) -> int:
        if word not in self.index:
            self.index[word] = len(self.words)
            self.words.append(word)
        return self.index[word]

    def codes(self, words) -> np.ndarray:
        return np.array([self.code(w) for w in words], dtype=np.int32)


def _num(v: float) -> str:
    return f"{v:.4f}".rstrip("0").rstrip(".")


class _Builder:
    """Accumulates blocks of rows (as integer codes) for one quarter."""

    def __init__(self, values: _Vocab, refs: _Vocab, items: _Vocab, indicators: _Vocab):
        self.values, self.refs, self.items, self.indicators = values, refs, items, indicators
        self.blocks: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []

    def add(self, unit: np.ndarray, indicator: str, item, value_codes: np.ndarray, ref_codes=None) -> None:
        n = len(unit)
        if n == 0:
            return
        ind = np.full(n, self.indicators.code(indicator), dtype=np.int32)
        it = np.full(n, self.items.code(item), dtype=np.int32) if isinstance(item, str) else item
        ref = np.zeros(n, dtype=np.int32) if ref_codes is None else ref_codes
        self.blocks.append((unit.astype(np.int32), ind, it, value_codes.astype(np.int32), ref))

    def numbers(self, v: np.ndarray) -> np.ndarray:
        """Codes of numbers written the short way (3 → "3", 2.5 → "2.5")."""
        uniq, inv = np.unique(np.round(v, 4), return_inverse=True)
        return self.values.codes([_num(u) for u in uniq])[inv]

    def words(self, choices: list[str], pick: np.ndarray) -> np.ndarray:
        return self.values.codes(choices)[pick]


def _quarter(b: _Builder, rng: np.random.Generator, ros: Roster, q: np.ndarray, period: str,
             place_for: set[str]) -> None:
    n = len(q)
    units = np.arange(n)
    # 1.1 tier: better units more often 标杆型
    u = rng.random(n) - 0.08 * q
    tier = np.select([u < 0.25, u < 0.75, u < 0.95], [0, 1, 2], 3)
    b.add(units, "1.1", "", b.words(["标杆型", "标准型", "基础型", "未达标"], tier))
    # 1.2 award: coverage flag (sometimes written 是/否) and a count of benchmark stations
    cover = rng.random(n) < 0.8 + 0.05 * np.tanh(q)
    yes_no = rng.random(n) < 0.1
    b.add(units, "1.2", "基础型全覆盖", b.words(["0", "1", "否", "是"], cover.astype(int) + 2 * yes_no))
    b.add(units, "1.2", "标杆型站点数", b.numbers(rng.integers(0, 9, n)))
    # deduction counts
    lam = np.clip(1.1 - 0.45 * q, 0.1, None)
    b.add(units, "1.3", "缺项数", b.numbers(rng.poisson(lam)))
    b.add(units, "2.1", "缺项数", b.numbers(rng.poisson(lam)))
    judged = np.where(rng.random(n) < 0.65 + 0.1 * np.tanh(q), 0.0, rng.choice([2, 2.5, 3, 3.5, 4], n))
    b.add(units, "2.2", "酌情扣分", b.numbers(judged))
    # rank indicators: a coarse measure; in some quarters the district returns places instead
    for code in RANK_CODES:
        measure = np.maximum(0, np.round(rng.normal(50 + 12 * q, 10)))
        if code in place_for:
            frame = pd.DataFrame({"g": ros.group_of, "m": measure})
            place = frame.groupby("g")["m"].rank(method="min", ascending=False).to_numpy()
            b.add(units, code, "名次", b.numbers(place))
        else:
            b.add(units, code, "实绩", b.numbers(measure))
    self_service = rng.random(n) < 0.08
    b.add(units, "4.1", "未设自助服务区", b.words(["0", "1"], self_service.astype(int)))
    b.add(units, "4.1", "设备故障次数", b.numbers(rng.poisson(lam * 0.8)))
    b.add(units, "5.1", "问题次数", b.numbers(rng.poisson(lam)))
    b.add(units, "5.2", "制度不健全", b.words(["0", "1"], (rng.random(n) < 0.1).astype(int)))
    b.add(units, "5.2", "未建台账", b.words(["0", "1"], (rng.random(n) < 0.08).astype(int)))
    b.add(units, "5.2", "落实不到位次数", b.numbers(rng.poisson(lam * 0.6)))
    for month in ("第1月", "第2月", "第3月"):
        score = np.clip(np.round(rng.normal(92 + 2 * q, 3) * 2) / 2, 0, 100)
        b.add(units, "6", month, b.numbers(score))
    b.add(units, "showcase", "", b.numbers(np.clip(np.round(rng.normal(85 + 4 * q, 5) * 2) / 2, 0, 100)))
    _events(b, rng, ros, q, period)


def _levels(b: _Builder, rng, units: np.ndarray, levels: list[str], weights: list[float]) -> np.ndarray:
    p = np.asarray(weights) / np.sum(weights)
    return b.items.codes(levels)[rng.choice(len(levels), len(units), p=p)]


def _events(b: _Builder, rng, ros: Roster, q: np.ndarray, period: str) -> None:
    n = len(q)
    good = np.clip(1 + 0.3 * q, 0.2, None)
    bad = np.clip(1 - 0.3 * q, 0.2, None)
    # 8.1 innovations: counts (value "1", sometimes "2" or left empty = 1)
    who = np.repeat(np.arange(n), rng.poisson(0.6 * good))
    count = b.words(["1", "2", ""], rng.choice(3, len(who), p=[0.85, 0.08, 0.07]))
    b.add(who, "8.1", _levels(b, rng, who, ["国家级", "省级", "市级", "市局", "区局"], [1, 4, 10, 12, 13]), count)
    # 8.1 the same matter recognised at two levels (one ref): only the higher level counts
    pair = np.flatnonzero(rng.random(n) < 0.06 * good)
    refs = b.refs.codes([f"创新-{ros.entities[i]}-{period}" for i in pair])
    for level in ("市级", "区局"):
        b.add(pair, "8.1", level, b.words(["1"], np.zeros(len(pair), dtype=int)), refs)
    # 8.2 honours
    who = np.repeat(np.arange(n), rng.poisson(0.3 * good))
    b.add(who, "8.2", _levels(b, rng, who, ["国家级", "省级", "市级"], [1, 5, 14]),
          b.words(["1"], np.zeros(len(who), dtype=int)))
    # 8.3 publicity: WeChat posts (value = reads) and media articles
    who = np.repeat(np.arange(n), rng.poisson(4.9 * good))
    reads = np.round(rng.lognormal(6.8, 0.9, len(who)), -1)
    b.add(who, "8.3", "公众号", b.numbers(reads))
    who = np.repeat(np.arange(n), rng.poisson(0.25 * good))
    b.add(who, "8.3", _levels(b, rng, who, ["国家级", "省级", "市级"], [1, 4, 15]),
          b.words(["1"], np.zeros(len(who), dtype=int)))
    # 8.3 an article also posted on WeChat (one ref): the higher-scoring row counts
    pair = np.flatnonzero(rng.random(n) < 0.04)
    refs = b.refs.codes([f"稿-{ros.entities[i]}-{period}" for i in pair])
    b.add(pair, "8.3", "市级", b.words(["1"], np.zeros(len(pair), dtype=int)), refs)
    b.add(pair, "8.3", "公众号", b.numbers(np.round(rng.lognormal(7.5, 0.6, len(pair)), -1)), refs)
    # 8.4 penalties: judged occurrences and 通报 counts
    who = np.repeat(np.arange(n), rng.poisson(0.35 * bad))
    b.add(who, "8.4", "酌情扣分", b.numbers(rng.choice([1, 1.5, 2, 2.5, 3], len(who))))
    who = np.repeat(np.arange(n), rng.poisson(0.15 * bad))
    b.add(who, "8.4", _levels(b, rng, who, ["省级通报", "市级通报", "市局通报"], [1, 4, 10]),
          b.words(["1", "2"], (rng.random(len(who)) < 0.1).astype(int)))
    # 8.5 undercover inspections
    who = np.repeat(np.arange(n), rng.poisson(0.12 * bad))
    b.add(who, "8.5", "酌情扣分", b.numbers(rng.choice([3, 3.5, 4, 4.5, 5], len(who))))


def generate(scale: float = 1.0, seed: int = 2024, periods: list[str] | None = None) -> pa.Table:
    """The national observations in the interchange format (+ ``group``), as an Arrow table.

    Rows are ordered by period, then unit (units by group), then the rubric's indicator order.
    """
    ros = roster(scale, seed)
    periods = periods or PERIODS
    rng = np.random.default_rng([seed, 2])
    values, refs, items, indicators = _Vocab(), _Vocab(), _Vocab(), _Vocab()
    refs.code("")
    quality = rng.normal(0, 1, len(ros.entities))
    chunks: list[dict[str, np.ndarray]] = []  # per quarter: integer codes (the vocabularies only grow)
    for p, period in enumerate(periods):
        quality = 0.6 * quality + 0.8 * rng.normal(0, 1, len(quality))
        place_for = {c for c in RANK_CODES if rng.random() < PLACE_SHARE}
        b = _Builder(values, refs, items, indicators)
        _quarter(b, rng, ros, quality, period, place_for)
        cols = [np.concatenate(c) for c in zip(*b.blocks)]
        del b
        order = np.argsort(cols[0], kind="stable")  # rows of one unit together, indicator order kept
        unit, ind, item, value, ref = (c[order] for c in cols)
        chunks.append({"period": np.full(len(unit), p, dtype=np.int8), "group": ros.group_of[unit].astype(np.int32),
                       "entity": unit, "indicator": ind.astype(np.int8), "item": item.astype(np.int8),
                       "value": value, "ref": ref, "note": np.zeros(len(unit), dtype=np.int8)})
    words = {"period": periods, "group": ros.groups, "entity": ros.entities, "indicator": indicators.words,
             "item": items.words, "value": values.words, "ref": refs.words, "note": [""]}
    words = {c: pa.array(list(w), type=pa.string()) for c, w in words.items()}  # one dictionary per column
    return pa.table({c: pa.chunked_array([pa.DictionaryArray.from_arrays(pa.array(chunk[c]), words[c])
                                          for chunk in chunks]) for c in COLUMNS})


def to_frame(table: pa.Table) -> pd.DataFrame:
    """The table as an observation frame like :mod:`scoring.reader` gives (text columns, no dictionaries)."""
    cols = {c: table.column(c).cast(pa.string()).to_pandas() for c in table.column_names}
    return pd.DataFrame(cols)


def frame_hash(table: pa.Table) -> str:
    """SHA-256 of the rows' text, column by column: equal hashes ⇔ identical datasets."""
    h = hashlib.sha256()
    for name in table.column_names:
        col = table.column(name).combine_chunks()
        if pa.types.is_dictionary(col.type):
            col = col.cast(pa.string())
        h.update(name.encode())
        for buf in pa.array(col).buffers():
            if buf is not None:
                h.update(memoryview(buf))
    return h.hexdigest()
