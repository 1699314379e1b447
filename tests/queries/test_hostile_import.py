"""Look-alike names against the store's units (Store._plan, issue 12): refused, naming the unit meant; nothing
is written."""
from __future__ import annotations

import pytest

from queries.league import league
from scoring.intake import read_upload
from scoring.problems import InputError, Problem
from tests.conftest import csv_bytes, unit
from tests.queries.helpers import snapshot


@pytest.mark.parametrize("odd", ["洪山 镇", "Ａ镇"])
def test_a_look_alike_of_a_stored_unit_is_refused_on_import_and_nothing_is_written(store, zichuan, odd):
    first = read_upload("q1.csv", csv_bytes(unit("洪山镇") + unit("A镇")))
    assert store.import_observations(zichuan, first.obs, who="张三", source="q1.csv") == 1
    before = snapshot(store)
    meant = "洪山镇" if "山" in odd else "A镇"
    incoming = read_upload("q2.csv", csv_bytes(unit(odd) + unit("B镇")))
    with pytest.raises(InputError) as exc:
        store.import_observations(zichuan, incoming.obs, who="张三", source="q2.csv")
    assert exc.value.problems == [Problem(
        "第2行", f"单位 “{odd}”（23 行）与库中已有的单位 “{meant}” 只差全角/半角、空格或不可见字符，可能就是 “{meant}”；"
                f"请改为 “{meant}”，若确为另一单位，请改用能区分的名称 (look-alike of unit “{meant}”)")]
    assert snapshot(store) == before


def test_the_same_name_again_and_a_new_distinct_name_import(store, zichuan):
    store.import_observations(zichuan, read_upload("q1.csv", csv_bytes(unit("洪山镇"))).obs, who="张三", source="q1")
    again = read_upload("q2.csv", csv_bytes(unit("洪山镇", {("5.1", "问题次数"): "1"}) + unit("洪山乡")))
    assert store.import_observations(zichuan, again.obs, who="张三", source="q2") == 2
    assert league(store, "zichuan-2022", "2022Q2")["entity"].tolist() == ["洪山乡", "洪山镇"]
