"""A scheme's notice settings: the 发文单位 (issuer) printed at the head of every 通报 and the 落款 (signature) above
the date and the seal. Stored per scheme, changed only through the write door (:func:`save`), audited; the 文号
and the date belong to each notice and are asked for each time (never stored here).
"""
from __future__ import annotations

from dataclasses import dataclass

from queries.statements import beside
from queries.store.door import AuditEntry, Request, Written
from queries.store.errors import RefusedError

SQL = beside(__file__)
ACTION = "notice_settings"
MAX_LENGTH = 60


@dataclass(frozen=True)
class NoticeSettings:
    issuer: str = ""  # 发文单位, e.g. 淄川区政务服务管理办公室
    signature: str = ""  # 落款, e.g. 淄川区政务服务管理办公室 (often the issuer)

    @property
    def is_set(self) -> bool:
        return bool(self.issuer.strip() and self.signature.strip())


def read(cur, scheme: str) -> NoticeSettings:
    """The stored settings of a scheme (empty strings when never set, or in a store made before them)."""
    if not SQL.has_notice_settings(cur):
        return NoticeSettings()
    row = SQL.notice_settings(cur, scheme=scheme)
    return NoticeSettings() if row is None else NoticeSettings(row["issuer"], row["signature"])


def request(scheme: str) -> Request:
    """What saving the settings asks the door (checked, and audited if refused)."""
    return Request(ACTION, scheme)


def save(cur, scheme: str, issuer: str, signature: str) -> Written:
    """Write command: a scheme's 发文单位 and 落款 become ``issuer`` and ``signature`` (audited with before/after)."""
    issuer, signature = issuer.strip(), signature.strip()
    problems = [f"{label}不能为空 ({what} is required)" for label, what, value in
                (("发文单位", "issuer", issuer), ("落款", "signature", signature)) if not value]
    problems += [f"{label}过长（最多 {MAX_LENGTH} 个字）({what} too long)" for label, what, value in
                 (("发文单位", "issuer", issuer), ("落款", "signature", signature)) if len(value) > MAX_LENGTH]
    if problems:
        raise RefusedError("；".join(problems))
    before = read(cur, scheme)
    if (before.issuer, before.signature) == (issuer, signature):
        return Written(None, ())  # nothing changes: nothing written, nothing audited
    SQL.save_notice_settings(cur, scheme=scheme, issuer=issuer, signature=signature)
    detail = {"before": {"issuer": before.issuer, "signature": before.signature},
              "after": {"issuer": issuer, "signature": signature}}
    return Written(None, (AuditEntry.periods(ACTION, scheme, [], detail),))
