"""`toolkit gen-tests`: chispa tests for the DataFrame transforms in PATH..., expected rows
observed by running each transform on local Spark in a separate process."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from toolkit.errors import ToolkitError


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@click.command("gen-tests")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the test files instead of the project's `tests` folder.",
)
@click.option("--dry-run", is_flag=True, help="Run and report, but write nothing.")
@click.option(
    "--diff", "show_diff", is_flag=True, help="Print the changes as a diff; write nothing."
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=60.0,
    show_default=True,
    help="Seconds each transform may run on Spark.",
)
@click.option(
    "--function",
    "functions",
    multiple=True,
    metavar="NAME",
    help="Only this transform (`name` or `Class.method`); repeatable.",
)
def gen_tests(
    paths: tuple[Path, ...],
    output_dir: Path | None,
    dry_run: bool,
    show_diff: bool,
    timeout: float,
    functions: tuple[str, ...],
) -> None:
    """Generate chispa tests for the DataFrame transforms in PATH...

    Runs each transform (user code) on local Spark in a worker process. Exit status: 0 when
    every discovered transform has a test, 1 when one got none, 2 on a usage error.
    """
    from codemods.testgen.generate import generate_tests
    from codemods.testgen.runner import WorkerError

    write = not (dry_run or show_diff)
    try:
        report = generate_tests(
            list(paths),
            output_dir=output_dir,
            functions=set(functions) or None,
            timeout=timeout,
            write=write,
            progress=_show_progress if sys.stderr.isatty() else None,
        )
    except WorkerError as exc:
        hint = None if "hint:" in str(exc) else "local Spark needs Java 17 and the `spark` extra"
        raise ToolkitError(str(exc), hint=hint) from exc
    for outcome in report.outcomes:
        transform = outcome.transform
        where = f"{_display(Path(transform.path))}:{transform.line} {transform.qualname}"
        if outcome.status == "written":
            click.echo(
                f"{where}: test written ({outcome.test_name} in {_display(outcome.test_path)})"
            )
        elif outcome.status == "would_write":
            click.echo(
                f"{where}: test generated ({outcome.test_name} for {_display(outcome.test_path)}, not written)"
            )
        elif outcome.status == "exists":
            click.echo(
                f"{where}: test exists ({outcome.test_name} in {_display(outcome.test_path)})"
            )
        else:
            click.echo(f"{where}: skipped ({outcome.reason})")
    if show_diff:
        for change in report.changes:
            click.echo(change.diff(relative_to=None), nl=False)
    got = sum(o.got_test for o in report.outcomes)
    click.echo(
        f"{got} of {len(report.outcomes)} transforms have a test; "
        f"{report.characterized} run on Spark in {report.seconds:.1f} s."
    )
    if report.missing:
        raise SystemExit(1)


def _show_progress(done: int, total: int, message: str) -> None:
    """One line on the terminal, rewritten in place, while transforms run on Spark."""
    click.echo(f"\r\033[K[{done}/{total}] {message}", err=True, nl=done == total)
