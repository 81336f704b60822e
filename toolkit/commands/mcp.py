"""`toolkit mcp`: serve the Model Context Protocol over stdio (for editors and assistants)."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.errors import ToolkitError


@click.command("mcp")
@click.option(
    "--root",
    "roots",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A folder the tools may use when the client declares no workspace roots "
    "(repeatable; default: the working folder).",
)
def mcp(roots: tuple[Path, ...]) -> None:
    """Start the MCP server over stdio.

    Tools: lint, fix, explain_rule, generate_tests, scaffold_project, new_transform,
    new_pipeline, profile, validate_config. Resources: toolkit://rules, toolkit://config,
    toolkit://settings. Paths are confined to the client's workspace roots, else to --root,
    else to the working folder.
    """
    try:
        from toolkit.mcp_server.server import serve
    except ImportError as error:  # the `mcp` extra is not installed
        raise ToolkitError(
            f"the MCP server needs the `mcp` package ({error})",
            hint="pip install 'dataeng-toolkit[mcp]'",
        ) from error
    serve(default_roots=roots)
