"""A real office suite for the tests: LibreOffice headless (Debian libreoffice-calc-nogui and
libreoffice-writer-nogui, installed by .ci/run) re-saves and converts our files as a clerk's WPS/Excel would.

Without ``soffice`` the tests are skipped — except in CI (``CI`` set), where they fail."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    reason = "LibreOffice (soffice) is missing: install libreoffice-calc-nogui libreoffice-writer-nogui (see .ci/run)"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def convert(src: Path, to: str, outdir: Path) -> Path:
    """``soffice --headless --convert-to TO`` of one file into ``outdir``; the converted file (fails the test when
    LibreOffice reports an error or writes nothing). A private profile per call: no lock shared with other runs."""
    outdir.mkdir(parents=True, exist_ok=True)
    profile = outdir / ".lo-profile"
    run = subprocess.run([soffice(), f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless",
                          "--convert-to", to, "--outdir", str(outdir), str(src)],
                         capture_output=True, text=True, timeout=180)
    out = outdir / f"{src.stem}.{to.split(':')[0]}"
    assert run.returncode == 0 and out.exists() and out.stat().st_size > 0, (run.returncode, run.stdout, run.stderr)
    assert "Error" not in run.stderr, run.stderr
    return out


def pdf_text(path: Path) -> str:
    """All the text of a PDF, pages joined (whitespace removed: a table cell may wrap a name)."""
    text = "".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
    return "".join(text.split())
