"""The write door's permission check by account and role (:func:`by_role`), the store's default.

- A write from the dashboard (``via="dashboard"``) names the signed-in account; its role and units are looked up
  in the store inside the writing transaction, never taken from the page:
  - **office** may do everything;
  - **town** may file an objection (``objection``) on its own unit(s) only;
  - **analyst** writes nothing;
  - every account may change its own password (``passwd``); anyone may try to sign in (``login``).
- A write from the command line, Python code or the system acts on the store file as its administrator (who
  can open the file can change it anyway): allowed; the CLI records its OS account and any declared ``--who``.

A refusal says, in Chinese with English terms, who may not do what; the door audits it as ``refused``.
"""
from __future__ import annotations

from queries.store import accounts
from queries.store.door import Actor, Request

ANYONE = frozenset({"login"})
ACTION_WORDS = {
    "import": "导入数据", "edit": "修改数据", "undo": "撤销", "publish": "发布", "reopen": "重新打开",
    "review": "开始公示", "draft": "退回草稿", "award_decision": "决定红旗", "bulk_load": "批量导入",
    "rescore": "重新评分", "restore": "恢复备份", "objection": "提出异议", "answer": "答复异议",
    "account": "管理账户", "passwd": "修改他人密码", "contract_terms": "录入合同数据",
    "stored_problems": "登记存量数据问题",
}
SIGNED_OUT = "请先登录，或账户已停用 (sign in first; the account may be disabled)"


def by_role(actor: Actor, request: Request, cur) -> str | None:
    """None when ``actor`` may do ``request``, else why not."""
    if actor.via != "dashboard" or request.action in ANYONE:
        return None
    account = accounts.find(cur, actor.name)
    if account is None or not account.enabled:
        return SIGNED_OUT
    if account.role == "office":
        return None
    if request.action == "passwd" and request.account == account.name:
        return None
    if account.role == "town" and request.action == "objection":
        if account.owns(request.scheme, request.entity):
            return None
        return (f"镇街账户只能对本单位（{'、'.join(account.entities(request.scheme)) or '无'}）提出异议 "
                f"(a town account may object on its own unit only)")
    word = ACTION_WORDS.get(request.action, request.action)
    article = "an" if account.role[0] in "aeiou" else "a"
    return f"{account.role_label}账户不能{word} ({article} {account.role} account may not {request.action})"
