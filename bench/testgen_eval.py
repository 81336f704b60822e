"""Benchmark of the testing agent (`toolkit gen-tests`) on real transforms.

Corpus: the transforms under `bench/testgen_corpus/` (filters, joins, aggregations, windows,
string and date functions, a UDF, a class, a higher-order transform) plus the public DataFrame
functions of quinn 0.10.3 from PyPI (downloaded with `pip download` into `bench/.cache/`).

Prints:
1. coverage: the share of discovered transforms that got a test (target >= 90%);
2. pass rate: the share of generated tests that pass under pytest (target 100%);
3. mutation score: the share of simple mutants of the corpus transforms (a flipped comparison,
   a changed literal, a dropped filter, a swapped join type, a renamed output column) that make
   the generated test fail (target >= 80%);
and the generation time with its one Spark session.

Run: `.venv/bin/python bench/testgen_eval.py [--keep]` (exit 1 when a target is missed).
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from codemods.testgen.discovery import discover_nodes  # noqa: E402
from codemods.testgen.generate import generate_tests  # noqa: E402

CORPUS = REPO / "bench" / "testgen_corpus"
CACHE = REPO / "bench" / ".cache"
QUINN = "quinn==0.10.3"

_NEGATED = {ast.Gt: ast.LtE, ast.GtE: ast.Lt, ast.Lt: ast.GtE, ast.LtE: ast.Gt, ast.Eq: ast.NotEq,
            ast.NotEq: ast.Eq}  # fmt: skip
_SQL_FLIP = {">=": "<", "<=": ">", ">": "<=", "<": ">=", "!=": "=", "=": "!="}
_SQL_OPERATOR = re.compile(r">=|<=|!=|>|<|=")


def fetch_quinn() -> Path:
    """The quinn package folder, from the wheel `pip download` puts in the cache."""
    CACHE.mkdir(parents=True, exist_ok=True)
    wheels = sorted(CACHE.glob("quinn-0.10.3-*.whl"))
    if not wheels:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", QUINN, "-d", str(CACHE), "-q"],
            check=True,
        )
        wheels = sorted(CACHE.glob("quinn-0.10.3-*.whl"))
    target = CACHE / "quinn-0.10.3"
    if not (target / "quinn").is_dir():
        with zipfile.ZipFile(wheels[0]) as wheel:
            wheel.extractall(target)
    return target / "quinn"


# -- mutants ----------------------------------------------------------------------------------
def _calls(func: ast.AST, names: set[str]) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(func)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in names
    ]


def _sql_strings(func: ast.AST) -> list[ast.Constant]:
    return [
        call.args[0]
        for call in _calls(func, {"filter", "where"})
        if call.args
        and isinstance(call.args[0], ast.Constant)
        and isinstance(call.args[0].value, str)
    ]


def flip_comparison(func: ast.AST) -> bool:
    for node in ast.walk(func):
        if isinstance(node, ast.Compare) and type(node.ops[0]) in _NEGATED:
            node.ops[0] = _NEGATED[type(node.ops[0])]()
            return True
    for constant in _sql_strings(func):
        match = _SQL_OPERATOR.search(constant.value)
        if match:
            text = constant.value
            constant.value = text[: match.start()] + _SQL_FLIP[match.group()] + text[match.end() :]
            return True
    return False


def change_literal(func: ast.AST) -> bool:
    for node in ast.walk(func):
        candidates: list[ast.expr] = []
        if isinstance(node, ast.Compare):
            candidates = [node.left, *node.comparators]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"isin", "contains", "endswith", "startswith", "between"}
        ):
            candidates = list(node.args)
        for candidate in candidates:
            if isinstance(candidate, ast.Constant) and not isinstance(candidate.value, bool):
                value = candidate.value
                if isinstance(value, int | float):
                    candidate.value = value + 1
                    return True
                if isinstance(value, str):
                    candidate.value = value + "x"
                    return True
    for constant in _sql_strings(func):
        match = re.search(r"\d+", constant.value)
        if match:
            number = int(match.group()) + 1
            constant.value = (
                constant.value[: match.start()] + str(number) + constant.value[match.end() :]
            )
            return True
    return False


def drop_filter(func: ast.AST) -> bool:
    for node in ast.walk(func):
        for name, child in ast.iter_fields(node):
            values = child if isinstance(child, list) else [child]
            for index, value in enumerate(values):
                if (
                    isinstance(value, ast.Call)
                    and isinstance(value.func, ast.Attribute)
                    and value.func.attr in {"filter", "where"}
                ):
                    replacement = value.func.value
                    if isinstance(child, list):
                        child[index] = replacement
                    else:
                        setattr(node, name, replacement)
                    return True
    return False


def swap_join_type(func: ast.AST) -> bool:
    for call in _calls(func, {"join"}):
        for keyword in call.keywords:
            if keyword.arg == "how" and isinstance(keyword.value, ast.Constant):
                keyword.value.value = "inner" if keyword.value.value != "inner" else "left"
                return True
        if len(call.args) >= 3 and isinstance(call.args[2], ast.Constant):
            call.args[2].value = "inner" if call.args[2].value != "inner" else "left"
            return True
        call.keywords.append(ast.keyword("how", ast.Constant("left")))
        return True
    return False


def rename_output_column(func: ast.AST) -> bool:
    for method, position in (("withColumn", 0), ("alias", 0), ("withColumnRenamed", 1)):
        for call in _calls(func, {method}):
            if len(call.args) > position and isinstance(call.args[position], ast.Constant):
                call.args[position].value = f"{call.args[position].value}_renamed"
                return True
    return False


MUTATIONS = {
    "flipped comparison": flip_comparison,
    "changed literal": change_literal,
    "dropped filter": drop_filter,
    "swapped join type": swap_join_type,
    "renamed output column": rename_output_column,
}


def mutants_of(source: str) -> list[tuple[str, str, str]]:
    """(transform name, mutation, mutated module source) for every applicable mutation."""
    tree = ast.parse(source)
    found = []
    for transform, node in discover_nodes(tree, "<corpus>"):
        for label, mutate in MUTATIONS.items():
            mutated_tree = copy.deepcopy(tree)
            target = next(
                n
                for n in ast.walk(mutated_tree)
                if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
                and n.name == node.name
                and n.lineno == node.lineno
            )
            if mutate(target):
                found.append((transform.qualname, label, ast.unparse(mutated_tree)))
    return found


# -- running pytest ---------------------------------------------------------------------------
def run_pytest(tests: list[str], *, cwd: Path, python_path: list[Path]) -> dict[str, bool]:
    """Node id -> passed, from one pytest run (one Spark session) over `tests`."""
    report = cwd / "junit.xml"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(str(p) for p in python_path)
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
         "--import-mode=importlib", f"--junitxml={report}", "--rootdir", str(cwd), *tests],
        cwd=cwd, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    results: dict[str, bool] = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        file = case.get("file") or (case.get("classname", "").replace(".", "/") + ".py")
        name = f"{Path(file).name}::{case.get('name')}"
        results[name] = not any(child.tag in {"failure", "error"} for child in case)
    report.unlink()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the work folder and print it")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="testgen-eval-"))
    corpus = work / "corpus"
    shutil.copytree(CORPUS, corpus, ignore=shutil.ignore_patterns("__pycache__"))
    quinn_root = work / "quinn_src"
    shutil.copytree(
        fetch_quinn(), quinn_root / "quinn", ignore=shutil.ignore_patterns("__pycache__")
    )
    tests_dir = work / "tests"

    started = time.monotonic()
    report = generate_tests(
        [corpus, quinn_root / "quinn"], output_dir=tests_dir, timeout=120.0, write=True
    )
    generation_seconds = time.monotonic() - started
    discovered = len(report.outcomes)
    covered = [o for o in report.outcomes if o.got_test]
    print(
        f"Discovered {discovered} transforms ({len(list(CORPUS.glob('*.py')))} corpus modules and quinn 0.10.3)."
    )
    for outcome in report.outcomes:
        if not outcome.got_test:
            print(
                f"  no test: {Path(outcome.transform.path).name}:{outcome.transform.qualname}: {outcome.reason}"
            )
    print(
        f"Generation: {report.characterized} transforms characterized on one Spark session "
        f"(one worker process) in {generation_seconds:.1f} s "
        f"({generation_seconds / max(report.characterized, 1):.2f} s per transform, start-up included)."
    )

    python_path = [corpus, quinn_root]
    test_files = sorted(str(p.relative_to(work)) for p in tests_dir.rglob("test_*.py"))
    results = run_pytest(test_files, cwd=work, python_path=python_path)
    passed = sum(results.values())
    for name, ok in results.items():
        if not ok:
            print(f"  failing generated test: {name}")

    mutant_dir = work / "mutants"
    mutant_dir.mkdir()
    node_ids: dict[str, tuple[str, str]] = {}
    for module in sorted(corpus.glob("*.py")):
        test_file = tests_dir / f"test_{module.stem}.py"
        if not test_file.is_file():
            continue
        test_text = test_file.read_text()
        for number, (qualname, label, source) in enumerate(mutants_of(module.read_text())):
            outcome = next(o for o in report.outcomes if o.transform.qualname == qualname
                           and Path(o.transform.path).stem == module.stem)  # fmt: skip
            if not outcome.got_test:
                continue
            name = f"mutant_{module.stem}_{number:02d}"
            (mutant_dir / f"{name}.py").write_text(source)
            mutated_test = re.sub(rf"^from {module.stem} import", f"from {name} import",
                                  test_text, flags=re.M)  # fmt: skip
            (mutant_dir / f"test_{name}.py").write_text(mutated_test)
            node_ids[f"test_{name}.py::{outcome.test_name}"] = (qualname, label)
    mutant_results = run_pytest(
        [f"mutants/{n}" for n in node_ids], cwd=work, python_path=[mutant_dir, *python_path]
    )
    killed = 0
    for node_id, (qualname, label) in node_ids.items():
        survived = mutant_results.get(node_id, False)
        killed += not survived
        if survived:
            print(f"  survived: {qualname} ({label})")

    coverage = len(covered) / max(discovered, 1)
    pass_rate = passed / max(len(results), 1)
    score = killed / max(len(node_ids), 1)
    print()
    print(f"Transforms with a test:   {len(covered)}/{discovered} = {coverage:.0%} (target >= 90%)")
    print(f"Generated tests passing:  {passed}/{len(results)} = {pass_rate:.0%} (target 100%)")
    print(f"Mutants killed:           {killed}/{len(node_ids)} = {score:.0%} (target >= 80%)")
    if args.keep:
        print(f"Work folder: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if coverage >= 0.9 and pass_rate == 1.0 and score >= 0.8 else 1


if __name__ == "__main__":
    raise SystemExit(main())
