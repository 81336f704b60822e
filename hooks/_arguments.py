"""The arguments every lint hook takes, as pre-commit passes them: `args` then file names."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def lint_parser(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("filenames", nargs="*", help="files to check (pre-commit passes them)")
    parser.add_argument("--select", action="append", default=[], help="codes or prefixes")
    parser.add_argument("--extend-select", action="append", default=[])
    parser.add_argument("--ignore", action="append", default=[])
    parser.add_argument("--config", type=Path, default=None, help="pyproject.toml or toolkit.toml")
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--show-fixes", action="store_true")
    return parser


def lint_arguments(parsed: argparse.Namespace) -> dict[str, Any]:
    """Keyword arguments for `toolkit.commands.lint.lint_command` / `fix_command`.

    Excludes hold for the named files too (`force_exclude`): pre-commit names every staged
    file, and an excluded `generated/` folder must stay excluded.
    """
    return {
        "paths": _files(parsed.filenames),
        "select": parsed.select,
        "extend_select": parsed.extend_select,
        "ignore": parsed.ignore,
        "config_file": parsed.config,
        "no_cache": parsed.no_cache,
        "show_fixes": parsed.show_fixes,
        "force_exclude": True,
    }


def _files(filenames: Sequence[str]) -> list[str]:
    # With no file (a commit that stages none of ours) there is nothing to lint: not ".".
    return list(filenames)


def run_door(function: Any, **arguments: Any) -> int:
    """Call a CLI door, printing a `ToolkitError` as the CLI does (exit 2, no traceback)."""
    import sys

    from toolkit.errors import ToolkitError

    if not arguments.get("paths"):
        return 0
    try:
        return function(**arguments)
    except ToolkitError as error:
        sys.stderr.write(f"error: {error}\n")
        return error.exit_code
