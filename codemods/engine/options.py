"""The little the engine needs to know about a file's settings.

The `[tool.toolkit]` resolver (`codemods.settings`) resolves selection, per-file ignores,
compute and the library-module test for one path and hands the engine a `LintSettings`. The
defaults make the engine usable standalone: every rule that is not opt-in, serverless compute.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

_TEST_FILE_NAMES = ("conftest.py",)


@dataclass(frozen=True, slots=True)
class LintSettings:
    """Resolved settings for linting one file.

    - `enabled_codes`: exact codes to run; None means every rule that is not `opt_in`.
    - `compute`: "serverless", "shared" or "dedicated" (rules may read it).
    - `library_module`: whether `library_only` rules apply; None derives it from the path
      name alone (not a test file, not a notebook), the resolver knows the `src` folders.
    - `rule_options`: per-rule options keyed by code, e.g. {"DBX208": {"max-cells": 75}}.
    - `report_unused_noqa`: report `# noqa` codes of ours that suppressed nothing (TK100).
    - `test_file`: whether the file is a test (rules such as TST002 apply only there, SPK209
      never); None derives it from the path alone, the resolver knows the `tests` folders.
    - `notebook`: the `codemods.notebooks.NotebookView` of a Jupyter notebook whose Python
      text is linted (its cells and blanked magics, for DBX204/DBX208); None otherwise
      (Databricks source notebooks carry their cells in the text itself).
    """

    enabled_codes: frozenset[str] | None = None
    compute: str = "serverless"
    library_module: bool | None = None
    rule_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    report_unused_noqa: bool = False
    test_file: bool | None = None
    notebook: Any = None

    def is_enabled(self, code: str, *, opt_in: bool) -> bool:
        if self.enabled_codes is None:
            return not opt_in
        return code in self.enabled_codes

    def is_library_module(self, path: str) -> bool:
        if self.library_module is not None:
            return self.library_module
        return looks_like_library_module(path)

    def is_test_file(self, path: str) -> bool:
        if self.test_file is not None:
            return self.test_file
        return looks_like_test_file(path)

    def options_for(self, code: str) -> Mapping[str, Any]:
        return self.rule_options.get(code, {})


DEFAULT_SETTINGS = LintSettings()


def looks_like_test_file(path: str) -> bool:
    """Under a `tests` folder, or named `test_*.py`, `*_test.py` or `conftest.py`, judged from
    the path alone."""
    normalized = path.replace("\\", "/")
    name = normalized.rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0]
    if name in _TEST_FILE_NAMES or stem.startswith("test_") or stem.endswith("_test"):
        return True
    return "/tests/" in f"/{normalized}"


def looks_like_library_module(path: str) -> bool:
    """A `.py` file that is not a test by name or folder, judged from the path alone."""
    normalized = path.replace("\\", "/")
    name = normalized.rsplit("/", 1)[-1]
    if not name.endswith(".py") or name in _TEST_FILE_NAMES:
        return False
    if name.startswith("test_") or name.endswith("_test.py"):
        return False
    return "/tests/" not in f"/{normalized}"
