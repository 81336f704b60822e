"""How long `toolkit scaffold` takes: render, write and format a whole project.

Runs the scaffold core (what the CLI calls after gathering answers) several times into fresh
folders and prints each time and the median, then the whole `toolkit scaffold --no-input`
command in a new process (median of 5). Target: both medians under one second.

    .venv/bin/python bench/scaffold.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 1.0
CLI_RUNS = 5  # the whole command in a new process: its median is the figure a user feels


def _time_one(parent: Path, index: int, answers: dict[str, object]) -> tuple[float, int]:
    from skeletons.project import scaffold_project

    started = time.perf_counter()
    report = scaffold_project(answers, parent / f"project-{index}")
    return time.perf_counter() - started, len(report.created)


def _time_cli(parent: Path, index: int) -> float:
    """The whole command in a fresh process: interpreter start, imports, render, write."""
    import subprocess

    script = Path(sys.executable).with_name("toolkit")  # the console script a user runs
    command = [str(script)] if script.exists() else [sys.executable, "-m", "toolkit"]
    started = time.perf_counter()
    subprocess.run(
        [*command, "scaffold", f"cli {index}", "--no-input", "-o", str(parent)],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def measure(*, runs: int) -> tuple[str, bool]:
    """The report to print, and whether the median met the target."""
    answers = {"project_name": "Bench Project", "compute": "classic", "ci": "github"}
    with tempfile.TemporaryDirectory(prefix="scaffold-bench-") as folder:
        parent = Path(folder)
        _time_one(parent, -1, answers)  # warm-up: the first call imports jinja2
        results = [_time_one(parent, index, answers) for index in range(runs)]
        cli_times = [_time_cli(parent, index) for index in range(CLI_RUNS)]
    times = [seconds for seconds, _ in results]
    median = statistics.median(times)
    cli = ", ".join(f"{t:.3f}" for t in cli_times)
    lines = [
        f"scaffold: {results[0][1]} files per project, {runs} runs",
        "runs (s): " + ", ".join(f"{t:.3f}" for t in times),
        f"median: {median:.3f} s (target < {TARGET_SECONDS:.1f} s)",
        f"`toolkit scaffold --no-input`, new process (s): {cli}; "
        f"median {statistics.median(cli_times):.3f} s",
    ]
    return "\n".join(lines), max(median, statistics.median(cli_times)) < TARGET_SECONDS


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    report, met = measure(runs=parser.parse_args().runs)
    print(report)
    sys.exit(0 if met else 1)
