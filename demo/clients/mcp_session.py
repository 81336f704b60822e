"""Drive `toolkit mcp` over stdio with the official MCP SDK's client, as an assistant does.

Usage: python mcp_session.py WORKSPACE FILE [--rule CODE]

Starts the real server (`toolkit mcp`) in WORKSPACE, declares WORKSPACE as the client's one
root, lists the tools, calls `lint` on FILE (a path inside WORKSPACE) and `explain_rule` for
CODE, and prints a concise view of each structured result. Exits 1 with the reason on stderr
when a call fails, returns an error, or takes too long.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp_types import ListRootsResult, Root

SESSION_SECONDS = 20.0  # the whole session; the first lint imports the engine and every rule
CALL_SECONDS = 15.0
DOC_LINES = 6


class DemoFailure(Exception):
    """A call did not give what an assistant needs."""


def headline(text: str | None, width: int = 64) -> str:
    """A description's first sentence on one line, cut to `width` characters."""
    sentence = " ".join((text or "").split()).split(". ")[0].rstrip(".")
    return sentence if len(sentence) <= width else sentence[: width - 3].rstrip() + "..."


def structured(result: Any, tool: str) -> dict[str, Any]:
    """The structured result of a tool call that must succeed."""
    if result.is_error:
        message = result.content[0].text if result.content else "(no message)"
        raise DemoFailure(f"tool `{tool}` returned an error: {message}")
    if not isinstance(result.structured_content, dict):
        raise DemoFailure(f"tool `{tool}` returned no structured content")
    return result.structured_content


async def session(workspace: Path, file: str, rule: str) -> None:
    toolkit = shutil.which("toolkit")
    if toolkit is None:
        raise DemoFailure("`toolkit` is not on PATH")
    if not workspace.is_dir():
        raise DemoFailure(f"{workspace}: no such folder")
    workspace = workspace.resolve()

    async def list_roots(*_: Any) -> ListRootsResult:
        return ListRootsResult(roots=[Root(uri=workspace.as_uri(), name=workspace.name)])

    # Merged over the SDK's minimal default environment: only what the server needs.
    env = {key: os.environ[key] for key in ("PATH", "HOME", "JAVA_HOME") if key in os.environ}
    server = StdioServerParameters(command=toolkit, args=["mcp"], cwd=str(workspace), env=env)
    print("$ toolkit mcp    # started by the assistant, spoken to over stdin/stdout")
    async with Client(
        server, read_timeout_seconds=CALL_SECONDS, list_roots_callback=list_roots
    ) as client:
        info = client.server_info
        name = f"{info.name} {info.version}" if info else "server"
        print(f"connected: {name}, protocol {client.protocol_version}, root {workspace.name}/")

        tools = (await client.list_tools()).tools
        if not tools:
            raise DemoFailure("the server lists no tools")
        print(f"\ntools ({len(tools)}):")
        for tool in tools:
            access = "read-only" if tool.annotations and tool.annotations.read_only_hint else ""
            print(f"  {tool.name:<17} {access:<9}  {headline(tool.description)}")
        if "lint" not in {tool.name for tool in tools}:
            raise DemoFailure("the server lists no `lint` tool")

        print(f'\ncall lint {{"path": "{file}"}}:')
        linted = structured(await client.call_tool("lint", {"path": file}), "lint")
        for diagnostic in linted["diagnostics"]:
            start = diagnostic["start"]
            fix = " [fix]" if diagnostic.get("fix") else ""
            print(
                f"  {diagnostic['path']}:{start['line']}:{start['column']}: "
                f"{diagnostic['code']} {diagnostic['message']}{fix}"
            )
        print(f"  -> {linted['summary']} files: {linted['files']}, with a fix: {linted['fixable']}")
        if not linted["diagnostics"]:
            raise DemoFailure(f"lint found nothing in {file}: the example has known problems")

        print(f'\ncall explain_rule {{"code": "{rule}"}}:')
        doc = structured(await client.call_tool("explain_rule", {"code": rule}), "explain_rule")
        print(f"  {doc['code']} {doc['name']}: {doc['summary']}")
        print(f"  severity {doc['severity']}, fixable {doc['fixable']}, url {doc['url']}")
        lines = [line for line in doc["documentation"].splitlines() if line.strip()]
        for line in lines[:DOC_LINES]:
            print(f"  | {line}")
        print(f"  | ... ({len(lines) - DOC_LINES} more lines)")

        unknown = await client.call_tool("explain_rule", {"code": "XYZ999"})
        if not unknown.is_error:
            raise DemoFailure("explain_rule accepted an unknown code")
        print(f'\ncall explain_rule {{"code": "XYZ999"}}: tool error: {unknown.content[0].text}')
    print("\nsession closed: the server stopped with the client")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", type=Path, help="the folder the client declares as root")
    parser.add_argument("file", help="the file to lint, relative to the workspace")
    parser.add_argument("--rule", default="SPK101", help="the rule to explain")
    args = parser.parse_args()

    async def bounded() -> None:
        with anyio.fail_after(SESSION_SECONDS):
            await session(args.workspace, args.file, args.rule)

    try:
        anyio.run(bounded)
    except Exception as error:
        # The SDK's task groups wrap what the session raised in an exception group.
        leaves = list(_leaves(error))
        failure = next((leaf for leaf in leaves if isinstance(leaf, DemoFailure)), None)
        if failure is not None:
            print(f"error: {failure}", file=sys.stderr)
            return 1
        if any(isinstance(leaf, TimeoutError) for leaf in leaves):
            print(f"error: the session took over {SESSION_SECONDS:.0f} s", file=sys.stderr)
            return 1
        raise  # anything else is a bug: its traceback is the report
    return 0


def _leaves(error: BaseException) -> Iterator[BaseException]:
    nested = getattr(error, "exceptions", None)  # an ExceptionGroup
    if nested is None:
        yield error
        return
    for inner in nested:
        yield from _leaves(inner)


if __name__ == "__main__":
    sys.exit(main())
