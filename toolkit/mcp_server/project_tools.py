"""The project tools: scaffold a project, add a transform or pipeline, generate tests,
validate the config. Thin calls into `skeletons`, `codemods.testgen` and `toolkit.config`,
the functions `toolkit scaffold`, `toolkit new`, `toolkit gen-tests` and `toolkit config
validate` call.

Every path an answer leads to (the project folder, a found project, each test module) is
checked against the `Workspace` before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from toolkit.errors import ToolkitError
from toolkit.mcp_server import models
from toolkit.mcp_server.workspace import Workspace


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def scaffold_project(
    workspace: Workspace,
    *,
    answers: Mapping[str, Any],
    output_dir: str | None = None,
    force: bool = False,
    dry_run: bool = False,
) -> models.ScaffoldResult:
    """Validate the answers (every bad one reported), then create the project's folder."""
    from skeletons.answers import project_slug, validate_answers
    from skeletons.project import project_files
    from skeletons.project import scaffold_project as write_project

    checked, problems = validate_answers(dict(answers))
    if problems:
        given = dict(answers)
        lines = [
            f"  answers.{p.key} = {given.get(p.key, p.value)!r}: {p.message}" for p in problems
        ]
        count = len(problems)
        raise ToolkitError(
            f"{count} invalid scaffold answer{'s' if count != 1 else ''}:\n" + "\n".join(lines)
        )
    parent = workspace.resolve(output_dir or ".", field="output_dir", must_exist=False)
    target = parent / project_slug(checked["project_name"])
    if dry_run:
        files = sorted(relative.as_posix() for relative in project_files(checked))
        return models.ScaffoldResult(
            project_dir=str(target), answers=checked, files=files, kept=[], written=False
        )
    report = write_project(checked, target, force=force)
    return models.ScaffoldResult(
        project_dir=str(target),
        answers=checked,
        files=sorted(_relative(path, target) for path in report.created),
        kept=sorted(_relative(path, target) for path in report.kept),
        written=True,
    )


def _project(workspace: Workspace, project: str | None) -> Any:
    from skeletons.additions import find_project

    found = find_project(workspace.resolve_optional(project, field="project"))
    # The project is found by walking up: it must still be inside the workspace.
    workspace.resolve(str(found.root), field="project")
    return found


def new_transform(
    workspace: Workspace, *, name: str, layer: str = "silver", project: str | None = None
) -> models.CreatedFiles:
    """`toolkit new transform`: the transform module and its chispa test."""
    from skeletons.additions import add_transform

    found = _project(workspace, project)
    created = add_transform(found, name, layer=layer)
    return models.CreatedFiles(
        project_dir=str(found.root), files=[_relative(path, found.root) for path in created]
    )


def new_pipeline(
    workspace: Workspace,
    *,
    name: str,
    layer: str = "silver",
    source: str | None = None,
    project: str | None = None,
) -> models.CreatedFiles:
    """`toolkit new pipeline`: transform, module, tests and job, registered in the project."""
    from skeletons.additions import add_pipeline

    found = _project(workspace, project)
    created = add_pipeline(found, name, layer=layer, source=source)
    return models.CreatedFiles(
        project_dir=str(found.root), files=[_relative(path, found.root) for path in created]
    )


