"""The project's shape: no import cycles among its modules (TYPE_CHECKING imports count), and dependencies
point one way: dashboard → (documents →) queries → scoring."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.import_graph import cycles, graph

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def edges() -> dict[str, set[str]]:
    return graph(ROOT)


def test_the_graph_sees_type_checking_imports(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "a.py").write_text("from pkg import b\n")
    (tmp_path / "pkg" / "b.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import X\n")
    assert cycles(graph(tmp_path)) == [["pkg.a", "pkg.b"]]


def test_no_import_cycles(edges):
    assert cycles(edges) == []


@pytest.mark.parametrize("package, never", [
    # the domain is pure: no store, no pages, no documents, no command line
    ("scoring", ("queries", "documents", "dashboard", "cli", "bench")),
    # the store and its read models know nothing of pages, renderers or the command line
    ("queries", ("documents", "dashboard", "cli", "bench")),
    # the renderers read the store; pages and verbs use them, never the other way round
    ("documents", ("dashboard", "cli", "bench")),
])
def test_dependencies_point_one_way(edges, package, never):
    wrong = sorted((m, t) for m, targets in edges.items() if m == package or m.startswith(package + ".")
                   for t in targets if t.split(".")[0] in never)
    assert wrong == []
