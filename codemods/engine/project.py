"""Project-level facts for rules that need more than the file they lint.

`project_index(config_dir)` reads a toolkit project's `config/` folder through
`toolkit.config` once and answers which Unity Catalog catalogs and schemas the project's
environments use (DBX207 hardcoded-table-name). The result is cached per folder and
re-read when a config file changes (path, size and modification time of every `*.yaml`);
`ProjectIndex.fingerprint` hashes the facts, so a door's lint cache can include it in each
file's key (docs/architecture.md).

How a rule gets it: the settings resolver puts the folder in the rule's options
(`{"DBX207": {"config-dir": "/abs/project/config"}}`, see `Settings.rule_options`); a caller
that already holds an index (a door linting many files, a test) may pass it instead as
`{"project-index": ProjectIndex(...)}`. `index_for_options(options)` accepts both.

Never raises for a broken or missing config: the index is then empty (so the rules stay
silent) and `toolkit config validate` is the place that reports config problems.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_lock = threading.Lock()
_cache: dict[str, tuple[tuple[Any, ...], ProjectIndex]] = {}


@dataclass(frozen=True)
class ProjectIndex:
    """The catalogs and schemas a project's config names, across all its environments.

    - `catalogs`: every `catalog.name` (`local`, `dev_sales`, `prod_sales`).
    - `schema_layers`: schema name -> the layers that use it (`{"sales_bronze": ("bronze",)}`).
    - `environments`: the environments read.
    """

    config_dir: str | None = None
    catalogs: frozenset[str] = frozenset()
    schema_layers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    environments: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.catalogs and not self.schema_layers

    @property
    def fingerprint(self) -> str:
        """A stable hash of the facts (for lint cache keys)."""
        payload = {
            "catalogs": sorted(self.catalogs),
            "schemas": {name: list(layers) for name, layers in sorted(self.schema_layers.items())},
        }
        blob = json.dumps(payload, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def layer_of(self, schema: str) -> str | None:
        """The one layer `schema` belongs to, or None (unknown, or several layers)."""
        layers = self.schema_layers.get(schema, ())
        return layers[0] if len(set(layers)) == 1 else None


EMPTY_INDEX = ProjectIndex()


def index_for_options(options: Mapping[str, Any]) -> ProjectIndex:
    """The index a rule's options point to: `project-index`, else `config-dir`, else empty."""
    given = options.get("project-index")
    if isinstance(given, ProjectIndex):
        return given
    folder = options.get("config-dir")
    return project_index(folder) if folder else EMPTY_INDEX


def project_index(config_dir: str | Path) -> ProjectIndex:
    """The (cached) index of the config folder `config_dir`; empty when it has no config."""
    folder = Path(config_dir)
    stamps = _stamps(folder)
    if not stamps:
        return EMPTY_INDEX
    key = str(folder.absolute())
    with _lock:
        cached = _cache.get(key)
    if cached is not None and cached[0] == stamps:
        return cached[1]
    index = _read_index(folder)
    with _lock:
        _cache[key] = (stamps, index)
    return index


def _stamps(folder: Path) -> tuple[Any, ...]:
    try:
        files = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
        stamps = []
        for path in files:
            stat = path.stat()
            stamps.append((path.name, stat.st_mtime_ns, stat.st_size))
    except OSError:
        return ()
    if not any(name in ("project.yaml", "project.yml") for name, _, _ in stamps):
        return ()
    return tuple(stamps)


def _read_index(folder: Path) -> ProjectIndex:
    from toolkit.config.loader import DEFAULT_ENV, list_environments, resolve

    environments = list_environments(folder) or [DEFAULT_ENV]
    catalogs: set[str] = set()
    schema_layers: dict[str, list[str]] = {}
    read: list[str] = []
    for env in environments:
        try:
            result = resolve(
                folder, env, environ={}, apply_overrides=False, require_variables=False
            )
        except Exception:  # a config the loader cannot read: that environment adds nothing
            continue
        if result.config is None:
            continue
        read.append(env)
        catalog = result.config.catalog
        if _IDENTIFIER.fullmatch(catalog.name):
            catalogs.add(catalog.name)
        for layer, schema in catalog.schemas.items():
            if _IDENTIFIER.fullmatch(schema) and layer not in schema_layers.get(schema, []):
                schema_layers.setdefault(schema, []).append(layer)
    return ProjectIndex(
        config_dir=str(folder),
        catalogs=frozenset(catalogs),
        schema_layers={name: tuple(layers) for name, layers in schema_layers.items()},
        environments=tuple(read),
    )


