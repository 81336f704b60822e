"""The server collects cyclic garbage when the user pauses, not in the middle of a lint."""

from __future__ import annotations

import asyncio
import gc
import time

import pytest

from lsp import server as server_module
from lsp.features import create_server

pytestmark = pytest.mark.asyncio


@pytest.fixture
def collections(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Times at which `gc.collect` ran; the collector's state is restored afterwards."""
    was_enabled = gc.isenabled()
    calls: list[float] = []
    real_collect = gc.collect

    def counted(*args: object) -> int:
        calls.append(time.monotonic())
        return real_collect(*args)

    monkeypatch.setattr(server_module.gc, "collect", counted)
    yield calls
    gc.unfreeze()
    if was_enabled:
        gc.enable()


async def test_collection_waits_for_a_pause(
    collections: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(server_module, "IDLE_COLLECT_SECONDS", 0.2)
    server = create_server()
    server.take_over_garbage_collection()
    assert not gc.isenabled() and gc.get_freeze_count() > 0
    collections.clear()
    # Lints 0.05 s apart (typing): nothing is collected while they come...
    for _ in range(5):
        server._after_lint()
        await asyncio.sleep(0.05)
    assert collections == []
    # ...and one collection runs once they stop, on the lint thread.
    await asyncio.sleep(0.3)
    server.lint_thread.submit(lambda: None).result()
    assert len(collections) == 1
    # A lint that starts cancels a pending collection.
    server._after_lint()
    server.cancel_idle_collection()
    await asyncio.sleep(0.3)
    server.lint_thread.submit(lambda: None).result()
    assert len(collections) == 1


async def test_a_long_burst_still_collects(
    collections: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(server_module, "COLLECT_EVERY_LINTS", 3)
    server = create_server()
    server.take_over_garbage_collection()
    collections.clear()
    for _ in range(7):
        server._after_lint()
    server.lint_thread.submit(lambda: None).result()  # collections run on the lint thread
    assert len(collections) == 2  # after the 3rd and the 6th lint


async def test_a_server_that_does_not_own_collection_leaves_it_alone(
    collections: list[float],
) -> None:
    server = create_server()  # as in-process tests build it: `toolkit lsp` takes over
    server._after_lint()
    await asyncio.sleep(0)
    assert collections == [] and server._idle_collection is None


async def test_a_collection_due_at_shutdown_does_not_run(collections: list[float]) -> None:
    server = create_server()
    server.take_over_garbage_collection()
    collections.clear()
    server.closing = True  # as the shutdown request leaves it, lint thread gone
    server.lint_thread.shutdown(wait=True)
    server.collect_garbage()  # a timer that fires now must not schedule on a dead thread
    assert collections == []
