"""Settings from pyproject.toml, initialization options and workspace/configuration, and
Jupyter notebooks through notebook document sync."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsp_helpers import codes, initialize, open_document, published
from lsprotocol import types
from pytest_lsp import LanguageClient

pytestmark = pytest.mark.asyncio

TEXT = """\
from pyspark.sql import functions as F
df = spark.table("sales.orders")
rows = df.collect()
bad = df.filter(F.col("y") == None)
"""


async def test_pyproject_settings_and_reload(client: LanguageClient, project: Path) -> None:
    pyproject = project / "pyproject.toml"
    pyproject.write_text('[tool.toolkit]\nignore = ["SPK201"]\n')
    await initialize(client, project)
    uri = (project / "job.py").as_uri()
    open_document(client, uri, TEXT)
    first = await published(client, uri)
    assert "SPK201" not in codes(first.diagnostics)
    assert "SPK101" in codes(first.diagnostics)
    # The server asked to be told about config files.
    watchers = [
        watcher["globPattern"]
        for registration in client.registrations
        for watcher in registration.register_options["watchers"]
    ]
    assert "**/pyproject.toml" in watchers
    seen = len(client.published)
    pyproject.write_text('[tool.toolkit]\nignore = ["SPK101"]\n')
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=pyproject.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    after = await published(client, uri, after=seen)
    assert "SPK201" in codes(after.diagnostics)
    assert "SPK101" not in codes(after.diagnostics)
    # Saving pyproject.toml in the editor reloads it too.
    seen = len(client.published)
    pyproject.write_text("[tool.toolkit]\n")
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=pyproject.as_uri())
        )
    )
    saved = await published(client, uri, after=seen)
    assert {"SPK101", "SPK201"} <= set(codes(saved.diagnostics))


async def test_initialization_options_select(client: LanguageClient, project: Path) -> None:
    client.set_configuration(None, section="toolkit")
    await initialize(client, project, options={"select": ["SPK201"]})
    uri = (project / "job.py").as_uri()
    open_document(client, uri, TEXT)
    params = await published(client, uri)
    assert codes(params.diagnostics) == ["SPK201"]


async def test_workspace_configuration_wins_and_first_lint_waits(
    client: LanguageClient, project: Path
) -> None:
    client.set_configuration({"extend-select": [], "ignore": ["SPK1"]}, section="toolkit")
    await initialize(client, project, options={"select": ["SPK201"]})
    uri = (project / "job.py").as_uri()
    open_document(client, uri, TEXT)
    params = await published(client, uri)
    # The very first publication already honours workspace/configuration.
    assert "SPK101" not in codes(params.diagnostics)
    assert "SPK201" in codes(params.diagnostics)
    assert client.published[0].uri == uri and "SPK101" not in codes(client.published[0].diagnostics)
    seen = len(client.published)
    client.set_configuration({"select": ["SPK101"]}, section="toolkit")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    params = await published(client, uri, after=seen)
    assert codes(params.diagnostics) == ["SPK101"]


async def test_bad_settings_are_reported_and_linting_goes_on(
    client: LanguageClient, project: Path
) -> None:
    (project / "pyproject.toml").write_text('[tool.toolkit]\nselect = ["NOPE1"]\n')
    await initialize(client, project)
    uri = (project / "job.py").as_uri()
    open_document(client, uri, TEXT)
    params = await published(client, uri)
    assert "SPK101" in codes(params.diagnostics)  # the defaults
    messages = [m.message for m in client.messages]
    assert any("pyproject.toml:2: select" in m and "NOPE1" in m for m in messages), messages


async def test_notebook_cells_get_their_own_diagnostics(
    client: LanguageClient, project: Path
) -> None:
    await initialize(client, project)
    notebook_uri = (project / "explore.ipynb").as_uri()
    cells = [
        ("code", "from pyspark.sql import functions as F\ndf = spark.table('t')\n"),
        ("markdown", "# Orders\n"),
        ("code", "%sql SELECT 1\n"),
        ("code", "x = '😀'; y = df.filter(F.col('a') == None)\nrows = df.collect()\n"),
    ]
    cell_uris = [f"{notebook_uri}#cell{i}" for i in range(len(cells))]
    client.notebook_document_did_open(
        types.DidOpenNotebookDocumentParams(
            notebook_document=types.NotebookDocument(
                uri=notebook_uri,
                notebook_type="jupyter-notebook",
                version=1,
                cells=[
                    types.NotebookCell(
                        kind=types.NotebookCellKind.Code
                        if kind == "code"
                        else types.NotebookCellKind.Markup,
                        document=uri,
                    )
                    for (kind, _), uri in zip(cells, cell_uris, strict=True)
                ],
            ),
            cell_text_documents=[
                types.TextDocumentItem(
                    uri=uri,
                    language_id="python" if kind == "code" else "markdown",
                    version=1,
                    text=text,
                )
                for (kind, text), uri in zip(cells, cell_uris, strict=True)
            ],
        )
    )
    last = await published(client, cell_uris[3])
    by_code = {str(d.code): d for d in last.diagnostics}
    assert {"SPK101", "SPK201"} <= set(by_code)
    line = cells[3][1].splitlines()[0]
    assert by_code["SPK101"].range.start == types.Position(
        line=0, character=line.index("F.col") + 1
    )
    assert by_code["SPK201"].range.start.line == 1
    first = await published(client, cell_uris[0])
    assert "SPK101" not in codes(first.diagnostics)
    # The quick fix edits the cell's own document.
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=cell_uris[3]),
            range=by_code["SPK101"].range,
            context=types.CodeActionContext(diagnostics=[], only=["quickfix"]),
        )
    )
    fix = next(a for a in actions if a.title.startswith("SPK101"))
    (change,) = fix.edit.document_changes
    assert change.text_document.uri == cell_uris[3]
    assert change.edits[0].new_text == "F.col('a').isNull()"
    assert change.edits[0].range == by_code["SPK101"].range
    # Editing a cell relints the notebook.
    seen = len(client.published)
    client.notebook_document_did_change(
        types.DidChangeNotebookDocumentParams(
            notebook_document=types.VersionedNotebookDocumentIdentifier(
                uri=notebook_uri, version=2
            ),
            change=types.NotebookDocumentChangeEvent(
                cells=types.NotebookDocumentCellChanges(
                    text_content=[
                        types.NotebookDocumentCellContentChanges(
                            document=types.VersionedTextDocumentIdentifier(
                                uri=cell_uris[3], version=2
                            ),
                            changes=[types.TextDocumentContentChangeWholeDocument(text="z = 1\n")],
                        )
                    ]
                )
            ),
        )
    )
    edited = await published(client, cell_uris[3], after=seen)
    assert edited.diagnostics == []


async def test_databricks_source_notebook_is_a_python_file(
    client: LanguageClient, project: Path
) -> None:
    await initialize(client, project)
    uri = (project / "ingest.py").as_uri()
    text = (
        "# Databricks notebook source\n"
        "# MAGIC %sql\n"
        "# MAGIC SELECT * FROM sales.orders\n"
        "\n"
        "# COMMAND ----------\n"
        "\n"
        "rows = spark.table('sales.orders').collect()\n"
    )
    open_document(client, uri, text)
    params = await published(client, uri)
    collect = next(d for d in params.diagnostics if d.code == "SPK201")
    assert collect.range.start.line == 6  # the file's own line, cells and magics included
