"""Path confinement: what a tool call may touch, from the client's roots or the server's own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from toolkit.errors import ToolkitError
from toolkit.mcp_server.workspace import Workspace, roots_from_uris


def test_roots_from_uris_keeps_local_folders_only(tmp_path: Path) -> None:
    spaced = tmp_path / "my project"
    uris = [
        spaced.as_uri(),
        "https://example.com/repo",
        "file://otherhost/share",
        "file://localhost/tmp",
    ]
    assert roots_from_uris(uris) == (spaced.resolve(), Path("/tmp").resolve())


def test_declared_roots_win_over_the_default(tmp_path: Path) -> None:
    declared = Workspace.of([tmp_path.as_uri()], default=[Path("/")])
    assert declared.roots == (tmp_path.resolve(),) and declared.declared
    fallback = Workspace.of(["https://example.com"], default=[tmp_path])
    assert fallback.roots == (tmp_path.resolve(),) and not fallback.declared
    assert Workspace.of(None).roots == (Path.cwd().resolve(),)


@pytest.mark.parametrize("given", ["a.py", "sub/../a.py", "./a.py"])
def test_relative_paths_start_at_the_first_root(tmp_path: Path, given: str) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.py").write_text("")
    workspace = Workspace.of([tmp_path.as_uri()])
    assert workspace.resolve(given, field="path") == (tmp_path / "a.py").resolve()


def test_every_root_is_allowed(tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir()
    second.mkdir()
    (second / "b.py").write_text("")
    workspace = Workspace.of([first.as_uri(), second.as_uri()])
    assert workspace.resolve(str(second / "b.py"), field="path") == (second / "b.py").resolve()


@pytest.mark.parametrize("given", ["../outside.py", "/etc/passwd", "~/.ssh", "link/x.py"])
def test_paths_leaving_the_roots_are_refused(tmp_path: Path, given: str) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (tmp_path / "outside.py").write_text("")
    (root / "link").symlink_to(tmp_path)
    workspace = Workspace.of([root.as_uri()])
    with pytest.raises(ToolkitError, match=r"^path: .* is outside the workspace roots \("):
        workspace.resolve(given, field="path", must_exist=False)


def test_missing_and_empty_paths_name_the_field(tmp_path: Path) -> None:
    workspace = Workspace.of([tmp_path.as_uri()])
    with pytest.raises(ToolkitError, match=r"^rules_path: nope\.yml: no such file or folder"):
        workspace.resolve("nope.yml", field="rules_path")
    assert (
        workspace.resolve("nope.yml", field="x", must_exist=False)
        == tmp_path.resolve() / "nope.yml"
    )
    with pytest.raises(ToolkitError, match=r"^source: give a path"):
        workspace.resolve("  ", field="source")
    assert workspace.resolve_optional(None, field="project") == tmp_path.resolve()


def test_toolkit_help_and_the_package_do_not_import_the_sdk() -> None:
    code = (
        "import sys, toolkit.mcp_server, toolkit.mcp_server.workspace, toolkit.commands.mcp\n"
        "from toolkit.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('mcp', 'pyspark', 'libcst') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines()[-1] == "[]"
    assert "mcp" in result.stdout and "Start the MCP server over stdio." in result.stdout
