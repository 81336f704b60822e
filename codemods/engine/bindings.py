"""Where names are bound: the binding records of a module, grouped by scope.

The engine's walk collects the nodes of `BINDING_NODE_TYPES`; `index_bindings` turns them
into per-scope `Binding` lists in one pass over those nodes (not over the whole tree).
"""

from __future__ import annotations

import ast
from collections.abc import Callable


class Binding:
    """One place where a scope binds a name."""

    __slots__ = ("kind", "name", "node", "stmt", "value")

    def __init__(self, name: str, kind: str, node: ast.AST, stmt: ast.AST, value=None) -> None:
        self.name = name
        # assign | annotated | param | loop | import | def | class | global | nonlocal | other
        self.kind = kind
        self.node = node  # the binding target (a Name, an arg, an alias, the def itself)
        self.stmt = stmt  # the statement (or function, for parameters) that binds
        # assign: the value; annotated/param: (annotation, default); import: qualified name
        self.value = value

    def __repr__(self) -> str:
        return f"Binding({self.name!r}, {self.kind!r}, line {getattr(self.stmt, 'lineno', 0)})"


def binding_end(binding: Binding) -> tuple[int, int]:
    if binding.kind == "param":
        return (binding.stmt.lineno, binding.stmt.col_offset)
    if binding.kind == "loop":
        return (binding.node.lineno, binding.node.col_offset)
    stmt = binding.stmt
    return (stmt.end_lineno or stmt.lineno, stmt.end_col_offset or 0)


BINDING_NODE_TYPES = frozenset(
    {
        ast.Assign,
        ast.AnnAssign,
        ast.AugAssign,
        ast.For,
        ast.AsyncFor,
        ast.With,
        ast.AsyncWith,
        ast.Import,
        ast.ImportFrom,
        ast.FunctionDef,
        ast.AsyncFunctionDef,
        ast.Lambda,
        ast.ClassDef,
        ast.Global,
        ast.Nonlocal,
        ast.NamedExpr,
        ast.ExceptHandler,
    }
)


def link_tree(tree: ast.AST) -> tuple[dict[ast.AST, ast.AST], list[ast.AST]]:
    """Parent links and binding nodes of a tree (what the engine's walk also records)."""
    parents: dict[ast.AST, ast.AST] = {}
    binders: list[ast.AST] = []
    for node in ast.walk(tree):
        if type(node) in BINDING_NODE_TYPES:
            binders.append(node)
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    binders.sort(key=lambda node: (getattr(node, "lineno", 0), getattr(node, "col_offset", 0)))
    return parents, binders


def index_bindings(
    binders: list[ast.AST], enclosing_scope: Callable[[ast.AST], ast.AST]
) -> dict[ast.AST, dict[str, list[Binding]]]:
    """Group every binding by the scope it binds in, from the binding nodes alone."""
    index: dict[ast.AST, dict[str, list[Binding]]] = {}

    def add(scope: ast.AST, name: str, kind: str, node: ast.AST, stmt: ast.AST, value=None):
        index.setdefault(scope, {}).setdefault(name, []).append(
            Binding(name, kind, node, stmt, value)
        )

    def targets(scope, target: ast.AST, stmt: ast.AST, value, kind: str) -> None:
        _add_targets(add, scope, target, stmt, value, kind)

    for node in binders:
        scope = enclosing_scope(node)
        node_type = type(node)
        if node_type is ast.Assign:
            value = node.value if len(node.targets) == 1 else None
            for target in node.targets:
                targets(scope, target, node, value, "other")
        elif node_type is ast.AnnAssign:
            if isinstance(node.target, ast.Name):
                value = (node.annotation, node.value)
                add(scope, node.target.id, "annotated", node.target, node, value)
        elif node_type is ast.AugAssign:
            targets(scope, node.target, node, None, "other")
        elif node_type is ast.For or node_type is ast.AsyncFor:
            targets(scope, node.target, node, None, "loop")
        elif node_type is ast.With or node_type is ast.AsyncWith:
            for item in node.items:
                if item.optional_vars is not None:
                    targets(scope, item.optional_vars, node, None, "other")
        elif node_type is ast.Import or node_type is ast.ImportFrom:
            for alias in node.names:
                _add_import(lambda *a, scope=scope: add(scope, *a), node, alias)
        elif node_type in (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda):
            if node_type is not ast.Lambda:
                add(scope, node.name, "def", node, node)
            _add_parameters(add, node)
        elif node_type is ast.ClassDef:
            add(scope, node.name, "class", node, node)
        elif node_type is ast.Global or node_type is ast.Nonlocal:
            kind = "global" if node_type is ast.Global else "nonlocal"
            for name in node.names:
                add(scope, name, kind, node, node)
        elif node_type is ast.NamedExpr:
            # Assignment expressions bind in the enclosing function even inside comprehensions.
            targets(scope, node.target, node, node.value, "other")
        elif node_type is ast.ExceptHandler and node.name:
            add(scope, node.name, "other", node, node)
    return index


def _add_targets(add, scope, target: ast.AST, stmt: ast.AST, value, kind: str) -> None:
    # A module function, not a closure calling itself: a recursive closure is a reference
    # cycle, which kept the whole tree alive after `lint()` until the cyclic collector ran.
    if isinstance(target, ast.Name):
        if value is not None:
            add(scope, target.id, "assign", target, stmt, value)
        else:
            add(scope, target.id, kind, target, stmt)
    elif isinstance(target, (ast.Tuple, ast.List)):
        # `a, b = x, y` binds element by element; any other value (a call, a starred
        # target) tells nothing about one element.
        values: list[ast.AST | None] = [None] * len(target.elts)
        if (
            isinstance(value, (ast.Tuple, ast.List))
            and len(value.elts) == len(target.elts)
            and not any(isinstance(e, ast.Starred) for e in (*target.elts, *value.elts))
        ):
            values = list(value.elts)
        for element, element_value in zip(target.elts, values, strict=True):
            _add_targets(add, scope, element, stmt, element_value, kind)
    elif isinstance(target, ast.Starred):
        _add_targets(add, scope, target.value, stmt, None, kind)


def _add_parameters(add, function: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
    arguments = function.args
    positional = [*arguments.posonlyargs, *arguments.args]
    defaults: list[ast.AST | None] = [None] * (len(positional) - len(arguments.defaults))
    defaults += list(arguments.defaults)
    pairs = list(zip(positional, defaults, strict=True))
    pairs += list(zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True))
    for arg, default in pairs:
        add(function, arg.arg, "param", arg, function, (arg.annotation, default))
    for arg in (arguments.vararg, arguments.kwarg):
        if arg is not None:
            add(function, arg.arg, "other", arg, function)


def _add_import(add, node: ast.Import | ast.ImportFrom, alias: ast.alias) -> None:
    if isinstance(node, ast.Import):
        if alias.asname:
            add(alias.asname, "import", alias, node, alias.name)
        else:
            top = alias.name.split(".", 1)[0]
            add(top, "import", alias, node, top)
        return
    if alias.name == "*":
        return
    module = "." * node.level + (node.module or "")
    separator = "" if module.endswith(".") else "."
    add(alias.asname or alias.name, "import", alias, node, f"{module}{separator}{alias.name}")
