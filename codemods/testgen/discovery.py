"""Find the DataFrame transforms in a module, without importing or running it.

A transform is a public function or method that takes a DataFrame and returns one: annotated
so (`df: DataFrame -> DataFrame`), or visibly so from the body (DataFrame methods are called on
a parameter and the returned value derives from it). A higher-order `with_x(...)` that returns
a `Callable[[DataFrame], DataFrame]` (an inner function or a lambda) counts too: tests call it
through `df.transform(with_x(...))`.

This is the fast pure core shared by `toolkit gen-tests`, the TST001 rule, the language
server's "Generate test" action and the MCP tool, so it uses the standard library `ast` (about
ten times faster than a lossless tree); only writing a test file needs libcst.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["DATAFRAME_METHODS", "Param", "Transform", "discover_transforms"]

TransformKind = Literal["function", "method", "staticmethod", "classmethod", "higher_order"]

# Methods whose call on a name is evidence that the name holds a DataFrame.
DATAFRAME_METHODS = frozenset(
    {
        "agg", "alias", "cache", "coalesce", "crossJoin", "cube", "distinct", "drop",
        "dropDuplicates", "drop_duplicates", "dropna", "exceptAll", "fillna", "filter",
        "groupBy", "groupby", "intersect", "join", "limit", "na", "orderBy", "persist",
        "repartition", "replace", "rollup", "sample", "select", "selectExpr", "sort",
        "sortWithinPartitions", "subtract", "transform", "union", "unionAll", "unionByName",
        "unpivot", "where", "withColumn", "withColumnRenamed", "withColumns",
        "withColumnsRenamed", "withWatermark", "melt", "toDF",
    }
)  # fmt: skip

_COMBINING_METHODS = {"join", "crossJoin", "union", "unionAll", "unionByName", "exceptAll",
                      "intersect", "intersectAll", "subtract"}  # fmt: skip
_DATAFRAME_NAMES = {"DataFrame", "pyspark.sql.DataFrame", "pyspark.sql.dataframe.DataFrame"}


@dataclass(frozen=True)
class Param:
    """One parameter of a transform (of the outer function, for a higher-order one)."""

    name: str
    annotation: str | None = None
    default: str | None = None  # source text of the default value
    is_dataframe: bool = False
    keyword_only: bool = False


@dataclass(frozen=True)
class Transform:
    """A DataFrame-to-DataFrame function found in a module."""

    name: str
    qualname: str  # `fn` or `Class.method`
    path: str
    line: int
    kind: TransformKind
    params: tuple[Param, ...]
    class_name: str | None = None
    # For a higher-order transform: the DataFrame parameter of the returned callable.
    inner_dataframe_param: str | None = None
    evidence: str = "annotation"  # "annotation" or "body"
    init_params: tuple[Param, ...] = field(default=())  # the class's __init__, for methods
    # A transform may return a tuple of DataFrames (`valid, rejected`): their names, taken
    # from the `return` statement, or empty for a single DataFrame.
    output_names: tuple[str, ...] = field(default=())

    @property
    def dataframe_params(self) -> tuple[str, ...]:
        if self.kind == "higher_order":
            return (self.inner_dataframe_param or "df",)
        return tuple(p.name for p in self.params if p.is_dataframe)

    @property
    def value_params(self) -> tuple[Param, ...]:
        return tuple(p for p in self.params if not p.is_dataframe)


def _annotation_text(node: ast.expr | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.strip()
    return ast.unparse(node)


def _is_dataframe_annotation(text: str | None) -> bool:
    if not text:
        return False
    text = text.replace("Optional[", "").replace("]", "").replace(" | None", "").strip("'\" ")
    return text in _DATAFRAME_NAMES or text.endswith(".DataFrame")


def _dataframe_tuple_size(text: str | None) -> int:
    """N for `tuple[DataFrame, ...N times]` (or `Tuple[...]`), else 0."""
    if not text:
        return 0
    compact = text.replace(" ", "").replace("typing.", "")
    for prefix in ("tuple[", "Tuple["):
        if compact.startswith(prefix) and compact.endswith("]"):
            items = compact[len(prefix) : -1].split(",")
            if len(items) > 1 and all(_is_dataframe_annotation(item) for item in items):
                return len(items)
    return 0


def _returned_names(func: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[str, ...]:
    for node in ast.walk(func):
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple):
            elts = node.value.elts
            if all(isinstance(e, ast.Name) for e in elts):
                return tuple(e.id for e in elts)  # type: ignore[attr-defined]
    return ()


def _is_transform_callable_annotation(text: str | None) -> bool:
    if not text:
        return False
    compact = text.replace(" ", "")
    return compact.endswith("[[DataFrame],DataFrame]") and "Callable" in compact


def _params_of(func: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> list[Param]:
    args = func.args
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
    defaults += list(args.defaults)
    signature = [(arg, default, False) for arg, default in zip(positional, defaults, strict=True)]
    signature += [
        (arg, default, True) for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True)
    ]
    out: list[Param] = []
    for arg, default, keyword_only in signature:
        annotation = _annotation_text(arg.annotation)
        out.append(
            Param(
                arg.arg,
                annotation,
                ast.unparse(default) if default is not None else None,
                _is_dataframe_annotation(annotation),
                keyword_only=keyword_only,
            )
        )
    return out


def _used_as_dataframe(body: list[ast.stmt], names: set[str]) -> set[str]:
    """Names among `names` on which a DataFrame method is called somewhere in `body`."""
    found: set[str] = set()
    for stmt in body:
        for node in ast.walk(stmt):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in DATAFRAME_METHODS
            ):
                root = node.func.value
                while isinstance(root, ast.Call) and isinstance(root.func, ast.Attribute):
                    root = root.func.value
                if isinstance(root, ast.Name) and root.id in names:
                    found.add(root.id)
                # `left.join(right, ...)`: the other side of a join or union is a DataFrame too.
                if node.func.attr in _COMBINING_METHODS and node.args:
                    other = node.args[0]
                    if isinstance(other, ast.Name) and other.id in names:
                        found.add(other.id)
    return found


def _returns_dataframe_chain(body: list[ast.stmt], frames: set[str]) -> bool:
    """Whether some `return` in `body` gives a value derived from a DataFrame in `frames`."""
    derived = set(frames)
    for stmt in body:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Assign) and _derives_from(node.value, derived):
                derived.update(t.id for t in node.targets if isinstance(t, ast.Name))
    for stmt in body:
        for node in ast.walk(stmt):
            is_return = isinstance(node, ast.Return) and node.value is not None
            if is_return and _derives_from(node.value, derived):
                return True
    return False


def _derives_from(expr: ast.expr, frames: set[str]) -> bool:
    node = expr
    saw_method = isinstance(node, ast.Name)
    while True:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr not in DATAFRAME_METHODS:
                return False
            saw_method = True
            node = node.func.value
        elif isinstance(node, ast.Attribute) and node.attr == "na":
            node = node.value
        else:
            break
    return saw_method and isinstance(node, ast.Name) and node.id in frames


def _classify(
    func: ast.FunctionDef | ast.AsyncFunctionDef, *, skip_first: bool
) -> tuple[list[Param], str] | None:
    """The parameters of `func` with DataFrame ones marked, and the evidence, or None."""
    params = _params_of(func)
    candidates = params[1:] if skip_first else params
    returns = _annotation_text(func.returns)
    names = {p.name for p in candidates}
    if any(p.is_dataframe for p in candidates) and (
        _is_dataframe_annotation(returns) or _dataframe_tuple_size(returns)
    ):
        return (params, "annotation")
    if returns is not None and not _is_dataframe_annotation(returns):
        return None
    used = _used_as_dataframe(func.body, names)
    # Unannotated parameters used as DataFrames count; annotated ones must say DataFrame.
    used = {n for n in used if next(p for p in candidates if p.name == n).annotation is None}
    used |= {p.name for p in candidates if p.is_dataframe}
    if used and _returns_dataframe_chain(func.body, used):
        marked = [
            Param(p.name, p.annotation, p.default, True, p.keyword_only)
            if p.name in used and (not skip_first or p is not params[0])
            else p
            for p in params
        ]
        return (marked, "body")
    return None


def _higher_order_inner(func: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """The DataFrame parameter of the callable `func` returns, when it returns a transform."""
    inner_defs = {
        stmt.name: stmt
        for stmt in func.body
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    annotated = _is_transform_callable_annotation(_annotation_text(func.returns))
    for stmt in func.body:
        if not isinstance(stmt, ast.Return) or stmt.value is None:
            continue
        value = stmt.value
        if isinstance(value, ast.Name) and value.id in inner_defs:
            inner = inner_defs[value.id]
            classified = _classify(inner, skip_first=False)
            params = _params_of(inner)
            if classified is not None:
                frames = [p.name for p in classified[0] if p.is_dataframe]
                if frames:
                    return frames[0]
            if annotated and params:
                return params[0].name
        if isinstance(value, ast.Lambda) and value.args.args:
            name = value.args.args[0].arg
            if annotated or _derives_from(value.body, {name}):
                return name
    return None


def _is_public(name: str) -> bool:
    return not name.startswith("_")


def discover_nodes(
    tree: ast.Module, path: str
) -> list[tuple[Transform, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """Transforms of an already parsed module, each with its function node."""
    found: list[tuple[Transform, ast.FunctionDef | ast.AsyncFunctionDef]] = []
    for stmt in tree.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef) and _is_public(stmt.name):
            transform = _function_transform(stmt, path)
            if transform is not None:
                found.append((transform, stmt))
        elif isinstance(stmt, ast.ClassDef) and _is_public(stmt.name):
            found.extend(_class_transforms(stmt, path))
    return found


def _function_transform(
    func: ast.FunctionDef | ast.AsyncFunctionDef, path: str
) -> Transform | None:
    classified = _classify(func, skip_first=False)
    if classified is not None:
        params, evidence = classified
        outputs = (
            _returned_names(func) if _dataframe_tuple_size(_annotation_text(func.returns)) else ()
        )
        return Transform(func.name, func.name, path, func.lineno, "function", tuple(params),
                         evidence=evidence, output_names=outputs)  # fmt: skip
    inner = _higher_order_inner(func)
    if inner is not None:
        return Transform(
            func.name, func.name, path, func.lineno, "higher_order",
            tuple(_params_of(func)), inner_dataframe_param=inner,
            evidence="annotation" if func.returns is not None else "body",
        )  # fmt: skip
    return None


def _class_transforms(
    cls: ast.ClassDef, path: str
) -> list[tuple[Transform, ast.FunctionDef | ast.AsyncFunctionDef]]:
    init_params: tuple[Param, ...] = ()
    for stmt in cls.body:
        if isinstance(stmt, ast.FunctionDef) and stmt.name == "__init__":
            init_params = tuple(_params_of(stmt)[1:])
    out: list[tuple[Transform, ast.FunctionDef | ast.AsyncFunctionDef]] = []
    for stmt in cls.body:
        if not isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if not _is_public(stmt.name):
            continue
        decorators = {ast.unparse(d) for d in stmt.decorator_list}
        kind: TransformKind = "method"
        if "staticmethod" in decorators:
            kind = "staticmethod"
        elif "classmethod" in decorators:
            kind = "classmethod"
        elif decorators - {"override", "typing.override"}:
            continue  # properties and other wrappers change how the method is called
        classified = _classify(stmt, skip_first=kind != "staticmethod")
        if classified is None:
            continue
        params, evidence = classified
        if kind != "staticmethod":
            params = params[1:]
        transform = Transform(
            stmt.name, f"{cls.name}.{stmt.name}", path, stmt.lineno, kind, tuple(params),
            class_name=cls.name, evidence=evidence, init_params=init_params,
            output_names=_returned_names(stmt)
            if _dataframe_tuple_size(_annotation_text(stmt.returns)) else (),
        )  # fmt: skip
        out.append((transform, stmt))
    return out


def discover_transforms(source: str, path: str = "<string>") -> list[Transform]:
    """Every public DataFrame transform defined in `source`, in source order.

    Pure and fast: parses with `ast`, imports nothing. A source that does not parse has no
    transforms (the lint engine reports the syntax error itself).
    """
    try:
        tree = ast.parse(source, filename=path)
    except (SyntaxError, ValueError):
        return []
    return [transform for transform, _ in discover_nodes(tree, path)]
