"""The MCP server behind `toolkit mcp`: the toolkit's doors for an AI assistant.

Tools (`lint`, `fix`, `explain_rule`, `generate_tests`, `scaffold_project`, `new_transform`,
`new_pipeline`, `profile`, `validate_config`) call the same functions as the CLI; resources
serve the rule catalogue, the resolved project config and the lint settings. Paths are
confined to the client's workspace roots (`workspace.Workspace`).

Importing this package imports nothing heavy; `toolkit.mcp_server.server` imports the MCP SDK.
"""

from __future__ import annotations
