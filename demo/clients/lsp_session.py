"""Drive `toolkit lsp` over stdio the way an editor does, and print what the editor would show.

Usage: python lsp_session.py PROJECT_FOLDER FILE [--server-cwd FOLDER]

Starts the real server (`toolkit lsp`), opens FILE from PROJECT_FOLDER (read from disk,
never written: edits are applied to an in-memory copy), prints the published diagnostics as
a problems panel, asks for the code actions on the first SPK101 finding and shows the
preferred fix's edit, hovers over that finding, then shuts the server down and checks that it
exited cleanly. Exits 1 with the reason on stderr when any step fails or takes too long.
"""

from __future__ import annotations

import argparse
import asyncio
import difflib
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.client import LanguageClient

STEP_SECONDS = 15.0  # the first lint imports the engine and every rule
SESSION_SECONDS = 20.0
HOVER_LINES = 8
SEVERITY = {
    types.DiagnosticSeverity.Error: "error",
    types.DiagnosticSeverity.Warning: "warning",
    types.DiagnosticSeverity.Information: "info",
    types.DiagnosticSeverity.Hint: "hint",
}


class DemoFailure(Exception):
    """A step of the session did not give what an editor needs."""


class EditorClient(LanguageClient):
    """A language client that records what the server pushes: diagnostics, log messages and
    the server process's exit code."""

    def __init__(self) -> None:
        super().__init__("toolkit-demo-editor", "1.0")
        self.published: dict[str, types.PublishDiagnosticsParams] = {}
        self.errors_logged: list[str] = []
        self.exit_code: int | None = None

        @self.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
            self.published[params.uri] = params

        @self.feature(types.WINDOW_LOG_MESSAGE)
        def on_log(params: types.LogMessageParams) -> None:
            if params.type == types.MessageType.Error:
                self.errors_logged.append(params.message)

        @self.feature(types.WINDOW_SHOW_MESSAGE)
        def on_show(params: types.ShowMessageParams) -> None:
            if params.type == types.MessageType.Error:
                self.errors_logged.append(params.message)

    async def server_exit(self, server: asyncio.subprocess.Process) -> None:
        self.exit_code = server.returncode


def editor_capabilities() -> types.ClientCapabilities:
    """What a plain editor declares: pushed diagnostics, markdown hovers, code action
    literals. No workspace/configuration: the project's pyproject.toml is the only setting."""
    return types.ClientCapabilities(
        text_document=types.TextDocumentClientCapabilities(
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True),
            hover=types.HoverClientCapabilities(
                content_format=[types.MarkupKind.Markdown, types.MarkupKind.PlainText]
            ),
            code_action=types.CodeActionClientCapabilities(
                code_action_literal_support=types.ClientCodeActionLiteralOptions(
                    code_action_kind=types.ClientCodeActionKindOptions(
                        value_set=[
                            types.CodeActionKind.QuickFix,
                            types.CodeActionKind.Refactor,
                            types.CodeActionKind.SourceFixAll,
                        ]
                    )
                ),
                is_preferred_support=True,
            ),
        ),
        workspace=types.WorkspaceClientCapabilities(
            workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=True),
            workspace_folders=True,
        ),
    )


async def within(awaitable: Any, what: str) -> Any:
    try:
        return await asyncio.wait_for(awaitable, STEP_SECONDS)
    except asyncio.TimeoutError:
        raise DemoFailure(f"{what}: no answer within {STEP_SECONDS:.0f} s") from None


async def wait_for_diagnostics(client: EditorClient, uri: str) -> types.PublishDiagnosticsParams:
    deadline = time.monotonic() + STEP_SECONDS
    while time.monotonic() < deadline:
        if uri in client.published:
            return client.published[uri]
        if client.stopped:
            raise DemoFailure(f"the server exited (code {client.exit_code}) before publishing")
        await asyncio.sleep(0.02)
    raise DemoFailure(f"no diagnostics published for {uri} within {STEP_SECONDS:.0f} s")


def position(diagnostic: types.Diagnostic) -> str:
    """`line:col` counted from 1, as an editor's problems panel shows it."""
    start = diagnostic.range.start
    return f"{start.line + 1}:{start.character + 1}"


def apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    """The text after the edits (ASCII file: UTF-16 columns are character columns)."""
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))

    def offset(at: types.Position) -> int:
        return offsets[min(at.line, len(lines))] + at.character

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


def print_problems(shown: str, params: types.PublishDiagnosticsParams) -> None:
    diagnostics = sorted(
        params.diagnostics, key=lambda d: (d.range.start.line, d.range.start.character)
    )
    print(f"PROBLEMS  {shown}  ({len(diagnostics)}, document version {params.version})")
    for diagnostic in diagnostics:
        severity = SEVERITY.get(diagnostic.severity, "?")
        print(f"  {position(diagnostic):<7} {severity:<8} {diagnostic.code}  {diagnostic.message}")


def print_edit(action: types.CodeAction, text: str) -> None:
    if action.edit is None or not action.edit.document_changes:
        raise DemoFailure(f"code action {action.title!r} carries no edit")
    (change,) = action.edit.document_changes
    edits = list(change.edits)
    print(f"edit of {action.title!r} (for document version {change.text_document.version}):")
    for edit in edits:
        start, end = edit.range.start, edit.range.end
        print(
            f"  replace {start.line + 1}:{start.character + 1}-{end.line + 1}:"
            f"{end.character + 1} with {edit.new_text!r}"
        )
    before = text.splitlines()
    after = apply_edits(text, edits).splitlines()
    for line in difflib.unified_diff(before, after, lineterm="", n=0):
        if line.startswith("@@"):
            print(f"  {line}")
        elif line[:1] in "-+" and not line.startswith(("---", "+++")):
            print(f"  {line[0]} {line[1:].strip()}")


