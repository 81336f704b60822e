"""What a rule sees while checking one file: the source, the semantic model, and `report`."""

from __future__ import annotations

import ast
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from typing import TYPE_CHECKING

from codemods.engine.bindings import BINDING_NODE_TYPES
from codemods.engine.comments import Comment, find_comments
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
        self._parents = parents
        self._binders = binders
        self._by_type: dict[type, list[ast.AST]] | None = None
        self._by_types: dict[tuple[type, ...], list[ast.AST]] = {}
        self._comments: list[Comment] | None = None
        self._comment_starts: list[int] = []

    @property
    def comments(self) -> list[Comment]:
        """Every comment of the file in order, found on first use by one scan."""
        if self._comments is None:
            self._comments = find_comments(self.source)
            self._comment_starts = [comment.start for comment in self._comments]
        return self._comments

    def has_comment(self, start: int, end: int) -> bool:
        """Whether a comment starts between the character offsets `start` and `end` (a
        rewrite of that range would drop it)."""
        if "#" not in self.source[start:end] or not self.comments:
            return False
        starts = self._comment_starts
        return bisect_left(starts, start) < bisect_left(starts, end)

    def nodes_of_type(self, types: tuple[type, ...]) -> list[ast.AST]:
        """Every node of `types` (exact classes) in the file, in source order; the list is
        shared, callers copy it before changing it. Indexed once per file from the walk's
        parent links (each type sorted on first request): the engine has already visited
        every node, so no rule needs `ast.walk` over the tree again."""
        if self._by_type is None:
            if all(node_type in BINDING_NODE_TYPES for node_type in types):
                # Functions, classes, imports, assignments: the walk's list of binding nodes
                # (a seventh of the file's nodes, in walk order) has them all, no index needed.
                found = self._by_types.get(types)
                if found is None:
                    wanted = frozenset(types)
                    found = [node for node in self._binders if type(node) in wanted]
                    found.sort(key=_source_order)
                    self._by_types[types] = found
                return found
            self._by_type = _index_by_type(self.tree, self._parents)
            self._sorted: set[type] = set()
            self._by_types = {}
        for node_type in types:
            if node_type not in self._sorted:
                self._by_type.get(node_type, []).sort(key=_source_order)
                self._sorted.add(node_type)
        if len(types) == 1:
            return self._by_type.get(types[0], [])
        found = self._by_types.get(types)
        if found is None:
            # Cached: a rule may ask for the same types once per function of the file.
            found = [node for node_type in types for node in self._by_type.get(node_type, ())]
            found.sort(key=_source_order)
            self._by_types[types] = found
        return found


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

    def has_comment(self, start: int, end: int) -> bool:
        """Whether a comment lies between the character offsets `start` and `end` of the
        file (a rewrite of that range would drop it)."""
        return self._file.has_comment(start, end)

    # ---- structure shortcuts -----------------------------------------------------------
    def parent(self, node: ast.AST) -> ast.AST | None:
        return self.semantic.parent(node)

    def nodes(self, *types: type[ast.AST], within: ast.AST | None = None) -> list[ast.AST]:
        """The file's nodes of `types` in source order, optionally only those inside
        `within` (e.g. the functions defined in a function). Much cheaper than `ast.walk`:
        the index is built once per file from the engine's walk and shared by every rule."""
        found = self._file.nodes_of_type(types)
        if within is None:
            return list(found)
        if isinstance(within, ast.Module):
            return [node for node in found if node is not within]
        if hasattr(within, "end_lineno") and all("lineno" in t._attributes for t in types):
            # Only nodes that start inside `within`'s source range can be inside it (a
            # decorator starts before its `def`): a binary search narrows the candidates, so
            # a rule asking this for every function of a file is not quadratic.
            start = min(
                (_source_order(node) for node in getattr(within, "decorator_list", ())),
                default=_source_order(within),
            )
            start = min(start, _source_order(within))
            end = (within.end_lineno, within.end_col_offset)
            first = bisect_left(found, start, key=_source_order)
            found = found[first : bisect_right(found, end, lo=first, key=_source_order)]
        return [node for node in found if node is not within and self._inside(node, within)]

    def _inside(self, node: ast.AST, ancestor: ast.AST) -> bool:
        parents = self._file._parents
        parent = parents.get(node)
        while parent is not None:
            if parent is ancestor:
                return True
            parent = parents.get(parent)
        return False

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


def _index_by_type(tree: ast.Module, parents: dict[ast.AST, ast.AST]) -> dict[type, list[ast.AST]]:
    """The file's nodes by class, each class in document order but for nodes at the same
    position, which the sort by position keeps in this order: an ancestor before its
    descendants, siblings in field order (the parts of an f-string share one position).

    The walk records each node's children together, last child first (it pushes them on a
    stack); reversing each such run gives the children in field order.
    """
    by_type: dict[type, list[ast.AST]] = {type(tree): [tree]}
    run: list[ast.AST] = []
    run_parent = None
    for node, parent in parents.items():
        if parent is not run_parent:
            for child in reversed(run):
                by_type.setdefault(type(child), []).append(child)
            run = []
            run_parent = parent
        run.append(node)
    for child in reversed(run):
        by_type.setdefault(type(child), []).append(child)
    return by_type


def _source_order(node: ast.AST) -> tuple[int, int]:
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))
