"""The "Generate test for NAME" action, over the testing agent's public API.

Offering the action is pure (`ast` only: which transform holds the cursor). Running it
executes the user's transform on local Spark, so it happens only when the person picks the
action: `codemods.testgen.generate_tests` runs the code in its own worker subprocess with a
timeout, called here from a thread so the editor keeps its diagnostics meanwhile. The new or
merged test file comes back to the editor as a `WorkspaceEdit` (undoable), or is written
through the agent when the client cannot apply edits.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from lsprotocol import types

from lsp.text import Document

GENERATE_TEST_COMMAND = "toolkit.generateTest"
GENERATE_TIMEOUT_SECONDS = 120.0


def generate_test_actions(
    document: Document, path: str, request: types.Range
) -> list[types.Command]:
    """One action per transform whose definition holds the requested range's start."""
    import ast

    from codemods.testgen.discovery import discover_nodes

    try:
        tree = ast.parse(document.text, filename=path)
    except (SyntaxError, ValueError):
        return []
    line = request.start.line + 1
    actions = []
    for transform, node in discover_nodes(tree, path):
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
        if first <= line <= (node.end_lineno or node.lineno):
            # A bare `Command` (which the protocol allows among code actions) rather than a
            # CodeAction holding one: lsprotocol-based clients read any code action that
            # has a `command` member as a Command and would lose the arguments.
            actions.append(
                types.Command(
                    title=f"Generate test for {transform.qualname}",
                    command=GENERATE_TEST_COMMAND,
                    arguments=[document.uri, transform.qualname],
                )
            )
    return actions


async def generate_test(server: Any, arguments: Any) -> str:
    """Run the testing agent for one transform and hand the test file to the editor."""
    from codemods.testgen import generate_tests
    from toolkit.errors import ToolkitError

    if not isinstance(arguments, (list, tuple)) or len(arguments) != 2:
        raise ValueError(f"{GENERATE_TEST_COMMAND} takes [uri, transform name], got {arguments!r}")
    uri, qualname = str(arguments[0]), str(arguments[1])
    source = Path(server.path_of(uri))
    capable = server.client_capabilities.workspace
    apply_edit = bool(capable and capable.apply_edit)
    try:
        report = await asyncio.to_thread(
            generate_tests,
            [source],
            functions={qualname},
            write=not apply_edit,
            timeout=GENERATE_TIMEOUT_SECONDS,
        )
    except ToolkitError as error:
        return _tell(server, f"toolkit: no test generated: {error}", types.MessageType.Error)
    missing = [f"{o.transform.qualname}: {o.reason}" for o in report.missing]
    if apply_edit and report.changes:
        changes: list[Any] = []
        for change in report.changes:
            target = change.path.resolve().as_uri()
            if change.before is None:
                changes.append(types.CreateFile(uri=target, kind="create"))
                end = types.Position(line=0, character=0)
            else:
                old = Document(target, change.before)
                last = old.protocol_position(len(change.before))
                end = types.Position(line=last[0], character=last[1])
            changes.append(
                types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(
                        uri=target, version=None
                    ),
                    edits=[
                        types.TextEdit(
                            range=types.Range(start=types.Position(line=0, character=0), end=end),
                            new_text=change.after,
                        )
                    ],
                )
            )
        await server.workspace_apply_edit_async(
            types.ApplyWorkspaceEditParams(
                edit=types.WorkspaceEdit(document_changes=changes),
                label=f"Generate test for {qualname}",
            )
        )
    written = ", ".join(str(change.path) for change in report.changes)
    if missing:
        return _tell(server, "toolkit: " + "; ".join(missing), types.MessageType.Warning)
    return _tell(server, f"toolkit: test for {qualname} in {written}", types.MessageType.Info)


def _tell(server: Any, message: str, kind: types.MessageType) -> str:
    server.window_show_message(types.ShowMessageParams(type=kind, message=message))
    return message
