"""The `profile` tool: `toolkit profile SOURCE --format json --rules FILE` as one call.

Runs in the server's own process with the session `toolkit.spark.get_spark()` gives (kept for
the next call, so only the first profile pays for Spark's start). Spark's JVM inherits the
server's standard output, which the SDK's stdio transport points at standard error while it
serves, so nothing Spark prints reaches the protocol stream.
"""

from __future__ import annotations

from collections.abc import Sequence

from toolkit.errors import ToolkitError
from toolkit.mcp_server import models
from toolkit.mcp_server.workspace import Workspace


def _source_text(workspace: Workspace, source: str) -> str:
    """A path inside the workspace (made absolute), or a catalog.schema.table name."""
    from toolkit.profile.source import THREE_PART_NAME

    text = source.strip()
    if not text:
        raise ToolkitError("source: give a file or folder path, or catalog.schema.table")
    candidate = workspace.base / text
    if THREE_PART_NAME.match(text) and not candidate.exists():
        return text
    return str(workspace.resolve(text, field="source"))


def profile(
    workspace: Workspace,
    *,
    source: str,
    columns: Sequence[str] | None = None,
    sample_fraction: float | None = None,
    seed: int = 42,
    env: str | None = None,
    rules_path: str | None = None,
    force: bool = False,
) -> models.ProfileResult:
    """Profile a file, folder or table; suggest data-quality rules checked on the data."""
    from toolkit.profile.render import to_json
    from toolkit.profile.source import profile_source
    from toolkit.profile.suggest import (
        RULES_HEADER,
        check_rules,
        refuse_foreign_file,
        rules_yaml,
        suggest_rules,
    )

    text = _source_text(workspace, source)
    if sample_fraction is not None and not 0 < sample_fraction <= 1:
        raise ToolkitError(f"sample_fraction: {sample_fraction} is not a fraction in (0, 1]")
    destination = None
    if rules_path is not None:  # checked before the (long) profile runs
        destination = workspace.resolve(rules_path, field="rules_path", must_exist=False)
        refuse_foreign_file(
            destination, RULES_HEADER, "rules", force=force, label=f"rules_path: {rules_path}"
        )
    if columns is not None and not [c for c in columns if c.strip()]:
        raise ToolkitError("columns: give one or more column names, or leave it out")
    selected = [c.strip() for c in columns if c.strip()] if columns is not None else None
    table_profile, data = profile_source(
        text, env=env, columns=selected, sample_fraction=sample_fraction, seed=seed
    )
    candidates = suggest_rules(table_profile)
    checked, _ = check_rules(data, candidates) if candidates else ([], None)
    yaml_text = rules_yaml(table_profile, checked)
    written = []
    if destination is not None:
        from toolkit.textio import write_text_atomic

        write_text_atomic(destination, yaml_text)
        written.append(str(destination))
    import json

    rules = [
        models.SuggestedRule(
            **_rule_fields(item.rule.to_dict()),
            failed_rows=item.failed_rows,
            checked_rows=item.checked_rows,
            pass_rate=round(item.pass_rate, 6),
        )
        for item in checked
    ]
    return models.ProfileResult(
        profile=json.loads(to_json(table_profile)),
        rules=rules,
        rules_yaml=yaml_text,
        written=written,
    )


def _rule_fields(data: dict) -> dict:
    from toolkit.profile.model import jsonable

    # Dates and decimals in a check's arguments as the JSON report prints them.
    return {key: jsonable(data[key]) for key in ("name", "criticality", "check")}
