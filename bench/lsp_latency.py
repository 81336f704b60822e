"""Language server latency: `didChange` to published diagnostics for a 2,000-line PySpark file.

Starts the real server (`python -m lsp`) as a subprocess, opens a generated 2,000-line module
and makes 50 one-character edits, each waiting for the diagnostics of its version (so the
debounce is included). After each edit, the engine's in-process time for the same text, with
the same resolved settings, is measured in this process (interleaved, so a busy machine
weighs on both alike) two ways: as the server lints (one `Reparser` carried from version to
version, so only the edited statements are parsed and walked again) and as a fresh lint of
the whole text (what `toolkit lint` does). Prints p50 and p95 of each and the ratio of the
server to the same in-process lint.

    .venv/bin/python bench/lsp_latency.py [--edits 50] [--lines 2000] [--edit comment|code|newline]

Targets: p95 under 100 ms, ratio (server p50 / engine p50) under 1.5.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from queue import Empty, Queue

from pyspark_sample import pyspark_module  # bench/ is on sys.path when run as a script

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

TARGET_P95_MS = 100.0
TARGET_RATIO = 1.5


class Connection:
    """A minimal JSON-RPC client over the server's stdio, reading on a thread."""

    def __init__(self, command: list[str], cwd: Path) -> None:
        self.process = subprocess.Popen(
            command, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=os.environ
        )
        self.messages: Queue[tuple[float, dict]] = Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = 0
            while True:
                line = stream.readline()
                if not line:
                    return
                if line.startswith(b"Content-Length:"):
                    length = int(line.split(b":")[1])
                if line == b"\r\n":
                    break
            body = stream.read(length)
            self.messages.put((time.perf_counter(), json.loads(body)))

    def send(self, message: dict) -> float:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        sent = time.perf_counter()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()
        return sent

    def wait_for(self, match, timeout: float = 60.0) -> tuple[float, dict]:
        deadline = time.monotonic() + timeout
        while True:
            try:
                received, message = self.messages.get(timeout=max(0.0, deadline - time.monotonic()))
            except Empty:
                raise TimeoutError("no matching message from the server") from None
            if message.get("method") == "workspace/configuration":
                self.send({"id": message["id"], "result": [None]})
            elif "id" in message and "method" in message:
                self.send({"id": message["id"], "result": None})
            if match(message):
                return received, message


def edit_at(line: str, kind: str, character: str) -> tuple[int, str]:
    """Where on `line` the edit goes and what it inserts: a comment at the end ("comment"),
    a character inside the line's first string literal ("code": the program changes), or a
    line break at the end ("newline": every later line moves, the whole text is parsed)."""
    if kind == "code" and "'" in line:
        return line.index("'") + 1, character
    if kind == "newline":
        return len(line), "\n"
    return len(line), f"  # {character}"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=50)
    parser.add_argument("--lines", type=int, default=2000)
    parser.add_argument(
        "--edit",
        choices=("comment", "code", "newline"),
        default="comment",
        help="what each edit types (see edit_at)",
    )
    args = parser.parse_args(argv)

    from codemods.engine.reparse import Reparser
    from codemods.settings import resolve_settings
    from lsp.analysis import lint_text

    text = pyspark_module(args.lines)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "pyproject.toml").write_text("[tool.toolkit]\n")
        path = root / "pipeline.py"
        path.write_text(text)
        uri = path.as_uri()
        connection = Connection([sys.executable, "-m", "lsp"], cwd=REPO)
        connection.send(
            {
                "id": 1,
                "method": "initialize",
                "params": {
                    "processId": os.getpid(),
                    "rootUri": root.as_uri(),
                    "capabilities": {"workspace": {"configuration": True}},
                },
            }
        )
        connection.wait_for(lambda m: m.get("id") == 1 and "result" in m)
        connection.send({"method": "initialized", "params": {}})
        connection.send(
            {
                "method": "textDocument/didOpen",
                "params": {
                    "textDocument": {"uri": uri, "languageId": "python", "version": 0, "text": text}
                },
            }
        )

        def published(version: int):
            return lambda m: (
                m.get("method") == "textDocument/publishDiagnostics"
                and m["params"]["version"] == version
            )

        _, first = connection.wait_for(published(0))
        findings = len(first["params"]["diagnostics"])

        # The first 5 edits warm both sides up (lazy imports in rules), and are not counted.
        settings = resolve_settings(root)
        reparser = Reparser()
        lint_text(text, str(path), settings, reparser)
        lines = text.split("\n")
        latencies: list[float] = []
        engine: list[float] = []
        engine_cpu: list[float] = []
        fresh: list[float] = []
        for version in range(1, args.edits + 6):
            line = (version * 37) % (args.lines - 1)
            column, inserted = edit_at(lines[line], args.edit, "x" if version % 2 else "y")
            lines[line] = lines[line][:column] + inserted + lines[line][column:]
            lines[line : line + 1] = lines[line].split("\n")
            new_text = "\n".join(lines)
            sent = connection.send(
                {
                    "method": "textDocument/didChange",
                    "params": {
                        "textDocument": {"uri": uri, "version": version},
                        "contentChanges": [
                            {
                                "range": {
                                    "start": {"line": line, "character": column},
                                    "end": {"line": line, "character": column},
                                },
                                "text": inserted,
                            }
                        ],
                    },
                }
            )
            received, _ = connection.wait_for(published(version))
            # The engine on the same text right after, so both sides see the same load.
            started, started_cpu = time.perf_counter(), time.process_time()
            lint_text(new_text, str(path), settings, reparser)
            finished, finished_cpu = time.perf_counter(), time.process_time()
            lint_text(new_text, str(path), settings)
            if version > 5:
                latencies.append((received - sent) * 1000)
                engine.append((finished - started) * 1000)
                engine_cpu.append((finished_cpu - started_cpu) * 1000)
                fresh.append((time.perf_counter() - finished) * 1000)
        connection.send({"id": 2, "method": "shutdown"})
        connection.wait_for(lambda m: m.get("id") == 2)
        connection.send({"method": "exit"})
        connection.process.wait(timeout=30)

    server_p50, server_p95 = statistics.median(latencies), percentile(latencies, 0.95)
    engine_p50, engine_p95 = statistics.median(engine), percentile(engine, 0.95)
    ratio = server_p50 / engine_p50
    print(f"file: {args.lines} lines, {findings} findings; {len(latencies)} edits ({args.edit})")
    print(
        f"didChange -> publishDiagnostics: p50 {server_p50:.1f} ms, p95 {server_p95:.1f} ms "
        f"(target p95 < {TARGET_P95_MS:.0f} ms)"
    )
    print(f"engine in-process, as the server: p50 {engine_p50:.1f} ms, p95 {engine_p95:.1f} ms")
    print(
        f"engine in-process, whole text:    p50 {statistics.median(fresh):.1f} ms, "
        f"p95 {percentile(fresh, 0.95):.1f} ms (a fresh lint, as `toolkit lint`)"
    )
    print(f"ratio server/engine (p50): {ratio:.2f} (target < {TARGET_RATIO})")
    # Wall times include waiting for a CPU; on a busy machine compare with the CPU time.
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"engine CPU time p50 {statistics.median(engine_cpu):.1f} ms; "
        f"load average {load:.1f} on {os.cpu_count()} CPUs"
    )
    return 0 if server_p95 < TARGET_P95_MS and ratio < TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
