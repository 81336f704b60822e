"""Test source for one transform: the call (shared with the worker, so the test does exactly
what was characterized) and the test function around the observed output."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from codemods.testgen.discovery import Transform
from codemods.testgen.inference import _UNSUPPORTED, _synthesize_argument
from codemods.testgen.literals import literal_source, needed_imports
from codemods.testgen.synthesis import FrameInput, quote_identifier

__all__ = ["Case", "Observation", "build_case", "generated_test_name", "render_test"]

_RESERVED = {"spark", "actual", "expected"}
_FLOAT_TYPES = re.compile(r"\b(double|float)\b")


@dataclass(frozen=True)
class Case:
    """How a test sets up and calls one transform with one set of inputs."""

    transform: Transform
    module: str  # dotted import name of the transform's module
    frames: tuple[FrameInput, ...]
    call: str  # the expression the test assigns to `actual`

    @property
    def imported_name(self) -> str:
        return self.transform.class_name or self.transform.name

    def frame_variable(self, param: str) -> str:
        return frame_variable(param)

    def setup_source(self) -> str:
        """Imports and input DataFrames, as the worker runs them (with `spark` in scope)."""
        body = "\n".join(self._frame_lines())
        lines = [f"from {self.module} import {self.imported_name}"]
        for module, name in sorted(needed_imports(body + self.call), key=str):
            lines.append(f"import {module}" if name is None else f"from {module} import {name}")
        return "\n".join([*lines, body]) + "\n"

    def act_source(self) -> str:
        return f"actual = {self.call}\n"

    def _frame_lines(self) -> list[str]:
        lines = []
        for frame in self.frames:
            rows = "".join(f"        {literal_source(row)},\n" for row in frame.rows)
            lines.append(
                f"{frame_variable(frame.param)} = spark.createDataFrame(\n    [\n{rows}    ],\n"
                f"    schema={frame.ddl!r},\n)"
            )
        return lines


@dataclass(frozen=True)
class Observation:
    """What the transform returned on the case's inputs (from the worker)."""

    fields: list[tuple[str, str, bool]]
    rows: list[list[str]]  # cell sources
    nondeterministic: list[str] = field(default_factory=list)


def frame_variable(param: str) -> str:
    if param == "df":
        return "source_df"
    return f"{param}_df" if param in _RESERVED else param


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def generated_test_name(transform: Transform) -> str:
    if transform.class_name:
        return f"test_{_snake(transform.class_name)}_{transform.name}"
    return f"test_{transform.name}"


def _arguments(params: Any, values: dict[str, Any], frames: dict[str, str]) -> tuple[str, str]:
    """(call arguments, problem) for `params` given frame variables and chosen values."""
    parts: list[str] = []
    by_keyword = False
    for param in params:
        if param.name in frames:
            source = frames[param.name]
        elif param.name in values:
            source = literal_source(values[param.name])
        elif param.default is not None:
            by_keyword = True  # later arguments can no longer go by position
            continue
        else:
            return "", f"cannot choose a value for parameter `{param.name}`"
        if param.keyword_only or by_keyword:
            parts.append(f"{param.name}={source}")
        else:
            parts.append(source)
    return ", ".join(parts), ""


def build_case(
    transform: Transform, module: str, frames: list[FrameInput], arguments: dict[str, Any]
) -> tuple[Case | None, str]:
    """The case for `transform` on `frames`, or None and the reason it cannot be called."""
    variables = {f.param: frame_variable(f.param) for f in frames}
    if transform.kind == "higher_order":
        args, problem = _arguments(transform.params, arguments, {})
        frame = variables[transform.dataframe_params[0]]
        call = f"{frame}.transform({transform.name}({args}))"
    else:
        args, problem = _arguments(transform.params, arguments, variables)
        if transform.kind == "function":
            call = f"{transform.name}({args})"
        elif transform.kind in {"staticmethod", "classmethod"}:
            call = f"{transform.class_name}.{transform.name}({args})"
        else:
            init_values = {}
            for param in transform.init_params:
                if param.default is None:
                    value = _synthesize_argument(param.name, param.annotation)
                    if value is _UNSUPPORTED:
                        return None, f"cannot construct {transform.class_name}: " + (
                            f"no value for `{param.name}`"
                        )
                    init_values[param.name] = value
            init_args, init_problem = _arguments(transform.init_params, init_values, {})
            problem = problem or init_problem
            call = f"{transform.class_name}({init_args}).{transform.name}({args})"
    if problem:
        return None, problem
    return Case(transform, module, tuple(frames), call), ""


def render_test(case: Case, observed: Observation, *, sorts: bool) -> tuple[str, set[Any]]:
    """The test function's source and the imports it needs, as `(module, name)` pairs."""
    dropped = [name for name in observed.nondeterministic]
    kept = [i for i, f in enumerate(observed.fields) if f[0] not in dropped]
    schema = ", ".join(
        f"{quote_identifier(observed.fields[i][0])} {observed.fields[i][1]}" for i in kept
    )
    rows = "".join(
        f"            ({', '.join(row[i] for i in kept)}{',' if len(kept) == 1 else ''}),\n"
        for row in observed.rows
    )
    call = case.call
    lines = [f"def {generated_test_name(case.transform)}(spark):"]
    lines.append(
        "    # Expected rows observed on local Spark; regenerate after an intended change."
    )
    for frame_line in case._frame_lines():
        lines.extend("    " + line for line in frame_line.splitlines())
    lines.append("")
    if dropped:
        names = ", ".join(f'"{n}"' for n in dropped)
        lines.append(f"    # Left out as non-deterministic (values differ between runs): {names}.")
        call = f"{call}.drop({names})"
    lines.append(f"    actual = {call}")
    lines.append("")
    lines.append(f"    expected = spark.createDataFrame(\n        [\n{rows}        ],")
    lines.append(f"        schema={schema!r},\n    )")
    order = "" if sorts else ", ignore_row_order=True"
    floats = any(_FLOAT_TYPES.search(observed.fields[i][1]) for i in kept)
    if floats:
        assertion = "assert_approx_df_equality"
        lines.append(f"    {assertion}(actual, expected, 1e-6, ignore_nullable=True{order})")
    else:
        assertion = "assert_df_equality"
        lines.append(f"    {assertion}(actual, expected, ignore_nullable=True{order})")
    source = "\n".join(lines) + "\n"
    imports: set[Any] = {("chispa", assertion), (case.module, case.imported_name)}
    imports |= needed_imports(source)
    return source, imports
