"""Code actions and hovers through a real server: fixes, `# noqa`, fix-all, rule docs."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsp_helpers import codes, initialize, open_document, published
from lsprotocol import types
from pytest_lsp import LanguageClient

from lsp.text import Document

pytestmark = pytest.mark.asyncio

SOURCE = """\
from pyspark.sql import functions as F

df = spark.table("sales.orders")
x = "😀"; bad = df.filter(F.col("y") == None)
nulls = df.filter(F.col("z") == None)  # keep
rows = df.collect()  # noqa: SPK1
"""


def apply(text: str, edit: types.WorkspaceEdit, uri: str, version: int) -> str:
    """The text after a client applies `edit` (checking it targets this version)."""
    (change,) = edit.document_changes
    assert change.text_document.uri == uri
    assert change.text_document.version == version
    document = Document(uri, text)
    for text_edit in sorted(
        change.edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True
    ):
        start, end = text_edit.range.start, text_edit.range.end
        document.apply_change(
            text_edit.new_text, (start.line, start.character), (end.line, end.character)
        )
    return document.text


async def actions_at(
    client: LanguageClient, uri: str, line: int, only: list[str] | None = None
) -> list[types.CodeAction]:
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(
                start=types.Position(line=line, character=0),
                end=types.Position(line=line, character=200),
            ),
            context=types.CodeActionContext(diagnostics=[], only=only),
        )
    )
    return result or []


async def test_fix_and_disable_actions(client: LanguageClient, project: Path) -> None:
    await initialize(client, project)
    uri = (project / "notebook_like.py").as_uri()
    open_document(client, uri, SOURCE, version=7)
    await published(client, uri, version=7)
    actions = await actions_at(client, uri, 3)
    titles = [action.title for action in actions]
    assert titles[0] == "SPK101: Replace with `.isNull()`"
    assert actions[0].is_preferred and actions[0].kind == types.CodeActionKind.QuickFix
    assert actions[0].diagnostics[0].code == "SPK101"
    assert "Disable SPK101 for this line" in titles
    fixed = apply(SOURCE, actions[0].edit, uri, 7)
    assert fixed.splitlines()[3] == 'x = "😀"; bad = df.filter(F.col("y").isNull())'
    disable = next(a for a in actions if a.title == "Disable SPK101 for this line")
    disabled = apply(SOURCE, disable.edit, uri, 7)
    assert disabled.splitlines()[3].endswith("== None)  # noqa: SPK101")
    # An existing comment keeps its text and gets the code after it.
    actions = await actions_at(client, uri, 4)
    disable = next(a for a in actions if a.title == "Disable SPK101 for this line")
    assert apply(SOURCE, disable.edit, uri, 7).splitlines()[4].endswith("# keep  # noqa: SPK101")


async def test_disable_extends_an_existing_noqa(client: LanguageClient, project: Path) -> None:
    await initialize(client, project)
    uri = (project / "job.py").as_uri()
    text = "df = spark.table('t')\nrows = df.collect()  # noqa: E501\n"
    open_document(client, uri, text)
    params = await published(client, uri)
    assert "SPK201" in codes(params.diagnostics)
    actions = await actions_at(client, uri, 1)
    disable = next(a for a in actions if a.title == "Disable SPK201 for this line")
    new_text = apply(text, disable.edit, uri, 1)
    assert new_text.splitlines()[1] == "rows = df.collect()  # noqa: E501, SPK201"
    # The engine honours what the action wrote.
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=new_text)],
        )
    )
    params = await published(client, uri, version=2)
    assert "SPK201" not in codes(params.diagnostics)


async def test_unsafe_fix_says_so(client: LanguageClient, project: Path) -> None:
    await initialize(client, project)
    uri = (project / "job.py").as_uri()
    # SPK101 outside a filter may change output values: its fix is unsafe.
    text = "from pyspark.sql import functions as F\ndf = spark.table('t')\n" + (
        "flag = df.select((F.col('a') == None).alias('f'))\n"
    )
    open_document(client, uri, text)
    await published(client, uri)
    actions = await actions_at(client, uri, 2)
    fix = next(a for a in actions if a.title.startswith("SPK101"))
    assert fix.title.endswith("(unsafe fix)")
    assert not fix.is_preferred


async def test_fix_all_applies_every_safe_fix(client: LanguageClient, project: Path) -> None:
    await initialize(client, project)
    uri = (project / "job.py").as_uri()
    open_document(client, uri, SOURCE, version=4)
    await published(client, uri, version=4)
    actions = await actions_at(client, uri, 0, only=["source.fixAll"])
    (fix_all,) = actions
    assert fix_all.kind == "source.fixAll.toolkit"
    fixed = apply(SOURCE, fix_all.edit, uri, 4)
    assert fixed.count(".isNull()") == 2
    assert "😀" in fixed and fixed.endswith("# noqa: SPK1\n")


async def test_hover_shows_rule_docs(client: LanguageClient, project: Path) -> None:
    await initialize(client, project)
    uri = (project / "job.py").as_uri()
    open_document(client, uri, SOURCE)
    await published(client, uri)
    line = SOURCE.splitlines()[5]
    on_noqa = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=5, character=line.index("SPK1") + 2),
        )
    )
    assert on_noqa is None  # `SPK1` is a prefix, not a rule: nothing to show
    column = SOURCE.splitlines()[3].index("F.col") + 3  # after the emoji: +1 in UTF-16
    inside = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=3, character=column),
        )
    )
    assert inside.contents.kind == types.MarkupKind.Markdown
    assert inside.contents.value.startswith("# SPK101 column-compared-to-none")
    assert "## Why is this bad?" in inside.contents.value
    assert inside.range.start.line == 3
    outside = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=0, character=1),
        )
    )
    assert outside is None


async def test_hover_on_a_noqa_code(client: LanguageClient, project: Path) -> None:
    await initialize(client, project)
    uri = (project / "job.py").as_uri()
    text = "df = spark.table('t')\nn = df.count()  # noqa: SPK205, SPK201\n"
    open_document(client, uri, text)
    await published(client, uri)
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=1, character=text.splitlines()[1].index("SPK201") + 1),
        )
    )
    assert hover.contents.value.startswith("# SPK201 collect-without-limit")


async def test_fixes_for_diagnostics_the_client_sends_back(
    client: LanguageClient, project: Path
) -> None:
    """Editors send the diagnostics under the cursor in the request's context; the cursor
    itself may sit at the start of the line, outside the finding's range."""
    await initialize(client, project)
    uri = (project / "job.py").as_uri()
    open_document(client, uri, SOURCE)
    params = await published(client, uri)
    spk101 = next(d for d in params.diagnostics if d.code == "SPK101")
    cursor = types.Range(
        start=types.Position(line=spk101.range.start.line, character=0),
        end=types.Position(line=spk101.range.start.line, character=0),
    )
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=cursor,
            context=types.CodeActionContext(diagnostics=[spk101], only=["quickfix"]),
        )
    )
    titles = [action.title for action in actions]
    assert titles == ["SPK101: Replace with `.isNull()`", "Disable SPK101 for this line"]
