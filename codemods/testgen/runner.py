"""The parent side of the characterization worker: one subprocess that keeps its SparkSession
for every transform of a run, a per-transform timeout, and a fresh worker after a timeout."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Any

__all__ = ["CharacterizationWorker", "WorkerError"]

STARTUP_TIMEOUT = 300.0  # a cold JVM on a busy two-core machine can take a minute or more


class WorkerError(RuntimeError):
    """The worker could not start (no Java, no pyspark) or died."""


class CharacterizationWorker:
    """Runs characterization requests in one long-lived subprocess.

    Use as a context manager; `run()` starts the process on first use and again after a
    timeout killed it.
    """

    def __init__(self, *, timeout: float = 60.0, python_path: list[str] | None = None) -> None:
        self.timeout = timeout
        self.python_path = list(python_path or [])
        self._process: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None
        self._buffer = b""
        self.started = 0

    def __enter__(self) -> CharacterizationWorker:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is not None:  # interrupted (Ctrl-C) or failed: do not wait for the worker
            self._kill()
            self._close_log()
        else:
            self.close()

    def _start(self) -> None:
        env = dict(os.environ)
        repo_root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(
            [*self.python_path, repo_root, *filter(None, [env.get("PYTHONPATH")])]
        )
        env.setdefault("PYSPARK_PYTHON", sys.executable)
        env.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
        self._close_log()
        # Kept open for the worker's life and read on failure; closed in `_kill`.
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115
        self._buffer = b""
        self._process = subprocess.Popen(
            [sys.executable, "-m", "codemods.testgen.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
            start_new_session=True,  # a timeout kills the JVM and Python workers too
        )
        self.started += 1
        hello = self._read_line(STARTUP_TIMEOUT)
        if hello is None or not hello.get("ready"):
            reason = (hello or {}).get("error") or self._stderr_tail()
            self._kill()
            raise WorkerError(f"local Spark did not start: {reason}")

    def _stderr_tail(self) -> str:
        if self._stderr is None:
            return ""
        self._stderr.seek(0)
        lines = self._stderr.read().decode("utf-8", "replace").strip().splitlines()
        return "\n".join(lines[-8:])

    def _read_line(self, timeout: float) -> dict[str, Any] | None:
        """The next reply, or None when the timeout passed or the worker died."""
        assert self._process is not None and self._process.stdout is not None
        deadline = time.monotonic() + timeout
        fd = self._process.stdout.fileno()
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                return None
            chunk = os.read(fd, 65536)
            if not chunk:
                return None
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    def run(self, request: dict[str, Any]) -> dict[str, Any]:
        """Characterize one call; a timeout or crash becomes an `ok: false` reply."""
        if self._process is None or self._process.poll() is not None:
            self._start()
        assert self._process is not None and self._process.stdin is not None
        try:
            self._process.stdin.write((json.dumps(request) + "\n").encode())
            self._process.stdin.flush()
        except BrokenPipeError:
            self._kill()
            return {"ok": False, "error": f"the Spark worker died: {self._stderr_tail()}"}
        reply = self._read_line(self.timeout)
        if reply is None:
            alive = self._process.poll() is None
            tail = self._stderr_tail()
            self._kill()
            if alive:
                return {"ok": False, "error": f"timed out after {self.timeout:g} s"}
            return {"ok": False, "error": f"the Spark worker died: {tail}"}
        return reply

    def _kill(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        process.wait()
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()

    def _close_log(self) -> None:
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def close(self) -> None:
        process = self._process
        if process is None:
            return
        try:
            assert process.stdin is not None
            process.stdin.write(b'{"quit": true}\n')
            process.stdin.flush()
            process.wait(timeout=30)
        except (BrokenPipeError, subprocess.TimeoutExpired, OSError):
            pass
        self._kill()
        self._close_log()
