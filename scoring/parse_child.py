"""The parsing child: ``python -m scoring.parse_child`` reads one observation file and writes the rows back.

It limits itself before it imports anything heavy: address space (``RLIMIT_AS``, default 1 GiB), CPU seconds
(a backstop should its parent die) and no core file. Then it runs :func:`scoring.intake.read_upload` (bytes
on stdin) or :func:`scoring.intake.read_path` (a path named in the request).

Protocol — stdin: one JSON line ``{"name", "path", "max_bytes", "limits"}`` then, without ``path``, the file's
bytes. stdout: 8 bytes (big-endian length) + a JSON header ``{"status", "kind", "problems", "peak"}`` (peak: the
child's ``VmPeak``, ``VmHWM`` and RLIMIT_AS in bytes), then for
``status == "ok"`` the rows as an Arrow IPC stream. Statuses: ``ok``, ``refused`` (problems of the file),
``memory`` (MemoryError), ``failed`` (anything else, with ``error``). See :mod:`scoring.isolated`.
"""
from __future__ import annotations

import json
import resource
import struct
import sys


def limit_self(memory_bytes: int, cpu_seconds: float) -> None:
    """Cap this process's address space and CPU time; never write a core file."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    cpu = int(cpu_seconds) + 5
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def peak_memory() -> dict:
    """This process's peak virtual size and peak resident set (Linux ``/proc/self/status``) and the address-space
    limit it runs under, in bytes."""
    out = {"limit": resource.getrlimit(resource.RLIMIT_AS)[0]}
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                key, _, rest = line.partition(":")
                if key in ("VmPeak", "VmHWM"):
                    out[key] = int(rest.split()[0]) * 1024
    except OSError:
        pass
    return out


def _problems(problems) -> list[list[str]]:
    return [[p.where, p.message, p.severity] for p in problems]


def _write(header: dict) -> None:
    data = json.dumps(header, ensure_ascii=False).encode("utf-8")
    out = sys.stdout.buffer
    out.write(struct.pack(">Q", len(data)) + data)
    out.flush()


def main() -> int:
    request = json.loads(sys.stdin.buffer.readline())
    limits_given = request["limits"]
    limit_self(int(limits_given["parse_memory_bytes"]), float(limits_given["parse_timeout_s"]))
    from scoring.limits import Limits
    from scoring.problems import InputError

    try:
        import pyarrow as pa

        from scoring.intake import read_path, read_upload

        limits = Limits(**limits_given)
        if request.get("path"):
            upload = read_path(request["path"], request["max_bytes"], limits)
        else:
            upload = read_upload(request["name"], sys.stdin.buffer.read(), request["max_bytes"], limits)
        table = pa.Table.from_pandas(upload.obs, preserve_index=False)
        upload.obs = None  # the rows live on in the Arrow table only
        _write({"status": "ok", "kind": upload.kind, "problems": _problems(upload.notices), "peak": peak_memory()})
        with pa.ipc.new_stream(sys.stdout.buffer, table.schema) as writer:  # straight to the parent, no copy
            writer.write_table(table)
        sys.stdout.buffer.flush()
    except MemoryError:
        _write({"status": "memory", "peak": peak_memory()})
    except InputError as exc:
        _write({"status": "refused", "problems": _problems(exc.problems), "peak": peak_memory()})
    except Exception as exc:  # noqa: BLE001 - reported by the parent as a message, never a trace
        _write({"status": "failed", "error": f"{type(exc).__name__}: {exc}", "peak": peak_memory()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
