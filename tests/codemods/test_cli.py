"""`toolkit lint`, `toolkit fix`, `toolkit rule` through the real command entry point."""

from __future__ import annotations

import codecs
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit.cli import main

CLEAN = """\
from pyspark.sql import functions as F


def late(orders):
    return orders.filter(F.col("shipped_at").isNull())
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, orders_job: str) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.toolkit]\n", encoding="utf-8")
    (tmp_path / "jobs").mkdir()
    (tmp_path / "jobs" / "orders.py").write_text(orders_job, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def toolkit(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_lint_prints_findings_relative_paths_and_summary(project, capsys):
    code, out, _ = toolkit(capsys, "lint", str(project / "jobs"))
    assert code == 1
    assert out.splitlines() == [
        "jobs/orders.py:5:26: SPK101 Column compared to `None` with `==` is always NULL; "
        "use `.isNull()` [*]",
        "jobs/orders.py:10:8: SPK205 Counting every row to learn whether a DataFrame is "
        "empty; use `isEmpty()` [*]",
        "jobs/orders.py:12:12: SPK201 `collect()` brings every row of an unbounded DataFrame "
        "to the driver; add `.limit(n)` or keep the work in Spark",
        "Found 3 problems (2 fixable).",
    ]


def test_clean_project_passes(project, capsys):
    (project / "jobs" / "orders.py").write_text(CLEAN, encoding="utf-8")
    assert toolkit(capsys, "lint") == (0, "All checks passed.\n", "")


def test_selection_options_and_exit_zero(project, capsys):
    code, out, _ = toolkit(capsys, "lint", "--select", "SPK1,SPK2", "--ignore", "SPK201")
    assert code == 1
    assert [line.split()[1] for line in out.splitlines()[:-1]] == ["SPK101", "SPK205"]
    code, out, _ = toolkit(capsys, "lint", "--select", "SPK101", "--exit-zero")
    assert code == 0 and "Found 1 problem (1 fixable)." in out
    code, out, _ = toolkit(capsys, "lint", "--select", "DBX1", "--extend-select", "SPK205")
    assert code == 1 and [line.split()[1] for line in out.splitlines()[:-1]] == ["SPK205"]


def test_unknown_rule_and_bad_settings_exit_2_naming_the_fault(project, capsys):
    code, out, err = toolkit(capsys, "lint", "--select", "SPK999")
    assert code == 2 and out == ""
    assert "error: --select: unknown rule code or prefix 'SPK999'" in err
    (project / "pyproject.toml").write_text('[tool.toolkit]\ncompute = "classic"\n')
    code, _, err = toolkit(capsys, "lint")
    assert code == 2
    assert "pyproject.toml:2: compute: expected one of" in err
    assert "Traceback" not in err


def test_config_option_names_the_settings_file(project, capsys, tmp_path_factory):
    other = tmp_path_factory.mktemp("settings") / "toolkit.toml"
    other.write_text('ignore = ["SPK1", "SPK2"]\n', encoding="utf-8")
    assert toolkit(capsys, "lint", "--config", str(other), "jobs")[:2] == (
        0,
        "All checks passed.\n",
    )


def test_internal_error_exits_2_and_other_rules_still_report(project, capsys, monkeypatch):
    from codemods.rules import get_rule

    def broken(self, node, ctx):
        raise RuntimeError("boom")

    monkeypatch.setattr(get_rule("SPK205"), "check", broken)
    code, out, _ = toolkit(capsys, "lint", "--no-cache", "--exit-zero")
    assert code == 2
    assert "TK999 Rule SPK205 (count-for-emptiness) failed here: RuntimeError: boom" in out
    assert "SPK101" in out and "SPK201" in out


def test_syntax_error_and_binary_file_do_not_hide_other_findings(project, capsys):
    (project / "jobs" / "broken.py").write_text("def f(:\n    pass\n", encoding="utf-8")
    (project / "jobs" / "latin.py").write_bytes("x = 'caf\xe9'\n".encode("latin-1"))
    code, out, _ = toolkit(capsys, "lint")
    assert code == 1
    assert "jobs/broken.py:1:7: TK001 SyntaxError: invalid syntax" in out
    assert "jobs/latin.py:1:1: TK002 The file cannot be read: not valid utf-8" in out
    assert "jobs/orders.py:5:26: SPK101" in out
    assert out.endswith("Found 5 problems (2 fixable).\n")


def test_statistics_and_show_fixes(project, capsys):
    _, out, _ = toolkit(capsys, "lint", "--statistics")
    assert out.splitlines()[:3] == [
        "1  SPK101  [*] column-compared-to-none",
        "1  SPK201      collect-without-limit",
        "1  SPK205  [*] count-for-emptiness",
    ]
    _, out, _ = toolkit(capsys, "lint", "--show-fixes", "--select", "SPK205")
    assert out.splitlines()[1].startswith("    fix (safe): ")


def test_stdin_with_filename(project, capsys, monkeypatch, orders_job):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(orders_job.encode())))
    code, out, _ = toolkit(capsys, "lint", "-", "--stdin-filename", "jobs/other.py")
    assert code == 1 and out.startswith("jobs/other.py:5:26: SPK101")


def test_output_file_and_json_format(project, capsys):
    code, out, _ = toolkit(capsys, "lint", "--format", "json", "--output", "report.json")
    assert code == 1 and out == ""
    findings = json.loads((project / "report.json").read_text(encoding="utf-8"))
    assert [f["code"] for f in findings] == ["SPK101", "SPK205", "SPK201"]
    assert findings[0]["path"] == "jobs/orders.py" and findings[0]["cell"] is None


def test_fix_writes_keeping_crlf_bom_and_mode(project, capsys, orders_job):
    target = project / "jobs" / "orders.py"
    target.write_bytes(codecs.BOM_UTF8 + orders_job.replace("\n", "\r\n").encode())
    target.chmod(0o750)
    code, out, _ = toolkit(capsys, "fix", "jobs")
    assert code == 1  # SPK201 has no fix and remains
    # SPK101's fix is unsafe here: nothing shows `orders` is a DataFrame filter.
    assert out.endswith("Found 3 problems (1 fixed, 2 remaining).\n")
    assert b"df.isEmpty()" in target.read_bytes()
    assert toolkit(capsys, "fix", "--unsafe-fixes", "jobs")[0] == 1
    data = target.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    assert b'F.col("shipped_at").isNull()' in data
    assert data.count(b"\r\n") == orders_job.count("\n") and b"\n" not in data.replace(b"\r\n", b"")
    assert stat.S_IMODE(target.stat().st_mode) == 0o750
    assert toolkit(capsys, "fix", "jobs")[0] == 1  # nothing more to fix; SPK201 remains
    assert target.read_bytes() == data


def test_fix_diff_writes_nothing_and_exits_1(project, capsys):
    before = (project / "jobs" / "orders.py").read_text(encoding="utf-8")
    code, out, err = toolkit(capsys, "fix", "--diff")
    assert code == 1
    assert "-    if df.count() == 0:\n+    if df.isEmpty():\n" in out
    assert "Would fix 1 problem in 1 file." in err
    assert (project / "jobs" / "orders.py").read_text(encoding="utf-8") == before
    (project / "jobs" / "orders.py").write_text(CLEAN, encoding="utf-8")
    assert toolkit(capsys, "fix", "--diff")[0] == 0


def test_fix_all_fixed_exits_0_unless_asked_to_fail_on_fix(project, capsys, orders_job):
    (project / "jobs" / "orders.py").write_text(orders_job.replace("return df.collect()", "return"))
    assert toolkit(capsys, "fix", "--unsafe-fixes", "--exit-non-zero-on-fix")[0] == 1
    assert toolkit(capsys, "fix", "--unsafe-fixes", "--exit-non-zero-on-fix")[0] == 0


def test_fix_show_fixes_lists_what_was_fixed(project, capsys):
    _, out, _ = toolkit(capsys, "fix", "--show-fixes")
    assert "Fixed 1 problem:\n- jobs/orders.py:\n    1 x SPK205 (count-for-emptiness)\n" in out


def test_fix_notebook_through_the_cell_mapping(project, capsys):
    notebook = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# Orders"]},
            {
                "cell_type": "code",
                "execution_count": 1,
                "metadata": {"tags": ["keep"]},
                "outputs": [{"output_type": "stream", "name": "stdout", "text": ["hi\n"]}],
                "source": ["%pip install quinn\n", "df = spark.table('main.a.b')\n",
                           "if df.count() == 0:\n", "    print('empty')"],
            },
        ],
        "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }  # fmt: skip
    path = project / "daily.ipynb"
    path.write_text(json.dumps(notebook, indent=1) + "\n", encoding="utf-8")
    code, out, _ = toolkit(capsys, "lint", "daily.ipynb")
    assert code == 1
    assert out.splitlines()[0].startswith("daily.ipynb:cell 2:3:4: SPK205 Counting every row")
    assert toolkit(capsys, "fix", "daily.ipynb")[0] == 0
    fixed = json.loads(path.read_text(encoding="utf-8"))
    assert fixed["cells"][1]["source"][2] == "if df.isEmpty():\n"
    assert fixed["cells"][1]["outputs"] == notebook["cells"][1]["outputs"]
    assert fixed["cells"][1]["source"][0] == "%pip install quinn\n"


def test_rule_prints_docs_and_rejects_unknown_codes(capsys):
    code, out, _ = toolkit(capsys, "rule", "spk101")
    assert code == 0
    assert out.startswith("# SPK101 column-compared-to-none\n\nSeverity: error")
    assert "## What it does" in out and "## Fix safety" in out
    code, _, err = toolkit(capsys, "rule", "SPK10")
    assert code == 2 and "error: unknown rule code 'SPK10'" in err
    assert toolkit(capsys, "rule")[0] == 2


def test_docs_rules_md_is_up_to_date(capsys):
    """Regenerate with `toolkit rule --all --format markdown --output docs/rules.md`."""
    code, out, _ = toolkit(capsys, "rule", "--all", "--format", "markdown")
    assert code == 0
    committed = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
    assert committed.read_text(encoding="utf-8") == out, (
        "docs/rules.md is stale: run `toolkit rule --all --format markdown --output docs/rules.md`"
    )


def test_console_script_in_a_real_process(project):
    toolkit_bin = Path(sys.executable).with_name("toolkit")
    result = subprocess.run(
        [str(toolkit_bin), "lint", "--format", "github", "jobs/orders.py"],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[0] == (
        "::error file=jobs/orders.py,line=5,col=26,endLine=5,endColumn=53,"
        "title=SPK101::Column compared to `None` with `==` is always "
        "NULL; use `.isNull()`"
    )


def test_fix_never_overwrites_a_file_changed_while_fixing(project, capsys, monkeypatch, orders_job):
    import codemods.engine

    target = project / "jobs" / "orders.py"
    real_fix = codemods.engine.fix

    def fix_while_the_user_saves(*args, **kwargs):
        result = real_fix(*args, **kwargs)
        target.write_text(orders_job + "# saved by the editor meanwhile\n", encoding="utf-8")
        return result

    monkeypatch.setattr(codemods.engine, "fix", fix_while_the_user_saves)
    code, out, err = toolkit(capsys, "fix", "--no-cache", "jobs")
    assert code == 1
    assert "warning: jobs/orders.py: not fixed: the file changed while it was being fixed" in err
    assert target.read_text(encoding="utf-8").endswith("# saved by the editor meanwhile\n")
    assert out.endswith("Found 3 problems (2 fixable).\n")


def test_fix_from_stdin_prints_the_fixed_text_or_a_diff(project, capsys, monkeypatch, orders_job):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(orders_job.encode())))
    code, out, err = toolkit(capsys, "fix", "-", "--stdin-filename", "jobs/other.py")
    assert code == 1  # SPK101 (unsafe here) and SPK201 remain
    assert "if df.isEmpty():" in out and "jobs/other.py:12:12: SPK201" in err
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(orders_job.encode())))
    code, out, _ = toolkit(capsys, "fix", "--diff", "-", "--stdin-filename", "jobs/other.py")
    assert code == 1 and "+    if df.isEmpty():\n" in out


def test_extend_select_tk100_reports_unused_noqa(project, capsys):
    (project / "jobs" / "quiet.py").write_text(
        "import os  # noqa: SPK101\nSEP = os.sep  # noqa: E501\n", encoding="utf-8"
    )
    code, out, _ = toolkit(capsys, "lint", "--no-cache", "jobs/quiet.py")
    assert code == 0, out
    code, out, err = toolkit(
        capsys, "lint", "--no-cache", "--extend-select", "TK100", "jobs/quiet.py"
    )
    assert code == 1, err
    assert out.splitlines()[0] == (
        "jobs/quiet.py:1:12: TK100 Unused `noqa` code `SPK101`: nothing to suppress here"
    )
    assert "E501" not in out  # ruff's codes are ruff's business
    (project / "pyproject.toml").write_text(
        '[tool.toolkit]\nextend-select = ["TK100"]\n', encoding="utf-8"
    )
    code, out, _ = toolkit(capsys, "lint", "--no-cache", "jobs/quiet.py")
    assert code == 1 and "TK100" in out
