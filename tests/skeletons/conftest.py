"""Shared fixtures of the scaffold tests: the bundle JSON schema (test data, not shipped)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest


def bundle_schema_path() -> Path | None:
    folder = os.environ.get("TOOLKIT_TEST_DATA")
    candidates = [Path(folder)] if folder else []
    # `make test` sets TOOLKIT_TEST_DATA to ../shared/data; the same place when it is unset.
    candidates.append(Path(__file__).resolve().parents[3] / "shared" / "data")
    for candidate in candidates:
        if (candidate / "bundle-schema.json").is_file():
            return candidate / "bundle-schema.json"
    return None


@pytest.fixture(scope="session")
def bundle_schema() -> dict[str, Any]:
    path = bundle_schema_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("bundle-schema.json not found: set TOOLKIT_TEST_DATA")
        pytest.skip("bundle-schema.json not found (TOOLKIT_TEST_DATA is not set)")
    return json.loads(path.read_text(encoding="utf-8"))
