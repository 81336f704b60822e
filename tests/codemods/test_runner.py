"""The multi-file runner: cache, parallel processes, and files that cannot be linted."""

from __future__ import annotations

from pathlib import Path

import pytest

from codemods.lint_cache import CACHE_FOLDER, project_index_hash
from codemods.runner import RunOptions, run
from codemods.settings import resolve_settings

JOB = """\
def run(spark):
    df = spark.table("main.sales.orders")
    if df.count() == 0:
        return
    return df.collect()
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.toolkit]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _codes(report) -> list[tuple[str, str]]:
    return [(f.path, f.diagnostic.code) for f in report.findings]


def test_second_run_is_served_from_the_cache_until_something_changes(project):
    (project / "a.py").write_text(JOB, encoding="utf-8")
    (project / "b.py").write_text("x = 1\n", encoding="utf-8")
    files = [Path("a.py"), Path("b.py")]
    settings = resolve_settings(project)
    first = run(files, settings, options=RunOptions())
    assert [r.cached for r in first.files] == [False, False]
    assert _codes(first) == [("a.py", "SPK205"), ("a.py", "SPK201")]
    assert (project / CACHE_FOLDER / ".gitignore").read_text().endswith("*\n")
    second = run(files, settings, options=RunOptions())
    assert [r.cached for r in second.files] == [True, True]
    assert [f.to_dict() for f in second.findings] == [f.to_dict() for f in first.findings]
    (project / "b.py").write_text(JOB, encoding="utf-8")
    third = run(files, settings, options=RunOptions())
    assert [r.cached for r in third.files] == [True, False]
    narrower = resolve_settings(project, ignore=["SPK201"])
    fourth = run(files, narrower, options=RunOptions())
    assert [r.cached for r in fourth.files] == [False, False]
    assert _codes(fourth) == [("a.py", "SPK205"), ("b.py", "SPK205")]


def test_no_cache_reads_and_writes_nothing(project):
    (project / "a.py").write_text(JOB, encoding="utf-8")
    report = run([Path("a.py")], resolve_settings(project), options=RunOptions(use_cache=False))
    assert len(report.findings) == 2
    assert not (project / CACHE_FOLDER).exists()


def test_fix_mode_does_not_trust_a_cached_fixable_result(project):
    (project / "a.py").write_text(JOB, encoding="utf-8")
    settings = resolve_settings(project)
    run([Path("a.py")], settings, options=RunOptions())
    fixed = run([Path("a.py")], settings, options=RunOptions(mode="fix"))
    assert fixed.files[0].changed and fixed.fixed == {"SPK205": 1}
    assert "df.isEmpty()" in (project / "a.py").read_text(encoding="utf-8")


PARALLEL_RUN = """
import json, sys
from pathlib import Path
from codemods.runner import RunOptions, _worker_count, run
from codemods.settings import resolve_settings
files = sorted(Path.cwd().glob("m*.py"))
report = run(files, resolve_settings(Path.cwd()), options=RunOptions(use_cache=False))
print(json.dumps({"workers": _worker_count(None, len(files)),
                  "findings": [f.to_dict() for f in report.findings]}))
"""


def test_many_files_in_parallel_give_the_one_process_result(project):
    import json
    import os
    import subprocess
    import sys

    for number in range(45):
        body = JOB if number % 3 == 0 else "x = 1\n"
        if number == 7:
            body = "def broken(:\n"
        (project / f"m{number:02}.py").write_text(body, encoding="utf-8")
    (project / "m99.py").write_bytes(b"\x00\x01binary")
    files = sorted(project.glob("m*.py"))
    serial = run(files, resolve_settings(project), options=RunOptions(use_cache=False, jobs=1))
    # A fresh interpreter: forking this test process (maybe running Spark's threads) is not
    # what a user's `toolkit lint` does.
    result = subprocess.run(
        [sys.executable, "-c", PARALLEL_RUN], cwd=project, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    parallel = json.loads(result.stdout)
    assert parallel["workers"] == (2 if (os.cpu_count() or 1) > 1 else 1)
    assert parallel["findings"] == [f.to_dict() for f in serial.findings]
    codes = [finding["code"] for finding in parallel["findings"]]
    assert codes.count("SPK205") == 15 and codes.count("TK001") == 1
    assert ("m99.py", "TK002") in _codes(serial)


def test_a_threaded_process_is_never_forked():
    import threading

    from codemods.runner import _worker_count

    assert _worker_count(None, 10) == 1  # too few files to be worth it
    stop = threading.Event()
    helper = threading.Thread(target=stop.wait)
    helper.start()
    try:
        assert _worker_count(None, 500) == 1
    finally:
        stop.set()
        helper.join()


def test_malformed_notebook_is_tk002_with_its_json_position(project):
    (project / "bad.ipynb").write_text('{"cells": [\n  {,}\n]}\n', encoding="utf-8")
    report = run([Path("bad.ipynb")], resolve_settings(project), options=RunOptions())
    (finding,) = report.findings
    assert finding.diagnostic.code == "TK002"
    assert (finding.diagnostic.start.line, finding.diagnostic.start.column) == (2, 4)
    assert "invalid notebook JSON" in finding.diagnostic.message


def test_project_index_hash_follows_only_the_rules_that_read_the_project(tmp_path):
    config = tmp_path / "config"
    config.mkdir()
    (config / "dev.yaml").write_text("catalog: {name: dev}\n", encoding="utf-8")
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_a.py").write_text("x = 1\n", encoding="utf-8")

    def index(codes: set[str]) -> str:
        return project_index_hash(
            config_folder=config, test_folders=[tests], codes=frozenset(codes)
        )

    with_config, with_tests, neither = index({"DBX207"}), index({"TST001"}), index(set())
    (config / "dev.yaml").write_text("catalog: {name: prod}\n", encoding="utf-8")
    (tests / "test_b.py").write_text("x = 2\n", encoding="utf-8")
    assert index({"DBX207"}) != with_config
    assert index({"TST001"}) != with_tests
    assert index(set()) == neither


def test_old_cache_entries_are_pruned_once_a_week(project):
    import os
    import time

    from codemods.lint_cache import LintCache

    cache = LintCache(project, "run-key")
    cache.put("aa" + "0" * 62, [])
    cache.put("bb" + "0" * 62, [])
    old = time.time() - 40 * 24 * 3600
    stale = project / CACHE_FOLDER / "lint-v1" / "aa" / ("aa" + "0" * 62 + ".json")
    os.utime(stale, (old, old))
    assert cache.prune() == 0  # pruned when the folder was prepared, a moment ago
    assert cache.prune(now=time.time() + 8 * 24 * 3600) == 1
    assert not stale.exists()
    assert cache.get("bb" + "0" * 62) == []
