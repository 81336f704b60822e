"""The testing agent: chispa tests for PySpark transforms, generated from observed output.

Public API, shared by `toolkit gen-tests`, the TST001 rule and `toolkit-tests` hook, the
language server's "Generate test for NAME" action and the MCP `generate_tests` tool:

- `discover_transforms(source, path)`: pure and fast (stdlib `ast`), runs nothing.
- `plan_inputs(source, path)`: pure; the inferred columns, types and synthesized input rows.
- `generate_tests(paths, ...)`: runs the transforms on local Spark in a worker subprocess
  and writes (or, with `write=False`, only returns) the merged test files; its
  `check_target(path)` callback may refuse a test file before any is written (the MCP tool
  keeps every write inside the client's workspace with it).
- `target_test_path(source, root=..., output_dir=...)`: where a module's tests go.

Importing this package imports neither pyspark nor libcst.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from codemods.testgen.discovery import Param, Transform, discover_transforms
from codemods.testgen.paths import target_test_path

if TYPE_CHECKING:
    from codemods.testgen.generate import GenerationReport

__all__ = [
    "Param",
    "Transform",
    "discover_transforms",
    "generate_tests",
    "plan_inputs",
    "target_test_path",
]


def plan_inputs(source: str, path: str = "<string>") -> dict[str, Any]:
    """For each transform's qualname: its inference and the input attempts, richest first."""
    import ast

    from codemods.testgen.discovery import discover_nodes
    from codemods.testgen.inference import infer
    from codemods.testgen.synthesis import synthesize_inputs

    tree = ast.parse(source, filename=path)
    plans: dict[str, Any] = {}
    for transform, node in discover_nodes(tree, path):
        inference = infer(transform, node, tree)
        plans[transform.qualname] = (inference, synthesize_inputs(inference))
    return plans


def generate_tests(*args: Any, **kwargs: Any) -> GenerationReport:
    """See `codemods.testgen.generate.generate_tests`."""
    from codemods.testgen.generate import generate_tests as run

    return run(*args, **kwargs)
