"""`toolkit mcp` over stdio with the SDK's client: the tool list, lint, fix, explain_rule, the
resources, and the errors for bad arguments and paths outside the workspace."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from mcp_helpers import TOOLKIT, Session

EXPECTED_TOOLS = {
    "lint",
    "fix",
    "explain_rule",
    "generate_tests",
    "scaffold_project",
    "new_transform",
    "new_pipeline",
    "profile",
    "validate_config",
}


def test_every_tool_is_listed_with_input_and_output_schemas(session: Session) -> None:
    tools = {tool.name: tool for tool in session.tools()}
    assert set(tools) == EXPECTED_TOOLS
    for tool in tools.values():
        assert tool.description, tool.name
        assert tool.input_schema["type"] == "object"
        assert tool.output_schema is not None and tool.output_schema["type"] == "object"
        # The workspace roots come from the client, never from the model's arguments.
        assert "roots" not in tool.input_schema.get("properties", {})
    lint_properties = tools["lint"].input_schema["properties"]
    assert {"path", "source", "filename", "select", "ignore"} <= set(lint_properties)
    assert tools["explain_rule"].input_schema["required"] == ["code"]
    assert tools["lint"].annotations.read_only_hint is True


def test_lint_returns_what_toolkit_lint_format_json_prints(
    session: Session, workspace: Path, outside: Path
) -> None:
    result = session.ok("lint", {"path": "jobs"})
    cli = subprocess.run(
        [TOOLKIT, "lint", "--format", "json", "--no-cache", str(workspace / "jobs")],
        cwd=outside,  # the server's working folder: paths print the same way
        capture_output=True,
        text=True,
        check=False,
    )
    assert cli.returncode == 1, cli.stderr
    assert result["diagnostics"] == json.loads(cli.stdout)
    codes = [d["code"] for d in result["diagnostics"]]
    assert "SPK101" in codes and "SPK205" in codes
    spk101 = next(d for d in result["diagnostics"] if d["code"] == "SPK101")
    assert spk101["start"] == {"line": 6, "column": 22}
    assert spk101["fix"]["edits"][0]["content"] == 'F.col("deleted_at").isNull()'
    assert result["files"] == 1
    assert result["summary"] == f"Found {len(codes)} problems ({result['fixable']} fixable)."


def test_lint_source_text_with_selection(session: Session) -> None:
    source = (
        "from pyspark.sql import DataFrame\n\n\ndef f(df: DataFrame):\n    return df.count() == 0\n"
    )
    result = session.ok("lint", {"source": source, "filename": "jobs/new.py"})
    assert [d["code"] for d in result["diagnostics"]] == ["SPK205"]
    assert result["diagnostics"][0]["path"].endswith("jobs/new.py")
    ignored = session.ok("lint", {"source": source, "ignore": ["SPK2"]})
    assert ignored["diagnostics"] == [] and ignored["summary"] == "All checks passed."


def test_lint_argument_errors(session: Session) -> None:
    assert "give either `path`" in session.error("lint", {})
    assert "give either `path`" in session.error("lint", {"path": "jobs", "source": "x = 1\n"})
    assert "no such file or folder" in session.error("lint", {"path": "jobs/missing.py"})
    unknown = session.error("lint", {"source": "x = 1\n", "select": ["XYZ9"]})
    assert "XYZ9" in unknown
    assert "select" in session.error("lint", {"path": "jobs", "select": 5})


def test_paths_outside_the_workspace_roots_are_refused(
    session: Session, workspace: Path, outside: Path
) -> None:
    for path in ("../" + outside.name + "/secret.py", str(outside / "secret.py"), "/etc"):
        message = session.error("lint", {"path": path})
        assert "is outside the workspace roots" in message and str(workspace) in message
    (workspace / "link.py").symlink_to(outside / "secret.py")
    try:
        assert "is outside" in session.error("lint", {"path": "link.py"})
        assert "is outside" in session.error("fix", {"path": "link.py", "write": True})
    finally:
        (workspace / "link.py").unlink()
    assert "is outside" in session.error("lint", {"source": "x = 1\n", "filename": "/tmp/x.py"})
    assert (outside / "secret.py").read_text().count("== None") == 1


def test_fix_returns_text_and_diff_and_writes_only_when_asked(
    session: Session, workspace: Path
) -> None:
    module = workspace / "jobs" / "orders.py"
    original = "from pyspark.sql import DataFrame\n\n\ndef has_orders(df: DataFrame):\n    return df.count() > 0\n"
    module.write_text(original)
    preview = session.ok("fix", {"path": "jobs/orders.py"})
    assert preview["fixed_text"] == original.replace("df.count() > 0", "not df.isEmpty()")
    [changed] = preview["files"]
    assert changed["fixed"] == {"SPK205": 1} and changed["written"] is False
    assert "-    return df.count() > 0\n+    return not df.isEmpty()\n" in changed["diff"]
    assert module.read_text() == original
    assert preview["summary"] == "Found 1 problem (1 fixed, 0 remaining)."

    written = session.ok("fix", {"path": "jobs/orders.py", "write": True})
    assert written["files"][0]["written"] is True
    assert module.read_text() == preview["fixed_text"]
    again = session.ok("fix", {"path": "jobs/orders.py", "write": True})
    assert again["files"] == [] and again["remaining"] == []


def test_fix_unsafe_fixes_and_folders(session: Session, workspace: Path) -> None:
    source = (
        "from pyspark.sql import DataFrame\nfrom pyspark.sql import functions as F\n\n\n"
        "def flag(df: DataFrame) -> DataFrame:\n"
        '    return df.withColumn("missing", F.col("x") == None)\n'
    )
    safe_only = session.ok("fix", {"source": source})
    assert safe_only["fixed_text"] == source and safe_only["files"] == []
    assert [d["code"] for d in safe_only["remaining"]] == ["SPK101"]
    unsafe = session.ok("fix", {"source": source, "unsafe_fixes": True})
    assert 'F.col("x").isNull()' in unsafe["fixed_text"] and unsafe["remaining"] == []

    folder = session.ok("fix", {"path": "jobs"})
    assert folder["fixed_text"] is None
    assert [Path(f["path"]).name for f in folder["files"]] == ["customers.py"]
    assert "isEmpty" in folder["files"][0]["diff"]
    assert "has no file to write" in session.error("fix", {"source": "x = 1\n", "write": True})


def test_explain_rule(session: Session) -> None:
    doc = session.ok("explain_rule", {"code": "spk205"})
    assert doc["code"] == "SPK205" and doc["name"] == "count-for-emptiness"
    assert doc["fixable"] is True
    assert "## Why is this bad?" in doc["documentation"]
    assert "did you mean SPK205?" in session.error("explain_rule", {"code": "SPK2O5"})
    assert "code" in session.error("explain_rule", {})


def test_resources_rules_settings_and_config(session: Session, workspace: Path) -> None:
    assert {"toolkit://rules", "toolkit://config", "toolkit://settings"} <= set(session.resources())
    assert {"toolkit://rules/{code}", "toolkit://config/{env}"} <= set(session.templates())
    rules = json.loads(session.read("toolkit://rules"))
    codes = {rule["code"] for rule in rules}
    assert {"SPK101", "SPK205", "DBX106"} <= codes
    assert all(rule["documentation"].startswith("## What it does") for rule in rules)
    assert session.read("toolkit://rules/SPK101").startswith("## What it does")
    settings = json.loads(session.read("toolkit://settings"))
    # Resources use the server's working folder (outside), which has no [tool.toolkit].
    assert settings["config_path"] is None and "SPK101" in settings["enabled_rules"]


def test_notebooks_are_linted_by_cell_and_fixed_in_place(session: Session, workspace: Path) -> None:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Orders"]},
        {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": [
                "from pyspark.sql import DataFrame\n",
                "def empty(df: DataFrame):\n",
                "    return df.count() == 0",
            ],
        },
    ]
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = workspace / "explore.ipynb"
    path.write_text(json.dumps(notebook, indent=1) + "\n")
    [finding] = session.ok("lint", {"path": "explore.ipynb"})["diagnostics"]
    assert (finding["code"], finding["cell"], finding["start"]) == (
        "SPK205",
        2,
        {"line": 3, "column": 12},
    )
    fixed = session.ok("fix", {"path": "explore.ipynb", "write": True})
    assert fixed["files"][0]["written"] is True
    assert json.loads(path.read_text())["cells"][1]["source"][-1] == "    return df.isEmpty()"
    assert json.loads(fixed["fixed_text"]) == json.loads(path.read_text())
