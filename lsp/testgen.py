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
    progress = await _EditorProgress.start(server, f"Generate test for {qualname}")
    try:
        report = await asyncio.to_thread(
            generate_tests,
            [source],
            functions={qualname},
            write=not apply_edit,
            timeout=GENERATE_TIMEOUT_SECONDS,
            progress=progress.report if progress is not None else None,
        )
    except ToolkitError as error:
        return _tell(server, f"toolkit: no test generated: {error}", types.MessageType.Error)
    finally:
        if progress is not None:
            progress.end()
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


class _EditorProgress:
    """The editor's progress indicator (`window/workDoneProgress`) for a run on Spark, fed
    from the thread that runs it; only for clients that declare they show one."""

    def __init__(self, server: Any, token: str, loop: asyncio.AbstractEventLoop) -> None:
        self.server = server
        self.token = token
        self.loop = loop

    @classmethod
    async def start(cls, server: Any, title: str) -> _EditorProgress | None:
        import uuid

        window = server.client_capabilities.window
        if window is None or not window.work_done_progress:
            return None
        token = f"toolkit-{uuid.uuid4()}"
        try:
            await server.work_done_progress.create_async(token)
        except Exception:  # the client refused the token: go on without a progress bar
            return None
        server.work_done_progress.begin(
            token, types.WorkDoneProgressBegin(title=title, cancellable=False, percentage=0)
        )
        return cls(server, token, asyncio.get_running_loop())

    def report(self, done: int, total: int, message: str) -> None:
        value = types.WorkDoneProgressReport(
            message=message, percentage=int(100 * done / total) if total else None
        )
        self.loop.call_soon_threadsafe(self.server.work_done_progress.report, self.token, value)

    def end(self) -> None:
        self.server.work_done_progress.end(self.token, types.WorkDoneProgressEnd())
