"""Robustness on the other presets with judged items (scoring/robustness.py): Rudong's judged bonus, a scheme
without grades or awards — rank ranges only, no verdict."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from scoring.robustness import COLUMNS, analyse
from scoring.validate import validate
from tests.scoring.preset_helpers import preset_only, rows

SEED_004 = Path(__file__).resolve().parents[1] / "fixtures" / "seeds" / "004_549ff985661ea651.txt"


def test_rudong_judged_bonus_gives_rank_ranges_only():
    """Seed 004 (2.3): "3.特色亮点工作额外加分。" — the bonus is the office's judgement within 0–0.05 (a soft local limit:
    掘港街道's 0.08 is counted, capped at the item's 0.05). Each unit's bonus may be judged anywhere from 0 up to
    0.05, so any of the three may end first or last; Rudong has no grade or award, so there is no verdict."""
    rubric = preset_only("rudong-2021", "2.3.3")
    obs = rows([("掘港街道", "2.3.3", "额外加分", "0.08"), ("城中街道", "2.3.3", "额外加分", "0.03"),
                ("长沙镇", "2.3.3", "额外加分", "0")], "2021")
    clean, _warnings = validate(obs, rubric)
    result = analyse(clean, rubric)
    expected = pd.DataFrame([
        ["2021", "掘港街道", 0.05, 0.0, 0.05, 1, 3, False, False, False],
        ["2021", "城中街道", 0.03, 0.0, 0.05, 1, 3, False, False, False],
        ["2021", "长沙镇", 0.0, 0.0, 0.05, 1, 3, False, False, False]], columns=COLUMNS)
    pd.testing.assert_frame_equal(result.table.sort_values("final", ascending=False).reset_index(drop=True),
                                  expected, check_dtype=False)
    [verdict] = result.groups
    assert (verdict.flag_now, verdict.flag_robust, verdict.flag_witnesses, verdict.good_witnesses, verdict.summary) == (
        "", True, [], {}, "")


def test_rudong_quotes_are_verbatim_from_the_seed():
    seed = re.sub(r"\s+", "", SEED_004.read_text(encoding="utf-8"))
    quotes = re.findall(r'"([^"]+)"', test_rudong_judged_bonus_gives_rank_ranges_only.__doc__)
    assert quotes and [q for q in quotes if re.sub(r"\s+", "", q) not in seed] == []
