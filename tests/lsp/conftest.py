"""Fixtures for the language server tests: a real `python -m lsp` subprocess per test."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import pytest_lsp
from pytest_lsp import LanguageClient

sys.path.insert(0, str(Path(__file__).parent))  # the helpers module next to this file

from lsp_helpers import CONFIG


@pytest_lsp.fixture(config=CONFIG)
async def client(lsp_client: LanguageClient):
    """A client talking to a started server; each test initializes it (root, options and
    capabilities vary), and the session is shut down cleanly after the test."""
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\n\n[tool.toolkit]\n')
    return tmp_path