def generate_tests(
    workspace: Workspace,
    *,
    paths: Sequence[str],
    functions: Sequence[str] | None = None,
    output_dir: str | None = None,
    timeout: float = 60.0,
    write: bool = False,
    progress: Callable[[int, int, str], object] | None = None,
) -> models.GenerateTestsResult:
    """Run the transforms on local Spark (a worker process) and return the test modules;
    they are written only with `write`, and only inside the workspace. `progress` is told
    as each transform starts (see `codemods.testgen.generate.generate_tests`)."""
    from codemods.testgen.generate import generate_tests as generate
    from codemods.testgen.runner import WorkerError

    if not paths:
        raise ToolkitError("paths: give one or more transform modules or folders")
    if timeout < 1:
        raise ToolkitError(f"timeout: {timeout} is too short; give at least 1 second")
    resolved = [workspace.resolve(path, field="paths") for path in paths]
    out = None
    if output_dir is not None:
        out = workspace.resolve(output_dir, field="output_dir", must_exist=False)

    def inside_workspace(path: Path) -> None:
        workspace.resolve(str(path), field="test module", must_exist=False)

    try:
        report = generate(
            resolved,
            output_dir=out,
            functions=set(functions or ()) or None,
            timeout=timeout,
            write=write,
            check_target=inside_workspace,
            progress=progress,
        )
    except WorkerError as error:
        raise ToolkitError(f"local Spark could not run the transforms: {error}") from error
    modules = [
        models.GeneratedModule(
            path=str(change.path),
            text=change.after,
            diff=change.diff(),
            created=change.before is None,
        )
        for change in report.changes
    ]
    outcomes = [_outcome(outcome) for outcome in report.outcomes]
    got = sum(outcome.got_test for outcome in report.outcomes)
    return models.GenerateTestsResult(
        modules=modules,
        outcomes=outcomes,
        written=write and bool(modules),
        seconds=round(report.seconds, 2),
        summary=f"{got} of {len(report.outcomes)} transforms have a test; "
        f"{report.characterized} run on Spark in {report.seconds:.1f} s.",
    )


def _outcome(outcome: Any) -> models.TransformOutcome:
    transform = outcome.transform
    return models.TransformOutcome(
        transform=transform.qualname,
        path=str(transform.path),
        line=transform.line,
        status=outcome.status,
        test_name=outcome.test_name,
        test_path=str(outcome.test_path) if outcome.test_path is not None else None,
        reason=outcome.reason,
    )


def _config_folder(workspace: Workspace, config_dir: str | None) -> Path:
    from toolkit.config import find_config_dir

    if config_dir is not None:
        return workspace.resolve(config_dir, field="config_dir")
    return workspace.resolve(str(find_config_dir(start=workspace.base)), field="config_dir")


def validate_config(
    workspace: Workspace, *, config_dir: str | None = None
) -> models.ValidateConfigResult:
    """`toolkit config validate`: every problem of every environment at once."""
    from toolkit.config import config_folder_of, list_environments, validate_config_dir

    folder = _config_folder(workspace, config_dir)
    problems = validate_config_dir(folder)
    folder = config_folder_of(folder)
    return models.ValidateConfigResult(
        config_dir=str(folder),
        valid=not problems,
        environments=list_environments(folder) if folder.is_dir() else [],
        problems=[models.ConfigProblem.model_validate(p.to_dict()) for p in problems],
    )


def resolved_config(workspace: Workspace, *, env: str | None = None) -> dict[str, Any]:
    """The config of one environment (`toolkit config show --format json`), secrets masked."""
    import os

    from toolkit.config import ConfigLoader, masked_config

    folder = _config_folder(workspace, None)
    chosen = env or os.environ.get("TOOLKIT_ENV") or "local"
    loaded = ConfigLoader.load(env=chosen, config_dir=folder)
    return {
        "config_dir": str(folder),
        "env": chosen,
        "config": masked_config(loaded.model_dump(mode="python")),
    }


def lint_settings(workspace: Workspace) -> dict[str, Any]:
    """The resolved `[tool.toolkit]` settings every door lints with, and the rules they run."""
    from codemods.runner import registry_pairs
    from codemods.settings import resolve_settings

    settings = resolve_settings(workspace.base)
    pairs = registry_pairs()
    settings.validate_codes(code for code, _ in pairs)
    enabled = settings.enabled_codes(settings.root / "pyproject.toml", pairs)
    return {
        "root": str(settings.root),
        "config_path": str(settings.config_path) if settings.config_path else None,
        "select": list(settings.select) if settings.select is not None else None,
        "extend-select": list(settings.extend_select),
        "ignore": list(settings.ignore),
        "per-file-ignores": {pattern: list(codes) for pattern, codes in settings.per_file_ignores},
        "exclude": list(settings.exclude),
        "extend-exclude": list(settings.extend_exclude),
        "src": [str(path) for path in settings.src],
        "tests": [str(path) for path in settings.tests],
        "config-dir": str(settings.config_dir),
        "compute": settings.compute,
        "min-runtime": settings.min_runtime,
        "max-cells": settings.max_cells,
        "enabled_rules": sorted(enabled),
    }
