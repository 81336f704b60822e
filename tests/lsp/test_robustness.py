"""The server survives what editors and users throw at it."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
from lsp_helpers import codes, initialize, open_document, published
from lsprotocol import types
from pytest_lsp import LanguageClient

pytestmark = pytest.mark.asyncio


async def test_exception_in_a_handler_is_logged_and_the_server_goes_on(
    client: LanguageClient, project: Path
) -> None:
    await initialize(client, project)
    # Wrong arguments make the command's handler raise.
    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="toolkit.generateTest", arguments=["only-one"])
    )
    assert result is None
    await asyncio.sleep(0.2)
    errors = [m.message for m in client.log_messages if m.type == types.MessageType.Error]
    assert any("toolkit.generateTest takes [uri, transform name]" in m for m in errors), errors
    assert any("Traceback" in m for m in errors)
    uri = (project / "job.py").as_uri()
    open_document(client, uri, "df = spark.table('t')\nrows = df.collect()\n")
    params = await published(client, uri)
    assert "SPK201" in codes(params.diagnostics)


async def test_malformed_documents(client: LanguageClient, project: Path) -> None:
    await initialize(client, project)
    # Null bytes, a lone surrogate, form feeds and \u2028 inside a line, mixed line endings.
    samples = {
        "nul.py": "x = 1\x00\n",
        "surrogate.py": "x = '\ud800'\nrows = spark.table('t').collect()\n",
        "feeds.py": "a = 1\x0c\nb = '\u2028'\r\nrows = spark.table('t').collect()\r\n",
        "empty.py": "",
    }
    for name, text in samples.items():
        open_document(client, (project / name).as_uri(), text)
    nul = await published(client, (project / "nul.py").as_uri())
    assert codes(nul.diagnostics) == ["TK001"]
    surrogate = await published(client, (project / "surrogate.py").as_uri())
    assert surrogate.diagnostics  # a finding (TK999 or a real one), never a dead server
    feeds = await published(client, (project / "feeds.py").as_uri())
    collect = next(d for d in feeds.diagnostics if d.code == "SPK201")
    # \f and \u2028 do not end lines for the protocol: the call is on line 2 (0-based).
    assert collect.range.start.line == 2
    empty = await published(client, (project / "empty.py").as_uri())
    assert empty.diagnostics == []


async def test_unknown_uris(client: LanguageClient, project: Path) -> None:
    await initialize(client, project)
    unknown = types.TextDocumentIdentifier(uri="file:///nowhere/missing.py")
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=unknown, position=types.Position(line=0, character=0))
    )
    assert hover is None
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=unknown,
            range=types.Range(
                start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)
            ),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    assert actions == []
    # A change for a document never opened is ignored, not a crash.
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=unknown.uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text="x = 1\n")],
        )
    )
    uri = (project / "job.py").as_uri()
    open_document(client, uri, "rows = spark.table('t').collect()\n")
    assert "SPK201" in codes((await published(client, uri)).diagnostics)


@pytest.mark.slow
async def test_huge_document_is_refused_with_a_message(
    client: LanguageClient, project: Path
) -> None:
    await initialize(client, project)
    uri = (project / "huge.py").as_uri()
    open_document(client, uri, "x = 1\n" * 900_000)  # 5.4 M characters
    params = await published(client, uri)
    assert params.diagnostics == []
    assert any("more than the editor limit" in m.message for m in client.messages)


@pytest.mark.slow
async def test_shutdown_during_work_and_exit(project: Path) -> None:
    """A server asked to shut down while lints are pending answers, and exits with 0."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "lsp",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    import json

    def send(message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    async def receive(wanted_id: int) -> dict:
        while True:
            header = await process.stdout.readuntil(b"\r\n\r\n")
            length = int(header.split(b"Content-Length: ")[1].split(b"\r\n")[0])
            message = json.loads(await process.stdout.readexactly(length))
            if message.get("id") == wanted_id and "method" not in message:
                return message

    send({"id": 1, "method": "initialize", "params": {"capabilities": {},
          "rootUri": project.as_uri()}})  # fmt: skip
    await asyncio.wait_for(receive(1), 30)
    send({"method": "initialized", "params": {}})
    text = "rows = spark.table('t').collect()\n" * 2000
    for version in range(20):
        uri = (project / f"f{version}.py").as_uri()
        send({"method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "python", "version": 1, "text": text}}})  # fmt: skip
    send({"id": 2, "method": "shutdown"})
    reply = await asyncio.wait_for(receive(2), 30)
    assert reply["result"] is None
    send({"method": "exit"})
    await process.stdin.drain()
    assert await asyncio.wait_for(process.wait(), 30) == 0


async def test_malformed_messages_are_logged_and_the_server_goes_on(project: Path) -> None:
    import json

    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "lsp",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )

    def send_body(body: bytes) -> None:
        process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    async def receive_until(predicate) -> list[dict]:
        seen = []
        while True:
            header = await process.stdout.readuntil(b"\r\n\r\n")
            length = int(header.split(b"Content-Length: ")[1].split(b"\r\n")[0])
            message = json.loads(await process.stdout.readexactly(length))
            seen.append(message)
            if predicate(message):
                return seen

    send_body(b'{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {not json')
    send_body(
        json.dumps(
            {"jsonrpc": "2.0", "id": 2, "method": "initialize", "params": {"capabilities": {}}}
        ).encode()
    )
    seen = await asyncio.wait_for(receive_until(lambda m: m.get("id") == 2), 30)
    assert "capabilities" in seen[-1]["result"]
    logged = [m for m in seen if m.get("method") == "window/logMessage"]
    assert logged and "error in the protocol layer" in logged[0]["params"]["message"]
    assert not [m for m in seen if m.get("method") == "window/showMessage"]
    send_body(json.dumps({"jsonrpc": "2.0", "id": 3, "method": "shutdown"}).encode())
    await asyncio.wait_for(receive_until(lambda m: m.get("id") == 3), 30)
    send_body(json.dumps({"jsonrpc": "2.0", "method": "exit"}).encode())
    assert await asyncio.wait_for(process.wait(), 30) == 0
