"""How light the `toolkit-lint` pre-commit hook is to start, and how it compares with the CLI.

Prints, from real subprocesses of this virtualenv's console scripts:

- the modules the hook's lint path imports: none of pyspark, jinja2, pygls (or libcst) may
  appear (`python -X importtime`);
- the time spent in imports (the sum of `-X importtime` self times, best of 7), with the bare
  interpreter's own start-up imports shown beside it, and the CPU time of importing the same
  lint path (rule modules included), which load on a shared machine barely moves. Target: at
  most 150 ms in total (wall; on a machine whose load exceeds its cores, judge by CPU);
- a hook run (`toolkit-lint f1 ... f20`) on 20 staged files against `toolkit lint` of the same
  files (median of 7, interleaved, `--no-cache` on both so each does the same work).
  Target: at most 1.5x.

The machine's load average is printed too: on a shared 2-core machine under load every
figure grows, the ratio much less than the absolute times.

    .venv/bin/python bench/hook_startup.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
HEAVY = ("pyspark", "py4j", "jinja2", "pygls", "libcst")
IMPORT_TARGET_MS, HOOK_RATIO_TARGET = 150.0, 1.5

MODULE = '''\
from pyspark.sql import DataFrame, functions as F


def clean_orders_{n}(orders: DataFrame) -> DataFrame:
    """Orders with a known customer, amounts in cents."""
    return (
        orders.filter(F.col("customer_id").isNotNull())
        .withColumn("amount_cents", (F.col("amount") * 100).cast("long"))
        .dropDuplicates(["order_id"])
    )


def daily_totals_{n}(orders: DataFrame) -> DataFrame:
    return orders.groupBy("order_date").agg(F.sum("amount_cents").alias("total_cents"))


def run_{n}(spark) -> None:
    orders = spark.table("main.sales.orders_{n}")
    if orders.count() == 0:
        return
    daily_totals_{n}(clean_orders_{n}(orders)).write.mode("overwrite").saveAsTable("t{n}")
'''


def import_profile(command: list[str], cwd: Path) -> tuple[float, set[str]]:
    """(milliseconds in imports, modules imported) of one run of `command` under -X importtime."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", *command], cwd=cwd, capture_output=True, text=True
    )
    total_us, modules = 0, set()
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _, name = line[len("import time:") :].split("|")
        total_us += int(self_us)
        modules.add(name.strip())
    return total_us / 1000, modules


LINT_PATH_IMPORTS = (
    "import time; started = time.process_time(); "
    "import hooks.toolkit_lint, codemods.reporting, codemods.runner, codemods.discovery, "
    "codemods.notebooks, codemods.formats, toolkit.textio, codemods.rules; "
    "codemods.rules.all_rules(); print(time.process_time() - started)"
)


def import_cpu_ms(cwd: Path) -> float:
    """CPU milliseconds of importing the lint path (rules included) in a fresh interpreter:
    unlike `-X importtime`'s wall clock, barely moved by other processes on the machine."""
    result = subprocess.run(
        [sys.executable, "-c", LINT_PATH_IMPORTS], cwd=cwd, capture_output=True, text=True
    )
    return float(result.stdout.strip()) * 1000


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, capture_output=True, check=False)
    return time.perf_counter() - start


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        (project / "pyproject.toml").write_text("[tool.toolkit]\n", encoding="utf-8")
        files = []
        for n in range(20):
            path = project / "pipelines" / f"orders_{n:02}.py"
            path.parent.mkdir(exist_ok=True)
            path.write_text(MODULE.format(n=n), encoding="utf-8")
            files.append(str(path.relative_to(project)))

        hook = ["-m", "hooks.toolkit_lint", "--no-cache", *files]
        profiles = [import_profile(hook, project) for _ in range(7)]
        imports_ms = min(ms for ms, _ in profiles)
        modules = profiles[0][1]
        bare_ms = min(import_profile(["-c", "pass"], project)[0] for _ in range(7))
        cpu_ms = min(import_cpu_ms(project) for _ in range(7))
        heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)

        hook_command = [str(BIN / "toolkit-lint"), "--no-cache", *files]
        cli_command = [str(BIN / "toolkit"), "lint", "--no-cache", *files]
        hook_times, cli_times = [], []
        for _ in range(7):
            hook_times.append(timed(hook_command, project))
            cli_times.append(timed(cli_command, project))
        hook_s, cli_s = statistics.median(hook_times), statistics.median(cli_times)

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average (1 min): {load:.1f} on {os.cpu_count()} cores")
    print(f"hook lint path: {len(modules)} modules imported; heavy: {', '.join(heavy) or 'none'}")
    print(f"imports: {imports_ms:.0f} ms wall (-X importtime; bare interpreter start-up: "
          f"{bare_ms:.0f} ms), {cpu_ms:.0f} ms CPU; target <= {IMPORT_TARGET_MS:.0f} ms")  # fmt: skip
    print(f"20 staged files: hook {hook_s * 1000:.0f} ms, toolkit lint {cli_s * 1000:.0f} ms, "
          f"{hook_s / cli_s:.2f}x (target <= {HOOK_RATIO_TARGET}x)")  # fmt: skip
    missed = []
    if heavy:
        missed.append("heavy imports")
    if imports_ms > IMPORT_TARGET_MS:
        missed.append("import time")
    if hook_s / cli_s > HOOK_RATIO_TARGET:
        missed.append("hook vs CLI")
    print("all targets met" if not missed else f"missed: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
