"""Contract terms per contract year: the write command that stores them and the read of what is stored.

Seed 003 (五 (二) 注): "绩效考核金额=中标价*10%*考核系数" and "未通过一人按中标价*10%*0.5%扣除" — the 中标价 and the
certification counts are not in the monthly tables. The office enters them per contract year; they are stored
and audited (old and new values), so a payout can be checked from the store and the command line, not only on a
page.
"""
from __future__ import annotations

import math

import pandas as pd

from queries.statements import beside
from queries.store.door import AuditEntry, Written
from queries.store.errors import RefusedError
from scoring.payout import ContractTerms
from scoring.rubric import Rubric

SQL = beside(__file__)


def terms(cur, scheme: str) -> dict[str, ContractTerms]:
    """The stored terms of a scheme by contract year."""
    rows = SQL.terms_of(cur, scheme=scheme)
    return {w: ContractTerms(_num(p), _int(t), _int(c), _int(s))
            for w, p, t, c, s in zip(rows["window_id"], rows["price"], rows["target"], rows["certified"],
                                     rows["staff"])}


def _num(v):
    return None if v is None or (isinstance(v, float) and math.isnan(v)) or pd.isna(v) else float(v)


def _int(v):
    return None if v is None or pd.isna(v) else int(v)


def set_terms(cur, rubric: Rubric, window: str, new: ContractTerms, *, why: str = "") -> Written:
    """Write command: store one contract year's terms; audited with the values before and after."""
    ids = [w.id for w in rubric.windows]
    if rubric.payout is None or window not in ids:
        raise RefusedError(f"细则 {rubric.id} 没有合同年度 “{window}”；可填：{'、'.join(ids) or '（无：本方案不按考核付款）'} "
                           f"(unknown contract year)")
    for name, value in (("中标价 price", new.price), ("目标人数 target", new.target),
                        ("通过人数 certified", new.certified), ("人员数 staff", new.staff)):
        if value is not None and (value < 0 or (isinstance(value, float) and not math.isfinite(value))):
            raise RefusedError(f"{name} 不能为负数 (must not be negative): {value}")
    before = terms(cur, rubric.id).get(window, ContractTerms())
    SQL.save_terms(cur, scheme=rubric.id, window_id=window, price=new.price, target=new.target,
                   certified=new.certified, staff=new.staff)
    detail = {"window": window, "before": before.__dict__, "after": new.__dict__}
    return Written(new, (AuditEntry.periods("contract_terms", rubric.id, [window], detail, why),))
