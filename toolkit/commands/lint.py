"""`toolkit lint`, `toolkit fix`, `toolkit rule`: thin doors over `codemods.runner`.

They read arguments, resolve settings, discover files, hand them to the shared multi-file
runner, and present the results through `codemods.formats`. The pre-commit hooks call the
same functions (`lint_command`, `fix_command`), so a hook and the CLI cannot disagree.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from toolkit.errors import ToolkitError

FORMAT_CHOICES = ("text", "json", "sarif", "github", "junit")


def _codes(values: Sequence[str]) -> list[str] | None:
    """`--select SPK1,DBX --select TST` -> ["SPK1", "DBX", "TST"]; None when not given."""
    if not values:
        return None
    return [part.strip().upper() for value in values for part in value.split(",") if part.strip()]


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
    from codemods.rules import all_rules as registered
    from codemods.rules import get_rule

    if all_rules == (code is not None):
        raise ToolkitError("give one rule CODE or --all", hint="toolkit rule SPK101")
    if code is not None:
        found = get_rule(code)
        if found is None:
            import difflib

            known = [r.code for r in registered()]
            close = difflib.get_close_matches(code.upper(), known, n=1)
            raise ToolkitError(
                f"unknown rule code {code!r}", hint=f"did you mean {close[0]}?" if close else None
            )
        rules = [found]
    else:
        rules = registered()
    if output_format == "json":
        text = rule_json(rules)
    elif output_format == "markdown" and all_rules:
        text = reference_markdown(rules)
    else:
        text = "\n".join(rule_text(one) for one in rules)
    _emit(text, output_file)


# ---- the shared implementation (CLI and hooks) -------------------------------------------


def lint_command(**arguments: Any) -> int:
    return _run_command("lint", **arguments)


def fix_command(**arguments: Any) -> int:
    return _run_command("fix", **arguments)


def _run_command(
    mode: str,
    *,
    paths: Sequence[str] = (),
    output_format: str = "text",
    output_file: Path | None = None,
    select: Sequence[str] = (),
    extend_select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    config_file: Path | None = None,
    statistics: bool = False,
    exit_zero: bool = False,
    show_fixes: bool = False,
    stdin_filename: str | None = None,
    no_cache: bool = False,
    force_exclude: bool | None = None,
    unsafe_fixes: bool = False,
    diff: bool = False,
    exit_non_zero_on_fix: bool = False,
) -> int:
    from codemods.discovery import discover_files
    from codemods.runner import RunOptions, run, run_text
    from codemods.settings import resolve_settings

    settings = resolve_settings(
        Path.cwd(),
        config=config_file,
        select=_codes(select),
        extend_select=_codes(extend_select),
        ignore=_codes(ignore),
    )
    options = RunOptions(
        mode="fix" if mode == "fix" else "lint",
        unsafe_fixes=unsafe_fixes,
        write=not diff,
        use_cache=not no_cache,
    )
    if list(paths) == ["-"]:
        text = sys.stdin.read()
        result, fixed_text = run_text(text, stdin_filename or "stdin.py", settings, options=options)
        results = [result]
        if mode == "fix" and not diff:
            sys.stdout.write(fixed_text)  # the fixed source, as ruff does; findings to stderr
            output_file = output_file or Path("/dev/stderr")
    else:
        if "-" in paths:
            raise ToolkitError("`-` (standard input) cannot be mixed with other paths")
        files = discover_files(list(paths) or ["."], settings, force_exclude=force_exclude)
        if not files:
            click.echo("warning: no Python files or notebooks found", err=True)
        results = run(files, settings, options=options).files

    findings = sorted((f for r in results for f in r.findings), key=lambda f: f.sort_key())
    changed = [r for r in results if r.changed]
    fixed_total = sum(sum(r.fixed.values()) for r in results if r.changed)
    for result in results:
        if result.refused and result.fixed:
            click.echo(f"warning: {result.path}: not fixed: {result.refused}", err=True)
    if diff:
        for result in changed:
            click.echo(result.diff, nl=False)
        would = sum(sum(r.fixed.values()) for r in changed)
        noun = "file" if len(changed) == 1 else "files"
        click.echo(f"Would fix {would} problem{'s' if would != 1 else ''} "
                   f"in {len(changed)} {noun}.", err=True)  # fmt: skip
    else:
        report = _report(
            findings,
            results,
            output_format=output_format,
            statistics=statistics,
            show_fixes=show_fixes,
            fixed=fixed_total if mode == "fix" else 0,
        )
        _emit(report, output_file)
        if mode == "fix" and show_fixes and changed and output_format == "text":
            click.echo(_fixed_listing(changed), nl=False, err=output_file is not None)

    if any(f.diagnostic.code == "TK999" for f in findings):
        return 2
    if diff:
        status = 1 if changed else 0
    else:
        status = 1 if findings or (exit_non_zero_on_fix and changed) else 0
    return 0 if exit_zero else status


def _report(
    findings: list[Any],
    results: list[Any],
    *,
    output_format: str,
    statistics: bool,
    show_fixes: bool,
    fixed: int,
) -> str:
    from codemods.formats import render, render_statistics, summary_line

    if output_format == "text":
        body = (
            render_statistics(findings)
            if statistics
            else render("text", findings, show_fixes=show_fixes)
        )
        return body + summary_line(findings, fixed=fixed) + "\n"
    return render(
        output_format,
        findings,
        files=[result.path for result in results],
        rules=_rule_infos() if output_format == "sarif" else (),
        tool_version=_version(),
    )


def _fixed_listing(changed: list[Any]) -> str:
    from codemods.rules import get_rule

    total = sum(sum(r.fixed.values()) for r in changed)
    lines = [f"Fixed {total} problem{'s' if total != 1 else ''}:"]
    for result in changed:
        lines.append(f"- {result.path}:")
        for code, count in sorted(result.fixed.items()):
            found = get_rule(code)
            lines.append(f"    {count} x {code} ({found.name if found else code})")
    return "\n".join(lines) + "\n"


def _rule_infos() -> list[Any]:
    from codemods.formats import RuleInfo
    from codemods.formats.rule_docs import RESERVED
    from codemods.rules import all_rules

    infos = [
        RuleInfo(r.code, r.name, r.summary(), r.url(), r.severity, r.documentation())
        for r in all_rules()
    ]
    infos.extend(RuleInfo(code, name, when, None, sev) for code, name, sev, when in RESERVED)
    return infos


def _version() -> str:
    from codemods.lint_cache import toolkit_version

    return toolkit_version()


def _emit(text: str, output_file: Path | None) -> None:
    if output_file is None:
        click.echo(text, nl=False)
        return
    if str(output_file) == "/dev/stderr":
        click.echo(text, nl=False, err=True)
        return
    from toolkit.textio import write_text_atomic

    try:
        write_text_atomic(output_file, text)
    except OSError as error:
        raise ToolkitError(f"{output_file}: cannot write the report: {error.strerror}") from error
