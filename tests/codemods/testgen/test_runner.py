"""The characterization worker process: timeouts, restarts and what a failure reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from codemods.testgen.runner import CharacterizationWorker

MODULE = """\
import time


def hangs(df):
    time.sleep(600)
    return df


def keep_x(df):
    return df.select("x")
"""


def request(root: Path, function: str, module: str = "timing") -> dict[str, str]:
    return {
        "import_root": str(root),
        "module": module,
        "setup": f"from {module} import {function}\ndf = spark.createDataFrame([(1,)], 'x int')\n",
        "act": f"actual = {function}(df)",
    }


@pytest.mark.slow
def test_a_timeout_does_not_make_the_next_transform_time_out(tmp_path: Path) -> None:
    # A restarted worker's JVM is cold; its warm-up must not count against the next transform.
    (tmp_path / "timing.py").write_text(MODULE)
    with CharacterizationWorker(timeout=5, python_path=[str(tmp_path)]) as worker:
        first = worker.run(request(tmp_path, "keep_x"))
        assert first.get("ok"), first
        assert worker.run(request(tmp_path, "hangs")) == {
            "ok": False,
            "error": "timed out after 5 s",
        }
        after = worker.run(request(tmp_path, "keep_x"))
        assert after.get("ok"), after
        assert worker.started == 2
