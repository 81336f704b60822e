"""Render a whole new project from validated answers (the pure core behind `toolkit scaffold`).

`project_files(answers)` returns `{relative path: text}` without touching the disk, which the
tests and the benchmark use; `render_project(answers, target)` writes them under a new folder.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from skeletons.answers import AnswerProblem, project_slug, validate_answers
from skeletons.render import WriteReport, format_python, render_tree, write_files
from toolkit.errors import ToolkitError

__all__ = [
    "ANSWERS_FILE",
    "MEDALLION_PIPELINES",
    "answers_problem_message",
    "project_context",
    "project_files",
    "render_project",
    "scaffold_project",
]

ANSWERS_FILE = ".toolkit-answers.yml"
# The pipelines every project starts with, in run order; each gets a job from `templates/job`.
MEDALLION_PIPELINES = ("bronze", "silver", "gold")

# Python version -> (serverless environment version, Databricks Runtime LTS) with that Python.
_RUNTIMES = {
    "3.10": ("1", "14.3.x-scala2.12"),
    "3.11": ("2", "15.4.x-scala2.12"),
    "3.12": ("3", "16.4.x-scala2.12"),
}
# A small general-purpose worker per cloud for the classic job cluster.
_NODE_TYPES = {"aws": "m5d.large", "azure": "Standard_D4ds_v5", "gcp": "n2-standard-4"}


def _toolkit_version() -> str:
    import toolkit

    return toolkit.__version__


def project_context(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The template variables: the answers plus the values derived from them."""
    environment_version, spark_version = _RUNTIMES[answers["python_version"]]
    slug = project_slug(answers["project_name"])
    return {
        **answers,
        "project_slug": slug,
        "python_tag": "py" + answers["python_version"].replace(".", ""),
        "serverless": answers["compute"] == "serverless",
        "toolkit_compute": "serverless" if answers["compute"] == "serverless" else "shared",
        "environment_version": environment_version,
        "spark_version": spark_version,
        "node_type_id": _NODE_TYPES[answers["cloud"]],
        "owner_is_user": "@" in answers["owner"],
        # Apps names: lower-case letters, digits and '-', at most 30 characters.
        "app_name": (slug[:26].rstrip("-") + "-app"),
        "toolkit_version": _toolkit_version(),
    }


def _belongs(answers: Mapping[str, Any]) -> Any:
    def include(path: PurePosixPath) -> bool:
        top = path.parts[0]
        if top == ".github":
            return answers["ci"] == "github"
        if top == "data" and len(path.parts) > 1 and path.parts[1] == "samples":
            return bool(answers["include_samples"])
        if path.name == "test_medallion.py":
            return bool(answers["include_samples"])
        return True

    return include


def answers_problem_message(problems: list[AnswerProblem]) -> str:
    lines = [f"  {problem}" for problem in problems]
    return "invalid scaffold answers:\n" + "\n".join(lines)


def _checked(answers: Mapping[str, Any]) -> dict[str, Any]:
    checked, problems = validate_answers(answers)
    if problems:
        raise ToolkitError(answers_problem_message(problems))
    return checked


def project_files(answers: Mapping[str, Any]) -> dict[PurePosixPath, str]:
    """Every file of the project for `answers` (validated here), as text, nothing written."""
    checked = _checked(answers)
    context = project_context(checked)
    files = render_tree("project", context, include=_belongs(checked))
    for pipeline in MEDALLION_PIPELINES:
        files.update(render_tree("job", {**context, "pipeline_name": pipeline}))
    return files


def _is_empty_dir(path: Path) -> bool:
    return path.is_dir() and not any(path.iterdir())


def scaffold_project(
    answers: Mapping[str, Any], target: Path | str, *, force: bool = False
) -> WriteReport:
    """Write the project into `target`, a new or empty folder (any folder with `force`).

    `force` never deletes or overwrites: files already there are kept and reported.
    """
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise ToolkitError(f"{target} exists and is not a folder")
    if target.exists() and not _is_empty_dir(target) and not force:
        raise ToolkitError(
            f"{target} already exists and is not empty",
            hint="choose a new folder, or pass --force to add the files that are missing "
            "(nothing there is deleted or overwritten)",
        )
    files = project_files(answers)
    report = write_files(files, target, keep_existing=force)
    format_python(report.created, cwd=target)
    return report


def render_project(answers: Mapping[str, Any], target: Path | str) -> list[Path]:
    """Write a new project for `answers` into `target` (new or empty); the created paths."""
    return scaffold_project(answers, target).created
