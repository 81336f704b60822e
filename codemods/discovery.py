"""Which files to lint: folders expanded to `.py` and `.ipynb`, minus what the project excludes.

Rules, as in ruff:
- A folder is walked; a file or folder under it is skipped when it matches `exclude` (default
  `DEFAULT_EXCLUDE`), `extend-exclude`, or a `.gitignore` (the root one, nested ones, the ones
  of parent folders up to the git repository's top, and `.git/info/exclude`). Excluded folders
  are pruned, never entered.
- A path named on the command line is always linted, even when it is excluded, unless
  `force-exclude` is on (settings key or argument): pre-commit passes every staged file by
  name, and `force-exclude = true` makes the project's excludes hold there too. A folder
  named on purpose (`toolkit lint build/`) is walked with the patterns applied from inside it.
- Patterns use gitignore syntax, relative to the project root: `generated/` or `*_pb2.py`
  match at any depth, `/scripts/old` or `src/legacy/**` from the root.

The result is sorted and free of duplicates, in the form the paths were given (relative stays
relative), so output is stable across runs and machines.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codemods.settings import Settings
from toolkit.errors import ToolkitError

__all__ = ["LINTABLE_SUFFIXES", "discover_files", "is_excluded"]

LINTABLE_SUFFIXES = (".py", ".ipynb")


@dataclass(frozen=True)
class _IgnoreFile:
    base: str  # absolute folder the patterns are relative to, with a trailing separator
    spec: Any  # pathspec.GitIgnoreSpec


def _load_ignore_file(folder: str, name: str) -> _IgnoreFile | None:
    import pathspec

    try:
        with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    if not any(line.strip() and not line.startswith("#") for line in lines):
        return None
    base = folder if name == ".gitignore" else os.path.dirname(os.path.dirname(folder))
    return _IgnoreFile(base.rstrip(os.sep) + os.sep, pathspec.GitIgnoreSpec.from_lines(lines))


def _gitignored(path: str, is_dir: bool, ignore_files: Iterable[_IgnoreFile]) -> bool:
    """Gitignore semantics: the last matching pattern wins; deeper files come later."""
    verdict = False
    for ignore in ignore_files:
        if not path.startswith(ignore.base):
            continue
        relative = path[len(ignore.base) :].replace(os.sep, "/") + ("/" if is_dir else "")
        result = ignore.spec.check_file(relative)
        if result.include is not None:
            verdict = result.include
    return verdict


def _ancestor_ignore_files(folder: str, settings: Settings) -> list[_IgnoreFile]:
    """The `.gitignore` files above `folder` that apply to it, outermost first."""
    chain: list[str] = []
    current = folder
    repo_top: str | None = None
    while True:
        chain.append(current)
        if os.path.exists(os.path.join(current, ".git")):
            repo_top = current
            break
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    if repo_top is None:
        # Outside a repository: only the project's own .gitignore files count.
        root = str(settings.root)
        chain = [c for c in chain if c == root or c.startswith(root.rstrip(os.sep) + os.sep)]
    found: list[_IgnoreFile] = []
    if repo_top is not None:
        info = _load_ignore_file(os.path.join(repo_top, ".git", "info"), "exclude")
        if info is not None:
            found.append(info)
    # `folder` itself is read by the walk; its ancestors here, outermost first.
    for ancestor in reversed(chain[1:]):
        loaded = _load_ignore_file(ancestor, ".gitignore")
        if loaded is not None:
            found.append(loaded)
    return found


class _Excluder:
    """`exclude` + `extend-exclude` patterns, matched relative to the project root."""

    def __init__(self, settings: Settings, *, root: str | None = None) -> None:
        import pathspec

        self.root = (root or str(settings.root)).rstrip(os.sep) + os.sep
        self.spec = pathspec.GitIgnoreSpec.from_lines([*settings.exclude, *settings.extend_exclude])

    def __call__(self, path: str, is_dir: bool) -> bool:
        suffix = "/" if is_dir else ""
        if path.startswith(self.root):
            relative = path[len(self.root) :].replace(os.sep, "/")
            return self.spec.match_file(relative + suffix)
        # Outside the project only name patterns can apply.
        return self.spec.match_file(os.path.basename(path) + suffix)


class _ExclusionCheck:
    """`is_excluded` for many paths of one run: the patterns and .gitignore files read once."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.excluder = _Excluder(settings)
        self.root = str(settings.root).rstrip(os.sep) + os.sep
        self._ignores: dict[str, list[_IgnoreFile]] = {}

    def ignore_files(self, folder: str) -> list[_IgnoreFile]:
        """Every .gitignore that applies to entries of `folder` (its own included)."""
        cached = self._ignores.get(folder)
        if cached is None:
            cached = _ancestor_ignore_files(folder, self.settings)
            own = _load_ignore_file(folder, ".gitignore")
            if own is not None:
                cached.append(own)
            self._ignores[folder] = cached
        return cached

    def __call__(self, absolute: str) -> bool:
        ignore_files = self.ignore_files(os.path.dirname(absolute))
        candidate, is_dir = absolute, os.path.isdir(absolute)
        while True:
            if self.excluder(candidate, is_dir) or _gitignored(candidate, is_dir, ignore_files):
                return True
            candidate, is_dir = os.path.dirname(candidate), True
            if not candidate.startswith(self.root):
                return False


