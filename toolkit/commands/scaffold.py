"""`toolkit scaffold` (a new project) and `toolkit new` (a transform or pipeline in one).

Thin doors over `skeletons`: they gather answers (prompts, `--set`, `--answers`), call the pure
core and print what was written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from toolkit.errors import ToolkitError


def _prompt_missing(answers: dict[str, Any], given: set[str]) -> dict[str, Any]:
    """Ask every question not answered on the command line; re-ask until the answer is valid."""
    from skeletons.answers import QUESTIONS, derive_package_name, validate_answers

    for question in QUESTIONS:
        if question.key in given:
            continue
        current, _ = validate_answers(answers)
        default = current[question.key]
        if question.key == "package_name":
            default = derive_package_name(answers.get("project_name", "my-data-project"))
        while True:
            if question.kind == "bool":
                value: Any = click.confirm(question.prompt, default=bool(default))
            elif question.kind == "choice":
                value = click.prompt(
                    question.prompt, default=default, type=click.Choice(question.choices)
                )
            else:
                value = click.prompt(question.prompt, default=default)
            _, problems = validate_answers({**answers, question.key: value})
            mine = [p for p in problems if p.key == question.key]
            if not mine:
                answers[question.key] = value
                break
            click.echo(f"  {mine[0].message}", err=True)
    return answers


@click.command("scaffold")
@click.argument("name", required=False)
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Folder in which the project's own folder (named after the project) is created.",
)
@click.option("--no-input", is_flag=True, help="Ask nothing: defaults, --answers and --set only.")
@click.option(
    "--set",
    "set_options",
    multiple=True,
    metavar="KEY=VALUE",
    help="An answer, e.g. --set compute=classic (repeatable).",
)
@click.option(
    "--answers",
    "answers_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A YAML file of answers (a project's .toolkit-answers.yml works too).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Write into an existing non-empty folder; files already there are kept, never "
    "overwritten or deleted.",
)
def scaffold(
    name: str | None,
    output_dir: Path,
    no_input: bool,
    set_options: tuple[str, ...],
    answers_file: Path | None,
    force: bool,
) -> None:
    """Create a new Databricks project NAME: pipelines, config, bundle, tests and CI.

    Answer keys: project_name, package_name, description, owner, catalog_lab, catalog_dev,
    catalog_prod, cloud (aws|azure|gcp), compute (serverless|classic), python_version,
    include_samples (true|false), ci (github|none).
    """
    from skeletons.answers import project_slug, validate_answers
    from skeletons.answers_file import parse_set_options, read_answers_file
    from skeletons.project import scaffold_project

    answers: dict[str, Any] = {}
    sources: dict[str, str] = {}
    if answers_file is not None:
        if not answers_file.is_file():
            raise ToolkitError(f"--answers {answers_file}: no such file")
        answers, sources = read_answers_file(answers_file)
    set_answers, set_sources = parse_set_options(set_options)
    if name is not None:
        given = set_answers.get("project_name")
        if given is not None and given != name:
            raise ToolkitError(
                f"two project names: {name!r} (the NAME argument) and {given!r} "
                f"({set_sources['project_name']}); give the name once"
            )
        answers["project_name"], sources["project_name"] = name, "the NAME argument"
    answers.update(set_answers)
    sources.update(set_sources)
    if not no_input:
        answers = _prompt_missing(answers, given=set(answers))
    checked, problems = validate_answers(answers)
    if problems:
        lines = [
            f"  {p.key} = {p.value!r} ({sources.get(p.key, 'answer')}): {p.message}"
            for p in problems
        ]
        raise ToolkitError("invalid scaffold answers:\n" + "\n".join(lines))
    target = output_dir / project_slug(checked["project_name"])
    report = scaffold_project(checked, target, force=force)
    click.echo(f"Created {len(report.created)} files in {target}")
    for kept in report.kept:
        click.echo(f"  kept existing {kept.relative_to(target.resolve())}")
    package = checked["package_name"]
    click.echo(
        "Next:\n"
        f"  cd {target}\n"
        "  python -m venv .venv && . .venv/bin/activate && pip install -e '.[dev]'\n"
        f"  pytest && {package} --env local bronze silver gold"
    )


@click.group("new")
def new() -> None:
    """Add a transform or a pipeline (module, test, job) to the project you are in."""


def _layer_option(default: str) -> Any:
    return click.option(
        "--layer",
        type=click.Choice(["bronze", "silver", "gold"]),
        default=default,
        show_default=True,
        help="The medallion layer the code belongs to.",
    )


_project_option = click.option(
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The project folder (default: found from here by its .toolkit-answers.yml).",
)


@new.command("transform")
@click.argument("name")
@_layer_option("silver")
@_project_option
def new_transform(name: str, layer: str, project_dir: Path | None) -> None:
    """Add src/<package>/transforms/NAME.py and its chispa test."""
    from skeletons.additions import add_transform, find_project

    project = find_project(project_dir or Path.cwd())
    created = add_transform(project, name, layer=layer)
    _print_created(project.root, created)


@new.command("pipeline")
@click.argument("name")
@_layer_option("silver")
@click.option(
    "--source",
    metavar="LAYER.TABLE",
    default=None,
    help="The table the pipeline reads (default: orders in the layer below; for bronze, the "
    "landing folder NAME).",
)
@_project_option
def new_pipeline(name: str, layer: str, source: str | None, project_dir: Path | None) -> None:
    """Add a pipeline NAME: its transform, module, tests and job; register it."""
    from skeletons.additions import add_pipeline, find_project

    project = find_project(project_dir or Path.cwd())
    created = add_pipeline(project, name, layer=layer, source=source)
    _print_created(project.root, created)


def _print_created(root: Path, paths: list[Path]) -> None:
    for path in paths:
        click.echo(f"  {path.relative_to(root)}")
