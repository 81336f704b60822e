"""Render the jinja2 templates under `skeletons/templates/<kind>/` and write them safely.

A template tree is rendered wholly in memory before anything is written, so a template error
never leaves half a project. Paths are templates too (`src/{{ package_name }}/...`); a `.j2`
suffix marks a rendered file (anything else is copied as is) and a leading `dot-` stands for
`.` (package data tools drop dotfiles). Every template renders with `StrictUndefined`: a
missing answer is an error, never an empty string.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from toolkit.errors import ToolkitError
from toolkit.textio import write_text_atomic

__all__ = ["TEMPLATES_DIR", "WriteReport", "format_python", "render_tree", "write_files"]

TEMPLATES_DIR = Path(__file__).parent / "templates"


@dataclass
class WriteReport:
    """What a write did: files created, and existing files left untouched (with `--force`)."""

    created: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)


def _yaml_str(value: object) -> str:
    # A JSON string is a valid double-quoted YAML (and TOML basic) string.
    return json.dumps(str(value), ensure_ascii=False)


def _environment(root: Path) -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(root)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["q"] = _yaml_str
    return env


def _output_path(env: Any, relative: str, context: Mapping[str, Any]) -> PurePosixPath:
    # Most paths hold no placeholder; compiling each as a template was a fifth of the run.
    rendered = env.from_string(relative).render(context) if "{" in relative else relative
    parts = []
    for part in PurePosixPath(rendered).parts:
        if part.startswith("dot-"):
            part = "." + part[len("dot-") :]
        parts.append(part)
    path = PurePosixPath(*parts)
    return path.with_name(path.name[: -len(".j2")]) if path.name.endswith(".j2") else path


def render_tree(
    kind: str,
    context: Mapping[str, Any],
    *,
    include: Callable[[PurePosixPath], bool] = lambda _path: True,
) -> dict[PurePosixPath, str]:
    """Render every template of `kind` into `{relative output path: text}`.

    `include` decides, on the output path, whether a file belongs to this project.
    """
    import jinja2

    root = TEMPLATES_DIR / kind
    if not root.is_dir():
        raise ToolkitError(f"no templates named {kind!r} in {TEMPLATES_DIR}")
    env = _environment(root)
    files: dict[PurePosixPath, str] = {}
    for source in sorted(root.rglob("*")):
        if not source.is_file() or "__pycache__" in source.parts:
            continue
        relative = source.relative_to(root).as_posix()
        try:
            output = _output_path(env, relative, context)
            if not include(output):
                continue
            if source.name.endswith(".j2"):
                text = env.get_template(relative).render(context)
            else:
                text = source.read_text(encoding="utf-8")
        except jinja2.UndefinedError as exc:
            raise ToolkitError(f"template {kind}/{relative}: {exc.message}") from exc
        files[output] = text
    return files


def _inside(target: Path, relative: PurePosixPath) -> Path:
    path = (target / relative).resolve()
    if path != target and target not in path.parents:
        raise ToolkitError(f"refusing to write {relative}: it resolves outside {target}")
    return path


def _blocking_parent(path: Path, target: Path) -> Path | None:
    """The first folder on the way from `target` to `path` that exists but is not a folder."""
    for parent in [*reversed(path.parents)]:
        if parent != target and target not in parent.parents:
            continue
        if parent.exists() and not parent.is_dir():
            return parent
    return None


def write_files(
    files: Mapping[PurePosixPath, str], target: Path, *, keep_existing: bool = False
) -> WriteReport:
    """Write `files` under `target`, each through `write_text_atomic`.

    An existing file is never overwritten: it is an error, or with `keep_existing` it is left
    as it is and reported in `WriteReport.kept`. Every path is checked before the first write,
    so a conflict (an existing file, a folder where a file goes, a file where a folder goes)
    writes nothing.
    """
    target = target.resolve()
    if target.exists() and not target.is_dir():
        raise ToolkitError(f"cannot write into {target}: it is a file, not a folder")
    planned = [(relative, _inside(target, relative)) for relative in files]
    under_files: dict[Path, list[PurePosixPath]] = {}  # a file in the way -> what goes under it
    blocked: list[str] = []
    for relative, path in planned:
        parent = _blocking_parent(path, target)
        if parent is not None:
            under_files.setdefault(parent, []).append(relative)
        elif path.is_dir():
            blocked.append(f"{path} is a folder, but {relative} is a file of the template")
    for parent, relatives in under_files.items():
        more = f" (and {len(relatives) - 1} more files under it)" if len(relatives) > 1 else ""
        blocked.append(f"{parent} is a file, but {relatives[0]} needs it to be a folder{more}")
    if blocked:
        more = f" (and {len(blocked) - 3} more)" if len(blocked) > 3 else ""
        raise ToolkitError(f"cannot write into {target}: " + "; ".join(blocked[:3]) + more)
    report = WriteReport()
    existing = [path for _, path in planned if path.exists() or path.is_symlink()]
    if existing and not keep_existing:
        names = ", ".join(str(path.relative_to(target)) for path in existing[:5])
        more = f" and {len(existing) - 5} more" if len(existing) > 5 else ""
        raise ToolkitError(f"refusing to overwrite existing files in {target}: {names}{more}")
    for relative, path in planned:
        if path in existing:
            report.kept.append(path)
            continue
        write_text_atomic(path, files[relative])
        report.created.append(path)
    return report


def format_python(paths: list[Path], *, cwd: Path) -> None:
    """Format the new Python files with ruff under the project's own settings.

    The templates are formatted already; this settles what depends on the answers (a long
    package or pipeline name moving a line past the line length). Only files the toolkit just
    created are passed, never a file the user wrote.
    """
    import subprocess

    python_files = [str(path) for path in paths if path.suffix == ".py"]
    if not python_files:
        return
    try:
        from ruff.__main__ import find_ruff_bin

        ruff = find_ruff_bin()
    except (ImportError, FileNotFoundError):
        return  # ruff is a dependency; without it the files stay as the templates wrote them
    result = subprocess.run(
        [ruff, "format", "--quiet", "--no-cache", *python_files],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise ToolkitError(f"ruff could not format the generated files: {result.stderr.strip()}")
