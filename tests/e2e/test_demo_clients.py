"""The demo's editor and assistant steps (`demo/70_editor.sh`, `demo/80_assistant.sh`) run as
`make demo` runs them: real `toolkit lsp` and `toolkit mcp` servers driven over stdio by the
client scripts in `demo/clients/`. Their output names the findings `toolkit lint` reports,
they leave the bundled example untouched, and they fail loudly when a step goes wrong."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

CHECKOUT = Path(__file__).resolve().parents[2]
DEMO_ROOT = CHECKOUT / "demo"
EXAMPLE = DEMO_ROOT / "lint_example"
BIN = Path(sys.executable).parent


def demo_env(out: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "DEMO_OUT": str(out),
        "DEMO_ROOT": str(DEMO_ROOT),
    }


def run(command: list[str], out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        cwd=out,
        env=demo_env(out),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `folder` with its bytes and mtime: any write shows up."""
    return {
        str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def expected_findings() -> list[str]:
    """`line:col code` of what `toolkit lint` reports for the example file."""
    cli = subprocess.run(
        [str(BIN / "toolkit"), "lint", "--no-cache", "--format", "json", "pipelines/orders.py"],
        cwd=EXAMPLE,
        capture_output=True,
        text=True,
        check=False,
    )
    assert cli.returncode == 1, cli.stderr
    findings = [
        f"{d['start']['line']}:{d['start']['column']} {d['code']}" for d in json.loads(cli.stdout)
    ]
    assert any(finding.endswith(" SPK101") for finding in findings)
    return findings


def test_editor_step_shows_problems_quick_fix_and_hover(
    tmp_path: Path, expected_findings: list[str]
) -> None:
    before = snapshot(EXAMPLE)
    step = run(["bash", str(DEMO_ROOT / "70_editor.sh")], tmp_path)
    assert step.returncode == 0, step.stdout + step.stderr
    output = step.stdout
    # The problems panel: every finding of `toolkit lint`, at the same line and column.
    panel = output.split("PROBLEMS", 1)[1].split("code actions", 1)[0]
    shown = [" ".join(line.split()[0:3:2]) for line in panel.splitlines()[1:] if line.strip()]
    assert shown == expected_findings
    assert "[quickfix] SPK101: Replace with `.isNull()` (preferred)" in output
    assert "[quickfix] Disable SPK101 for this line" in output
    assert '+ return orders.filter(F.col("shipped_at").isNull())' in output
    assert "| # SPK101 column-compared-to-none" in output
    assert "the server stopped with code 0" in output
    assert (tmp_path / "editor" / "session.txt").read_text() == output
    # The bundled example is another step's input: read, never written.
    assert snapshot(EXAMPLE) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["editor"]


def test_assistant_step_lists_tools_lints_and_explains(
    tmp_path: Path, expected_findings: list[str]
) -> None:
    before = snapshot(EXAMPLE)
    step = run(["bash", str(DEMO_ROOT / "80_assistant.sh")], tmp_path)
    assert step.returncode == 0, step.stdout + step.stderr
    output = step.stdout
    tools = output.split("tools (", 1)[1].split("call lint", 1)[0]
    listed = {line.split()[0] for line in tools.splitlines()[1:] if line.strip()}
    assert {"lint", "fix", "explain_rule", "generate_tests", "profile"} <= listed
    linted = output.split("call lint", 1)[1].split("call explain_rule", 1)[0]
    reported = [
        f"{line.split(':')[1]}:{line.split(':')[2]} {line.split()[1]}"
        for line in linted.splitlines()
        if line.strip().startswith("pipelines/orders.py:")
    ]
    assert reported == expected_findings
    assert f"Found {len(expected_findings)} problems" in linted
    assert "SPK101 column-compared-to-none:" in output
    assert "tool error: " in output and "unknown rule code 'XYZ999'" in output
    assert snapshot(EXAMPLE) == before  # the lint cache went to the copy in $DEMO_OUT
    assert (tmp_path / "assistant" / "workspace" / ".toolkit_cache").is_dir()


def test_clients_exit_non_zero_when_a_step_fails(tmp_path: Path) -> None:
    """A file without findings leaves the editor nothing to show; a path outside the
    workspace is a tool error: both end the session with `error:` and exit 1."""
    clean = tmp_path / "project" / "clean.py"
    clean.parent.mkdir()
    clean.write_text("def total(values: list[int]) -> int:\n    return sum(values)\n")
    python = str(BIN / "python")
    editor = run(
        [python, str(DEMO_ROOT / "clients" / "lsp_session.py"), str(clean.parent), str(clean)],
        tmp_path,
    )
    assert editor.returncode == 1, editor.stdout + editor.stderr
    assert "error: no diagnostics for clean.py" in editor.stderr
    assistant = run(
        [python, str(DEMO_ROOT / "clients" / "mcp_session.py"), str(clean.parent), "../x.py"],
        tmp_path,
    )
    assert assistant.returncode == 1, assistant.stdout + assistant.stderr
    assert "error: tool `lint` returned an error:" in assistant.stderr
