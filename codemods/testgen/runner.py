"""The parent side of the characterization worker: one subprocess that keeps its SparkSession
for every transform of a run, a per-transform timeout, and a fresh worker after a timeout."""

from __future__ import annotations

import json
import os
import re
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


# What the JVM and Spark print on every start: never the reason a worker failed.
_JVM_NOISE = re.compile(
    r"WARNING: Using incubator modules"
    r"|Using Spark's default log4j profile"
    r"|Setting default log level to"
    r"|To adjust logging level use"
    r"|\d\d/\d\d/\d\d \d\d:\d\d:\d\d (?:INFO|WARN) "
)


def _is_jvm_noise(line: str) -> bool:
    return not line.strip() or _JVM_NOISE.match(line.lstrip()) is not None


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
        text = self._stderr.read().decode("utf-8", "replace")
        lines = [line for line in text.strip().splitlines() if not _is_jvm_noise(line)]
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
        deadline = time.monotonic() + self.timeout
        importing: str | None = None
        while True:
            reply = self._read_line(max(0.0, deadline - time.monotonic()))
            if reply is None or "importing" not in reply:
                break
            importing = str(reply["importing"])
        if reply is None:
            code = self._exit_code(closed_output=time.monotonic() < deadline)
            alive = code is None
            tail = self._stderr_tail()
            self._kill()
            if alive:
                return {"ok": False, "error": f"timed out after {self.timeout:g} s"}
            cause = tail or f"the process exited with code {code} and printed no error"
            if importing is not None:
                return {"ok": False, "import_failed": True, "error": f"importing it ended the "
                        f"worker process ({cause})"}  # fmt: skip
            return {"ok": False, "error": f"the Spark worker died: {cause}"}
        return reply

    def _exit_code(self, *, closed_output: bool) -> int | None:
        """The worker's exit code, None while it runs. Its output closes a moment before the
        process can be waited for, so a closed output waits briefly for the exit."""
        assert self._process is not None
        if not closed_output:
            return self._process.poll()
        try:
            return self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            return None

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