# ---- TST001: the names the test folders mention ----------------------------------------------

# A test folder is re-scanned only when one of its files changed (path, size, mtime), and its
# files are stat'ed at most once per this many seconds per process: a run lints hundreds of
# files against one scan, while an editor still sees a saved test within a second.
_RECHECK_SECONDS = 1.0
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_SKIPPED_FOLDERS = frozenset({"__pycache__", ".ipynb_checkpoints", "node_modules"})
_names_lock = threading.Lock()
_names_cache: dict[tuple[str, ...], tuple[float, tuple[Any, ...], NamesInTests]] = {}


@dataclass(frozen=True)
class NamesInTests:
    """Every name the files under a project's test folders import or mention (TST001).

    - `names`: identifiers used as names, attributes and imports, and the parts of strings
      that are dotted names (`mock.patch("shop.orders.clean")`, `getattr(m, "clean")`).
      Comments and prose are not mentions.
    - `folders_exist`: whether at least one configured test folder exists: a project with no
      test folder at all is a different situation from one with tests that miss a transform.
    """

    names: frozenset[str] = frozenset()
    folders_exist: bool = True
    files: int = 0

    def mentions(self, name: str) -> bool:
        return name in self.names

    @property
    def fingerprint(self) -> str:
        blob = json.dumps([sorted(self.names), self.folders_exist], separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


def names_in_tests_for_options(options: Mapping[str, Any]) -> NamesInTests | None:
    """The names an options mapping points to: `names-in-tests` (an index a caller built),
    else a scan of the `tests` folders, else None (no project facts: rules stay silent)."""
    given = options.get("names-in-tests")
    if isinstance(given, NamesInTests):
        return given
    folders = options.get("tests")
    if not folders:
        return None
    return names_in_tests([str(folder) for folder in folders])


def names_in_tests(folders: list[str] | tuple[str, ...]) -> NamesInTests:
    """The (cached) names every `.py` and `.ipynb` file under `folders` mentions."""
    key = tuple(str(Path(folder).absolute()) for folder in folders)
    now = _monotonic()
    with _names_lock:
        cached = _names_cache.get(key)
    if cached is not None and now - cached[0] < _RECHECK_SECONDS:
        return cached[2]
    stamps = _test_file_stamps(key)
    if cached is not None and cached[1] == stamps:
        with _names_lock:
            _names_cache[key] = (now, stamps, cached[2])
        return cached[2]
    names: set[str] = set()
    for path, _, _ in stamps[1:]:
        names.update(_names_in_file(path))
    index = NamesInTests(frozenset(names), folders_exist=stamps[0], files=len(stamps) - 1)
    with _names_lock:
        _names_cache[key] = (now, stamps, index)
    return index


def _monotonic() -> float:
    import time

    return time.monotonic()


def _test_file_stamps(folders: tuple[str, ...]) -> tuple[Any, ...]:
    """(any folder exists, (path, mtime, size) of every test file...), in a stable order."""
    import os

    exists = any(os.path.isdir(folder) for folder in folders)
    return (exists, *(stamp for folder in folders for stamp in test_file_stamps(folder)))


def test_file_stamps(folder: str):
    """(path, mtime in ns, size) of every Python file and notebook under `folder`, sorted,
    skipping hidden and generated folders: what TST001 reads, so what a cache must watch."""
    import os

    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(
            name for name in dirnames if name not in _SKIPPED_FOLDERS and name[0] != "."
        )
        for name in sorted(filenames):
            if name.endswith((".py", ".ipynb")):
                path = os.path.join(dirpath, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                yield path, stat.st_mtime_ns, stat.st_size


def _names_in_file(path: str) -> set[str]:
    import ast

    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except OSError:
        return set()
    if path.endswith(".ipynb"):
        return set(_WORD.findall(text))  # cells are JSON strings: every word may be code
    try:
        tree = ast.parse(text, filename=path)
    except (SyntaxError, ValueError):
        return set(_WORD.findall(text))  # unreadable as Python: count any word, stay silent
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, ast.alias):
            names.update(node.name.split("."))
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and len(node.value) <= 200
            and _DOTTED.fullmatch(node.value)
        ):
            names.update(node.value.split("."))
    return names
