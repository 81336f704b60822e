"""The protocol features: short handlers that fetch the document, ask the engine (through
`ToolkitLanguageServer`) and convert the answer. Each is `guarded`: an exception is logged
through `window/logMessage` and the session goes on."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from lsprotocol import types

from lsp.actions import FIX_ALL_KIND, fix_actions, fix_all_action, hover, wants
from lsp.analysis import fix_all_text, lint_text
from lsp.convert import to_protocol_diagnostic
from lsp.server import ToolkitLanguageServer, guarded
from lsp.settings import CONFIG_FILE_NAMES, diagnostic_mode_from
from lsp.testgen import GENERATE_TEST_COMMAND, generate_test, generate_test_actions
from lsp.text import Document
from toolkit.errors import ToolkitError

PULL_IDENTIFIER = "toolkit"


def _is_python(uri: str, language_id: str) -> bool:
    return language_id == "python" or uri.endswith(".py")


def _is_config_file(uri: str) -> bool:
    return uri.rstrip("/").rsplit("/", 1)[-1] in CONFIG_FILE_NAMES


def create_server() -> ToolkitLanguageServer:
    server = ToolkitLanguageServer()

    @server.feature(types.INITIALIZE)
    @guarded(server)
    def initialize(params: types.InitializeParams) -> None:
        options = params.initialization_options
        server.init_overrides = options
        server.apply_editor_settings(options, where="initializationOptions")
        try:
            server.diagnostic_mode = diagnostic_mode_from(options, where="initializationOptions")
        except ToolkitError as error:
            server.window_show_message(
                types.ShowMessageParams(type=types.MessageType.Error, message=f"toolkit: {error}")
            )

    @server.feature(types.INITIALIZED)
    @guarded(server)
    async def initialized(params: types.InitializedParams) -> None:
        try:
            await server.fetch_configuration()
        finally:
            server.settings_ready.set()
        task = asyncio.ensure_future(server.watch_config_files())
        server.background.add(task)
        task.add_done_callback(server.background.discard)

    @server.feature(types.SHUTDOWN)
    @guarded(server)
    def shutdown(params: None) -> None:
        server.closing = True
        server.cancel_idle_collection()  # it would find the lint thread gone
        for task in server.pending.values():
            task.cancel()
        server.pending.clear()
        server.lint_thread.shutdown(wait=False, cancel_futures=True)

    # ---- text documents -----------------------------------------------------------
    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    @guarded(server)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        if not _is_python(item.uri, item.language_id):
            return
        server.documents[item.uri] = Document(item.uri, item.text, item.version, item.language_id)
        server.bump(item.uri)
        server.schedule(item.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @guarded(server)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        document = server.documents.get(uri)
        if document is None:
            return  # not a document we lint (or never opened): nothing to keep in sync
        for change in params.content_changes:
            if isinstance(change, types.TextDocumentContentChangePartial):
                start, end = change.range.start, change.range.end
                document.apply_change(
                    change.text,
                    (start.line, start.character),
                    (end.line, end.character),
                    server.encoding,
                )
            else:
                document.apply_change(change.text)
        document.version = params.text_document.version
        server.bump(uri)
        server.schedule(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    @guarded(server)
    def did_save(params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if _is_config_file(uri):
            server.relint_all()
        elif uri in server.documents:
            server.schedule(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @guarded(server)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        task = server.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        server.reparsers.pop(uri, None)
        if server.documents.pop(uri, None) is not None:
            server.analyses.pop(uri, None)
            server.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
            )

    # ---- notebooks ----------------------------------------------------------------
    @server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
    @guarded(server)
    def notebook_open(params: types.DidOpenNotebookDocumentParams) -> None:
        server.bump(params.notebook_document.uri)
        server.schedule(params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
    @guarded(server)
    def notebook_change(params: types.DidChangeNotebookDocumentParams) -> None:
        server.bump(params.notebook_document.uri)
        server.schedule(params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_SAVE)
    @guarded(server)
    def notebook_save(params: types.DidSaveNotebookDocumentParams) -> None:
        server.schedule(params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
    @guarded(server)
    def notebook_close(params: types.DidCloseNotebookDocumentParams) -> None:
        uri = params.notebook_document.uri
        task = server.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        server.analyses.pop(uri, None)
        server.reparsers.pop(uri, None)
        for cell in params.cell_text_documents:
            server.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=cell.uri, diagnostics=[])
            )

    # ---- settings -----------------------------------------------------------------
    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @guarded(server)
    def watched_files(params: types.DidChangeWatchedFilesParams) -> None:
        if any(_is_config_file(change.uri) for change in params.changes):
            server.relint_all()

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    @guarded(server)
    async def configuration_changed(params: types.DidChangeConfigurationParams) -> None:
        settings = params.settings
        if isinstance(settings, dict) and isinstance(settings.get("toolkit"), dict):
            server.apply_editor_settings(settings, where="workspace/didChangeConfiguration")
        else:
            await server.fetch_configuration()
        server.relint_all()

    # ---- pull diagnostics, hover, code actions ------------------------------------
    @server.feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(
            identifier=PULL_IDENTIFIER, inter_file_dependencies=False, workspace_diagnostics=False
        ),
    )
    @guarded(server, lambda: types.RelatedFullDocumentDiagnosticReport(items=[]))
    async def pull_diagnostics(
        params: types.DocumentDiagnosticParams,
    ) -> types.DocumentDiagnosticReport:
        await server.wait_for_settings()
        uri = params.text_document.uri
        found = await server.findings_for(uri)
        if found is None:
            found = _from_disk(server, uri)
        if found is None:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        document, diagnostics = found
        result_id = "{}:{}".format(*server.key_for(uri))
        if params.previous_result_id == result_id and uri in server.documents:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
        return types.RelatedFullDocumentDiagnosticReport(
            items=[to_protocol_diagnostic(document, d, server.encoding) for d in diagnostics],
            result_id=result_id if uri in server.documents else None,
        )

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @guarded(server)
    async def on_hover(params: types.HoverParams) -> types.Hover | None:
        found = await server.findings_for(params.text_document.uri)
        if found is None:
            return None
        document, diagnostics = found
        position = params.position
        return hover(document, diagnostics, position.line, position.character, server.encoding)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[
                types.CodeActionKind.QuickFix,
                FIX_ALL_KIND,
                types.CodeActionKind.Refactor,
            ],
            resolve_provider=False,
        ),
    )
    @guarded(server, list)
    async def code_action(
        params: types.CodeActionParams,
    ) -> list[types.CodeAction | types.Command]:
        uri = params.text_document.uri
        found = await server.findings_for(uri)
        if found is None:
            return []
        document, diagnostics = found
        only = params.context.only
        actions: list[types.CodeAction | types.Command] = []
        if wants(only, types.CodeActionKind.QuickFix):
            actions += fix_actions(
                document,
                diagnostics,
                params.range,
                server.encoding,
                context_diagnostics=params.context.diagnostics,
            )
        # Asked for by kind (on save), or offered in the light-bulb menu when a safe fix exists.
        offer_fix_all = (
            wants(only, FIX_ALL_KIND)
            if only
            else any(d.fix is not None and d.fix.is_safe for d in diagnostics)
        )
        if offer_fix_all and uri in server.documents:
            fixed = await asyncio.get_running_loop().run_in_executor(
                server.lint_thread,
                fix_all_text,
                document.text,
                server.path_of(uri),
                server.settings_for(uri),
            )
            action = fix_all_action(document, fixed, server.encoding)
            if action is not None:
                actions.append(action)
        if wants(only, types.CodeActionKind.Refactor) and uri in server.documents:
            actions += generate_test_actions(document, server.path_of(uri), params.range)
        return actions

    @server.command(GENERATE_TEST_COMMAND)
    @guarded(server)
    async def generate_test_command(*arguments: Any) -> str | None:
        return await generate_test(server, arguments)

    return server


def _from_disk(server: ToolkitLanguageServer, uri: str) -> tuple[Document, list] | None:
    """Findings of a file that is not open, read from disk (pull diagnostics for a file the
    editor has not opened); None for anything that is not a readable Python file."""
    if not uri.startswith("file:") or not uri.endswith(".py"):
        return None
    from toolkit.textio import UnreadableFileError, read_text_file

    path = server.path_of(uri)
    if not Path(path).is_file():
        return None
    try:
        text = read_text_file(path).text
    except UnreadableFileError:
        return None
    document = Document(uri, text)
    return document, lint_text(text, path, server.settings.for_path(path))
