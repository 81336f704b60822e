"""Diagnostics pushed on open, change and save, and served on pull, through a real server."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsp_helpers import (
    codes,
    initialize,
    open_document,
    published,
    push_client_capabilities,
)
from lsprotocol import types
from pytest_lsp import LanguageClient

pytestmark = pytest.mark.asyncio

PIPELINE = """\
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

spark = SparkSession.builder.getOrCreate()
df = spark.table("sales.orders")
rows = df.collect()
x = "😀"; bad = df.filter(F.col("y") == None)
"""


async def test_open_publishes_every_field(client: LanguageClient, project: Path) -> None:
    await initialize(client, project)
    uri = (project / "job.py").as_uri()
    open_document(client, uri, PIPELINE, version=3)
    params = await published(client, uri)
    assert params.version == 3
    by_code = {str(d.code): d for d in params.diagnostics}
    assert {"SPK101", "SPK201"} <= set(by_code)
    collect = by_code["SPK201"]
    assert collect.severity == types.DiagnosticSeverity.Warning
    assert collect.source == "toolkit"
    assert collect.code_description.href.endswith("#spk201-collect-without-limit")
    assert collect.data == {
        "name": "collect-without-limit",
        "fixable": False,
        "applicability": None,
        "fix": None,
    }
    assert (collect.range.start.line, collect.range.start.character) == (5, 7)
    none = by_code["SPK101"]
    assert none.severity == types.DiagnosticSeverity.Error
    assert none.data["fixable"] is True and none.data["applicability"] == "safe"
    # The emoji is one character but two UTF-16 code units: every column after it moves by one.
    line = PIPELINE.splitlines()[6]
    start_chars = line.index('F.col("y")')
    end_chars = line.index(" None)") + len(" None")
    assert none.range.start == types.Position(line=6, character=start_chars + 1)
    assert none.range.end == types.Position(line=6, character=end_chars + 1)


async def test_utf8_position_encoding_when_the_client_prefers_it(
    client: LanguageClient, project: Path
) -> None:
    capabilities = push_client_capabilities()
    capabilities.general = types.GeneralClientCapabilities(
        position_encodings=[types.PositionEncodingKind.Utf8, types.PositionEncodingKind.Utf16]
    )
    result = await initialize(client, project, capabilities=capabilities)
    assert result.capabilities.position_encoding == types.PositionEncodingKind.Utf8
    uri = (project / "job.py").as_uri()
    open_document(client, uri, PIPELINE)
    params = await published(client, uri)
    none = next(d for d in params.diagnostics if d.code == "SPK101")
    line = PIPELINE.splitlines()[6]
    start_bytes = len(line[: line.index('F.col("y")')].encode("utf-8"))
    assert none.range.start == types.Position(line=6, character=start_bytes)


async def test_syntax_error_is_a_diagnostic(client: LanguageClient, project: Path) -> None:
    await initialize(client, project)
    uri = (project / "broken.py").as_uri()
    open_document(client, uri, "def f(:\n    pass\n")
    params = await published(client, uri)
    assert codes(params.diagnostics) == ["TK001"]
    assert params.diagnostics[0].severity == types.DiagnosticSeverity.Error
    assert params.diagnostics[0].range.start.line == 0


async def test_change_and_save_republish_for_the_new_version(
    client: LanguageClient, project: Path
) -> None:
    await initialize(client, project)
    uri = (project / "job.py").as_uri()
    open_document(client, uri, PIPELINE, version=1)
    await published(client, uri, version=1)
    seen = len(client.published)
    # Replace `df.collect()` on line 6 with `df.limit(5).collect()`: SPK201 goes away.
    start = PIPELINE.splitlines()[5].index("collect")
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(
                        start=types.Position(line=5, character=start),
                        end=types.Position(line=5, character=start),
                    ),
                    text="limit(5).",
                )
            ],
        )
    )
    params = await published(client, uri, version=2, after=seen)
    assert "SPK201" not in codes(params.diagnostics)
    assert "SPK101" in codes(params.diagnostics)
    seen = len(client.published)
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    saved = await published(client, uri, version=2, after=seen)
    assert codes(saved.diagnostics) == codes(params.diagnostics)


@pytest.mark.slow
async def test_500_rapid_changes_end_with_diagnostics_for_the_final_text(
    client: LanguageClient, project: Path
) -> None:
    await initialize(client, project)
    uri = (project / "job.py").as_uri()
    text = PIPELINE + "".join(f"t{i} = df.select('a')\n" for i in range(300))
    open_document(client, uri, text, version=0)
    await published(client, uri, version=0)
    line_count = text.count("\n")
    for version in range(1, 501):
        # Type one character at a time at the end of the file; every 100th edit adds or
        # removes a problem, so only the final text's list is right.
        if version % 100 == 0:
            typed = "\nr = df.collect()\n" if version % 200 == 0 else "\nz = 1\n"
        else:
            typed = "#"
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(
                            start=types.Position(line=line_count, character=0),
                            end=types.Position(line=line_count, character=0),
                        ),
                        text=typed,
                    )
                ],
            )
        )
        line_count += typed.count("\n")
    final = await published(client, uri, version=500)
    # Two `r = df.collect()` lines were typed (versions 200 and 400) plus the original.
    assert codes(final.diagnostics).count("SPK201") == 3
    # Nothing older arrives after the final version.
    await asyncio.sleep(0.3)
    assert client.published[-1].version == 500


async def test_pull_diagnostics(client: LanguageClient, project: Path) -> None:
    result = await initialize(client, project)
    assert result.capabilities.diagnostic_provider is not None
    uri = (project / "job.py").as_uri()
    open_document(client, uri, PIPELINE)
    report = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert {"SPK101", "SPK201"} <= set(codes(report.items))
    again = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            previous_result_id=report.result_id,
        )
    )
    assert again.kind == "unchanged"
    # A file the editor has not opened is read from disk.
    on_disk = project / "other.py"
    on_disk.write_text("import pyspark.sql.functions as F\nc = F.col('a') == None\n")
    report = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=on_disk.as_uri())
        )
    )
    assert "SPK101" in codes(report.items)
    # An unknown URI gets an empty report, not an error.
    report = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri="untitled:nowhere")
        )
    )
    assert report.items == []


async def test_a_pulling_client_is_not_pushed_to(client: LanguageClient, project: Path) -> None:
    """VS Code's client keeps pushed and pulled findings apart: sending both would show each
    finding twice. A client that can pull gets no pushes, and a refresh when settings change."""
    from pytest_lsp import client_capabilities

    capabilities = client_capabilities("visual-studio-code")
    capabilities.text_document.diagnostic = types.DiagnosticClientCapabilities(
        related_document_support=True
    )
    capabilities.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(
        refresh_support=True
    )
    await initialize(client, project, capabilities=capabilities)
    uri = (project / "job.py").as_uri()
    open_document(client, uri, PIPELINE)
    report = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert "SPK201" in codes(report.items)
    (project / "pyproject.toml").write_text('[tool.toolkit]\nignore = ["SPK201"]\n')
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[
                types.FileEvent(
                    uri=(project / "pyproject.toml").as_uri(), type=types.FileChangeType.Changed
                )
            ]
        )
    )
    for _ in range(200):
        if client.diagnostic_refresh_count:
            break
        await asyncio.sleep(0.02)
    assert client.diagnostic_refresh_count == 1
    report = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert "SPK201" not in codes(report.items)
    assert client.published == []


async def test_diagnostic_mode_push_overrides(client: LanguageClient, project: Path) -> None:
    from pytest_lsp import client_capabilities

    capabilities = client_capabilities("visual-studio-code")
    capabilities.text_document.diagnostic = types.DiagnosticClientCapabilities()
    await initialize(
        client, project, capabilities=capabilities, options={"diagnostic-mode": "push"}
    )
    uri = (project / "job.py").as_uri()
    open_document(client, uri, PIPELINE)
    assert "SPK201" in codes((await published(client, uri)).diagnostics)


def _replace(uri: str, version: int, line: int, start: int, end: int, text: str):
    return types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[
            types.TextDocumentContentChangePartial(
                range=types.Range(
                    start=types.Position(line=line, character=start),
                    end=types.Position(line=line, character=end),
                ),
                text=text,
            )
        ],
    )


async def test_each_edit_gets_the_findings_of_a_fresh_lint(
    client: LanguageClient, project: Path
) -> None:
    """The server re-parses only what an edit touched; what it publishes for every version
    is what linting the whole text from scratch gives."""
    from codemods.settings import resolve_settings
    from lsp.analysis import lint_text

    await initialize(client, project)
    uri = (project / "job.py").as_uri()
    header = (
        "from pyspark.sql import SparkSession\n"
        "from pyspark.sql import functions as F\n"
        "\n"
        "spark = SparkSession.builder.getOrCreate()\n"
        "df = spark.table('sales.orders')\n"
    )
    functions = "".join(
        f"\n\ndef step_{index}(df):\n    df = df.filter(F.col('a') > {index})\n"
        f"    return df.select('a')\n"
        for index in range(6)
    )
    lines = (header + functions).split("\n")
    open_document(client, uri, "\n".join(lines), version=0)
    await published(client, uri, version=0)
    middle = lines.index("def step_3(df):")
    # (line, start, end, new text): inside a statement, a syntax error and its repair, a line
    # break (every later line moves), problems typed into early lines, and one removed.
    edits = [
        (middle + 1, 32, 33, "5"),  # `> 3` -> `> 5`
        (middle + 2, 20, 20, "("),  # `df.select(('a')`: unbalanced
        (middle + 2, 20, 21, ""),
        (middle, 0, 0, "\n"),
        (5, 0, 0, "rows = df.collect()"),
        (5, 0, 0, "bad = df.filter(F.col('y') == None); "),
        (5, 0, 37, ""),
    ]
    settings = resolve_settings(project)
    for version, (line, start, end, typed) in enumerate(edits, start=1):
        text = lines[line]
        lines[line] = text[:start] + typed + text[end:]
        lines[line : line + 1] = lines[line].split("\n")
        client.text_document_did_change(_replace(uri, version, line, start, end, typed))
        params = await published(client, uri, version=version)
        fresh = lint_text("\n".join(lines), str(project / "job.py"), settings)
        published_findings = [
            (d.code, d.range.start.line + 1, d.range.start.character + 1)
            for d in params.diagnostics
        ]
        assert published_findings == [(d.code, d.start.line, d.start.column) for d in fresh]
        if version == 2:
            assert codes(params.diagnostics) == ["TK001"]
        else:
            assert "TK001" not in codes(params.diagnostics)
    assert lines[5] == "rows = df.collect()"
    assert lines[middle + 2] == "    df = df.filter(F.col('a') > 5)"
    final = codes(params.diagnostics)
    assert "SPK201" in final and "SPK101" not in final  # typed in, and typed away
