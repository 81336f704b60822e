"""`toolkit new transform|pipeline`: add code to a project made by `toolkit scaffold`.

New files come from `templates/transform`, `templates/pipeline` and `templates/job`. Existing
files change only through syntax-aware edits: the pipeline registry (`PIPELINES` in
`src/<package>/pipelines/__init__.py`) with libcst, keeping every comment and blank line;
`databricks.yml` with ruamel.yaml's round trip, only when its `include:` does not already
cover the new job file. Everything is computed first and checked (no file may exist yet)
before the first write.
"""

from __future__ import annotations

import fnmatch
import keyword
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from skeletons.answers import validate_answers
from skeletons.project import ANSWERS_FILE, project_context
from skeletons.render import format_python, render_tree, write_files
from toolkit.errors import ToolkitError
from toolkit.textio import UnreadableFileError, read_text_file, write_text_atomic

__all__ = [
    "LAYERS",
    "Project",
    "add_pipeline",
    "add_transform",
    "find_project",
    "register_pipeline",
]

LAYERS = ("bronze", "silver", "gold")
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,63}$")
_RESERVED_NAMES = frozenset({"main", "run", "context", "tables", "schemas", "pipelines"})


@dataclass(frozen=True)
class Project:
    """A scaffolded project: its folder and the answers it was created with."""

    root: Path
    answers: dict[str, Any]

    @property
    def package(self) -> str:
        return str(self.answers["package_name"])


def find_project(start: Path) -> Project:
    """The project holding `start`: the nearest folder upwards with `.toolkit-answers.yml`."""
    from skeletons.answers_file import read_answers_file

    start = start.resolve()
    for folder in (start, *start.parents):
        path = folder / ANSWERS_FILE
        if path.is_file():
            raw, sources = read_answers_file(path)
            answers, problems = validate_answers(raw)
            if problems:
                details = "; ".join(f"{sources.get(p.key, path)}: {p}" for p in problems)
                raise ToolkitError(f"{path} has invalid answers: {details}")
            return Project(folder, answers)
    raise ToolkitError(
        f"no {ANSWERS_FILE} in {start} or any folder above it",
        hint="run inside a project created by `toolkit scaffold`, or pass --project",
    )


def _check_name(name: str, kind: str) -> None:
    if not _NAME.match(name) or keyword.iskeyword(name) or name in _RESERVED_NAMES:
        raise ToolkitError(
            f"{kind} name {name!r} is not allowed: use a lower-case Python identifier (a-z, "
            f"0-9, '_'), not a keyword or one of: {', '.join(sorted(_RESERVED_NAMES))}"
        )


def _check_layer(layer: str) -> None:
    if layer not in LAYERS:
        raise ToolkitError(f"layer {layer!r} is not one of: {', '.join(LAYERS)}")


def _transform_files(project: Project, name: str, layer: str) -> dict[PurePosixPath, str]:
    context = {**project_context(project.answers), "name": name, "layer": layer}
    return render_tree("transform", context)


def _refuse_existing(project: Project, files: dict[PurePosixPath, str]) -> None:
    existing = [str(relative) for relative in files if (project.root / relative).exists()]
    if existing:
        raise ToolkitError(
            f"refusing to overwrite existing files in {project.root}: {', '.join(existing)}"
        )


def add_transform(project: Project, name: str, *, layer: str = "silver") -> list[Path]:
    """Write `transforms/<name>.py` (a `layer` starter) and its test; the created paths."""
    _check_name(name, "transform")
    _check_layer(layer)
    files = _transform_files(project, name, layer)
    _refuse_existing(project, files)
    created = write_files(files, project.root).created
    format_python(created, cwd=project.root)
    return created


def _source_of(name: str, layer: str, source: str | None) -> tuple[str, str]:
    if layer == "bronze":
        folder = source or name
        if not _NAME.match(folder):
            raise ToolkitError(
                f"--source {folder!r}: a bronze pipeline reads a landing folder; give its "
                "name (a-z, 0-9, '_')"
            )
        return "landing", folder
    if source is None:
        return LAYERS[LAYERS.index(layer) - 1], "orders"
    source_layer, dot, table = source.partition(".")
    if not dot or source_layer not in LAYERS or not _NAME.match(table):
        raise ToolkitError(
            f"--source {source!r}: expected LAYER.TABLE with LAYER one of {', '.join(LAYERS)}, "
            "e.g. --source silver.orders"
        )
    return source_layer, table


