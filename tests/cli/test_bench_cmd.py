"""``flagboard bench`` runs the benchmark script in the repository with the options given (not run here: slow)."""
from __future__ import annotations

import subprocess
import sys

from cli import bench_cmd
from cli.main import main


def test_bench_runs_the_national_script_in_the_repository(monkeypatch):
    calls = []

    def fake_run(cmd, cwd):
        calls.append((cmd, cwd))
        return subprocess.CompletedProcess(cmd, 0)

    monkeypatch.setattr(subprocess, "run", fake_run)
    assert main(["bench", "--scale", "0.01", "--keep"]) == 0
    assert calls == [([sys.executable, "-m", "bench.national", "--seed", "2024", "--scale", "0.01", "--keep"],
                      bench_cmd.REPO)]


def test_bench_without_scale_runs_every_size(monkeypatch):
    calls = []

    def fake_run(cmd, cwd):
        calls.append(cmd)
        return subprocess.CompletedProcess(cmd, 3)

    monkeypatch.setattr(subprocess, "run", fake_run)
    assert main(["bench"]) == 3
    assert calls == [[sys.executable, "-m", "bench.national", "--seed", "2024"]]
