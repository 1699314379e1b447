"""红旗评选's robustness panel (AppTest): 稳健 on a wide margin, 取决于评判 where the flag hinges on one judgement (its
witness in words), a scheme without judged items, a scheme without awards (rank ranges only)."""
from __future__ import annotations

import pandas as pd
import pytest

from cli.main import main as flagboard
from queries.league import groups, periods
from queries.robustness_view import robustness_view
from queries.store import Store
from scoring.rubric import load_rubric
from tests.conftest import SEED_002, fact, frame, quotes_not_in_seed, unit
from tests.dashboard.conftest import page_text, table, unescaped
from tests.dashboard.test_presets_pages import offered

# the flag hinges on A镇's 2.2 (judged 2; 4 is allowed): A镇 98.6 (97.2 at 4), B镇 97.9; C镇 92.3 (2.2 and 8.5 judged:
# 90.9–93.7) and D镇 90.2 (2.2 judged 4: up to 91.6) may swap third and fourth place
HINGE = (unit("A镇", {("2.2", "酌情扣分"): "2"}) + unit("B镇", {("5.1", "问题次数"): "3"})
         + unit("C镇", {("1.1", ""): "标准型", ("2.2", "酌情扣分"): "3"}) + [fact("C镇", "8.5", "酌情扣分", "4")]
         + unit("D镇", {("1.1", ""): "基础型", ("2.2", "酌情扣分"): "4"}))
# a wide margin: A镇 100, B镇 93.7 (95.1 with its 8.5 judged 3 instead of 5)
WIDE = (unit("A镇") + unit("B镇", {("1.1", ""): "标准型"}) + [fact("B镇", "8.5", "酌情扣分", "5")]
        + unit("C镇", {("1.1", ""): "基础型"}) + unit("D镇", {("1.1", ""): "基础型"}))


def quarter_store(path, rows) -> str:
    with Store(path) as store:
        store.import_observations(load_rubric("zichuan-2022"), frame(rows), who="测试", source="q.csv")
    return str(path)


def open_selection_page(at):
    at.switch_page("views/selection.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def open_selection(app, db):
    return open_selection_page(app(db))


def verdict_lines(at) -> list[str]:
    """The verdict lines (success or warning boxes starting with 【award】), in page order."""
    return [unescaped(n.value) for n in at.main if getattr(n, "type", "") in ("success", "warning")
            and str(n.value).startswith("【")]


def test_the_flag_that_hinges_on_one_2_2_judgement_says_so(app, tmp_path):
    """Seed 002 (2.2): "人员培训、工作制度落实不到位的，视情扣2-4分。" — A镇 holds the flag by 0.7 because its deduction
    was judged 2: judged 4 (allowed), B镇 would hold it. The line names that one judgement, the witness says it in
    words, and the ranges table gives every unit's allowed finals and places."""
    at = open_selection(app, quarter_store(tmp_path / "hinge.duckdb", HINGE))
    assert verdict_lines(at) == ["【红旗】取决于评判：A镇 2.2 酌情扣分 2→4 ⇒ 红旗：B镇",
                                 "【“好”等次】稳健：在允许的评判范围内，“好”等次（A镇、B镇、C镇、D镇）不会改变"]
    assert [e.label for e in at.expander][:2] == ["依据：哪些评判会改变结果（1 种情形，均按正常评分规则重新计算验证）",
                                                  "各单位在允许的评判范围内可能的总分与名次"]
    assert "⇒ 红旗：B镇　（只要以下评判改变，其余不变）\n- A镇：2.2 加强人员队伍建设「酌情扣分」（第7行）由 2 改评为 4" \
           "（允许 0 或 2–4 分）" in [unescaped(m.value) for m in at.markdown]
    expected = pd.DataFrame([["A镇", 98.6, 97.2, 98.6, 1, 2, True, True, True],
                             ["B镇", 97.9, 97.9, 97.9, 1, 2, True, True, True],
                             ["C镇", 92.3, 90.9, 93.7, 3, 4, True, True, False],
                             ["D镇", 90.2, 90.2, 91.6, 3, 4, True, True, False]],
                            columns=["单位", "总分", "最低总分", "最高总分", "最好名次", "最差名次", "可能评“好”",
                                     "必定评“好”", "可能获红旗"])
    pd.testing.assert_frame_equal(table(at, "最低总分"), expected, check_dtype=False)
    assert "范围：本组 4 处视情评判" in page_text(at)


def test_a_wide_margin_is_robust(app, tmp_path):
    """Seed 002 (8.5): "经核查属实的视情况扣 3-5 分。" — B镇's 8.5 judged 3 instead of 5 still leaves it 4.9 behind A镇:
    the flag and the 好 places are robust, and there is no witness to show."""
    at = open_selection(app, quarter_store(tmp_path / "wide.duckdb", WIDE))
    assert verdict_lines(at) == ["【红旗】稳健：在允许的评判范围内，结果（红旗：A镇）不会改变",
                                 "【“好”等次】稳健：在允许的评判范围内，“好”等次（A镇、B镇、C镇、D镇）不会改变"]
    assert not any(e.label.startswith("依据") for e in at.expander)
    ranges = table(at, "最低总分").set_index("单位")
    assert ranges.loc["B镇", ["总分", "最低总分", "最高总分", "最好名次", "最差名次"]].tolist() == [93.7, 93.7, 95.1, 2, 2]


@pytest.fixture(scope="module")
def preset_db(tmp_path_factory) -> str:
    """Demo data of a scheme without judged items (Liaoning stations) and one without grades or awards (Rudong)."""
    db = tmp_path_factory.mktemp("robust-presets") / "presets.duckdb"
    for rubric_id in ("liaoning-2024-station", "rudong-2021"):
        assert flagboard(["demo", "--rubric", rubric_id, "--db", str(db)]) == 0
    return str(db)


def open_scheme(app, db: str, scheme: str):
    """The selection page of the latest period of ``scheme``."""
    at = app(db)
    at.selectbox(key="scheme").set_value(scheme).run()
    return open_selection_page(at)


def test_a_scheme_without_judged_items_says_so(preset_db):
    """Liaoning's station rubric judges nothing within a range: the read model says so and has no verdicts (the
    selection page, where the panel shows, is offered only to schemes with grades or awards)."""
    with Store(preset_db) as store:
        period = periods(store, "liaoning-2024-station")[-1]
        view = robustness_view(store, "liaoning-2024-station", period, groups(store, "liaoning-2024-station", period)[0])
    assert (view.judged, view.verdicts) == (False, ())


def test_a_scheme_without_awards_shows_the_rank_ranges_only(preset_db):
    """Rudong grades nothing and gives no award but has a judged bonus: rank ranges only, no verdicts — the same
    as `flagboard robustness` reports; its selection page is not offered (navigation: grades or awards only)."""
    with Store(preset_db) as store:
        period = periods(store, "rudong-2021")[-1]
        view = robustness_view(store, "rudong-2021", period, groups(store, "rudong-2021", period)[0])
    assert (view.judged, view.awards, view.verdicts) == (True, False, ())
    assert list(view.ranges.columns) == ["单位", "总分", "最低总分", "最高总分", "最好名次", "最差名次"]
    assert "selection" not in offered("rudong-2021")


def test_robustness_panel_quotes_are_verbatim_from_the_seed():
    assert SEED_002.exists() and quotes_not_in_seed(globals()) == []
