"""pre-commit hook `toolkit-fix`: apply safe fixes to staged files.

Fails when it changed a file (so the fixed file is reviewed and staged again) or when
findings without a fix remain (docs/pre-commit.md, docs/cli.md).
"""

from __future__ import annotations

from collections.abc import Sequence

from hooks._arguments import lint_arguments, lint_parser, run_door


def main(argv: Sequence[str] | None = None) -> int:
    parser = lint_parser("Apply safe fixes (toolkit fix); fail when a file changed.")
    parser.add_argument("--unsafe-fixes", action="store_true", help="also apply unsafe fixes")
    parsed = parser.parse_args(argv)
    from codemods.reporting import fix_command

    return run_door(
        fix_command,
        **lint_arguments(parsed),
        unsafe_fixes=parsed.unsafe_fixes,
        exit_non_zero_on_fix=True,
    )


if __name__ == "__main__":
    raise SystemExit(main())
