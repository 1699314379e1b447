"""Look-alike unit names (scoring.lookalike): which names look the same, and which unit was probably meant."""
from __future__ import annotations

import pandas as pd
import pytest

from scoring.lookalike import lookalike_problems, name_key
from scoring.problems import Problem


def check(rows: list[tuple[str, str]], known=()) -> list[Problem]:
    names, lines = zip(*rows)
    return lookalike_problems(pd.Series(names, dtype="str"), pd.Series(lines, dtype="str"), known)


def said(name: str, rows: int, where: str, meant: str) -> str:
    return (f"单位 “{name}”（{rows} 行）与{where} “{meant}” 只差全角/半角、空格或不可见字符，可能就是 “{meant}”；"
            f"请改为 “{meant}”，若确为另一单位，请改用能区分的名称 (look-alike of unit “{meant}”)")


@pytest.mark.parametrize(("name", "key"), [
    # what a person sees: half-width, no spaces, nothing invisible
    ("Ａ镇", "A镇"), ("洪山 镇", "洪山镇"), ("洪山\u3000镇", "洪山镇"), ("洪山镇\u200b", "洪山镇"), ("\u202e洪山镇", "洪山镇"),
    # a different name stays different
    ("洪山镇", "洪山镇"), ("洪山乡", "洪山乡"), ("B镇", "B镇"),
])
def test_the_key_of_a_name_is_what_a_person_sees(name, key):
    assert name_key(name) == key


def test_within_a_file_the_plainly_written_name_is_the_one_meant():
    assert check([("Ａ镇", "第2行"), ("Ａ镇", "第3行"), ("A镇", "第4行"), ("B镇", "第5行")]) == [
        Problem("第2行", said("Ａ镇", 2, "文件中的单位", "A镇"))]


def test_without_a_plain_name_the_one_on_most_rows_is_meant_and_invisible_characters_are_shown():
    rows = [("洪山 镇", "第2行"), ("洪山\u3000镇", "第3行"), ("洪山\u3000镇", "第4行")]
    assert check(rows) == [Problem("第2行", said("洪山 镇", 1, "文件中的单位", "洪山\u3000镇"))]


def test_a_name_the_store_knows_is_the_one_meant_even_against_the_file():
    assert check([("洪山镇", "第2行"), ("洪山 镇", "第30行")], known=["洪山 镇", "般阳路街道"]) == [
        Problem("第2行", said("洪山镇", 1, "库中已有的单位", "洪山 镇"))]


def test_distinct_names_and_known_names_pass():
    assert check([("A镇", "第2行"), ("B镇", "第3行"), ("A镇", "第4行")], known=["A镇", "C镇"]) == []
    assert check([("洪山镇\u200b", "第2行")]) == []  # alone it looks like nothing else (intake refuses its U+200B)
