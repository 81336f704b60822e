"""The per-file result cache under `<project root>/.toolkit_cache/`.

An entry is keyed by everything a file's findings depend on: the file's bytes, its display
path, the settings fingerprint, the toolkit's code (the rule codes plus the size and mtime of
every module of the linter: an upgrade or an edited rule invalidates), and the project index
hash (the config and test files that project-level rules read). One small JSON
file per entry, written through a temporary file and a rename, so parallel workers and
concurrent runs (a hook and an editor) never read half an entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from codemods.engine.project import test_file_stamps
from codemods.engine.types import Diagnostic, Edit, Fix, Position

CACHE_FOLDER = ".toolkit_cache"
_ENTRIES = "lint-v1"
_GITIGNORE = "# Created by toolkit: the lint cache, safe to delete.\n*\n"
_MAX_AGE = 30 * 24 * 3600  # seconds an entry is kept after it was written
_PRUNE_EVERY = 7 * 24 * 3600


def code_fingerprint(codes: Iterable[str]) -> str:
    """The rule codes plus the size and mtime of every module of the linter (engine, rules,
    notebooks, settings, runner): changes with any upgrade of the toolkit (this stands for
    its version, without importing `importlib.metadata`, which costs more than a warm run)
    and with any local edit of a rule."""
    import codemods.engine
    import codemods.rules

    digest = hashlib.sha256(",".join(sorted(codes)).encode())
    folders = [Path(codemods.engine.__file__).parent, Path(codemods.rules.__file__).parent]
    folders.append(folders[0].parent)  # codemods/ itself: notebooks, settings, runner
    for folder in folders:
        for entry in sorted(os.scandir(folder), key=lambda item: item.name):
            if entry.name.endswith(".py"):
                stat = entry.stat()
                digest.update(f"{entry.path}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()[:32]


def project_index_hash(
    *, config_folder: Path, test_folders: Iterable[Path], codes: frozenset[str]
) -> str:
    """A hash of the files project-level rules read, only for the rules that are on.

    DBX207 reads `config/*.yaml` (hashed by content: small files); TST001 reads the test
    folders (hashed by path, size and mtime: a project may have thousands of tests). With
    neither rule on, editing a test or a config file keeps every cached result.
    """
    digest = hashlib.sha256()
    if "DBX207" in codes and config_folder.is_dir():
        for path in sorted(config_folder.glob("*.y*ml")):
            try:
                digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
            except OSError:
                continue
    if "TST001" in codes:
        for folder in test_folders:
            # TST001 reports differently when no test folder exists at all.
            digest.update(f"{folder}:{os.path.isdir(folder)};".encode())
            for path, mtime, size in test_file_stamps(folder):
                digest.update(f"{path}:{size}:{mtime};".encode())
    return digest.hexdigest()[:32]


class LintCache:
    """Read and write cached findings for one run (one settings fingerprint)."""

    def __init__(self, root: Path, run_key: str) -> None:
        self.folder = root / CACHE_FOLDER
        self.entries = self.folder / _ENTRIES
        self.run_key = run_key
        self._prepared = False

    def key(self, data: bytes, display_path: str) -> str:
        digest = hashlib.sha256(self.run_key.encode())
        digest.update(display_path.encode() + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def get(self, key: str) -> list[dict[str, Any]] | None:
        try:
            with open(self.entries / key[:2] / f"{key}.json", encoding="utf-8") as handle:
                return json.load(handle)
        except (OSError, ValueError):
            return None

    def put(self, key: str, findings: list[dict[str, Any]]) -> None:
        try:
            self._prepare()
            folder = self.entries / key[:2]
            folder.mkdir(exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(findings, handle, separators=(",", ":"))
            os.replace(temporary, folder / f"{key}.json")
        except OSError:
            return  # a read-only checkout still lints; it only runs uncached

    def _prepare(self) -> None:
        if self._prepared:
            return
        self.entries.mkdir(parents=True, exist_ok=True)
        gitignore = self.folder / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text(_GITIGNORE, encoding="utf-8")
        self._prepared = True
        self.prune()

    def prune(self, *, now: float | None = None) -> int:
        """Delete entries written more than `_MAX_AGE` ago, at most once per `_PRUNE_EVERY`.

        Every edit of a file adds an entry and nothing else removes them; a pruned entry that
        was still valid only costs one uncached lint. Returns how many were deleted.
        """
        import time

        now = time.time() if now is None else now
        marker = self.entries / ".last-prune"
        try:
            if now - marker.stat().st_mtime < _PRUNE_EVERY:
                return 0
        except OSError:
            pass  # never pruned: do it now
        removed = 0
        for folder in self.entries.iterdir():
            if not folder.is_dir():
                continue
            for entry in os.scandir(folder):
                try:
                    if now - entry.stat().st_mtime > _MAX_AGE:
                        os.unlink(entry.path)
                        removed += 1
                except OSError:
                    continue
        marker.touch()
        os.utime(marker, (now, now))
        return removed


def diagnostic_from_dict(data: dict[str, Any]) -> Diagnostic:
    """The inverse of `Diagnostic.to_dict` (path and cell are kept by the caller)."""
    fix = data.get("fix")
    return Diagnostic(
        code=data["code"],
        name=data["name"],
        message=data["message"],
        severity=data["severity"],
        start=_position(data["start"]),
        end=_position(data["end"]),
        fix=None
        if fix is None
        else Fix(
            edits=tuple(
                Edit(_position(edit["start"]), _position(edit["end"]), edit["content"])
                for edit in fix["edits"] or ()  # None: a costly fix whose edits were not needed
            ),
            applicability=fix["applicability"],
            message=fix["message"],
        ),
        url=data.get("url"),
    )


def _position(data: dict[str, int]) -> Position:
    return Position(data["line"], data["column"])
