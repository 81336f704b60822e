"""What a Python UDF body computes, in `pyspark.sql.functions` terms (for SPK206): the
translation of `s.strip().lower()` into `F.lower(F.trim(s))`. Not a rule module."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from codemods.engine.context import RuleContext

# `value.method()` with no argument -> the `pyspark.sql.functions` function.
_METHODS = {
    "upper": "upper",
    "lower": "lower",
    "strip": "trim",
    "lstrip": "ltrim",
    "rstrip": "rtrim",
    "title": "initcap",
}
# `value.method("literal")` -> `F.function(col, F.lit("literal"))`.
_METHODS_WITH_LITERAL = {"startswith": "startswith", "endswith": "endswith"}
# `function(value)` for a built-in or `math` function.
_FUNCTIONS = {
    "builtins.len": "length",
    "builtins.abs": "abs",
    "builtins.round": "round",
    "math.sqrt": "sqrt",
    "math.floor": "floor",
    "math.ceil": "ceil",
}


def _is_parameter(node: ast.AST, parameter: str) -> bool:
    return isinstance(node, ast.Name) and node.id == parameter


def _strip_null_guard(body: ast.expr, parameter: str) -> ast.expr:
    """`X if p is not None else None` / `None if p is None else X` / `X if p else None` -> X."""
    if not isinstance(body, ast.IfExp):
        return body
    test = body.test
    is_none = isinstance(body.body, ast.Constant) and body.body.value is None
    else_none = isinstance(body.orelse, ast.Constant) and body.orelse.value is None
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and _is_parameter(test.left, parameter):
        compared = test.comparators[0]
        if isinstance(compared, ast.Constant) and compared.value is None:
            if isinstance(test.ops[0], ast.IsNot) and else_none:
                return body.body
            if isinstance(test.ops[0], ast.Is) and is_none:
                return body.orelse
    if _is_parameter(test, parameter) and else_none:
        return body.body
    return body


@dataclass(frozen=True)
class Translation:
    """What a UDF body computes, in built-ins: their names (outermost first) and the column
    expression as text, with `ALIAS` standing for the functions module's name."""

    builtins: tuple[str, ...]
    template: str

    def text(self, alias: str) -> str:
        return self.template.replace(ALIAS, alias)


ALIAS = "\x00F\x00"  # cannot occur in source text


def builtin_equivalent(body: ast.expr, parameter: str, ctx: RuleContext) -> Translation | None:
    """The built-in column expression `body` computes from the parameter, when every step
    is a built-in (`s.strip().upper()` -> `F.upper(F.trim(s))`); None otherwise."""
    found = _translate(_strip_null_guard(body, parameter), parameter, ctx)
    return found if found is not None and found.builtins else None


def _translate(node: ast.expr, parameter: str, ctx: RuleContext) -> Translation | None:
    if _is_parameter(node, parameter):
        return Translation((), parameter)
    if isinstance(node, ast.Call) and node.keywords:
        return None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        inner = _translate(node.func.value, parameter, ctx)
        method = node.func.attr
        if inner is not None:
            literals = [ctx.text(a) for a in node.args if _is_str(a)]
            if len(literals) != len(node.args):
                return None
            if method in _METHODS and not node.args:
                return _wrap(_METHODS[method], inner)
            if method in _METHODS_WITH_LITERAL and len(literals) == 1:
                return _wrap(_METHODS_WITH_LITERAL[method], inner, *_lits(literals))
            if method == "replace" and len(literals) == 2:
                return _wrap("replace", inner, *_lits(literals))
            return None
    if isinstance(node, ast.Call) and node.args:
        builtin = _FUNCTIONS.get(ctx.semantic.qualified_name(node.func) or "")
        inner = _translate(node.args[0], parameter, ctx) if builtin else None
        if builtin is None or inner is None:
            return None
        if len(node.args) == 1:
            return _wrap(builtin, inner)
        if builtin == "round" and len(node.args) == 2 and _is_int(node.args[1]):
            return _wrap(builtin, inner, ctx.text(node.args[1]))
        return None
    if (
        isinstance(node, ast.Compare)
        and len(node.ops) == 1
        and isinstance(node.ops[0], ast.In)
        and _is_str(node.left)
    ):
        inner = _translate(node.comparators[0], parameter, ctx)
        return None if inner is None else _wrap("contains", inner, *_lits([ctx.text(node.left)]))
    if (
        isinstance(node, ast.Subscript)
        and isinstance(node.slice, ast.Slice)
        and node.slice.lower is None
        and node.slice.upper is None
        and isinstance(node.slice.step, ast.UnaryOp)
        and isinstance(node.slice.step.op, ast.USub)
        and _is_int(node.slice.step.operand, 1)
    ):
        inner = _translate(node.value, parameter, ctx)
        return None if inner is None else _wrap("reverse", inner)
    return None


def _wrap(builtin: str, inner: Translation, *extra: str) -> Translation:
    arguments = ", ".join([inner.template, *extra])
    return Translation((builtin, *inner.builtins), f"{ALIAS}.{builtin}({arguments})")


def _lits(literals: list[str]) -> list[str]:
    return [f"{ALIAS}.lit({literal})" for literal in literals]


def _is_str(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _is_int(node: ast.AST, value: int | None = None) -> bool:
    if not (isinstance(node, ast.Constant) and type(node.value) is int):
        return False
    return value is None or node.value == value
