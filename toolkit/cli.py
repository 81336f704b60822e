"""The `toolkit` command: a click group whose subcommands are imported only when run.

`toolkit --help` lists every command from the table below without importing any of them, so
the help and the fast paths (lint in a pre-commit hook) stay light. Each command lives in
`toolkit/commands/<name>.py` and exposes a click command object.
"""

from __future__ import annotations

import importlib

import click

# name -> (module, attribute, one-line help shown by `toolkit --help`)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "lint": ("toolkit.commands.lint", "lint", "Report PySpark and Databricks problems."),
    "fix": ("toolkit.commands.lint", "fix", "Apply fixes for the problems `lint` reports."),
    "rule": ("toolkit.commands.lint", "rule", "Print a rule's documentation."),
    "config": ("toolkit.commands.config", "config", "Show or validate the project config."),
    "scaffold": ("toolkit.commands.scaffold", "scaffold", "Create a new Databricks project."),
    "new": ("toolkit.commands.scaffold", "new", "Add a transform or pipeline to a project."),
    "gen-tests": (
        "toolkit.commands.gen_tests",
        "gen_tests",
        "Generate chispa tests for transforms.",
    ),
    "profile": ("toolkit.commands.profile", "profile", "Profile a table or file with Spark."),
    "lsp": ("toolkit.commands.lsp", "lsp", "Start the language server over stdio."),
    "mcp": ("toolkit.commands.mcp", "mcp", "Start the MCP server over stdio."),
}


class LazyGroup(click.Group):
    """A group that resolves a subcommand's module only when that subcommand is invoked."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # `toolkit --help` describes every command from the table, importing none of them.
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module_name, attribute, _ = entry
        return getattr(importlib.import_module(module_name), attribute)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dataeng-toolkit", prog_name="toolkit")
def cli() -> None:
    """Lint, fix, scaffold, test and profile PySpark pipelines on Databricks."""


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point; returns the exit code instead of raising SystemExit.

    A `ToolkitError` (a user mistake) is printed as `error: ...` with exit code 2.
    """
    from toolkit.errors import ToolkitError

    try:
        cli.main(args=argv, prog_name="toolkit", standalone_mode=True)
    except ToolkitError as exc:
        click.echo(f"error: {exc}", err=True)
        return exc.exit_code
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
