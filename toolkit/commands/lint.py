"""`toolkit lint`, `toolkit fix`, `toolkit rule`: click wrappers over `codemods.reporting`.

`codemods.reporting` resolves settings, discovers files, runs the shared multi-file runner and
prints the report; the pre-commit hooks call the same `lint_command` / `fix_command`, so a
hook and the CLI cannot disagree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from toolkit.errors import ToolkitError

FORMAT_CHOICES = ("text", "json", "sarif", "github", "junit")


def _common(function: Any) -> Any:
    options = [
        click.argument("paths", nargs=-1, type=click.Path(path_type=str)),
        click.option("--format", "output_format", type=click.Choice(FORMAT_CHOICES),
                     default="text", show_default=True, help="How to print the findings."),
        click.option("--output", "output_file", type=click.Path(dir_okay=False, path_type=Path),
                     default=None, help="Write the report to FILE instead of standard output."),
        click.option("--select", multiple=True, help="Rules to run (codes or prefixes), "
                     "replacing the settings' `select`. Comma-separated or repeated."),
        click.option("--extend-select", multiple=True, help="Rules to add to the selection."),
        click.option("--ignore", multiple=True, help="Rules to leave out."),
        click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
                     default=None, help="The pyproject.toml or toolkit.toml to use."),
        click.option("--statistics", is_flag=True, help="Count findings per rule instead."),
        click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings."),
        click.option("--show-fixes", is_flag=True, help="Show each fix (lint) or what was fixed."),
        click.option("--stdin-filename", default=None,
                     help="With PATH `-`: the name of the file read from standard input."),
        click.option("--no-cache", is_flag=True, help="Neither read nor write .toolkit_cache/."),
        click.option("--force-exclude", is_flag=True, default=None,
                     help="Apply excludes to files named on the command line too."),
    ]  # fmt: skip
    for option in reversed(options):
        function = option(function)
    return function


@click.command()
@_common
def lint(**arguments: Any) -> None:
    """Report PySpark and Databricks problems in PATHS (default: the working folder).

    Exit status: 0 clean, 1 findings, 2 usage or settings error or an internal error (TK999).
    """
    from codemods.reporting import lint_command

    raise SystemExit(lint_command(**arguments))


@click.command()
@_common
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes that may change results.")
@click.option("--diff", is_flag=True, help="Show the changes as a diff instead of writing.")
@click.option("--exit-non-zero-on-fix", is_flag=True,
              help="Exit 1 when a file was changed, even if nothing remains (pre-commit).")  # fmt: skip
def fix(**arguments: Any) -> None:
    """Apply the safe fixes for the problems `lint` reports in PATHS.

    Exit status: 0 nothing remains, 1 findings remain (or, with --diff, a file would change),
    2 usage or settings error or an internal error.
    """
    from codemods.reporting import fix_command

    raise SystemExit(fix_command(**arguments))


@click.command()
@click.argument("code", required=False)
@click.option("--all", "all_rules", is_flag=True, help="Every rule.")
@click.option("--format", "output_format", type=click.Choice(["text", "markdown", "json"]),
              default="text", show_default=True)  # fmt: skip
@click.option("--output", "output_file", type=click.Path(dir_okay=False, path_type=Path))
def rule(code: str | None, all_rules: bool, output_format: str, output_file: Path | None) -> None:
    """Print the documentation of rule CODE, or with --all the whole rule reference."""
    from codemods.formats.rule_docs import reference_markdown, rule_json, rule_text
    from codemods.rule_lookup import find_rule
    from codemods.rules import all_rules as registered

    if all_rules == (code is not None):
        raise ToolkitError("give one rule CODE or --all", hint="toolkit rule SPK101")
    rules = [find_rule(code)] if code is not None else registered()
    if output_format == "json":
        text = rule_json(rules)
    elif output_format == "markdown" and all_rules:
        text = reference_markdown(rules)
    else:
        text = "\n".join(rule_text(one) for one in rules)
    from codemods.reporting import emit

    emit(text, output_file)
