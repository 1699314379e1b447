"""Property tests (hypothesis) over random valid Zichuan quarters.

Each example is one observation file with 1–2 quarters of 3–15 units (1 or 2 groups), random values within
the rules' ranges and random bonus/penalty events. One engine call costs ~0.3 s whatever the size, so the
engine properties run few examples by default (each test ~2 s); ``HYPOTHESIS_PROFILE=thorough`` runs 50.
"""
from __future__ import annotations

import os
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from scoring.engine import score
from scoring.exact import round4
from tests.conftest import RANK_CODES, by_entity, fact, frame, zichuan_only

# no shrinking by default: with ~0.3 s per engine call hypothesis would shrink for up to 5 minutes
settings.register_profile("default", max_examples=5, deadline=None,
                          phases=[Phase.explicit, Phase.reuse, Phase.generate],
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("thorough", max_examples=50, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def decimal(lo: int, hi: int, places: int) -> st.SearchStrategy[str]:
    """A decimal in [lo, hi] with up to ``places`` decimals, as the text a clerk would type."""
    scale = 10**places
    return st.integers(lo * scale, hi * scale).map(
        lambda n: f"{n // scale}.{n % scale:0{places}d}".rstrip("0").rstrip(".") if places else str(n))


FLAG = st.sampled_from(["0", "1", "是", "否"])
MEASURE = st.one_of(st.integers(0, 8).map(str), decimal(0, 100, 2))  # small integers make ties likely

# one bonus or penalty event row: (indicator, item, value, ref)
EVENT = st.one_of(
    st.tuples(st.just("8.1"), st.sampled_from(["国家级", "省级", "市级", "市局", "区局"]),
              st.sampled_from(["", "1", "2"]), st.just("")),
    st.tuples(st.just("8.1"), st.sampled_from(["国家级", "省级", "市级", "市局", "区局"]), st.just("1"),
              st.sampled_from(["创新1", "创新2"])),
    st.tuples(st.just("8.2"), st.sampled_from(["国家级", "省级", "市级"]), st.sampled_from(["", "1", "2"]),
              st.sampled_from(["", "表彰1"])).map(lambda t: t if not t[3] else (*t[:2], "1", t[3])),
    st.tuples(st.just("8.3"), st.sampled_from(["国家级", "省级", "市级"]), st.just("1"), st.sampled_from(["", "稿1"])),
    st.tuples(st.just("8.3"), st.just("公众号"), st.integers(0, 20000).map(str), st.sampled_from(["", "稿1", "稿2"])),
    st.tuples(st.just("8.4"), st.just("酌情扣分"), decimal(1, 3, 1), st.just("")),
    st.tuples(st.just("8.4"), st.sampled_from(["省级通报", "市级通报", "市局通报"]), st.sampled_from(["1", "2", "3"]),
              st.sampled_from(["", "通报1"])),
    st.tuples(st.just("8.5"), st.just("酌情扣分"), decimal(3, 5, 1), st.just("")),
)


@st.composite
def unit_facts(draw, entity: str, period: str, group: str, modes: dict[str, str], ranked: int) -> list[dict]:
    """One unit's facts; a given 名次 is at most ``ranked``, the number of units ranked in its group."""
    values = {
        ("1.1", ""): draw(st.sampled_from(["标杆型", "标准型", "基础型", "未达标"])),
        ("1.2", "基础型全覆盖"): draw(FLAG),
        ("1.2", "标杆型站点数"): str(draw(st.integers(0, 15))),
        ("1.3", "缺项数"): str(draw(st.integers(0, 8))),
        ("2.1", "缺项数"): str(draw(st.integers(0, 10))),
        ("2.2", "酌情扣分"): draw(st.one_of(st.just("0"), decimal(2, 4, 1))),
        ("4.1", "未设自助服务区"): draw(FLAG),
        ("4.1", "设备故障次数"): str(draw(st.integers(0, 7))),
        ("5.1", "问题次数"): str(draw(st.integers(0, 7))),
        ("5.2", "制度不健全"): draw(FLAG),
        ("5.2", "未建台账"): draw(FLAG),
        ("5.2", "落实不到位次数"): str(draw(st.integers(0, 6))),
        ("6", "第1月"): draw(decimal(0, 100, 2)),
        ("6", "第2月"): draw(decimal(0, 100, 2)),
        ("6", "第3月"): draw(decimal(0, 100, 2)),
        ("showcase", ""): draw(decimal(0, 100, 1)),
    }
    for code in RANK_CODES:
        values[(code, modes[code])] = draw(MEASURE) if modes[code] == "实绩" else str(draw(st.integers(1, ranked)))
    rows = [fact(entity, c, item, v, period=period, group=group) for (c, item), v in values.items()]
    for code, item, value, ref in draw(st.lists(EVENT, max_size=5)):
        rows.append(fact(entity, code, item, value, ref, period=period, group=group))
    return rows


@st.composite
def quarters(draw) -> pd.DataFrame:
    """A valid observation frame: 1–2 quarters, 3–15 units each, one or two groups."""
    rows: list[dict] = []
    periods = draw(st.lists(st.sampled_from(["2022Q1", "2022Q2", "2022Q3", "2022Q4"]), min_size=1, max_size=2,
                            unique=True))
    for period in periods:
        n = draw(st.integers(3, 15))
        groups = draw(st.sampled_from([("",), ("东", "西")]))
        modes = {code: draw(st.sampled_from(["名次", "实绩"])) for code in RANK_CODES}
        sizes = {g: len(range(k, n, len(groups))) for k, g in enumerate(groups)}
        for i in range(n):
            group = groups[i % len(groups)]
            rows += draw(unit_facts(f"U{i:02d}", period, group, modes, sizes[group]))
    return frame(rows)


def scored(obs: pd.DataFrame, rubric):
    return score(obs, rubric)


@given(obs=quarters())
def test_points_within_bounds_and_points_plus_lost_is_max(zichuan, obs):
    detail = scored(obs, zichuan).detail
    base = detail[detail["kind"].isin(["base", "score"])]
    assert ((base["points"] >= 0) & (base["points"] <= base["max"])).all()
    assert np.allclose(base["points"] + base["lost"], base["max"], rtol=0, atol=1e-9)
    bonus = detail[detail["kind"] == "bonus"]
    assert ((bonus["points"] >= 0) & (bonus["points"] <= bonus["max"])).all()
    penalty = detail[detail["kind"] == "penalty"]
    assert ((penalty["points"] <= 0) & (-penalty["points"] <= penalty["max"])).all()
    assert np.allclose(-penalty["points"], penalty["lost"], rtol=0, atol=1e-9)


@given(obs=quarters())
def test_better_measure_never_gives_fewer_rank_points(zichuan, obs):
    detail = scored(obs, zichuan).detail
    measured = obs[obs["item"] == "实绩"].assign(measure=lambda f: f["value"].astype(float))
    both = measured.merge(detail, on=["period", "group", "entity", "indicator"])
    assert len(both) == len(measured)
    for _, part in both.groupby(["period", "group", "indicator"]):
        m = part["measure"].to_numpy()
        p = part["points"].to_numpy()
        better = m[:, None] > m[None, :]
        assert (p[:, None] >= p[None, :])[better].all()
        same = m[:, None] == m[None, :]
        assert (p[:, None] == p[None, :])[same].all()


@given(obs=quarters())
def test_daily_minus_bonus_and_penalty_is_the_base_sum(zichuan, obs):
    result = scored(obs, zichuan)
    detail, league = result.detail, result.league.set_index(["period", "entity"])
    base_sum = detail[detail["kind"] == "base"].groupby(["period", "entity"])["points"].sum()
    league = league.loc[base_sum.index]
    # penalty points are negative in the detail, so daily = base + bonus + penalty
    assert np.allclose(league["daily"] - (league["bonus"] + league["penalty"]), base_sum, rtol=0, atol=1e-9)
    assert np.allclose(league["base"], base_sum, rtol=0, atol=1e-9)
    assert (league["penalty"] <= 0).all() and (league["bonus"] >= 0).all()


@given(obs=quarters())
def test_every_final_is_the_exact_sum_of_its_parts_rounded_once(zichuan, obs):
    """DESIGN (Exactness): "Points are computed exactly (rationals), summed exactly, and rounded half-up to 4
    decimals once". Recomputed here from the exact points of every indicator, with Fractions."""
    result = scored(obs, zichuan)
    exact = result.exact
    per_unit = {code: q.fractions() for code, q in exact.indicators.items()}
    league = result.league.set_index(["period", "entity"])
    for k, (period, entity) in enumerate(zip(exact.units["period"], exact.units["entity"])):
        daily = sum((per_unit[i.code][k] for i in zichuan.indicators if i.code != "showcase"), Fraction(0))
        showcase = per_unit["showcase"][k]
        final = Fraction(7, 10) * daily + Fraction(3, 10) * showcase
        row = league.loc[(period, entity)]
        assert Fraction(str(row["final"])) == half_up4(final)
        assert Fraction(str(row["daily"])) == half_up4(daily)
        assert Fraction(str(row["showcase"])) == half_up4(showcase)


@given(obs=quarters(), seed=st.integers(0, 2**32 - 1))
def test_trailing_zeros_change_nothing(zichuan, obs, seed):
    """Writing any number with extra trailing zeros ("92.4" → "92.400", "3" → "3.00") changes no output."""
    rng = np.random.default_rng(seed)
    numeric = obs["value"].str.fullmatch(r"\d+(\.\d+)?") & (rng.random(len(obs)) < 0.5)
    padded = obs.copy()
    padded.loc[numeric, "value"] = [v + ("" if "." in v else ".") + "0" * int(rng.integers(1, 4))
                                    for v in padded.loc[numeric, "value"]]
    a, b = scored(obs, zichuan), scored(padded, zichuan)
    pd.testing.assert_frame_equal(a.league, b.league)
    pd.testing.assert_frame_equal(a.detail, b.detail)  # reasons included
    # the same warnings at the same places (a message may quote the text as typed: "3.90")
    assert [(p.where, p.severity) for p in a.warnings] == [(p.where, p.severity) for p in b.warnings]


@given(obs=quarters(), seed=st.integers(0, 2**32 - 1))
def test_shuffling_input_rows_changes_nothing(zichuan, obs, seed):
    """Same league (every column) and the same detail, reasons included, whatever the row order."""
    shuffled = obs.sample(frac=1, random_state=seed).reset_index(drop=True)  # rows keep their line labels
    a, b = scored(obs, zichuan), scored(shuffled, zichuan)
    keys = ["period", "group", "entity"]
    pd.testing.assert_frame_equal(a.league.sort_values(keys).reset_index(drop=True),
                                  b.league.sort_values(keys).reset_index(drop=True))
    def ordered(detail: pd.DataFrame) -> pd.DataFrame:
        return detail.sort_values([*keys, "indicator"]).reset_index(drop=True)

    pd.testing.assert_frame_equal(ordered(a.detail), ordered(b.detail))
    assert sorted(p.message for p in a.warnings) == sorted(p.message for p in b.warnings)


ORDER_CASES = [
    # penalties: fragments in a canonical order (points, item, value), never the input order
    ("8.4", [("省级通报", "3", ""), ("酌情扣分", "1.6", "")]),
    # bonuses with equal points
    ("8.3", [("市级", "1", ""), ("公众号", "10000", "")]),
    # one event (same ref) whose rows tie on points: the same row is shown whatever the order
    ("8.3", [("市级", "1", "稿1"), ("公众号", "12000", "稿1")]),
]


@pytest.mark.parametrize(("code", "events"), ORDER_CASES, ids=["8.4 order", "8.3 tie", "8.3 tie in ref"])
def test_event_reason_does_not_depend_on_row_order(code, events):
    rubric = zichuan_only(code)
    rows = [fact("A镇", code, item, value, ref) for item, value, ref in events]
    forward = by_entity(score(frame(rows), rubric).detail, code)
    backward = by_entity(score(frame(rows[::-1]), rubric).detail, code)
    assert forward == backward


@given(obs=quarters())
def test_at_least_four_good_unless_fewer_units_and_the_flag_holder_is_good(zichuan, obs):
    league = scored(obs, zichuan).league
    for _, grp in league.groupby(["period", "group"]):
        assert (grp["grade"] == "好").sum() >= min(4, len(grp))
        flags = grp[grp["flag"] != ""]
        # one red flag, or several units pending the office's decision — always rank-1 units graded 好
        assert list(flags["flag"]) == ["红旗"] or (len(flags) > 1 and set(flags["flag"]) == {"待定"})
        assert (flags["grade"] == "好").all() and (flags["rank"] == 1).all()


# --- exact rounding -------------------------------------------------------------------------------------------

FOUR_PLACES = st.integers(0, 100 * 10**4).map(lambda n: Fraction(n, 10**4))  # 0.0000 … 100.0000


def half_up4(x: Fraction) -> Fraction:
    """Round half-up (away from zero) to 4 decimals, exactly."""
    scaled = abs(x) * 10**4
    q = int(scaled)  # floor for non-negative
    if scaled - q >= Fraction(1, 2):
        q += 1
    return Fraction(q if x >= 0 else -q, 10**4)


@settings(max_examples=200)
@given(a=FOUR_PLACES, b=FOUR_PLACES, sign=st.sampled_from([1, -1]))
def test_round4_matches_exact_half_up_for_the_weighted_final(a, b, sign):
    exact = sign * (Fraction(7, 10) * a + Fraction(3, 10) * b)
    computed = sign * (0.7 * float(a) + 0.3 * float(b))
    assert Fraction(round4(computed)).limit_denominator(10**4) == half_up4(exact)


@settings(max_examples=200)
@given(a=FOUR_PLACES, b=FOUR_PLACES, c=FOUR_PLACES)
def test_round4_matches_exact_half_up_for_the_monthly_average(a, b, c):
    exact = (a + b + c) / 3 * Fraction(1, 10)
    computed = (float(a) + float(b) + float(c)) / 3 * 0.1
    assert Fraction(round4(computed)).limit_denominator(10**4) == half_up4(exact)


def test_round4_on_the_papers_tie():
    """0.7·92.4 + 0.3·81.4 and 0.7·93 + 0.3·80 are both 89.1 after rounding (float alone may differ)."""
    assert round4(0.7 * 92.4 + 0.3 * 81.4) == round4(0.7 * 93 + 0.3 * 80) == 89.1


@given(obs=quarters())
def test_a_unit_scored_alone_with_its_stored_places_gives_the_same_detail(zichuan, obs):
    """Reasons are rendered when read: one unit's rows and its places give exactly its rows of the full scoring."""
    from scoring.engine import unit_detail
    from scoring.validate import validate

    clean, _ = validate(obs, zichuan)
    full = scored(obs, zichuan).detail
    first = full.iloc[0]
    mine = full[(full["period"] == first["period"]) & (full["entity"] == first["entity"])].reset_index(drop=True)
    places = {code: p for code, p in zip(mine["indicator"], mine["place"]) if p == p}
    rows = clean[(clean["period"] == first["period"]) & (clean["entity"] == first["entity"])]
    pd.testing.assert_frame_equal(unit_detail(rows, zichuan, places), mine)
