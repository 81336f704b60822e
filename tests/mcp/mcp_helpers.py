"""Helpers for the MCP server tests: a real `toolkit mcp` subprocess driven by the SDK's own
client over stdio.

The client runs on an event loop in a helper thread (an anyio blocking portal), so the tests
stay plain synchronous functions and one server serves a whole module.
"""

from __future__ import annotations

import os
import shutil
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from anyio.from_thread import start_blocking_portal
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp_types import ListRootsResult, Root

TOOLKIT = shutil.which("toolkit", path=str(Path(sys.executable).parent)) or "toolkit"

SAMPLE = """\
from pyspark.sql import DataFrame
from pyspark.sql import functions as F


def active_customers(df: DataFrame) -> DataFrame:
    return df.filter(F.col("deleted_at") == None)


def has_rows(df: DataFrame) -> bool:
    return df.count() > 0
"""


class Session:
    """A connected client: synchronous `call`, `tools`, `read` over the portal."""

    def __init__(self, portal: Any, client: Client) -> None:
        self.portal = portal
        self.client = client

    def tools(self) -> list[Any]:
        return self.portal.call(self.client.list_tools).tools

    def call(self, name: str, arguments: dict[str, Any], progress: Any = None) -> Any:
        return self.portal.call(self.client.call_tool, name, arguments, None, progress)

    def ok(self, name: str, arguments: dict[str, Any], progress: Any = None) -> dict[str, Any]:
        """The structured result of a call that must succeed; `progress(done, total,
        message)` receives the server's progress notifications."""
        result = self.call(name, arguments, progress)
        assert not result.is_error, result.content[0].text
        return result.structured_content

    def error(self, name: str, arguments: dict[str, Any]) -> str:
        """The text of a call that must fail as a tool error."""
        result = self.call(name, arguments)
        assert result.is_error, result.structured_content
        return result.content[0].text

    def resources(self) -> list[str]:
        return [str(r.uri) for r in self.portal.call(self.client.list_resources).resources]

    def templates(self) -> list[str]:
        listed = self.portal.call(self.client.list_resource_templates)
        return [t.uri_template for t in listed.resource_templates]

    def read(self, uri: str) -> str:
        return self.portal.call(self.client.read_resource, uri).contents[0].text


def roots_callback(*folders: Path) -> Any:
    async def list_roots(*_: Any) -> ListRootsResult:
        return ListRootsResult(
            roots=[Root(uri=folder.as_uri(), name=folder.name) for folder in folders]
        )

    return list_roots


def open_session(
    stack: ExitStack,
    *,
    cwd: Path,
    roots: tuple[Path, ...] | None,
    args: tuple[str, ...] = (),
    mode: str = "auto",
) -> Session:
    """Start `toolkit mcp` in `cwd`; `roots` declared by the client (None: no roots capability).

    `mode="auto"` negotiates the newest protocol (2026-07-28); `"legacy"` the handshake era
    (2025-11-25), where the server asks for the roots with a request in the middle of a call.
    """
    env = {
        key: os.environ[key]
        for key in ("PATH", "HOME", "JAVA_HOME", "TOOLKIT_TEST_DATA")
        if key in os.environ
    }
    env["PYSPARK_PYTHON"] = sys.executable
    params = StdioServerParameters(command=TOOLKIT, args=["mcp", *args], cwd=str(cwd), env=env)
    extra: dict[str, Any] = {}
    if roots is not None:
        extra["list_roots_callback"] = roots_callback(*roots)
    portal = stack.enter_context(start_blocking_portal())
    client = stack.enter_context(
        portal.wrap_async_context_manager(
            Client(params, read_timeout_seconds=300, mode=mode, **extra)
        )
    )
    return Session(portal, client)
