"""`toolkit lsp`: start the language server over stdio (editors start it; see docs/editors.md)."""

from __future__ import annotations

import click


@click.command("lsp")
@click.option(
    "--stdio",
    is_flag=True,
    default=True,
    help="Talk over standard input and output (the default and only transport).",
)
def lsp(stdio: bool) -> None:
    """Start the language server over stdio: diagnostics, fixes and rule docs in the editor."""
    from lsp.features import create_server

    server = create_server()
    server.take_over_garbage_collection()
    server.start_io()
