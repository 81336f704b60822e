"""The benchmark corpus (real PySpark packages from PyPI) lints without an internal error."""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "lint_corpus.py"


@pytest.mark.slow
def test_real_pyspark_packages_lint_without_internal_errors():
    spec = importlib.util.spec_from_file_location("lint_corpus", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    files = bench.corpus_files()  # downloads the pinned wheels on first use
    assert len(files) > 150

    from codemods.runner import RunOptions, run
    from codemods.settings import resolve_settings

    report = run(files, resolve_settings(bench.CORPUS), options=RunOptions(use_cache=False))
    codes = Counter(finding.diagnostic.code for finding in report.findings)
    internal = [
        f"{f.path}:{f.diagnostic.start.line}: {f.diagnostic.message}"
        for f in report.findings
        if f.diagnostic.code == "TK999"
    ]
    assert internal == []
    assert codes["TK001"] == 0 and codes["TK002"] == 0
    assert codes["DBX101"] > 0 and codes["SPK201"] > 0  # real findings in real code
