"""`python -m lsp`: the language server over stdio (the same as `toolkit lsp`)."""

from __future__ import annotations


def main() -> None:
    from lsp.features import create_server

    create_server().start_io()


if __name__ == "__main__":
    main()