def add_pipeline(
    project: Project, name: str, *, layer: str = "silver", source: str | None = None
) -> list[Path]:
    """Add pipeline `name`: its transform, module, tests and job; register it.

    The created and changed paths are returned.
    """
    _check_name(name, "pipeline")
    _check_layer(layer)
    source_layer, source_table = _source_of(name, layer, source)
    context = {
        **project_context(project.answers),
        "name": name,
        "layer": layer,
        "source_layer": source_layer,
        "source_table": source_table,
        "pipeline_name": name,
    }
    files = _transform_files(project, name, layer)
    files.update(render_tree("pipeline", context))
    files.update(render_tree("job", context))
    _refuse_existing(project, files)
    registry = project.root / "src" / project.package / "pipelines" / "__init__.py"
    registry_source = _read(registry)
    registry_text = register_pipeline(
        registry_source.text, package=project.package, name=name, path=registry
    )
    job_file = next(relative for relative in files if relative.parts[0] == "resources")
    bundle_edit = _bundle_include_edit(project.root, job_file)
    created = write_files(files, project.root).created
    format_python(created, cwd=project.root)
    write_text_atomic(registry, registry_text, like=registry_source)
    changed = [registry]
    if bundle_edit is not None:
        bundle_path, bundle_source, bundle_text = bundle_edit
        write_text_atomic(bundle_path, bundle_text, like=bundle_source)
        changed.append(bundle_path)
    return created + changed


def _read(path: Path) -> Any:
    try:
        return read_text_file(path)
    except UnreadableFileError as exc:
        raise ToolkitError(f"cannot read {exc}") from exc


def register_pipeline(source: str, *, package: str, name: str, path: Path | str) -> str:
    """`source` (the registry module) with `from <package>.pipelines import <name>` and a
    `"<name>": <name>.run` entry in the `PIPELINES` dict; everything else kept as written."""
    from skeletons.registry_edit import add_registry_entry

    return add_registry_entry(source, package=package, name=name, path=str(path))


def _bundle_include_edit(root: Path, job_file: PurePosixPath) -> tuple[Path, Any, str] | None:
    """The new text of `databricks.yml` when its `include:` misses `job_file`, else None.

    The new entry is inserted as one line after the last entry the parser located, so every
    other byte (comments, blank lines, quoting) stays; the result is parsed again to prove the
    list is the old one plus the new path. A flow-style or missing `include:` is rewritten
    through ruamel.yaml's round trip instead.
    """
    bundle = root / "databricks.yml"
    if not bundle.is_file():
        raise ToolkitError(f"{bundle}: not found; the project's bundle is needed for the job")
    source = _read(bundle)
    data = _load_round_trip(bundle, source.text)
    includes = data.get("include")
    if includes is not None and not isinstance(includes, list):
        raise ToolkitError(f"{bundle}: `include` must be a list of paths or globs")
    if any(fnmatch.fnmatch(str(job_file), str(pattern)) for pattern in includes or []):
        return None
    expected = [*(str(item) for item in includes or []), str(job_file)]
    text = _insert_include_line(source.text, includes, str(job_file))
    if text is None or [str(i) for i in _load_round_trip(bundle, text).get("include")] != expected:
        text = _dump_with_include(source.text, str(job_file))
    return bundle, source, text


def _load_round_trip(path: Path, text: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        data = YAML(typ="rt").load(text)
    except YAMLError as exc:
        raise ToolkitError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ToolkitError(f"{path}: expected a mapping at the top")
    return data


def _insert_include_line(text: str, includes: Any, entry: str) -> str | None:
    if not includes or includes.fa.flow_style():
        return None
    line, _column = includes.lc.item(len(includes) - 1)
    lines = text.splitlines(keepends=True)
    last = lines[line]
    dash = last.find("-")
    if dash < 0 or last[:dash].strip():
        return None
    lines.insert(line + 1, f"{last[:dash]}- {entry}\n")
    return "".join(lines)


def _dump_with_include(text: str, entry: str) -> str:
    import io

    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedSeq

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    data = yaml.load(text)
    includes = data.get("include")
    if includes is None:
        includes = CommentedSeq()
        data["include"] = includes
    includes.append(entry)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()
