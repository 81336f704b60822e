"""Adding generated tests to a test file without disturbing what is there.

Existing tests, fixtures and comments stay as they are; new test functions go at the end, and
only they are formatted (the real `ruff format` on the new snippet, with the target project's
ruff settings). Imports are added once, through libcst's `AddImportsVisitor`. A test whose
name is already defined is not added again, so a second run changes nothing.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.errors import ToolkitError

__all__ = ["GeneratedTest", "MergeResult", "defined_names", "format_snippet", "merge_tests"]


@dataclass(frozen=True)
class GeneratedTest:
    name: str
    source: str
    imports: frozenset[tuple[str, str | None]]


@dataclass
class MergeResult:
    text: str
    added: list[str] = field(default_factory=list)
    already_present: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added)


def _parse(text: str, path: Path) -> Any:
    import libcst as cst

    try:
        ast.parse(text, filename=str(path))
    except SyntaxError as exc:  # the standard parser points at the line a person would fix
        raise ToolkitError(
            f"{path}:{exc.lineno}:{exc.offset or 1}: cannot add tests: the file does not parse "
            f"({exc.msg})",
            hint="fix the syntax error first: tests are added only to a test file that parses",
        ) from exc
    try:
        return cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        raise ToolkitError(
            f"{path}:{exc.raw_line}:{exc.raw_column + 1}: cannot add tests: the file does not "
            f"parse ({exc.message.strip()})",
            hint="fix the syntax error first: tests are added only to a test file that parses",
        ) from exc


def defined_names(text: str, path: Path) -> set[str]:
    """Top-level function and class names of a test file; refuses a file that does not parse."""
    import libcst as cst

    module = _parse(text, path)
    return {
        stmt.name.value for stmt in module.body if isinstance(stmt, cst.FunctionDef | cst.ClassDef)
    }


def _ruff(arguments: list[str], source: str, target: Path) -> str:
    folder = target.parent
    while not folder.exists():
        folder = folder.parent
    result = subprocess.run(
        [sys.executable, "-m", "ruff", *arguments, "--stdin-filename", str(target), "-"],
        input=source,
        capture_output=True,
        text=True,
        cwd=folder,
        check=False,
    )
    if result.returncode != 0:
        raise ToolkitError(f"{target}: ruff could not format the generated test: "
                           f"{result.stderr.strip()}")  # fmt: skip
    return result.stdout


def format_snippet(source: str, *, target: Path) -> str:
    """`source` formatted by ruff as if it were in `target` (its project's settings apply)."""
    return _ruff(["format"], source, target)


def _format_new_file(source: str, *, target: Path) -> str:
    """A file that is all generated: imports sorted (ruff's `I` rules), then formatted."""
    sorted_imports = _ruff(["check", "--select", "I", "--fix-only", "--exit-zero",
                            "--no-cache", "--quiet"], source, target)  # fmt: skip
    return format_snippet(sorted_imports or source, target=target)


def _add_imports(text: str, imports: set[tuple[str, str | None]], path: Path) -> str:
    """`text` with the imports it lacks, each as a new statement after the existing ones."""
    import libcst as cst
    from libcst.codemod import CodemodContext
    from libcst.codemod.visitors import AddImportsVisitor

    class AddSeparateImports(AddImportsVisitor):
        """libcst's import adder, except that it never extends an existing `from m import a`:
        a name from a module already imported from gets its own statement, so every line
        the user wrote stays byte-identical."""

        def leave_ImportFrom(
            self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
        ) -> cst.ImportFrom:
            return updated_node

    module = _parse(text, path)
    context = CodemodContext()
    for module_name, obj in sorted(imports, key=lambda pair: (pair[0], pair[1] or "")):
        AddImportsVisitor.add_needed_import(context, module_name, obj)
    return AddSeparateImports(context).transform_module(module).code


def merge_tests(
    existing: str | None, tests: list[GeneratedTest], *, path: Path, header: str = ""
) -> MergeResult:
    """The test file `path` with `tests` added; `existing` None means a new file."""
    present = defined_names(existing, path) if existing is not None else set()
    new = [t for t in tests if t.name not in present]
    result = MergeResult(existing or "", [], [t.name for t in tests if t.name in present])
    if not new:
        return result
    snippet = format_snippet("\n\n".join(t.source for t in new), target=path)
    if existing is None or not existing.strip():
        base = (existing or "") + header
        text = base.rstrip("\n") + ("\n\n\n" if base.strip() else "") + snippet
    else:
        text = existing.rstrip("\n") + "\n\n\n" + snippet
    imports: set[tuple[str, str | None]] = set()
    for test in new:
        imports |= set(test.imports)
    result.text = _add_imports(text, imports, path)
    if existing is None or not existing.strip():
        result.text = _format_new_file(result.text, target=path)
    result.added = [t.name for t in new]
    return result
