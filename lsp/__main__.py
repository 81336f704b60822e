"""`python -m lsp`: the language server over stdio (the same as `toolkit lsp`, same options)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from toolkit.commands.lsp import lsp

    # The `toolkit lsp` command itself, so `--help` prints help and `--stdio` is accepted here
    # as it is there, instead of starting a server that reads the option as a message.
    return lsp.main(args=argv, prog_name="python -m lsp", standalone_mode=True)


if __name__ == "__main__":
    sys.exit(main())
