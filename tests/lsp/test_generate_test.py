"""The "Generate test for NAME" action: offered inside a transform (nothing runs), and, when
picked, the testing agent's test file comes back to the editor as a workspace edit."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsp_helpers import initialize, open_document, published
from lsprotocol import types
from pytest_lsp import LanguageClient

pytestmark = pytest.mark.asyncio

TRANSFORMS = """\
from pyspark.sql import DataFrame
from pyspark.sql import functions as F


def paid_orders(orders: DataFrame) -> DataFrame:
    return orders.filter(F.col("status") == "paid").select("order_id", "amount")


TOTAL = 1
"""


async def actions_at(client: LanguageClient, uri: str, line: int) -> list[types.CodeAction]:
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(
                start=types.Position(line=line, character=4),
                end=types.Position(line=line, character=4),
            ),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    return result or []


async def test_action_is_offered_inside_a_transform_only(
    client: LanguageClient, project: Path
) -> None:
    await initialize(client, project)
    module = project / "transforms.py"
    module.write_text(TRANSFORMS)
    uri = module.as_uri()
    open_document(client, uri, TRANSFORMS)
    await published(client, uri)
    inside = await actions_at(client, uri, 5)
    (action,) = [a for a in inside if a.title.startswith("Generate test")]
    assert action == types.Command(
        title="Generate test for paid_orders",
        command="toolkit.generateTest",
        arguments=[uri, "paid_orders"],
    )
    outside = await actions_at(client, uri, 8)
    assert not [a for a in outside if a.title.startswith("Generate test")]


@pytest.mark.slow
@pytest.mark.timeout(600)
async def test_picking_the_action_returns_the_test_file_as_an_edit(
    client: LanguageClient, project: Path
) -> None:
    await initialize(client, project)
    module = project / "transforms.py"
    module.write_text(TRANSFORMS)
    uri = module.as_uri()
    open_document(client, uri, TRANSFORMS)
    await published(client, uri)
    (action,) = [a for a in await actions_at(client, uri, 5) if isinstance(a, types.Command)]
    message = await asyncio.wait_for(
        client.workspace_execute_command_async(
            types.ExecuteCommandParams(command=action.command, arguments=action.arguments)
        ),
        500,
    )
    assert "test for paid_orders" in message, message
    (applied,) = client.applied_edits
    create, edit = applied.edit.document_changes
    assert create.kind == "create" and create.uri.endswith("/test_transforms.py")
    assert edit.text_document.uri == create.uri
    assert "def test_paid_orders" in edit.edits[0].new_text
    # The editor applies the edit; nothing was written behind its back.
    assert not list(project.rglob("test_transforms.py"))
    # Meanwhile its progress indicator said what ran on Spark, from start to end.
    (reports,) = client.progress_reports.values()
    assert isinstance(reports[0], types.WorkDoneProgressBegin)
    assert reports[0].title == "Generate test for paid_orders"
    messages = [r.message for r in reports if isinstance(r, types.WorkDoneProgressReport)]
    assert messages == [
        "starting local Spark",
        "running paid_orders on Spark",
        "1 of 1 run on Spark",
    ]
    assert isinstance(reports[-1], types.WorkDoneProgressEnd)
