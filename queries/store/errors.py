"""Every error the store raises when it will not (or cannot) write, in one place.

:class:`RefusedError` is the one type a page or a command catches to show a refusal; its subclasses say why.
:class:`StoreBusyError` is raised when the file cannot be opened for writing at all.
"""
from __future__ import annotations


class StoreBusyError(RuntimeError):
    """Another process (the dashboard, or another command) holds the store file for writing."""

    def __init__(self, path: str):
        super().__init__(f"数据库文件 {path} 正被另一个程序（例如正在运行的看板或另一个命令）使用，"
                         f"请先关闭它再试 (the store is in use by another process; close it and retry)")


def is_held(exc: BaseException) -> bool:
    """Whether opening a store failed because another process holds its lock (or this process has it open with
    other settings); never a damaged file whose message happens to mention a "block"."""
    text = str(exc).lower()
    return any(words in text for words in ("could not set lock", "conflicting lock", "different configuration"))


class RefusedError(Exception):
    """The store refuses a change (locked period, missing name or reason, nothing to undo); says why in Chinese.

    Nothing of the refused change is written."""


class NotPermittedError(RefusedError):
    """The write door's permission check refused the actor this action (audited as refused)."""


class LockedError(RefusedError):
    """The change touches a period that is published and locked."""


class WriteConflictError(RefusedError):
    """Another session wrote the same rows at the same time (a DuckDB transaction conflict): retry."""

    MESSAGE = "另一位用户正在写入，请稍后重试 (another write is in progress; retry)"

    def __init__(self, message: str = MESSAGE):
        super().__init__(message)
