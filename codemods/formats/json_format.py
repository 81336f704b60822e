"""The JSON format: a list of finding objects, as docs/cli.md describes (and MCP's `lint`
returns)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from codemods.findings import Finding


def render_json(findings: Sequence[Finding]) -> str:
    return json.dumps([finding.to_dict() for finding in findings], indent=2) + "\n"
