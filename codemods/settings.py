"""The one settings resolver every door uses (CLI, pre-commit hooks, language server, MCP).

Settings live in `[tool.toolkit]` of the nearest `pyproject.toml` (or in a `toolkit.toml`, whose
keys are top level), found by walking up from a start folder, or in the file named by
`--config`. `resolve_settings` reads and validates them once; the resulting `Settings` answers
the questions the engine asks per file: which codes are on (`enabled_codes`), is this a test
file, is it a library module, and what is the cache key (`fingerprint`).

Pure apart from reading the config file: no pyspark, libcst or nbformat here.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any

from toolkit.errors import ToolkitError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = [
    "COMPUTE_KINDS",
    "DEFAULT_EXCLUDE",
    "RESERVED_CODES",
    "Settings",
    "is_databricks_notebook_text",
    "resolve_settings",
    "split_codes",
]

RuleMeta = tuple[str, bool]  # (code, opt_in)

COMPUTE_KINDS = ("serverless", "shared", "dedicated")
# Codes the engine itself emits; always on, whatever the selection says.
RESERVED_CODES = frozenset({"TK001", "TK002", "TK999"})
# Engine codes that are off unless selected, like ruff's RUF100: unused suppressions.
UNUSED_NOQA_CODE = "TK100"
OPT_IN_ENGINE_CODES = frozenset({UNUSED_NOQA_CODE})
# Like ruff's defaults: tool caches, virtualenvs, build output and vendored trees.
DEFAULT_EXCLUDE = (
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".git-rewrite",
    ".hg",
    ".ipynb_checkpoints",
    ".mypy_cache",
    ".nox",
    ".pants.d",
    ".pytest_cache",
    ".pytype",
    ".ruff_cache",
    ".svn",
    ".toolkit_cache",
    ".tox",
    ".venv",
    ".vscode",
    "__pycache__",
    "__pypackages__",
    "_build",
    "buck-out",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
)
_SELECTOR = re.compile(r"^(ALL|[A-Z]{2,4}[0-9]{0,3})$")
_COMPUTE_SCOPED_PREFIX = "DBX1"  # Spark Connect restrictions: moot on dedicated compute.
_NOTEBOOK_HEADER = "# Databricks notebook source"
_TEST_NAME = re.compile(r"^(test_.*|.*_test|conftest)\.(py|ipynb)$")


def _normalise(path: Path | str) -> Path:
    # Absolute and free of `..`, without resolving symlinks (no file-system calls).
    return Path(os.path.normpath(Path(path).absolute()))


def is_databricks_notebook_text(text: str) -> bool:
    """True when `text` is a Databricks source notebook (its first line is the header)."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    return first.rstrip() == _NOTEBOOK_HEADER


@dataclass(frozen=True)
class _Origin:
    """Where a setting came from, for error messages."""

    path: Path | None
    text: str = ""

    def locate(self, key: str) -> str:
        if self.path is None:
            return f"--{key}"
        table = "tool.toolkit" if self.path.name == "pyproject.toml" else ""
        line = _find_key_line(self.text, key, table=table)
        return f"{self.path}:{line}: {key}" if line else f"{self.path}: {key}"


def _find_key_line(text: str, key: str, *, table: str) -> int | None:
    """The line assigning `key` inside `table` (and its sub-tables); "" is the top level.

    tomllib gives no positions; a line scan that knows the table headers is exact in practice
    and does not confuse `[tool.ruff] select` with ours.
    """
    assignment = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    header = re.compile(r"^\s*\[+\s*([^\]]+?)\s*\]+")
    current = ""
    for number, line in enumerate(text.splitlines(), start=1):
        found = header.match(line)
        if found:
            current = found.group(1).replace('"', "").replace(" ", "")
            if current == (f"{table}.{key}" if table else key):
                return number  # the key given as its own table: `[tool.toolkit.per-file-ignores]`
            continue
        inside = (
            current == table
            or current.startswith(f"{table}.")
            or (table == "" and current == "per-file-ignores")
        )
        if inside and assignment.match(line):
            return number
    return None


