"""How fast `toolkit lint` is on real PySpark code, against `ast.parse` alone.

Downloads (once, `pip download --no-deps`) pinned PyPI packages full of PySpark code into
`bench/.cache/lint-corpus/`, unpacks their wheels, and from one run prints:

Single-process figures are CPU seconds of this process (robust on a busy shared machine); the
parallel run is wall time.

- cold, one process: the shared runner (`codemods.runner.run`, what `toolkit lint` and the
  hooks call) with no cache and one process, against reading + `ast.parse` of the same files,
  median of 5 interleaved rounds of each. **File reads are included on both sides.** Target:
  at most 3x.
- warm: the same run when every file is cached. Target: at least 20x faster than cold.
- cold, parallel: the runner's own choice of worker processes (for information).
- a 2,000-line PySpark file linted in-process, median of 20 (CPU time, interleaved, the
  collector paused on both sides as `lint()` does): at most 2.5x `ast.parse` on the same text.

Also prints findings per code and fails (exit 1) on any internal error (TK999) or missed
target.

    .venv/bin/python bench/lint_corpus.py
"""

from __future__ import annotations

import ast
import gc
import shutil
import statistics
import subprocess
import sys
import time
import zipfile
from collections import Counter
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY / "bench"))  # also when loaded by a test, not run as a script
from pyspark_sample import pyspark_module  # noqa: E402

CORPUS = REPOSITORY / "bench" / ".cache" / "lint-corpus"
PACKAGES = (
    "quinn==0.10.3",
    "databricks-labs-dqx==0.17.0",
    "spark-expectations==2.10.1",
    "pydeequ==1.7.0",
)
COLD_TARGET, WARM_TARGET, FILE_TARGET = 3.0, 20.0, 2.5
ROUNDS = 5  # cold and parse rounds, interleaved


def corpus_files() -> list[Path]:
    """The corpus's `.py` files, downloading and unpacking the packages the first time."""
    sources = CORPUS / "src"
    marker = CORPUS / ".complete"
    if not marker.exists():
        shutil.rmtree(CORPUS, ignore_errors=True)
        wheels = CORPUS / "wheels"
        wheels.mkdir(parents=True)
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                   "--disable-pip-version-check", "--only-binary", ":all:", "-d", str(wheels),
                   *PACKAGES]  # fmt: skip
        subprocess.run(command, check=True)
        for wheel in sorted(wheels.glob("*.whl")):
            with zipfile.ZipFile(wheel) as archive:
                archive.extractall(sources / wheel.name.split("-")[0])
        # The corpus is its own project: its cache and settings stay inside it.
        (CORPUS / "toolkit.toml").write_text("# benchmark corpus: default settings\n")
        marker.write_text("\n".join(PACKAGES) + "\n")
    return sorted(sources.rglob("*.py"))


def _wall(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def _cpu(function) -> float:
    # CPU time of this process: other jobs on a shared 2-core machine barely move it.
    start = time.process_time()
    function()
    return time.process_time() - start


def _read_and_parse(files: list[Path]) -> None:
    for path in files:
        try:
            ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue


def measure_corpus() -> dict[str, float]:
    from codemods.runner import RunOptions, run
    from codemods.settings import resolve_settings

    files = corpus_files()
    lines = sum(len(path.read_bytes().splitlines()) for path in files)
    settings = resolve_settings(CORPUS)
    shutil.rmtree(CORPUS / ".toolkit_cache", ignore_errors=True)
    # What `toolkit lint` does for text output: fix titles, no edits (need_edits=False).
    one_process = RunOptions(use_cache=False, jobs=1, need_edits=False)
    run(files[:5], settings, options=one_process)  # imports and registry, outside the timing

    report = None

    def cold_run() -> None:
        nonlocal report
        report = run(files, settings, options=one_process)

    # Interleaved rounds, so a busy machine weighs on both sides alike; the median of each.
    parses, colds = [], []
    for _ in range(ROUNDS):
        parses.append(_cpu(lambda: _read_and_parse(files)))
        colds.append(_cpu(cold_run))
    parse, cold = statistics.median(parses), statistics.median(colds)
    parallel_options = RunOptions(use_cache=False, need_edits=False)
    parallel = _wall(lambda: run(files, settings, options=parallel_options))
    cached = RunOptions(jobs=1, need_edits=False)
    run(files, settings, options=cached)  # fill the cache
    warm = min(_cpu(lambda: run(files, settings, options=cached)) for _ in range(3))
    with_edits = _cpu(lambda: run(files, settings, options=RunOptions(use_cache=False, jobs=1)))

    assert report is not None
    codes = Counter(finding.diagnostic.code for finding in report.findings)
    print(f"corpus: {len(files)} files, {lines:,} lines from {', '.join(PACKAGES)}")
    print(
        f"findings: {sum(codes.values())} "
        + ", ".join(f"{c} {n}" for c, n in sorted(codes.items()))
    )
    print(f"read + ast.parse        {parse * 1000:8.1f} ms   (median of {ROUNDS} rounds, interleaved with cold)")  # fmt: skip
    print(f"cold, one process       {cold * 1000:8.1f} ms   {cold / parse:5.2f}x parse   (target <= {COLD_TARGET}x)")  # fmt: skip
    print(f"cold, with fix edits    {with_edits * 1000:8.1f} ms   {with_edits / parse:5.2f}x parse   (--format json/sarif)")  # fmt: skip
    print(f"cold, parallel          {parallel * 1000:8.1f} ms   {parallel / parse:5.2f}x parse")
    print(f"warm (all cached)       {warm * 1000:8.1f} ms   {cold / warm:5.1f}x faster than cold (target >= {WARM_TARGET}x)")  # fmt: skip
    for finding in report.findings:
        if finding.diagnostic.code == "TK999":
            print(f"internal error: {finding.path}:{finding.diagnostic.start.line}: "
                  f"{finding.diagnostic.message}")  # fmt: skip
    return {
        "cold_ratio": cold / parse,
        "warm_speedup": cold / warm,
        "internal_errors": float(codes.get("TK999", 0)),
    }


def measure_file(runs: int = 20) -> float:
    from codemods.engine import lint

    source = pyspark_module()
    lint(source, "bench.py")
    samples: tuple[list[float], list[float]] = ([], [])
    gc.collect()
    gc.disable()
    try:
        for _ in range(runs):
            for index, function in enumerate(
                (lambda: ast.parse(source), lambda: lint(source, "bench.py"))
            ):
                start = time.process_time()
                function()
                samples[index].append(time.process_time() - start)
    finally:
        gc.enable()
    parse, linted = (statistics.median(times) for times in samples)
    print(f"2,000-line file: ast.parse {parse * 1000:.1f} ms, lint {linted * 1000:.1f} ms, "
          f"{linted / parse:.2f}x (target <= {FILE_TARGET}x; median of {runs}, CPU time)")  # fmt: skip
    return linted / parse


def main() -> int:
    sys.path.insert(0, str(REPOSITORY))
    corpus = measure_corpus()
    file_ratio = measure_file()
    missed = []
    if corpus["cold_ratio"] > COLD_TARGET:
        missed.append("cold")
    if corpus["warm_speedup"] < WARM_TARGET:
        missed.append("warm")
    if file_ratio > FILE_TARGET:
        missed.append("2,000-line file")
    if corpus["internal_errors"]:
        missed.append("internal errors")
    print("all targets met" if not missed else f"missed: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
