"""What a rule sees while checking one file: the source, the semantic model, and `report`."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from typing import TYPE_CHECKING

from codemods.engine.positions import LineIndex
from codemods.engine.semantic import SemanticModel
from codemods.engine.types import Applicability, Diagnostic, Edit, Fix, Position

if TYPE_CHECKING:
    from codemods.engine.options import LintSettings
    from codemods.rules.base import Rule


class FileContext:
    """Per-file facts shared by every rule: built once by `lint()`."""

    def __init__(
        self,
        *,
        source: str,
        path: str,
        tree: ast.Module,
        settings: LintSettings,
        parents: dict[ast.AST, ast.AST],
        binders: list[ast.AST],
    ) -> None:
        self.source = source
        self.path = path
        self.tree = tree
        self.settings = settings
        self.lines = LineIndex(source)
        self.semantic = SemanticModel(tree, parents, binders)
        self.diagnostics: list[Diagnostic] = []


class RuleContext:
    """The handle one rule reports through. Attributes a rule may read:

    `source`, `path`, `tree`, `settings`, `semantic` (a `SemanticModel`), `lines` (a
    `LineIndex`), `options` (this rule's options from the settings).
    """

    def __init__(self, file: FileContext, rule: Rule) -> None:
        self._file = file
        self._rule = rule
        self.source = file.source
        self.path = file.path
        self.tree = file.tree
        self.settings = file.settings
        self.semantic = file.semantic
        self.lines = file.lines
        self.options = file.settings.options_for(rule.code)

    # ---- positions -------------------------------------------------------------------
    def start(self, node: ast.AST) -> Position:
        """Where `node` starts; the module (which has no position) starts at 1:1."""
        if isinstance(node, ast.Module):
            return Position(1, 1)
        return self.lines.position(node.lineno, node.col_offset)

    def end(self, node: ast.AST) -> Position:
        """Where `node` ends (exclusive); a module "ends" at 1:1 so a file-level finding
        is a point at the top of the file."""
        if isinstance(node, ast.Module):
            return Position(1, 1)
        return self.lines.position(node.end_lineno, node.end_col_offset)

    def text(self, node: ast.AST) -> str:
        """The exact source text of `node` (its range, as written)."""
        return self.source[self.lines.offset(self.start(node)) : self.lines.offset(self.end(node))]

    # ---- fixes -----------------------------------------------------------------------
    def replace(self, node: ast.AST, content: str) -> Edit:
        """An edit replacing the exact range of `node` with `content`."""
        return Edit(self.start(node), self.end(node), content)

    def replace_range(self, start: ast.AST, end: ast.AST, content: str) -> Edit:
        """An edit replacing from the start of `start` to the end of `end`."""
        return Edit(self.start(start), self.end(end), content)

    def insert_before(self, node: ast.AST, content: str) -> Edit:
        position = self.start(node)
        return Edit(position, position, content)

    def insert_after(self, node: ast.AST, content: str) -> Edit:
        position = self.end(node)
        return Edit(position, position, content)

    def fix(
        self, message: str, edits: Iterable[Edit], *, applicability: Applicability = "safe"
    ) -> Fix:
        """A `Fix` titled `message` (a command: "Replace with `isEmpty()`")."""
        return Fix(tuple(edits), applicability, message)

    # ---- structure shortcuts -----------------------------------------------------------
    def parent(self, node: ast.AST) -> ast.AST | None:
        return self.semantic.parent(node)

    @property
    def is_library_module(self) -> bool:
        return self.settings.is_library_module(self.path)

    # ---- reporting -------------------------------------------------------------------
    def report(
        self,
        node: ast.AST,
        message: str | None = None,
        *,
        fix: Fix | None = None,
        end_node: ast.AST | None = None,
    ) -> None:
        """Report a finding on `node` (through `end_node` when given). The message defaults
        to the rule's `message` attribute.
        """
        rule = self._rule
        self._file.diagnostics.append(
            Diagnostic(
                code=rule.code,
                name=rule.name,
                message=message if message is not None else rule.message,
                severity=rule.severity,
                start=self.start(node),
                end=self.end(end_node if end_node is not None else node),
                fix=fix,
                url=rule.url(),
            )
        )