@dataclass(frozen=True)
class Settings:
    """Effective settings for one project root. Build it with `resolve_settings`."""

    root: Path
    config_path: Path | None = None
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    force_exclude: bool = False
    src: tuple[Path, ...] = ()
    tests: tuple[Path, ...] = ()
    max_cells: int = 75
    config_dir: Path = Path("config")
    compute: str = "serverless"
    min_runtime: str = "13.3"
    _origin: _Origin = field(default=_Origin(None), repr=False, compare=False)
    _cli_selectors: frozenset[str] = field(default=frozenset(), repr=False, compare=False)

    def __post_init__(self) -> None:
        # Built directly (tests, tools): the same defaults as an empty [tool.toolkit].
        root = _normalise(self.root)
        object.__setattr__(self, "root", root)
        if not self.src:
            object.__setattr__(self, "src", (root,))
        if not self.tests:
            object.__setattr__(self, "tests", (root / "tests",))

    # ---- paths -------------------------------------------------------------------------
    def absolute(self, path: Path | str) -> Path:
        """`path` as an absolute path; a relative one is taken from the working folder."""
        return _normalise(path)

    def relative_to_root(self, path: Path | str) -> PurePosixPath | None:
        """`path` relative to the project root (posix form), or None when outside it."""
        try:
            return PurePosixPath(self.absolute(path).relative_to(self.root).as_posix())
        except ValueError:
            return None

    def is_test_file(self, path: Path | str) -> bool:
        """Under a `tests` folder, or named `test_*.py`, `*_test.py` or `conftest.py`."""
        absolute = self.absolute(path)
        if _TEST_NAME.match(absolute.name):
            return True
        return any(absolute.is_relative_to(folder) for folder in self.tests)

    def is_library_module(self, path: Path | str, text: str) -> bool:
        """A `.py` under the `src` folders that is neither a test nor a Databricks notebook."""
        absolute = self.absolute(path)
        if absolute.suffix != ".py" or self.is_test_file(absolute):
            return False
        if not any(absolute.is_relative_to(folder) for folder in self.src):
            return False
        return not is_databricks_notebook_text(text)

    @property
    def config_folder(self) -> Path:
        """The project's config folder (`config-dir`), absolute."""
        return self.config_dir if self.config_dir.is_absolute() else self.root / self.config_dir

    @property
    def min_runtime_version(self) -> tuple[int, int]:
        major, minor = self.min_runtime.split(".")
        return int(major), int(minor)

    # ---- selection ---------------------------------------------------------------------
    def enabled_codes(self, path: Path | str, all_codes: Iterable[RuleMeta]) -> frozenset[str]:
        """The codes to report for `path`, given the registry's `(code, opt_in)` pairs.

        Raises `ToolkitError` when a selector in the settings matches no known rule.
        """
        registry = all_codes if isinstance(all_codes, tuple) else tuple(all_codes)
        base = self._base_codes(registry)
        ignored = self._per_file_ignores_for(path)
        if not ignored:
            return base
        key = (registry, ignored)
        cached = self._per_file_cache.get(key)
        if cached is None:
            cached = frozenset(
                code
                for code in base
                if (code.startswith("TK") and code not in OPT_IN_ENGINE_CODES)
                or not _matches(code, ignored)
            )
            self._per_file_cache[key] = cached
        return cached

    @cached_property
    def _per_file_cache(self) -> dict[tuple[Any, ...], frozenset[str]]:
        return {}

    def _per_file_ignores_for(self, path: Path | str) -> tuple[str, ...]:
        if not self.per_file_ignores:
            return ()
        absolute = self.absolute(path)
        relative = self.relative_to_root(absolute)
        candidate = str(relative) if relative is not None else absolute.name
        hits = tuple(
            index
            for index, matcher in enumerate(self._per_file_matchers)
            if matcher(candidate, absolute.name)
        )
        return self._ignored_for_hits(hits)

    @cached_property
    def _per_file_matchers(self) -> tuple[Any, ...]:
        import pathspec

        matchers = []
        for pattern, _codes in self.per_file_ignores:
            negated = pattern.startswith("!")
            spec = pathspec.GitIgnoreSpec.from_lines([pattern.removeprefix("!")])

            def matcher(
                relative: str, name: str, spec: Any = spec, negated: bool = negated
            ) -> bool:
                hit = spec.match_file(relative) or spec.match_file(name)
                return hit != negated

            matchers.append(matcher)
        return tuple(matchers)

    @cached_property
    def _ignored_cache(self) -> dict[tuple[int, ...], tuple[str, ...]]:
        return {}

    def _ignored_for_hits(self, hits: tuple[int, ...]) -> tuple[str, ...]:
        cached = self._ignored_cache.get(hits)
        if cached is None:
            codes: list[str] = []
            for index in hits:
                codes.extend(self.per_file_ignores[index][1])
            cached = tuple(sorted(set(codes)))
            self._ignored_cache[hits] = cached
        return cached

    @cached_property
    def _base_cache(self) -> dict[tuple[RuleMeta, ...], frozenset[str]]:
        return {}

    def _base_codes(self, registry: tuple[RuleMeta, ...]) -> frozenset[str]:
        cached = self._base_cache.get(registry)
        if cached is None:
            self.validate_codes(code for code, _ in registry)
            cached = _select(
                registry,
                select=self.select,
                extend_select=self.extend_select,
                ignore=self.ignore,
                dedicated=self.compute == "dedicated",
            )
            self._base_cache[registry] = cached
        return cached

    def validate_codes(self, known_codes: Iterable[str]) -> None:
        """Raise `ToolkitError` naming any selector that matches none of `known_codes`."""
        known = tuple(known_codes) + tuple(RESERVED_CODES) + tuple(OPT_IN_ENGINE_CODES)
        sources: list[tuple[str, tuple[str, ...]]] = [
            ("select", self.select or ()),
            ("extend-select", self.extend_select),
            ("ignore", self.ignore),
        ]
        sources.extend(("per-file-ignores", codes) for _, codes in self.per_file_ignores)
        for key, selectors in sources:
            for selector in selectors:
                if selector == "ALL" or any(code.startswith(selector) for code in known):
                    continue
                from_cli = selector in self._cli_selectors and key != "per-file-ignores"
                where = f"--{key}" if from_cli else self._origin.locate(key)
                close = difflib.get_close_matches(selector, known, n=1)
                hint = f"did you mean {close[0]}?" if close else None
                raise ToolkitError(f"{where}: unknown rule code or prefix {selector!r}", hint=hint)

    def rule_options(self) -> dict[str, dict[str, Any]]:
        """Per-rule options the settings carry, keyed by rule code."""
        return {
            "DBX207": {"config-dir": str(self.config_folder)},
            "DBX208": {"max-cells": self.max_cells},
            "DBX209": {"min-runtime": self.min_runtime},
            "TST001": {
                "tests": [str(folder) for folder in self.tests],
                "explicit": any(
                    selector != "ALL" and "TST001".startswith(selector)
                    for selector in (*(self.select or ()), *self.extend_select)
                ),
            },
        }

    def lint_settings_for(self, path: Path | str, text: str, all_codes: Iterable[RuleMeta]) -> Any:
        """The engine's per-file `LintSettings` for `path` with contents `text`."""
        from codemods.engine.options import LintSettings

        enabled = self.enabled_codes(path, all_codes)
        return LintSettings(
            enabled_codes=enabled,
            report_unused_noqa=UNUSED_NOQA_CODE in enabled,
            compute=self.compute,
            library_module=self.is_library_module(path, text),
            test_file=self.is_test_file(path),
            rule_options=self.rule_options(),
        )

    # ---- cache key ---------------------------------------------------------------------
    def fingerprint(self) -> str:
        """A stable hash of the effective settings, for cache keys."""
        payload = {
            "root": str(self.root),
            "select": self.select,
            "extend_select": self.extend_select,
            "ignore": self.ignore,
            "per_file_ignores": self.per_file_ignores,
            "exclude": self.exclude,
            "extend_exclude": self.extend_exclude,
            "force_exclude": self.force_exclude,
            "src": [str(p) for p in self.src],
            "tests": [str(p) for p in self.tests],
            "max_cells": self.max_cells,
            "config_dir": str(self.config_dir),
            "compute": self.compute,
            "min_runtime": self.min_runtime,
        }
        blob = json.dumps(payload, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()[:32]


def _matches(code: str, selectors: Sequence[str]) -> bool:
    return any(s == "ALL" or code.startswith(s) for s in selectors)


def _select(
    registry: Sequence[RuleMeta],
    *,
    select: Sequence[str] | None,
    extend_select: Sequence[str],
    ignore: Sequence[str],
    dedicated: bool,
) -> frozenset[str]:
    """Apply the selection order of docs/configuration.md: the default set or `select`, plus
    `extend-select`, minus `ignore`."""
    enabled: set[str] = set()
    chosen = tuple(select or ()) + tuple(extend_select)
    for code in OPT_IN_ENGINE_CODES:
        # Only by name or a TK prefix (not by ALL): a report on the suppressions themselves is
        # asked for on purpose. `ignore` still wins.
        named = any(selector != "ALL" and code.startswith(selector) for selector in chosen)
        if named and not _matches(code, ignore):
            enabled.add(code)
    for code, opt_in in registry:
        if code.startswith("TK"):
            enabled.add(code)
            continue
        by_full_code = code in chosen
        compute_dropped = dedicated and code.startswith(_COMPUTE_SCOPED_PREFIX)
        if compute_dropped:
            # On dedicated compute the Spark Connect rules come back only by full code.
            on = by_full_code
        elif select is None:
            on = not opt_in or _matches(code, extend_select)
        else:
            on = _matches(code, chosen)
        if on and not (_matches(code, ignore) and not code.startswith("TK")):
            enabled.add(code)
    return frozenset(enabled | RESERVED_CODES)


# ---- reading and validating ----------------------------------------------------------------

_KNOWN_KEYS = (
    "select",
    "extend-select",
    "ignore",
    "per-file-ignores",
    "exclude",
    "extend-exclude",
    "force-exclude",
    "src",
    "tests",
    "max-cells",
    "config-dir",
    "compute",
    "min-runtime",
)


def _find_config(start: Path) -> tuple[Path | None, Path]:
    """(config file, project root) for the nearest config above `start`."""
    folder = start if start.is_dir() else start.parent
    first_pyproject: Path | None = None
    for candidate in (folder, *folder.parents):
        toolkit_toml = candidate / "toolkit.toml"
        if toolkit_toml.is_file():
            return toolkit_toml, candidate
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file():
            first_pyproject = first_pyproject or pyproject
            if _has_toolkit_table(pyproject):
                return pyproject, candidate
    # No toolkit table anywhere: defaults, rooted at the nearest project (or the start).
    return None, first_pyproject.parent if first_pyproject else folder


def _has_toolkit_table(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if "tool.toolkit" not in text and "[tool]" not in text:
        return False  # cheap pre-check: most pyprojects have no table of ours
    return "toolkit" in _load_toml(pyproject, text).get("tool", {})


def _load_toml(path: Path, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ToolkitError(f"{path}: invalid TOML: {exc}") from exc


def _read_table(path: Path) -> tuple[dict[str, Any], str]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ToolkitError(f"{path}: config file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ToolkitError(f"{path}: cannot read config file: {exc}") from exc
    document = _load_toml(path, text)
    if path.name == "pyproject.toml":
        table = document.get("tool", {}).get("toolkit", {})
        if not isinstance(table, dict):
            raise ToolkitError(f"{path}: [tool.toolkit] must be a table")
        return table, text
    return document, text


def _selectors(value: Any, key: str, origin: _Origin) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ToolkitError(
            f"{origin.locate(key)}: expected a list of rule codes or prefixes, "
            f'like ["SPK", "DBX201"], got {value!r}'
        )
    for selector in value:
        if not _SELECTOR.match(selector):
            raise ToolkitError(
                f"{origin.locate(key)}: {selector!r} is not a rule code or prefix "
                '(expected "ALL", a prefix like "SPK" or "SPK2", or a code like "SPK101")'
            )
    return tuple(value)


def _strings(value: Any, key: str, origin: _Origin) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ToolkitError(f"{origin.locate(key)}: expected a list of strings, got {value!r}")
    return tuple(value)


def _folders(value: Any, key: str, origin: _Origin, root: Path) -> tuple[Path, ...]:
    return tuple(_normalise(root / folder) for folder in _strings(value, key, origin))


def _parse_table(table: Mapping[str, Any], origin: _Origin, root: Path) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in _KNOWN_KEYS:
            close = difflib.get_close_matches(key, _KNOWN_KEYS, n=1)
            hint = f"did you mean {close[0]!r}?" if close else None
            raise ToolkitError(
                f"{origin.locate(key)}: unknown setting; allowed: {', '.join(_KNOWN_KEYS)}",
                hint=hint,
            )
        where = origin.locate(key)
        if key in ("select", "extend-select", "ignore"):
            values[key] = _selectors(value, key, origin)
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise ToolkitError(
                    f'{where}: expected a table of glob = [codes], like {{"tests/**" = ["SPK2"]}}'
                )
            values[key] = tuple(
                (glob, _selectors(codes, key, origin)) for glob, codes in value.items()
            )
        elif key in ("exclude", "extend-exclude"):
            values[key] = _strings(value, key, origin)
        elif key in ("src", "tests"):
            values[key] = _folders(value, key, origin, root)
        elif key == "force-exclude":
            if not isinstance(value, bool):
                raise ToolkitError(f"{where}: expected true or false, got {value!r}")
            values[key] = value
        elif key == "max-cells":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ToolkitError(f"{where}: expected a whole number of cells >= 1, got {value!r}")
            values[key] = value
        elif key == "config-dir":
            if not isinstance(value, str) or not value:
                raise ToolkitError(f"{where}: expected a folder path, got {value!r}")
            values[key] = Path(value)
        elif key == "compute":
            if value not in COMPUTE_KINDS:
                raise ToolkitError(
                    f"{where}: expected one of {', '.join(map(repr, COMPUTE_KINDS))}, got {value!r}"
                )
            values[key] = value
        elif key == "min-runtime":
            values[key] = _runtime(value, where)
    return values


def _runtime(value: Any, where: str) -> str:
    # A TOML float is accepted (`min-runtime = 13.3`); Databricks runtimes have one-digit minors.
    text = repr(value) if isinstance(value, float) else value
    if not isinstance(text, str) or not re.fullmatch(r"\d+\.\d+", text):
        raise ToolkitError(
            f'{where}: expected a Databricks runtime version like "13.3" or "15.4", got {value!r}'
        )
    return text


def split_codes(values: Sequence[str] | None) -> list[str] | None:
    """`--select SPK1,DBX --select tst` -> ["SPK1", "DBX", "TST"]; None when none are given.

    How the CLI, the hooks and the MCP tools read a code-list option before `resolve_settings`.
    """
    if not values:
        return None
    return [part.strip().upper() for value in values for part in value.split(",") if part.strip()]


def resolve_settings(
    start: Path | str,
    *,
    config: Path | str | None = None,
    select: Sequence[str] | None = None,
    extend_select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
) -> Settings:
    """Settings for files under `start`, with command-line overrides applied.

    `config` names a `pyproject.toml` (its `[tool.toolkit]` table) or a `toolkit.toml`
    (top-level keys) and skips discovery. `select` replaces the settings' `select`;
    `extend_select` and `ignore` add to the settings' own.
    """
    start_path = _normalise(start)
    if config is not None:
        config_path: Path | None = _normalise(config)
        if config_path is not None and config_path.is_dir():
            raise ToolkitError(f"{config_path}: --config must name a file, not a folder")
        root = _normalise(config).parent
    else:
        config_path, root = _find_config(start_path)
    values: dict[str, Any] = {}
    origin = _Origin(None)
    if config_path is not None:
        table, text = _read_table(config_path)
        origin = _Origin(config_path, text)
        values = _parse_table(table, origin, root)
    cli_origin = _Origin(None)
    if select is not None:
        values["select"] = _selectors(list(select), "select", cli_origin)
    extra_select = _selectors(list(extend_select or ()), "extend-select", cli_origin)
    extra_ignore = _selectors(list(ignore or ()), "ignore", cli_origin)
    return Settings(
        root=root,
        config_path=config_path,
        select=values.get("select"),
        extend_select=values.get("extend-select", ()) + extra_select,
        ignore=values.get("ignore", ()) + extra_ignore,
        per_file_ignores=values.get("per-file-ignores", ()),
        exclude=values.get("exclude", DEFAULT_EXCLUDE),
        extend_exclude=values.get("extend-exclude", ()),
        force_exclude=values.get("force-exclude", False),
        src=values.get("src", (root,)),
        tests=values.get("tests", (root / "tests",)),
        max_cells=values.get("max-cells", 75),
        config_dir=values.get("config-dir", Path("config")),
        compute=values.get("compute", "serverless"),
        min_runtime=values.get("min-runtime", "13.3"),
        _origin=origin,
        _cli_selectors=frozenset((*(select or ()), *extra_select, *extra_ignore)),
    )
