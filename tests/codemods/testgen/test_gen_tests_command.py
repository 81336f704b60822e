"""The `gen-tests` click command as an adapter: what it prints and its exit codes, for each
outcome the core reports (the core itself runs for real in test_gen_tests_cli.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from codemods.testgen import generate as generate_module
from codemods.testgen.discovery import Transform
from codemods.testgen.generate import FileChange, GenerationReport, Outcome
from toolkit.cli import main


def transform(name: str, line: int) -> Transform:
    return Transform(name, name, "src/shop/orders.py", line, "function", ())


def fake_report(calls: list[dict[str, Any]], outcomes: list[Outcome]) -> Any:
    def fake(paths: list[Path], **options: Any) -> GenerationReport:
        calls.append({"paths": paths, **options})
        change = FileChange(
            Path("tests/shop/test_orders.py"),
            "import pytest\n",
            "import pytest\n\n\ndef test_a(spark):\n    ...\n",
        )
        return GenerationReport(outcomes, [change], 3.25, characterized=len(outcomes))

    return fake


def run(monkeypatch: pytest.MonkeyPatch, args: list[str], outcomes: list[Outcome]):
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(generate_module, "generate_tests", fake_report(calls, outcomes))
    from toolkit.cli import cli

    result = CliRunner().invoke(cli, ["gen-tests", *args])
    return result, calls


WRITTEN = Outcome(transform("a", 3), "written", "test_a", Path("tests/shop/test_orders.py"))
SKIPPED = Outcome(
    transform("b", 9), "skipped", "test_b", None, "fails on every synthesized input: ValueError: x"
)


def test_prints_one_line_per_transform_and_exits_1_when_one_got_no_test(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result, calls = run(
        monkeypatch,
        ["src", "--timeout", "5", "--function", "a", "--function", "b"],
        [WRITTEN, SKIPPED],
    )
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "src/shop/orders.py:3 a: test written (test_a in tests/shop/test_orders.py)",
        "src/shop/orders.py:9 b: skipped (fails on every synthesized input: ValueError: x)",
        "1 of 2 transforms have a test; 2 run on Spark in 3.2 s.",
    ]
    assert calls == [
        {
            "paths": [Path("src")],
            "output_dir": None,
            "functions": {"a", "b"},
            "timeout": 5.0,
            "write": True,
            "progress": None,  # no terminal here: no progress line on stderr
        }
    ]


def test_diff_writes_nothing_and_prints_the_patch(monkeypatch: pytest.MonkeyPatch) -> None:
    would = Outcome(transform("a", 3), "would_write", "test_a", Path("tests/shop/test_orders.py"))
    result, calls = run(monkeypatch, ["src", "--diff"], [would])
    assert result.exit_code == 0
    assert calls[0]["write"] is False
    assert "test generated (test_a for tests/shop/test_orders.py, not written)" in result.output
    assert "--- a/tests/shop/test_orders.py\n+++ b/tests/shop/test_orders.py\n" in result.output
    assert "+def test_a(spark):" in result.output


def test_dry_run_writes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    result, calls = run(monkeypatch, ["src", "--dry-run"], [WRITTEN])
    assert calls[0]["write"] is False
    assert "--- a/" not in result.output


def test_usage_errors_exit_2() -> None:
    assert main(["gen-tests"]) == 2  # no PATH
    assert main(["gen-tests", "src", "--timeout", "0"]) == 2
