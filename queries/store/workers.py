"""Scoring periods in two worker processes: the engine is single-threaded Python, the machine has two cores.

The caller's process fetches each period's facts from DuckDB (one connection per process, and DuckDB allows one
writer process per file: workers never open the store) and hands them to a worker as an Arrow table; the worker
validates when asked, scores without reasons and sends back the league and the per-indicator arrays
(:mod:`.scoring_job`); the caller writes them through the write door while the workers score the next periods.
Workers come from a forkserver (started once per process, the scoring modules preloaded), never forked from a
process that holds DuckDB's threads.

Used only when there is enough to score for two processes to pay off (:func:`worth_it`): a national rescore, not
a district's quarter.
"""
from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import sys
import tempfile
import threading
import types
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterator

import pyarrow as pa

WORKERS = 2
SHARED_MEMORY = "/dev/shm"  # where facts are handed to workers (the temporary folder where it is missing)
_POOL: ProcessPoolExecutor | None = None
_LOCK = threading.Lock()
_PEAK_RSS_MIB = [0.0]  # the largest peak resident memory a worker has reported


def peak_rss_mib() -> float:
    """The largest peak resident memory (MiB) any worker process has reported in this process's life."""
    return _PEAK_RSS_MIB[0]


def min_rows() -> int:
    """Facts (across the periods of one rescore) from which two processes pay off (``FLAGBOARD_PARALLEL_ROWS``)."""
    return int(os.environ.get("FLAGBOARD_PARALLEL_ROWS", "1000000"))


def worth_it(periods: list[str], rows: int) -> bool:
    return len(periods) >= 2 and rows >= min_rows()


def _pool() -> ProcessPoolExecutor:
    global _POOL
    with _LOCK:
        if _POOL is not None and getattr(_POOL, "_broken", False):
            _POOL.shutdown(wait=False, cancel_futures=True)
            _POOL = None
        if _POOL is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["queries.store.scoring_job"])
            _POOL = ProcessPoolExecutor(max_workers=WORKERS, mp_context=ctx)
            atexit.register(shutdown)
        return _POOL


@contextlib.contextmanager
def _plain_main() -> Iterator[None]:
    """Start worker processes without re-running the caller's ``__main__``.

    A new worker re-imports the main module's file when ``__main__`` has one; under Streamlit (and in AppTest)
    ``__main__`` is the dashboard's script, so a worker would run the whole app and die without its session. The
    pool starts workers inside ``submit``, so only that call sees an empty ``__main__``."""
    real = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if real is not None:
            sys.modules["__main__"] = real


def shutdown() -> None:
    """Stop the worker processes (at exit)."""
    global _POOL
    with _LOCK:
        if _POOL is not None:
            _POOL.shutdown(wait=False, cancel_futures=True)
            _POOL = None


def score_in_processes(rubric, periods: list[str], fetch: Callable) -> Iterator:
    """(scored, problems) of each period, in order, scored in the worker processes. A period is fetched only when
    a worker is about to need it (at most one waiting per worker), so memory stays flat."""
    from queries.store import scoring_job

    pool = _pool()
    queue: deque = deque()
    todo = iter(periods)

    def submit_next() -> None:
        period = next(todo, None)
        if period is not None:
            got = fetch(period)
            path = handoff(got.obs)
            with _plain_main():
                queue.append((pool.submit(scoring_job.run, rubric, path, got.decided), path))

    for _ in range(WORKERS + 1):
        submit_next()
    try:
        while queue:
            future, path = queue.popleft()
            try:
                done = future.result()
            finally:
                _remove(path)
            _PEAK_RSS_MIB[0] = max(_PEAK_RSS_MIB[0], done.get("rss_mib", 0.0))
            submit_next()
            yield scoring_job.received(done, rubric)
    finally:
        for future, path in queue:
            future.cancel()
            _remove(path)


def handoff(table: pa.Table) -> str:
    """Write a period's facts as an Arrow file in shared memory for a worker to map: a memory copy, where pickling
    them through the worker's pipe cost the caller's process half a second per national period. The caller removes
    the file when the worker has answered."""
    folder = SHARED_MEMORY if os.access(SHARED_MEMORY, os.W_OK) else None
    fd, path = tempfile.mkstemp(prefix="flagboard-facts-", suffix=".arrow", dir=folder)
    with os.fdopen(fd, "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    return path


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
