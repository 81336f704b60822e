"""The language server: a pygls 2 adapter over the lint engine.

Messages are handled on the event loop, one at a time; lints run on one worker thread over a
snapshot of the text and settings, keyed by (revision, settings generation). A result is
published only if its key is still the document's current one, so a published list is never
stale, and the loop keeps reading messages (newer changes, shutdown) while a long file lints. Pushes are debounced per document (adaptive: a quarter of the document's
last lint time, at most 50 ms), so fast typing coalesces into one lint while a single edit is
answered almost at once.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import inspect
import logging
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from codemods.engine.reparse import Reparser
from codemods.engine.types import Diagnostic
from lsp.analysis import NotebookCell, lint_notebook, lint_text
from lsp.convert import to_protocol_diagnostic
from lsp.settings import CONFIG_FILE_NAMES, SettingsCache, overrides_from
from lsp.text import UTF8, UTF16, UTF32, Document
from toolkit.errors import ToolkitError

logger = logging.getLogger(__name__)

MAX_DEBOUNCE_SECONDS = 0.05
DEBOUNCE_SHARE = 0.25  # of the document's last lint time
SETTINGS_WAIT_SECONDS = 5.0  # the first lint waits this long at most for the editor's settings
MAX_DOCUMENT_CHARS = 5_000_000  # beyond this, an editor lint would stall every keystroke
# Garbage collection, when the server owns it (`take_over_garbage_collection`): after this
# long without a lint, or after this many lints in a row, whichever comes first.
IDLE_COLLECT_SECONDS = 1.0
COLLECT_EVERY_LINTS = 200


@dataclass
class Analysis:
    """Findings of one version of one document (or notebook), keyed by what they depend on."""

    key: tuple[int, int]  # (revision, settings generation)
    by_uri: dict[str, list[Diagnostic]] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)  # the texts that were linted
    protocol: dict[str, list[types.Diagnostic]] = field(default_factory=dict)  # by_uri, converted
    seconds: float = 0.0  # how long the lint took: sets the pause while the user types

    def convert(self, encoding: str) -> None:
        self.protocol = {
            uri: [to_protocol_diagnostic(self.documents[uri], d, encoding) for d in found]
            for uri, found in self.by_uri.items()
        }


class ToolkitLanguageServer(LanguageServer):
    """Holds the open documents and the findings of their latest versions."""

    def __init__(self) -> None:
        from toolkit import __version__

        super().__init__(
            "toolkit",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            notebook_document_sync=types.NotebookDocumentSyncOptions(
                notebook_selector=[
                    types.NotebookDocumentFilterWithCells(
                        notebook="jupyter-notebook",
                        cells=[types.NotebookCellLanguage(language="python")],
                    )
                ],
                save=True,
            ),
        )
        self.documents: dict[str, Document] = {}
        self.revisions: dict[str, int] = {}
        self.analyses: dict[str, Analysis] = {}
        # Per open text document: the parse of its last linted version, which the next
        # version's parse reuses (used only on the lint thread, one lint at a time).
        self.reparsers: dict[str, Reparser] = {}
        self.pending: dict[str, asyncio.Task[None]] = {}
        self.running: dict[str, tuple[tuple[int, int], asyncio.Future[Analysis]]] = {}
        # One thread lints, so the event loop keeps reading messages (a newer change, a
        # shutdown) while a long file is linted; the engine sees one file at a time.
        self.lint_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="toolkit-lint")
        self.settings = SettingsCache()
        self.settings_ready = asyncio.Event()
        self.init_overrides: Any = None
        self.diagnostic_mode = "auto"
        self.closing = False
        self.background: set[asyncio.Future[Any]] = set()  # keeps fire-and-forget tasks alive
        self._reported_errors: set[str] = set()
        self._too_large: set[str] = set()
        self.collects_garbage = False
        self._lints_since_collection = 0
        self._idle_collection: asyncio.TimerHandle | None = None

    # ---- garbage collection --------------------------------------------------------
    def take_over_garbage_collection(self) -> None:
        """Collect cyclic garbage when the user pauses instead of whenever Python decides.

        An open document keeps its parse (a `Reparser`) between versions: about 100,000
        objects for 2,000 lines, which every full collection walks again. Left automatic,
        such a collection lands in the middle of a keystroke's lint now and then and adds
        30-50 ms to it (the p95 of `bench/lsp_latency.py` was 93 ms with it, 60 ms
        without). The objects alive after start-up (modules, classes) are frozen out of
        collections for good; the rest is collected on the lint thread (between two lints)
        once no lint has run for a second, and at least every 200 lints, so a long typing
        session still frees its cycles."""
        gc.collect()
        gc.freeze()
        gc.disable()
        self.collects_garbage = True

    def cancel_idle_collection(self) -> None:
        """A lint is starting (the pause is over) or the server is shutting down: no
        collection may start now."""
        if self._idle_collection is not None:
            self._idle_collection.cancel()
            self._idle_collection = None

    def _after_lint(self) -> None:
        if not self.collects_garbage:
            return
        self.cancel_idle_collection()
        self._lints_since_collection += 1
        if self._lints_since_collection >= COLLECT_EVERY_LINTS:
            self.collect_garbage()
        else:
            loop = asyncio.get_running_loop()
            self._idle_collection = loop.call_later(IDLE_COLLECT_SECONDS, self.collect_garbage)

    def collect_garbage(self) -> None:
        """Collect on the lint thread, between two lints, never in the middle of one."""
        self._idle_collection = None
        self._lints_since_collection = 0
        if self.closing:
            return  # the lint thread is shutting down with the server
        self.lint_thread.submit(gc.collect)

    # ---- logging -------------------------------------------------------------------
    def log(self, message: str, kind: types.MessageType = types.MessageType.Info) -> None:
        self.window_log_message(types.LogMessageParams(type=kind, message=message))

    def log_exception(self, where: str, error: BaseException) -> None:
        details = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        self.log(f"toolkit: error in {where}: {error}\n{details}", types.MessageType.Error)

    def report_server_error(self, error: Exception, source: Any) -> None:
        """pygls' own errors (a message that is not JSON, params of the wrong shape) go to
        the log like ours, instead of a pop-up per malformed message."""
        self.log_exception(f"the protocol layer ({getattr(source, '__name__', source)})", error)

    def report_settings_error(self) -> None:
        message = self.settings.last_error
        if message and message not in self._reported_errors:
            self._reported_errors.add(message)
            self.window_show_message(
                types.ShowMessageParams(
                    type=types.MessageType.Error,
                    message=f"toolkit: {message} (linting with the default settings)",
                )
            )

    @property
    def pushes(self) -> bool:
        """Whether findings are pushed (`publishDiagnostics`) rather than only pulled."""
        if self.diagnostic_mode != "auto":
            return self.diagnostic_mode == "push"
        text_document = self.client_capabilities.text_document
        return text_document is None or text_document.diagnostic is None

    # ---- encoding and paths --------------------------------------------------------
    @property
    def encoding(self) -> str:
        chosen = str(self.server_capabilities.position_encoding or UTF16)
        return {"utf-8": UTF8, "utf-32": UTF32}.get(chosen, UTF16)

    def path_of(self, uri: str) -> str:
        """The file system path of `uri`; a name in the workspace for unsaved documents."""
        if uri.startswith("file:"):
            found = to_fs_path(uri)
            if found:
                return found
        root = self.workspace.root_path if self.workspace else None
        name = uri.rsplit("/", 1)[-1].split(":")[-1] or "untitled"
        if not name.endswith((".py", ".ipynb")):
            name += ".py"
        return str(Path(root or Path.cwd()) / name)

    def settings_for(self, uri: str) -> Any:
        return self.settings.for_path(self.path_of(uri))

    # ---- documents -----------------------------------------------------------------
    def bump(self, uri: str) -> None:
        self.revisions[uri] = self.revisions.get(uri, 0) + 1

    def key_for(self, uri: str) -> tuple[int, int]:
        return (self.revisions.get(uri, 0), self.settings.generation)

    def notebook_of(self, uri: str) -> types.NotebookDocument | None:
        workspace = self.workspace
        return workspace.get_notebook_document(cell_uri=uri) if workspace else None

    def _job(self, uri: str) -> Callable[[], Analysis] | None:
        """A snapshot of `uri` as it is now (text or notebook cells, settings, key), and the
        work that lints it: run on the lint thread, it never reads state that may change."""
        notebook = self.workspace.get_notebook_document(notebook_uri=uri)
        if notebook is None and uri not in self.documents:
            return None
        key = self.key_for(uri)
        path = self.path_of(uri)
        settings = self.settings.for_path(path)
        encoding = self.encoding
        self.report_settings_error()
        if notebook is not None:
            cells = [self._cell(cell) for cell in notebook.cells]
            reparser = self.reparsers.setdefault(uri, Reparser())

            def lint_cells() -> Analysis:
                started = time.perf_counter()
                analysis = Analysis(key)
                for cell in cells:
                    analysis.by_uri[cell.uri] = []
                    analysis.documents[cell.uri] = Document(cell.uri, cell.text)
                for finding in lint_notebook(cells, path, settings, reparser):
                    analysis.by_uri[finding.uri].append(finding.diagnostic)
                analysis.convert(encoding)
                analysis.seconds = time.perf_counter() - started
                return analysis

            return lint_cells
        current = self.documents[uri]
        text, version = current.text, current.version
        reparser = self.reparsers.setdefault(uri, Reparser())
        if len(text) > MAX_DOCUMENT_CHARS:
            self._warn_too_large(uri, len(text))

        def lint_document() -> Analysis:
            started = time.perf_counter()
            analysis = Analysis(key)
            analysis.documents[uri] = Document(uri, text, version)
            too_large = len(text) > MAX_DOCUMENT_CHARS
            analysis.by_uri[uri] = [] if too_large else lint_text(text, path, settings, reparser)
            analysis.convert(encoding)
            analysis.seconds = time.perf_counter() - started
            return analysis

        return lint_document

    async def analyze(self, uri: str) -> Analysis | None:
        """The findings of the current text of `uri` (a text document or a notebook),
        computed on the lint thread; concurrent requests for one version share one lint."""
        key = self.key_for(uri)
        cached = self.analyses.get(uri)
        if cached is not None and cached.key == key:
            return cached
        running = self.running.get(uri)
        if running is None or running[0] != key:
            job = self._job(uri)
            if job is None:
                return None
            self.cancel_idle_collection()
            future = asyncio.get_running_loop().run_in_executor(self.lint_thread, job)
            running = (key, future)
            self.running[uri] = running
        try:
            analysis = await asyncio.shield(running[1])
        finally:
            if self.running.get(uri) is running and running[1].done():
                del self.running[uri]
                self._after_lint()
        latest = self.analyses.get(uri)
        if latest is None or latest.key <= analysis.key:
            self.analyses[uri] = analysis
        return analysis

    def _cell(self, cell: types.NotebookCell) -> NotebookCell:
        kind = "code" if cell.kind == types.NotebookCellKind.Code else "markdown"
        text = self.workspace.get_text_document(cell.document).source
        return NotebookCell(cell.document, kind, text)

    def _warn_too_large(self, uri: str, size: int) -> None:
        if uri in self._too_large:
            return
        self._too_large.add(uri)
        self.window_show_message(
            types.ShowMessageParams(
                type=types.MessageType.Warning,
                message=(
                    f"toolkit: {uri} has {size:,} characters, more than the editor limit of "
                    f"{MAX_DOCUMENT_CHARS:,}; run `toolkit lint` on it instead"
                ),
            )
        )

    async def findings_for(self, uri: str) -> tuple[Document, list[Diagnostic]] | None:
        """The document of `uri` (text or cell) as it was linted, and its findings."""
        notebook = self.notebook_of(uri)
        owner = notebook.uri if notebook is not None else uri
        analysis = await self.analyze(owner)
        if analysis is None or uri not in analysis.documents:
            return None
        return analysis.documents[uri], analysis.by_uri.get(uri, [])

    # ---- publishing ----------------------------------------------------------------
    async def publish(self, uri: str) -> Analysis | None:
        """Push the findings of the current version of `uri` (and of each of its cells);
        a result that a newer change overtook while it was computed is dropped."""
        if self.closing:
            return None
        analysis = await self.analyze(uri)
        if analysis is None or self.closing or analysis.key != self.key_for(uri):
            return analysis
        is_notebook = self.workspace.get_notebook_document(notebook_uri=uri) is not None
        for target in analysis.by_uri:
            document = analysis.documents[target]
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(
                    uri=target,
                    version=None if is_notebook else document.version,
                    diagnostics=analysis.protocol[target],
                )
            )
        return analysis

    def schedule(self, uri: str) -> None:
        """Lint `uri` and publish. When nothing runs for it, the lint starts at once; a
        change while it runs makes it lint again (the latest text) when it finishes."""
        if self.closing or not self.pushes:
            return  # a pulling client asks for each version itself
        running = self.pending.get(uri)
        if running is not None and not running.done():
            return  # the running driver sees the new key when its lint ends
        self.pending[uri] = asyncio.ensure_future(self._drive(uri))

    async def _drive(self, uri: str) -> None:
        try:
            await self.wait_for_settings()
            while not self.closing:
                key = self.key_for(uri)
                analysis = await self.publish(uri)
                if analysis is None or self.key_for(uri) == key:
                    break
                # Overtaken while linting: the user is typing. Let the changes already on
                # their way arrive (a share of the lint time, at most 50 ms), then lint the
                # latest text once for all of them.
                await asyncio.sleep(min(MAX_DEBOUNCE_SECONDS, DEBOUNCE_SHARE * analysis.seconds))
        except asyncio.CancelledError:
            raise
        except Exception as error:
            self.log_exception(f"linting {uri}", error)
        finally:
            if self.pending.get(uri) is asyncio.current_task():
                del self.pending[uri]

    async def wait_for_settings(self) -> None:
        if self.settings_ready.is_set():
            return
        try:
            await asyncio.wait_for(self.settings_ready.wait(), SETTINGS_WAIT_SECONDS)
        except asyncio.TimeoutError:
            self.settings_ready.set()

    def relint_all(self) -> None:
        self.settings.invalidate()
        self._reported_errors.clear()  # a settings mistake still there is shown again
        if self.pushes:
            for uri in [*self.documents, *self.workspace.notebook_documents]:
                self.schedule(uri)
            return
        workspace = self.client_capabilities.workspace
        refresh = workspace.diagnostics if workspace else None
        if refresh is not None and refresh.refresh_support:
            self.workspace_diagnostic_refresh(None)  # the client pulls every open document

    # ---- settings from the editor --------------------------------------------------
    def apply_editor_settings(self, value: Any, *, where: str) -> None:
        try:
            self.settings.set_overrides(overrides_from(value, where=where))
        except ToolkitError as error:
            self.window_show_message(
                types.ShowMessageParams(type=types.MessageType.Error, message=f"toolkit: {error}")
            )

    async def fetch_configuration(self) -> None:
        """Read the `toolkit` section of `workspace/configuration`, when the client has one."""
        capable = self.client_capabilities.workspace
        if capable is None or not capable.configuration:
            return
        try:
            values = await asyncio.wait_for(
                self.workspace_configuration_async(
                    types.ConfigurationParams(items=[types.ConfigurationItem(section="toolkit")])
                ),
                SETTINGS_WAIT_SECONDS,
            )
        except Exception as error:  # a client that fails this request still gets lints
            self.log(f"toolkit: workspace/configuration failed: {error}")
            return
        value = values[0] if values else None
        if value is None:
            value = self.init_overrides
        self.apply_editor_settings(value, where="workspace/configuration toolkit")

    async def watch_config_files(self) -> None:
        capable = self.client_capabilities.workspace
        watched = capable.did_change_watched_files if capable else None
        if watched is None or not watched.dynamic_registration:
            return
        options = types.DidChangeWatchedFilesRegistrationOptions(
            watchers=[
                types.FileSystemWatcher(glob_pattern=f"**/{name}")
                for name in sorted(CONFIG_FILE_NAMES)
            ]
        )
        registration = types.Registration(
            id="toolkit-config-files",
            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=options,
        )
        try:
            await self.client_register_capability_async(
                types.RegistrationParams(registrations=[registration])
            )
        except Exception as error:
            self.log(f"toolkit: could not watch config files: {error}")


def guarded(server: ToolkitLanguageServer, default: Any = None) -> Callable[[Any], Any]:
    """Run a handler so that an exception is logged (`window/logMessage`) and answered with
    `default`, never left to end the session or reach the user as a raw error."""

    def decorate(handler: Callable[..., Any]) -> Callable[..., Any]:
        name = handler.__name__
        if inspect.iscoroutinefunction(handler):

            @functools.wraps(handler)
            async def run_async(*args: Any) -> Any:
                try:
                    return await handler(*args)
                except asyncio.CancelledError:
                    raise
                except Exception as error:
                    server.log_exception(name, error)
                    return default() if callable(default) else default

            return run_async

        @functools.wraps(handler)
        def run(*args: Any) -> Any:
            try:
                return handler(*args)
            except Exception as error:
                server.log_exception(name, error)
                return default() if callable(default) else default

        return run

    return decorate
