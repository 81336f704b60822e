"""Fixtures for the MCP server tests: one `toolkit mcp` subprocess per module (see
`mcp_helpers`), a workspace the client declares, and a folder outside it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # the helpers module next to this file

from mcp_helpers import SAMPLE, Session, open_session


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder the client declares as its root: a tiny project with one PySpark module."""
    root = tmp_path_factory.mktemp("workspace")
    (root / "pyproject.toml").write_text('[project]\nname = "shop"\n\n[tool.toolkit]\n')
    (root / "jobs").mkdir()
    (root / "jobs" / "customers.py").write_text(SAMPLE)
    return root


@pytest.fixture(scope="module")
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder next to the workspace, which no tool may touch."""
    folder = tmp_path_factory.mktemp("outside")
    (folder / "secret.py").write_text(SAMPLE)
    return folder


@pytest.fixture(scope="module")
def session(workspace: Path, outside: Path) -> Iterator[Session]:
    """The server started in `outside` (its working folder), the client declaring `workspace`:
    the declared roots, not the working folder, bound the tools."""
    with ExitStack() as stack:
        yield open_session(stack, cwd=outside, roots=(workspace,))
