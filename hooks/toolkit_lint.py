"""pre-commit hook `toolkit-lint`: report PySpark and Databricks problems in staged files."""

from __future__ import annotations

from collections.abc import Sequence

from hooks._arguments import lint_arguments, lint_parser, run_door


def main(argv: Sequence[str] | None = None) -> int:
    parser = lint_parser("Report PySpark and Databricks problems (toolkit lint).")
    parsed = parser.parse_args(argv)
    from codemods.reporting import lint_command

    return run_door(lint_command, **lint_arguments(parsed))


if __name__ == "__main__":
    raise SystemExit(main())
