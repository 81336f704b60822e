"""`toolkit lint -` / `toolkit fix -` in a real process: standard input is decoded as files are."""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
from pathlib import Path

import pytest

TOOLKIT = str(Path(sys.executable).with_name("toolkit"))
UNSAFE = 'from pyspark.sql import functions as F\n\ndf = df.filter(F.col("a") == None)\n'


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.toolkit]\nextend-exclude = ["gen/"]\n', encoding="utf-8"
    )
    return tmp_path


def toolkit(project: Path, *args: str, stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [TOOLKIT, *args],
        input=stdin,
        capture_output=True,
        cwd=project,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=120,
    )


def test_lint_stdin_with_a_bom_is_clean(project):
    result = toolkit(project, "lint", "-", stdin=codecs.BOM_UTF8 + b"x = 1\r\n")
    assert result.returncode == 0, result.stdout
    assert result.stdout == b"All checks passed.\n"


def test_lint_stdin_that_is_not_utf8_is_tk002_like_a_file(project):
    result = toolkit(project, "lint", "-", "--stdin-filename", "a.py", stdin=b'x = "\xff"\n')
    assert result.returncode == 1
    first = result.stdout.decode().splitlines()[0]
    assert first.startswith("a.py:1:1: TK002 The file cannot be read: not valid utf-8")


def test_fix_stdin_keeps_bom_and_crlf_and_matches_fixing_the_file(project):
    data = codecs.BOM_UTF8 + UNSAFE.replace("\n", "\r\n").encode()
    (project / "job.py").write_bytes(data)
    piped = toolkit(project, "fix", "--unsafe-fixes", "-", "--stdin-filename", "job.py", stdin=data)
    assert (
        toolkit(project, "fix", "--unsafe-fixes", "--no-cache", "job.py", stdin=b"").returncode == 0
    )
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout != data
    assert piped.stdout == (project / "job.py").read_bytes()
    assert piped.stdout.startswith(codecs.BOM_UTF8) and b".isNull()" in piped.stdout
    assert piped.stdout.count(b"\r\n") == UNSAFE.count("\n")


def test_stdin_filename_without_dash_reads_stdin_not_the_folder(project):
    (project / "other.py").write_text(UNSAFE, encoding="utf-8")
    result = toolkit(project, "lint", "--stdin-filename", "piped.py", stdin=b"x = 1\n")
    assert result.returncode == 0, result.stdout
    assert result.stdout == b"All checks passed.\n"
    result = toolkit(project, "lint", "--stdin-filename", "piped.py", stdin=UNSAFE.encode())
    assert result.returncode == 1
    assert result.stdout.decode().startswith("piped.py:3:16: SPK101")


def test_force_exclude_applies_to_the_stdin_filename(project):
    args = ("--force-exclude", "--stdin-filename", "gen/a.py")
    result = toolkit(project, "lint", *args, stdin=UNSAFE.encode())
    assert result.returncode == 0 and b"SPK101" not in result.stdout
    result = toolkit(project, "lint", "--format", "json", *args, stdin=UNSAFE.encode())
    assert result.returncode == 0 and result.stdout.strip() == b"[]"
    fixed = toolkit(project, "fix", "--unsafe-fixes", *args, "-", stdin=UNSAFE.encode())
    assert fixed.returncode == 0 and fixed.stdout == UNSAFE.encode()
    # Without --force-exclude the named file is linted, as a file named on the command line.
    result = toolkit(project, "lint", "--stdin-filename", "gen/a.py", stdin=UNSAFE.encode())
    assert result.returncode == 1 and b"gen/a.py:3:16: SPK101" in result.stdout
