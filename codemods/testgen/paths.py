"""Where a module's tests go, and how a test imports the module.

`src/<pkg>/a/b.py` gets `tests/<pkg>/a/test_b.py`; a module outside `src/` keeps its folders
(`jobs/clean.py` -> `tests/jobs/test_clean.py`, `orders.py` -> `tests/test_orders.py`).
`--output-dir` replaces the `tests` folder. A project whose own `pyproject.toml` (or
`toolkit.toml`) sets `src = [...]` and `tests = [...]` in `[tool.toolkit]` gets those folders:
the module's path below its `src` folder is mirrored under the first `tests` folder, and the
`src` folder is what the test imports from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "Layout",
    "import_location",
    "project_layout",
    "project_root",
    "python_sources",
    "target_test_path",
]

_SKIPPED_FOLDERS = {".git", ".venv", "venv", "node_modules", "__pycache__", "build", "dist",
                    "tests", "test", ".tox", ".cache"}  # fmt: skip


def project_root(start: Path) -> Path:
    """The nearest folder at or above `start` with a `pyproject.toml`, else `start`'s folder."""
    start = start.resolve()
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        if (candidate / "pyproject.toml").is_file():
            return candidate
    return folder


@dataclass(frozen=True)
class Layout:
    """Where a project keeps its code and its tests."""

    root: Path
    src: tuple[Path, ...]
    tests: Path


def project_layout(source: Path) -> Layout:
    """The layout of the project `source` belongs to, from its own `[tool.toolkit]` table (the
    same `src` and `tests` settings the TST001 rule reads), else the defaults."""
    root = project_root(source).resolve()
    try:
        from codemods.settings import resolve_settings
    except ImportError:
        return Layout(root, (root,), root / "tests")
    settings = resolve_settings(root)
    if settings.root.resolve() != root:  # a table further up belongs to another project
        return Layout(root, (root,), root / "tests")
    tests = settings.tests[0] if settings.tests else root / "tests"
    return Layout(root, tuple(p.resolve() for p in settings.src) or (root,), tests)


def _relative(path: Path, root: Path) -> Path:
    try:
        return path.resolve().relative_to(root.resolve())
    except ValueError:
        return Path(path.name)


def _source_folder(source: Path, layout: Layout | None) -> Path | None:
    """The configured `src` folder holding `source`, when it is not the project root itself."""
    if layout is None:
        return None
    resolved = source.resolve()
    inside = [f for f in layout.src if f != layout.root and resolved.is_relative_to(f)]
    return max(inside, key=lambda f: len(f.parts)) if inside else None


def target_test_path(
    source: Path, *, root: Path, output_dir: Path | None = None, layout: Layout | None = None
) -> Path:
    """The test file for the module `source`."""
    folder = _source_folder(source, layout)
    if folder is not None:
        relative = source.resolve().relative_to(folder)
    else:
        relative = _relative(source, root)
        if relative.parts and relative.parts[0] == "src":
            relative = Path(*relative.parts[1:])
    tests = output_dir if output_dir is not None else (layout.tests if layout else root / "tests")
    return tests / relative.parent / f"test_{relative.stem}.py"


def import_location(source: Path, *, root: Path, layout: Layout | None = None) -> tuple[Path, str]:
    """(folder to put on `sys.path`, dotted module name) for importing `source`."""
    source = source.resolve()
    folder = _source_folder(source, layout)
    if folder is not None:
        return folder, ".".join(source.relative_to(folder).with_suffix("").parts)
    relative = _relative(source, root)
    if relative.parts and relative.parts[0] == "src" and len(relative.parts) > 1:
        parts = relative.with_suffix("").parts[1:]
        return root.resolve() / "src", ".".join(parts)
    folder = source.parent
    parts = [source.stem]
    while (folder / "__init__.py").is_file() and folder != folder.parent:
        parts.insert(0, folder.name)
        folder = folder.parent
    if parts[-1] == "__init__":
        parts.pop()
    return folder, ".".join(parts)


def python_sources(paths: list[Path]) -> list[Path]:
    """The library modules named by `paths` (files as given; folders searched, tests left out)."""
    found: list[Path] = []
    for path in paths:
        if path.is_file():
            found.append(path)
            continue
        for candidate in sorted(path.rglob("*.py")):
            relative = candidate.relative_to(path)
            if any(
                part in _SKIPPED_FOLDERS or part.startswith(".") for part in relative.parts[:-1]
            ):
                continue
            name = candidate.name
            if name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py":
                continue
            found.append(candidate)
    return found
