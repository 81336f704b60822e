"""Finding a rule by the code a person typed: `toolkit rule CODE`, the MCP `explain_rule` tool
and the `toolkit://rules/{code}` resource all answer an unknown code the same way."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from toolkit.errors import ToolkitError

if TYPE_CHECKING:
    from codemods.rules.base import Rule

__all__ = ["find_rule"]


def find_rule(code: str, *, field: str | None = None) -> type[Rule]:
    """The rule with this code (case and surrounding spaces ignored).

    An unknown code is a `ToolkitError` whose hint names the closest known code; `field`
    (the argument the code came in, e.g. `code`) prefixes the message.
    """
    from codemods.rules import all_rules, get_rule

    wanted = code.strip()
    found = get_rule(wanted)
    if found is not None:
        return found
    known = [rule.code for rule in all_rules()]
    close = difflib.get_close_matches(wanted.upper(), known, n=1)
    where = f"{field}: " if field else ""
    raise ToolkitError(
        f"{where}unknown rule code {code!r}", hint=f"did you mean {close[0]}?" if close else None
    )
