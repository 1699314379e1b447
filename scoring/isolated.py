"""Reading a file in a child process with its own memory and time limits (the way servers and the CLI read).

A hostile file must not take the server down: calamine aborts the whole process when an allocation fails (a
sparse XLSX asks for 512 GiB), and no Python ``except`` catches an abort. So the file is read by
``python -m scoring.parse_child``, which caps its own address space (``RLIMIT_AS``) before it imports
anything heavy, while this side waits at most :attr:`~scoring.limits.Limits.parse_timeout_s` (the wait releases
the GIL: other sessions keep working). A crash, a MemoryError or a timeout in the child becomes an
:class:`~scoring.problems.InputError` with a message for the clerk; the rows come back as an Arrow IPC stream.
"""
from __future__ import annotations

import json
import os
import signal
import struct
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from scoring.intake import MAX_BYTES, Upload, path_problem
from scoring.limits import Limits, current
from scoring.problems import InputError, Problem

ROOT = Path(__file__).resolve().parents[1]
CHILD = [sys.executable, "-m", "scoring.parse_child"]
# keep the child's address space small: one BLAS thread, Arrow on the system allocator, few malloc arenas
CHILD_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
             "ARROW_DEFAULT_MEMORY_POOL": "system", "MALLOC_ARENA_MAX": "2", "RUST_BACKTRACE": "0"}


@dataclass
class ChildRun:
    """What one parsing child did: its header (status, problems, peak memory), the rows, how it ended."""

    header: dict = field(default_factory=dict)
    frame: object = None
    returncode: int = 0
    timed_out: bool = False
    stderr: str = ""

    @property
    def peak(self) -> dict:
        """{"VmPeak", "VmHWM", "limit"} in bytes as the child measured itself (empty when it crashed)."""
        return self.header.get("peak", {})


def run_child(request: dict, data: bytes | None, limits: Limits) -> ChildRun:
    """Start the child, send the request (and the file's bytes), wait within the time limit, decode its answer."""
    env = {**os.environ, **CHILD_ENV,
           "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)}
    message = json.dumps({**request, "limits": limits.as_dict()}, ensure_ascii=False).encode("utf-8") + b"\n"
    proc = subprocess.Popen(CHILD, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            cwd=str(ROOT))
    run = ChildRun()
    try:
        out, err = proc.communicate(message + (data or b""), timeout=limits.parse_timeout_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        run.timed_out = True
    except BrokenPipeError:  # the child died before it read everything
        out, err = proc.communicate()
    run.returncode, run.stderr = proc.returncode, err.decode("utf-8", "replace")[-4000:]
    if run.timed_out or run.returncode != 0 or len(out) < 8:
        return run
    size = struct.unpack(">Q", out[:8])[0]
    run.header = json.loads(out[8: 8 + size].decode("utf-8"))
    if run.header.get("status") == "ok":
        body = pa.py_buffer(out).slice(8 + size)  # no copy of the rows
        run.frame = pa.ipc.open_stream(body).read_all().to_pandas()
    return run


def _problems(rows: list) -> list[Problem]:
    return [Problem(where, message, severity) for where, message, severity in rows]


def _failure(name: str, run: ChildRun, limits: Limits) -> InputError:
    """The clerk's message for a child that did not answer normally."""
    mb = limits.parse_memory_bytes / 1048576
    status = run.header.get("status")
    if run.timed_out:
        text = (f"读取文件超时（超过 {limits.parse_timeout_s:g} 秒），已停止；文件可能过大或结构异常，请按期间拆分，"
                f"或在 Excel 中只保留数据后另存 (reading timed out after {limits.parse_timeout_s:g} s)")
    elif status == "memory" or "memory allocation" in run.stderr or "MemoryError" in run.stderr:
        text = (f"读取该文件需要的内存超过上限 {mb:.0f} MB，已停止；文件可能过大或是异常构造的文件，请按期间拆分，"
                f"或在 Excel 中只保留数据后另存 (reading needs more than {mb:.0f} MB)")
    elif status == "failed":
        text = f"无法读取文件内容 (cannot read file): {run.header.get('error', '')}"
    else:
        how = (f"信号 signal {signal.Signals(-run.returncode).name}" if run.returncode < 0
               else f"退出码 exit {run.returncode}")
        text = (f"读取文件的子进程异常终止（{how}），文件可能已损坏或是异常构造的文件；服务本身不受影响，"
                f"请在 Excel 中打开并另存为 .xlsx 或 CSV 后重试 (the parser crashed)")
    return InputError([Problem(f"文件 {name}", text)])


def _upload(name: str, run: ChildRun, limits: Limits) -> Upload:
    status = run.header.get("status")
    if status == "ok":
        return Upload(run.frame, run.header["kind"], _problems(run.header.get("problems", [])))
    if status == "refused":
        raise InputError(_problems(run.header.get("problems", [])))
    raise _failure(name, run, limits)


def read_upload_isolated(name: str, raw: bytes, max_bytes: int = MAX_BYTES, limits: Limits | None = None) -> Upload:
    """:func:`scoring.intake.read_upload` in a limited child process (same result, same problems)."""
    limits = limits or current()
    run = run_child({"name": name, "path": None, "max_bytes": max_bytes}, raw, limits)
    return _upload(name, run, limits)


def read_path_isolated(path: str | Path, max_bytes: int = MAX_BYTES, limits: Limits | None = None) -> Upload:
    """:func:`scoring.intake.read_path` in a limited child process; a missing, unreadable or too large file is
    refused here without starting one."""
    limits = limits or current()
    problem = path_problem(path, max_bytes)
    if problem:
        raise problem
    path = Path(path)
    run = run_child({"name": path.name, "path": str(path.resolve()), "max_bytes": max_bytes}, None, limits)
    return _upload(path.name, run, limits)