async def session(project: Path, file: Path, server_cwd: Path) -> None:
    toolkit = shutil.which("toolkit")
    if toolkit is None:
        raise DemoFailure("`toolkit` is not on PATH")
    if not project.is_dir() or not file.is_file():
        raise DemoFailure(f"{project} must be a folder and {file} a file in it")
    text = file.read_text(encoding="utf-8")
    uri = file.resolve().as_uri()
    shown = Path(os.path.relpath(file.resolve(), project.resolve())).as_posix()
    client = EditorClient()
    print("$ toolkit lsp    # started by the editor, spoken to over stdin/stdout")
    await client.start_io(toolkit, "lsp", cwd=str(server_cwd))
    try:
        result = await within(
            client.initialize_async(
                types.InitializeParams(
                    process_id=None,
                    capabilities=editor_capabilities(),
                    client_info=types.ClientInfo(name="toolkit-demo-editor", version="1.0"),
                    root_uri=project.resolve().as_uri(),
                    workspace_folders=[
                        types.WorkspaceFolder(uri=project.resolve().as_uri(), name=project.name)
                    ],
                )
            ),
            "initialize",
        )
        info = result.server_info
        provides = result.capabilities
        print(
            f"initialized: {info.name if info else 'server'} {info.version if info else ''}"
            f" (hover: {bool(provides.hover_provider)},"
            f" code actions: {bool(provides.code_action_provider)})"
        )
        client.initialized(types.InitializedParams())
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id="python", version=1, text=text
                )
            )
        )
        print(f"opened {shown}\n")
        published = await wait_for_diagnostics(client, uri)
        if not published.diagnostics:
            raise DemoFailure(f"no diagnostics for {shown}: the example has known problems")
        print_problems(shown, published)

        target = next((d for d in published.diagnostics if d.code == "SPK101"), None)
        if target is None:
            raise DemoFailure("no SPK101 finding to ask for code actions on")
        print(f"\ncode actions at {shown}:{position(target)} (SPK101):")
        actions = await within(
            client.text_document_code_action_async(
                types.CodeActionParams(
                    text_document=types.TextDocumentIdentifier(uri=uri),
                    range=target.range,
                    context=types.CodeActionContext(diagnostics=[target]),
                )
            ),
            "textDocument/codeAction",
        )
        actions = [a for a in actions or [] if isinstance(a, types.CodeAction)]
        if not actions:
            raise DemoFailure("no code actions for the SPK101 finding")
        for action in actions:
            star = " (preferred)" if action.is_preferred else ""
            print(f"  [{action.kind}] {action.title}{star}")
        preferred = next((a for a in actions if a.is_preferred), None)
        if preferred is None:
            raise DemoFailure("no preferred quick fix for SPK101")
        print()
        print_edit(preferred, text)

        start = target.range.start
        print(f"\nhover at {shown}:{position(target)}, first {HOVER_LINES} lines:")
        hovered = await within(
            client.text_document_hover_async(
                types.HoverParams(
                    text_document=types.TextDocumentIdentifier(uri=uri),
                    position=types.Position(line=start.line, character=start.character + 1),
                )
            ),
            "textDocument/hover",
        )
        contents = getattr(hovered, "contents", None)
        if not isinstance(contents, types.MarkupContent) or not contents.value.strip():
            raise DemoFailure("the hover over the SPK101 finding is empty")
        lines = [line for line in contents.value.splitlines() if line.strip()]
        for line in lines[:HOVER_LINES]:
            print(f"  | {line}")
        print(f"  | ... ({len(lines) - HOVER_LINES} more lines)")

        if client.errors_logged:
            raise DemoFailure("the server reported errors: " + "; ".join(client.errors_logged))
        await within(client.shutdown_async(None), "shutdown")
        client.exit(None)
        await within(client.stop(), "exit")
    except BaseException:
        await _kill(client)
        raise
    if client.exit_code != 0:
        raise DemoFailure(f"the server exited with code {client.exit_code} after `exit`")
    print(f"\nshutdown + exit: the server stopped with code {client.exit_code}")


async def _kill(client: EditorClient) -> None:
    """Stop a server the session gave up on, and show what it wrote on stderr."""
    process = client._server  # the process pygls started for this client
    if process is None:
        return
    if process.returncode is None:
        process.kill()
        await process.wait()
    if process.stderr is not None:
        errors = (await process.stderr.read()).decode(errors="replace").strip()
        if errors:
            print(f"server stderr:\n{errors}", file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path, help="the workspace folder the editor opens")
    parser.add_argument("file", type=Path, help="the Python file to open (never written)")
    parser.add_argument(
        "--server-cwd", type=Path, default=Path.cwd(), help="the server's working folder"
    )
    args = parser.parse_args()
    try:
        asyncio.run(
            asyncio.wait_for(session(args.project, args.file, args.server_cwd), SESSION_SECONDS)
        )
    except DemoFailure as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except asyncio.TimeoutError:
        print(f"error: the session took over {SESSION_SECONDS:.0f} s", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
