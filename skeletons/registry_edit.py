"""The libcst edit that registers a pipeline in `src/<package>/pipelines/__init__.py`.

Two changes, nothing else touched: `<name>` joins the names of the existing
`from <package>.pipelines import ...` (kept sorted, as isort would), or a new import is added;
and `"<name>": <name>.run` becomes the last entry of the `PIPELINES` dict, in the dict's own
layout (one entry per line when it already is).
"""

from __future__ import annotations

import libcst as cst
from libcst.helpers import get_full_name_for_node

from toolkit.errors import ToolkitError

__all__ = ["add_registry_entry"]

REGISTRY_NAME = "PIPELINES"
# The generated project's line length: a longer import is wrapped the way ruff formats it.
LINE_LENGTH = 100


class _RegisterPipeline(cst.CSTTransformer):
    def __init__(self, *, module: str, name: str) -> None:
        super().__init__()
        self.module = module
        self.name = name
        self.imported = False
        self.registered = False
        self.duplicate = False

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom:
        if (
            self.imported
            or updated_node.relative
            or updated_node.module is None
            or get_full_name_for_node(updated_node.module) != self.module
            or isinstance(updated_node.names, cst.ImportStar)
        ):
            return updated_node
        aliases = list(updated_node.names)
        if any(get_full_name_for_node(a.name) == self.name for a in aliases):
            self.imported = True
            return updated_node
        new_alias = cst.ImportAlias(name=cst.Name(self.name))
        names = sorted(
            [*[a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in aliases], new_alias],
            key=lambda a: get_full_name_for_node(a.name) or "",
        )
        self.imported = True
        one_line = updated_node.with_changes(names=names, lpar=None, rpar=None)
        if updated_node.lpar is None and len(_code(one_line)) <= LINE_LENGTH:
            return one_line
        return _one_name_per_line(updated_node, names)

    def _is_registry(self, target: cst.BaseExpression) -> bool:
        return isinstance(target, cst.Name) and target.value == REGISTRY_NAME

    def leave_AnnAssign(
        self, original_node: cst.AnnAssign, updated_node: cst.AnnAssign
    ) -> cst.AnnAssign:
        if self._is_registry(updated_node.target) and isinstance(updated_node.value, cst.Dict):
            return updated_node.with_changes(value=self._extend(updated_node.value))
        return updated_node

    def leave_Assign(self, original_node: cst.Assign, updated_node: cst.Assign) -> cst.Assign:
        targets = [t.target for t in updated_node.targets]
        if any(self._is_registry(t) for t in targets) and isinstance(updated_node.value, cst.Dict):
            return updated_node.with_changes(value=self._extend(updated_node.value))
        return updated_node

    def _extend(self, registry: cst.Dict) -> cst.Dict:
        elements = list(registry.elements)
        for element in elements:
            key = getattr(element, "key", None)
            if isinstance(key, cst.SimpleString) and key.evaluated_value == self.name:
                self.duplicate = True
                return registry
        entry = cst.DictElement(
            key=cst.SimpleString(f'"{self.name}"'),
            value=cst.Attribute(value=cst.Name(self.name), attr=cst.Name("run")),
        )
        self.registered = True
        if not elements:
            return registry.with_changes(elements=[entry])
        last = elements[-1]
        closing = registry.rbrace.whitespace_before
        separator = registry.lbrace.whitespace_after
        if isinstance(closing, cst.ParenthesizedWhitespace) and isinstance(
            separator, cst.ParenthesizedWhitespace
        ):
            # One entry per line. What follows the last entry (its comment, the new line)
            # sits before the closing brace: it now follows the old last entry, indented like
            # the others, and the new entry ends with a comma and the plain line break.
            comma = last.comma if isinstance(last.comma, cst.Comma) else cst.Comma()
            previous = last.with_changes(
                comma=comma.with_changes(
                    whitespace_after=closing.with_changes(last_line=separator.last_line)
                )
            )
            entry = entry.with_changes(comma=cst.Comma())
            registry = registry.with_changes(
                rbrace=registry.rbrace.with_changes(
                    whitespace_before=closing.with_changes(
                        first_line=cst.TrailingWhitespace(), empty_lines=()
                    )
                )
            )
        else:
            previous = last.with_changes(
                comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
            )
        return registry.with_changes(elements=[*elements[:-1], previous, entry])


def _code(node: cst.ImportFrom) -> str:
    return cst.Module(body=[cst.SimpleStatementLine(body=[node])]).code.rstrip("\n")


def _one_name_per_line(node: cst.ImportFrom, names: list[cst.ImportAlias]) -> cst.ImportFrom:
    """`from m import (` then one name per line with a trailing comma, as ruff formats it."""

    def line_break(indent: str) -> cst.ParenthesizedWhitespace:
        return cst.ParenthesizedWhitespace(
            first_line=cst.TrailingWhitespace(), last_line=cst.SimpleWhitespace(indent)
        )

    wrapped = [
        alias.with_changes(
            comma=cst.Comma(whitespace_after=line_break("" if i == len(names) - 1 else "    "))
        )
        for i, alias in enumerate(names)
    ]
    return node.with_changes(
        names=wrapped,
        lpar=cst.LeftParen(whitespace_after=line_break("    ")),
        rpar=cst.RightParen(),
    )


def add_registry_entry(source: str, *, package: str, name: str, path: str) -> str:
    """`source` with pipeline `name` imported and registered; a clear error when it cannot be."""
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        raise ToolkitError(
            f"{path}:{exc.raw_line}:{exc.raw_column}: cannot parse: {exc.message}"
        ) from exc
    transformer = _RegisterPipeline(module=f"{package}.pipelines", name=name)
    updated = module.visit(transformer)
    if transformer.duplicate:
        raise ToolkitError(f"{path}: {REGISTRY_NAME} already has a pipeline named {name!r}")
    if not transformer.registered:
        raise ToolkitError(
            f"{path}: no `{REGISTRY_NAME} = {{...}}` dict to register the pipeline in",
            hint=f'add `"{name}": {name}.run` to your registry by hand',
        )
    if not transformer.imported:
        import_line = cst.parse_statement(f"from {package}.pipelines import {name}\n")
        body = list(updated.body)
        index = _after_last_import(body)
        updated = updated.with_changes(body=[*body[:index], import_line, *body[index:]])
    return updated.code


def _after_last_import(body: list[cst.CSTNode]) -> int:
    index = 0
    for position, statement in enumerate(body):
        if isinstance(statement, cst.SimpleStatementLine) and any(
            isinstance(small, cst.Import | cst.ImportFrom) for small in statement.body
        ):
            index = position + 1
    return index
