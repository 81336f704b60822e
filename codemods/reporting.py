"""What `toolkit lint`/`fix` and the pre-commit hooks do between arguments and exit code.

Resolve settings, discover files, run them through the shared runner, print the report in
the chosen format, and decide the exit code (docs/cli.md). Free of click, so a hook starts
without importing the CLI framework; the commands in `toolkit.commands.lint` and the hooks in
`hooks/` are thin wrappers over `lint_command` and `fix_command`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from toolkit.errors import ToolkitError


def _echo(text: str, *, err: bool = False) -> None:
    stream = sys.stderr if err else sys.stdout
    stream.write(text)
    stream.flush()


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
    from codemods.runner import (
        FileResult,
        RunOptions,
        display_path,
        registry_pairs,
        run,
        run_stdin,
    )
    from codemods.settings import resolve_settings, split_codes

    settings = resolve_settings(
        Path.cwd(),
        config=config_file,
        select=split_codes(select),
        extend_select=split_codes(extend_select),
        ignore=split_codes(ignore),
    )
    options = RunOptions(
        mode="fix" if mode == "fix" else "lint",
        unsafe_fixes=unsafe_fixes,
        write=not diff,
        use_cache=not no_cache,
        # `fix` computes edits anyway; text output of `lint` only needs fix titles.
        need_edits=mode == "fix" or output_format in ("json", "sarif"),
    )
    # Like ruff: `--stdin-filename` without paths means standard input, as `-` does.
    if list(paths) == ["-"] or (stdin_filename is not None and not paths):
        data = sys.stdin.buffer.read()
        filename = stdin_filename or "stdin.py"
        force = settings.force_exclude if force_exclude is None else force_exclude
        if force and stdin_filename is not None and _excluded(stdin_filename, settings):
            # Editors pipe every buffer: an excluded file has no findings and stays as it is.
            settings.validate_codes(code for code, _ in registry_pairs())
            result, fixed_data = FileResult(display_path(filename)), data
        else:
            result, fixed_data = run_stdin(data, filename, settings, options=options)
        results = [result]
        if mode == "fix" and not diff:
            # The fixed source, as ruff does, with the input's BOM and line endings kept;
            # the findings go to standard error.
            sys.stdout.flush()
            sys.stdout.buffer.write(fixed_data)
            sys.stdout.buffer.flush()
            output_file = output_file or Path("/dev/stderr")
    else:
        if "-" in paths:
            raise ToolkitError("`-` (standard input) cannot be mixed with other paths")
        files = discover_files(list(paths) or ["."], settings, force_exclude=force_exclude)
        if not files:
            _echo("warning: no Python files or notebooks found\n", err=True)
        results = run(files, settings, options=options).files

    findings = sorted((f for r in results for f in r.findings), key=lambda f: f.sort_key())
    changed = [r for r in results if r.changed]
    fixed_total = sum(sum(r.fixed.values()) for r in results if r.changed)
    for result in results:
        if result.refused:
            _echo(f"warning: {result.path}: not fixed: {result.refused}\n", err=True)
    if diff:
        for result in changed:
            _echo(result.diff)
        would = sum(sum(r.fixed.values()) for r in changed)
        noun = "file" if len(changed) == 1 else "files"
        plural = "s" if would != 1 else ""
        _echo(f"Would fix {would} problem{plural} in {len(changed)} {noun}.\n", err=True)
    else:
        report = _report(
            findings,
            results,
            output_format=output_format,
            statistics=statistics,
            show_fixes=show_fixes,
            fixed=fixed_total if mode == "fix" else 0,
        )
        emit(report, output_file)
        if mode == "fix" and show_fixes and changed and output_format == "text":
            _echo(_fixed_listing(changed), err=output_file is not None)

    if any(f.diagnostic.code == "TK999" for f in findings):
        return 2
    if diff:
        status = 1 if changed else 0
    else:
        status = 1 if findings or (exit_non_zero_on_fix and changed) else 0
    return 0 if exit_zero else status


def _excluded(filename: str, settings: Any) -> bool:
    from codemods.discovery import is_excluded

    return is_excluded(filename, settings)


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
        notebook_lines=_notebook_lines(findings) if output_format in ("sarif", "github") else None,
    )


def _notebook_lines(findings: list[Any]) -> dict[str, dict[int, tuple[int, ...]]]:
    """For each `.ipynb` with findings, where its cells' source lines are in its JSON text
    (SARIF regions and GitHub annotations address the file's own lines)."""
    from codemods.notebooks import cell_source_lines
    from toolkit.textio import UnreadableFileError, read_text_file

    found: dict[str, dict[int, tuple[int, ...]]] = {}
    for path in sorted({f.path for f in findings if f.cell is not None}):
        try:
            found[path] = cell_source_lines(read_text_file(path).text)
        except (UnreadableFileError, OSError):
            continue  # standard input, or gone since: the report says line 1
    return found


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
    import toolkit

    return toolkit.__version__


def emit(text: str, output_file: Path | None) -> None:
    """Print `text`, or write it to `output_file` atomically."""
    if output_file is None:
        _echo(text)
        return
    if str(output_file) == "/dev/stderr":
        _echo(text, err=True)
        return
    from toolkit.textio import write_text_atomic

    try:
        write_text_atomic(output_file, text)
    except OSError as error:
        raise ToolkitError(f"{output_file}: cannot write the report: {error.strerror}") from error
