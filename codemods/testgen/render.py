"""Test source for one transform: the call (shared with the worker, so the test does exactly
what was characterized) and the test function around the observed output."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from codemods.testgen.arguments import UNSUPPORTED, synthesize_argument
from codemods.testgen.discovery import Transform
from codemods.testgen.literals import literal_source, needed_imports, string_source
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
                f"# fmt: off\n{frame_variable(frame.param)} = spark.createDataFrame(\n"
                f"    [\n{rows}    ],\n    schema={string_source(frame.ddl)},\n)\n# fmt: on"
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
                    value = synthesize_argument(param.name, param.annotation)
                    if value is UNSUPPORTED:
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


def _expectation(
    observed: Observation, *, actual: str, expected: str, sorts: bool
) -> tuple[list[str], str]:
    """Lines creating `expected` and comparing `actual` with it, and the chispa function."""
    kept = [i for i, f in enumerate(observed.fields) if f[0] not in observed.nondeterministic]
    schema = ", ".join(
        f"{quote_identifier(observed.fields[i][0])} {observed.fields[i][1]}" for i in kept
    )
    rows = "".join(
        f"            ({', '.join(row[i] for i in kept)}{',' if len(kept) == 1 else ''}),\n"
        for row in observed.rows
    )
    # One row per line, as a table: the formatter would otherwise give each value a line.
    lines = [
        "    # fmt: off",
        f"    {expected} = spark.createDataFrame(\n        [\n{rows}        ],",
        f"        schema={string_source(schema)},\n    )",
        "    # fmt: on",
    ]
    order = "" if sorts else ", ignore_row_order=True"
    if any(_FLOAT_TYPES.search(observed.fields[i][1]) for i in kept):
        assertion = "assert_approx_df_equality"
        lines.append(f"    {assertion}({actual}, {expected}, 1e-6, ignore_nullable=True{order})")
    else:
        assertion = "assert_df_equality"
        lines.append(f"    {assertion}({actual}, {expected}, ignore_nullable=True{order})")
    return lines, assertion


def _dropped_comment(names: list[str]) -> str:
    quoted = ", ".join(f'"{n}"' for n in names)
    return f"    # Left out as non-deterministic (values differ between runs): {quoted}."


def render_test(
    case: Case, observed: list[Observation], *, sorts: bool, as_tuple: bool = False
) -> tuple[str, set[Any]]:
    """The test function's source and the imports it needs, as `(module, name)` pairs.

    `observed` holds one observation per returned DataFrame; `as_tuple` when the transform
    returns a tuple of them (`valid, rejected = split(df)`)."""
    lines = [f"def {generated_test_name(case.transform)}(spark):"]
    lines.append(
        "    # Expected rows observed on local Spark; regenerate after an intended change."
    )
    for frame_line in case._frame_lines():
        lines.extend("    " + line for line in frame_line.splitlines())
    lines.append("")
    names = (
        [f"actual_{n}" for n in _output_names(case.transform, len(observed))]
        if as_tuple
        else ["actual"]
    )
    assertions: set[str] = set()
    if not as_tuple:
        dropped = observed[0].nondeterministic
        call = case.call
        if dropped:
            lines.append(_dropped_comment(dropped))
            call += ".drop(" + ", ".join(f'"{n}"' for n in dropped) + ")"
        lines.append(f"    actual = {call}")
    else:
        lines.append(f"    {', '.join(names)} = {case.call}")
        for name, output in zip(names, observed, strict=True):
            if output.nondeterministic:
                lines.append(_dropped_comment(output.nondeterministic))
                columns = ", ".join(f'"{n}"' for n in output.nondeterministic)
                lines.append(f"    {name} = {name}.drop({columns})")
    for name, output in zip(names, observed, strict=True):
        lines.append("")
        expected = "expected" + name.removeprefix("actual")
        body, assertion = _expectation(output, actual=name, expected=expected, sorts=sorts)
        lines.extend(body)
        assertions.add(assertion)
    source = "\n".join(lines) + "\n"
    imports: set[Any] = {("chispa", a) for a in assertions}
    imports.add((case.module, case.imported_name))
    imports |= needed_imports(source)
    return source, imports


def _output_names(transform: Transform, count: int) -> list[str]:
    names = list(transform.output_names)
    if len(names) == count and len(set(names)) == count:
        return names
    return [str(i) for i in range(1, count + 1)]
