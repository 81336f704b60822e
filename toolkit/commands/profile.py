"""`toolkit profile SOURCE`: statistics of a file, folder or table, and what follows from them.

A thin door over `toolkit.profile`: it reads the options, runs the profile with a progress
indicator on a terminal, and writes the report, the rules file, the schema code or the fixture.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from toolkit.errors import ToolkitError

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

    from toolkit.profile.model import TableProfile

FORMATS = ("table", "json", "markdown", "html")
HTML_MARKER = '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Profile of'
MARKDOWN_MARKER = "# Profile of"


def _parse_columns(value: str | None) -> list[str] | None:
    if value is None:
        return None
    columns = [c.strip() for c in value.split(",") if c.strip()]
    if not columns:
        raise ToolkitError("--columns: give one or more column names separated by commas")
    return columns


def _looks_like_profile_json(path: Path) -> bool:
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and {"source", "columns", "execution"} <= set(data)


@click.command(name="profile")
@click.argument("source")
@click.option("--columns", help="Profile only these columns (comma-separated).")
@click.option("--env", help="Config environment whose Spark settings to use (e.g. dev).")
@click.option(
    "--sample",
    "sample_fraction",
    type=float,
    help="Profile a random sample: each row kept with this probability (0 < F <= 1).",
)
@click.option("--seed", type=int, default=42, show_default=True, help="Seed of --sample.")
@click.option(
    "--format", "output_format", type=click.Choice(FORMATS), default="table", show_default=True
)
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    help="Write the json, markdown or html report here (html default: <source>.profile.html).",
)
@click.option(
    "--rules",
    "rules_path",
    type=click.Path(path_type=Path),
    help="Write suggested data-quality rules (DQX YAML), checked against the data.",
)
@click.option("--schema-code", is_flag=True, help="Print the StructType code of the data.")
@click.option(
    "--fixture",
    "fixture_path",
    type=click.Path(path_type=Path),
    help="Write a Python module that builds synthetic test data shaped like this data.",
)
@click.option("--force", is_flag=True, help="Replace output files not written by this command.")
def profile(
    source: str,
    columns: str | None,
    env: str | None,
    sample_fraction: float | None,
    seed: int,
    output_format: str,
    output: Path | None,
    rules_path: Path | None,
    schema_code: bool,
    fixture_path: Path | None,
    force: bool,
) -> None:
    """Profile SOURCE: a Parquet/CSV/JSON file or folder, a Delta folder, or catalog.schema.table.

    Per column: count, nulls, distinct values, min, max, mean, standard deviation, quantiles,
    string lengths, top values and a histogram; for the table: rows, schema and an estimate
    of duplicate rows. Uses the session `toolkit.spark.get_spark()` gives, in at most two
    passes over the data.
    """
    from toolkit.profile.source import resolve_source

    selected = _parse_columns(columns)
    if output is not None and output_format == "table":
        raise ToolkitError("--output: applies to --format json, markdown or html")
    report_to_stdout = output is None and output_format in ("json", "markdown")
    if schema_code and report_to_stdout:
        raise ToolkitError(
            f"--schema-code and --format {output_format} both print to standard output: "
            "add --output FILE for the report"
        )
    resolved = resolve_source(source)  # a bad SOURCE fails before Spark starts
    report_path = output
    if output_format == "html" and report_path is None:
        report_path = Path(f"{resolved.display_name}.profile.html")
    # Check every destination before the (long) profile runs.
    from toolkit.profile.suggest import RULES_HEADER, refuse_foreign_file

    if report_path is not None:
        _check_report_path(report_path, output_format, force=force)
    if rules_path is not None:
        refuse_foreign_file(rules_path, RULES_HEADER, "rules", force=force)
    if fixture_path is not None:
        from toolkit.profile.codegen import FIXTURE_HEADER

        refuse_foreign_file(fixture_path, FIXTURE_HEADER, "fixture", force=force)

    table_profile, data = _run_profile(source, selected, env, sample_fraction, seed)
    _write_report(table_profile, output_format, report_path)
    if rules_path is not None:
        _write_rules(table_profile, data, rules_path)
    if fixture_path is not None:
        from toolkit.profile.codegen import fixture_module
        from toolkit.textio import write_text_atomic

        write_text_atomic(fixture_path, fixture_module(table_profile, name=resolved.display_name))
        click.echo(f"wrote test-data builder {fixture_path}", err=True)
    if schema_code:
        from toolkit.profile.codegen import schema_code as make_schema_code

        if output_format == "table":
            click.echo()
        click.echo(make_schema_code(table_profile, name=resolved.display_name), nl=False)


def _check_report_path(path: Path, output_format: str, *, force: bool) -> None:
    if output_format == "json":
        if path.exists() and not force and not _looks_like_profile_json(path):
            raise ToolkitError(
                f"{path}: exists and is not a profile written by `toolkit profile`; "
                "choose another path or pass --force to replace it"
            )
        return
    from toolkit.profile.suggest import refuse_foreign_file

    marker = HTML_MARKER if output_format == "html" else MARKDOWN_MARKER
    refuse_foreign_file(path, marker, "report", force=force)


def _run_profile(
    source: str,
    columns: list[str] | None,
    env: str | None,
    sample_fraction: float | None,
    seed: int,
) -> tuple[TableProfile, DataFrame]:
    from toolkit.profile.source import profile_source

    if not sys.stderr.isatty():
        return profile_source(
            source, env=env, columns=columns, sample_fraction=sample_fraction, seed=seed
        )
    from rich.console import Console

    console = Console(stderr=True)
    with console.status("starting Spark") as status:
        return profile_source(
            source,
            env=env,
            columns=columns,
            sample_fraction=sample_fraction,
            seed=seed,
            on_step=lambda message: status.update(message),
        )


def _write_report(
    table_profile: TableProfile, output_format: str, report_path: Path | None
) -> None:
    from toolkit.profile import render
    from toolkit.textio import write_text_atomic

    if output_format == "table":
        from rich.console import Console

        # Piped output has no terminal width to follow: use one wide enough for the table.
        console = Console() if sys.stdout.isatty() else Console(width=200)
        render.render_terminal(table_profile, console)
        return
    text = {
        "json": render.to_json,
        "markdown": render.to_markdown,
        "html": render.to_html,
    }[output_format](table_profile)
    if report_path is None:
        click.echo(text, nl=False)
        return
    write_text_atomic(report_path, text)
    click.echo(str(report_path) if output_format == "html" else f"wrote {report_path}")


def _write_rules(table_profile: TableProfile, data: DataFrame, rules_path: Path) -> None:
    from toolkit.profile.suggest import check_rules, rules_yaml, suggest_rules
    from toolkit.textio import write_text_atomic

    candidates = suggest_rules(table_profile)
    checked, _report = check_rules(data, candidates) if candidates else ([], None)
    write_text_atomic(rules_path, rules_yaml(table_profile, checked))
    imperfect = sum(1 for c in checked if c.failed_rows)
    click.echo(
        f"wrote {len(checked)} rules to {rules_path} "
        f"({imperfect} with failing rows in the profiled data)",
        err=True,
    )
