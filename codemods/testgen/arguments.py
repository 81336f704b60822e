"""Values for a transform's other parameters, chosen without running it: the default, a
literal the body compares the parameter with, a column name for a `str` used as one, a known
allow-list, or a harmless callable."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any

from codemods.testgen.vocabulary import list_argument_for

__all__ = ["UNSUPPORTED", "Code", "argument_for_column", "compared_values", "synthesize_argument"]


class _Unsupported:
    pass


UNSUPPORTED = _Unsupported()


def argument_for_column(name: str) -> str:
    """The column name a string parameter like `input_col` stands for in a generated test."""
    stem = re.sub(r"(^(col|column)_|_(col|column|name|colname)$)", "", name)
    return "value" if stem in {"", "col", "column", "name", "col_name", "column_name"} else stem


@dataclass(frozen=True)
class Code:
    """An argument written as source rather than as a literal (`str.upper` for a callable)."""

    source: str


_CALLABLES = {"Callable[[str],str]": Code("str.upper"), "Callable[[str],bool]": Code("str.isupper"),
              "Callable[[DataFrame],DataFrame]": Code("DataFrame.distinct")}  # fmt: skip
_SEPARATOR_NAMES = {"delimiter", "sep", "separator", "delim"}


def synthesize_argument(name: str, annotation: str | None) -> Any:
    text = (annotation or "").replace(" ", "").replace("typing.", "")
    lowered = name.lower()
    if text in _CALLABLES:
        return _CALLABLES[text]
    if text.endswith("SparkSession") or (not text and lowered == "spark"):
        return Code("spark")  # the test's `spark` fixture (the worker has the same name)
    if lowered in _SEPARATOR_NAMES and text in {"", "str"}:
        return ","
    if text in {"str", "Optional[str]", "str|None"} or (
        not text and ("col" in lowered or "name" in lowered)
    ):
        return argument_for_column(name)
    if text in {"int", "Optional[int]", "int|None"}:
        return 1
    if text in {"float", "Optional[float]", "float|None"}:
        return 1.5
    if text in {"bool", "Optional[bool]", "bool|None"}:
        return True
    is_list = text in {"list[str]", "List[str]", "Sequence[str]", "Iterable[str]", "tuple[str,...]"}
    if is_list and list_argument_for(name) is not None:
        return list_argument_for(name)
    if is_list or (not text and lowered.endswith(("cols", "columns"))):
        return [argument_for_column(name.rstrip("s"))]
    return UNSUPPORTED


def compared_values(func: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, Any]:
    """For each name the body compares with `==` or `in` against literals, the first literal:
    `if sort_order == "asc"` makes "asc" the value a test passes for `sort_order`."""
    found: dict[str, Any] = {}
    for node in ast.walk(func):
        if not isinstance(node, ast.Compare) or not isinstance(node.left, ast.Name):
            continue
        op, right = node.ops[0], node.comparators[0]
        if isinstance(op, ast.Eq) and isinstance(right, ast.Constant):
            found.setdefault(node.left.id, right.value)
        elif isinstance(op, ast.In | ast.NotIn) and isinstance(
            right, ast.List | ast.Tuple | ast.Set
        ):
            literals = [e.value for e in right.elts if isinstance(e, ast.Constant)]
            if literals:
                found.setdefault(node.left.id, literals[0])
    return found
