"""Faults of the machine, not of the input — disk full, a read-only or damaged store, an unreadable file — as
messages: what failed, which file, what to do, in Chinese with the English terms. The CLI prints one and exits
with status 2 instead of a traceback. Writes are transactions and output files are written aside and renamed,
so a fault leaves the store and earlier outputs as they were.
"""
from __future__ import annotations

import errno
import re

import duckdb
import pyarrow as pa

FAULTS = (OSError, duckdb.Error, pa.ArrowException, MemoryError)

DISK_FULL = ("磁盘空间不足 (disk full: no space left on device)", "请清理磁盘空间，或换一个有空间的位置后重试")
READ_ONLY = ("文件只读或没有写入权限 (read-only file or permission denied)",
             "请检查文件及所在文件夹的权限、磁盘是否以只读方式挂载，或用 --db / --out 换一个可写的位置")
CORRUPT = ("数据库文件已损坏，或不是 Flagboard 的数据库 (corrupt store, or not a DuckDB file)",
           "请用 flagboard restore 从备份恢复，或用 --db 指定正确的数据库文件")
NOT_FOUND = ("文件或文件夹不存在 (not found)", "请检查路径")
PARQUET = ("Parquet 文件损坏或被截断 (corrupt or truncated Parquet file)", "请换用完好的备份或文件")
_PARQUET_FILE = re.compile(r"""["']([^"']+\.parquet)["']""")

_DISK_WORDS = ("no space left", "disk full", "not enough space")
_READ_ONLY_WORDS = ("read-only", "permission denied", "read only")
_CORRUPT_WORDS = ("not a valid duckdb database", "corrupt", "checksum", "serializ", "invalid database",
                  "file is too small", "unexpected end of file", "magic")


def describe(exc: BaseException) -> tuple[str, str]:
    """(what went wrong, what to do) for any fault: by its errno, else by its words."""
    if isinstance(exc, MemoryError):
        return "内存不足 (out of memory)", "请关闭其他程序，或把文件按期间拆分后再试"
    text = str(exc).lower()
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC or any(w in text for w in _DISK_WORDS):
        return DISK_FULL
    if isinstance(exc, OSError) and exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS) or \
            any(w in text for w in _READ_ONLY_WORDS):
        return READ_ONLY
    if isinstance(exc, OSError) and exc.errno == errno.ENOENT:
        return NOT_FOUND
    if isinstance(exc, pa.ArrowException) or _PARQUET_FILE.search(str(exc)):
        return PARQUET
    if isinstance(exc, duckdb.Error) and any(w in text for w in _CORRUPT_WORDS):
        return CORRUPT
    return "数据库或文件操作失败 (database or file operation failed)", "请检查文件是否完好、磁盘是否可写后重试"


def _file_of(exc: BaseException, args) -> str:
    """The file the fault is about: where a backup writes when the disk is full or read-only (DuckDB names only its
    hidden temporary folder), else the OS error's own file name, else the verb's store, else its input."""
    if getattr(args, "verb", "") == "backup" and describe(exc) in (DISK_FULL, READ_ONLY):
        return str(args.out)
    if isinstance(exc, OSError) and exc.filename:
        return str(exc.filename)
    if parquet := _PARQUET_FILE.search(str(exc)):
        return parquet.group(1)
    if isinstance(exc, duckdb.Error) and getattr(args, "db", None):
        return str(args.db)
    for name in ("src", "input", "file", "out", "db"):
        if getattr(args, name, None):
            return str(getattr(args, name))
    return ""


def _detail(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    first = str(exc).strip().splitlines()
    return first[0][:300] if first else type(exc).__name__


def fault_message(exc: BaseException, args) -> str:
    """The one-paragraph message printed for a fault during ``flagboard <verb>``."""
    verb = getattr(args, "verb", "") or ""
    where = _file_of(exc, args)
    what, todo = describe(exc)
    lines = [f"flagboard {verb} 未完成 (not done)：{what}", f"  文件 file: {where or '—'}",
             f"  详情 detail: {_detail(exc)}", f"  处理 what to do: {todo}",
             "  未完成的写入已回滚，数据库与输出文件保持原样 (nothing was half-written)"]
    return "\n".join(lines)
