"""`python -m lsp` takes the options of `toolkit lsp`: `--help` prints help, `--stdio` serves."""

import subprocess
import sys


def run_module(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lsp", *args], stdin=subprocess.DEVNULL, capture_output=True,
        text=True, check=False, timeout=60,
    )  # fmt: skip


def test_help_prints_the_options_and_exits():
    result = run_module("--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Usage: python -m lsp [OPTIONS]")
    assert "--stdio" in result.stdout


def test_stdio_is_accepted_and_an_unknown_option_is_a_usage_error():
    assert run_module("--stdio").returncode == 0  # served until standard input closed
    unknown = run_module("--tcp")
    assert unknown.returncode == 2
    assert "No such option '--tcp'" in unknown.stderr