def is_excluded(path: Path | str, settings: Settings) -> bool:
    """True when `path` (or a folder above it, up to the project root) is excluded.

    What `force-exclude` checks for a path named on the command line, and what the language
    server asks before linting an open document.
    """
    return _ExclusionCheck(settings)(os.path.normpath(os.path.abspath(path)))


def discover_files(
    paths: Iterable[Path | str],
    settings: Settings,
    *,
    force_exclude: bool | None = None,
) -> list[Path]:
    """The files to lint for `paths` (files and folders), sorted, without duplicates.

    Raises `ToolkitError` for a path that does not exist.
    """
    force = settings.force_exclude if force_exclude is None else force_exclude
    check = _ExclusionCheck(settings)
    excluder = check.excluder
    found: dict[str, Path] = {}
    for given in paths:
        given_path = Path(given)
        absolute = os.path.normpath(os.path.abspath(given_path))
        if os.path.isfile(absolute):
            if not (force and check(absolute)):
                found.setdefault(absolute, given_path)
            continue
        if not os.path.isdir(absolute):
            raise ToolkitError(f"{given_path}: no such file or folder")
        walk_excluder, inherited = excluder, _ancestor_ignore_files(absolute, settings)
        if check(absolute):
            if force:
                continue
            # A folder named on purpose is linted; patterns then apply from inside it.
            walk_excluder, inherited = _Excluder(settings, root=absolute), []
        for file_absolute, shown in _walk(absolute, given_path, walk_excluder, inherited):
            found.setdefault(file_absolute, shown)
    return sorted(found.values(), key=lambda p: p.as_posix())


def _walk(
    top: str,
    shown_top: Path,
    excluder: _Excluder,
    inherited: list[_IgnoreFile],
) -> Iterable[tuple[str, Path]]:
    # Iterative depth-first walk; each folder's .gitignore applies to everything below it.
    stack: list[tuple[str, Path, list[_IgnoreFile]]] = [(top, shown_top, inherited)]
    while stack:
        folder, shown_folder, ignore_files = stack.pop()
        own = _load_ignore_file(folder, ".gitignore")
        if own is not None:
            ignore_files = [*ignore_files, own]
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue  # unreadable folder: nothing to lint in it
        for entry in entries:
            # No symlinked folders: they loop and leave the project (as ruff and git do).
            is_dir = entry.is_dir(follow_symlinks=False)
            if not is_dir and not entry.name.endswith(LINTABLE_SUFFIXES):
                continue
            if excluder(entry.path, is_dir) or _gitignored(entry.path, is_dir, ignore_files):
                continue
            if is_dir:
                stack.append((entry.path, shown_folder / entry.name, ignore_files))
            elif entry.is_file():
                yield entry.path, shown_folder / entry.name
