"""`lint()`: parse once, walk once, dispatch each node to the rules registered for its type."""

from __future__ import annotations

import ast
import gc
from collections.abc import Callable, Iterable, Sequence

from codemods.engine.bindings import BINDING_NODE_TYPES
from codemods.engine.context import FileContext, RuleContext
from codemods.engine.options import DEFAULT_SETTINGS, LintSettings
from codemods.engine.reparse import Reparser, parse_module
from codemods.engine.suppressions import parse_suppressions
from codemods.engine.types import Diagnostic, Position

# Fields the walk never follows: shared singleton nodes (contexts and operators, which rules
# read from their parent) and fields that hold identifiers or constants, never nodes.
_SKIPPED_FIELDS = frozenset(
    {"ctx", "op", "ops", "type_comment", "id", "attr", "arg", "asname", "module", "level"}
    | {"kind", "conversion", "is_async", "simple", "kwd_attrs", "rest", "tag"}
)
# Per type, fields whose name is elsewhere a node but here an identifier or a constant.
_SKIPPED_TYPE_FIELDS = {
    ast.Constant: {"value"},
    ast.Global: {"names"},
    ast.Nonlocal: {"names"},
    ast.FunctionDef: {"name"},
    ast.AsyncFunctionDef: {"name"},
    ast.ClassDef: {"name"},
    ast.ExceptHandler: {"name"},
    ast.alias: {"name"},
    ast.MatchAs: {"name"},
    ast.MatchStar: {"name"},
    ast.MatchSingleton: {"value"},
}
for _type_parameter in ("TypeVar", "ParamSpec", "TypeVarTuple"):  # Python 3.12+
    if hasattr(ast, _type_parameter):
        _SKIPPED_TYPE_FIELDS[getattr(ast, _type_parameter)] = {"name"}
_child_fields: dict[type, tuple[str, ...]] = {}
_AST = ast.AST
_CALL, _ATTRIBUTE, _NAME = ast.Call, ast.Attribute, ast.Name
# Node types a rule's `names` filter applies to; other types in its `node_types` are not filtered.
_NAMED_TYPES = frozenset({ast.Call, ast.Attribute, ast.Name})


def _fields_of(node_type: type) -> tuple[str, ...]:
    fields = _child_fields.get(node_type)
    if fields is None:
        # Stored reversed: the walk pushes children on a stack and pops them in source order.
        skipped = _SKIPPED_FIELDS | _SKIPPED_TYPE_FIELDS.get(node_type, set())
        fields = tuple(name for name in reversed(node_type._fields) if name not in skipped)
        _child_fields[node_type] = fields
    return fields


def lint(
    source: str,
    path: str,
    settings: LintSettings | None = None,
    *,
    rules: Sequence[type] | None = None,
    reparser: Reparser | None = None,
) -> list[Diagnostic]:
    """Diagnostics for one file's text, sorted by position then code.

    `rules` overrides the registry (tests, benchmarks); normally every registered rule the
    settings enable runs. `reparser` is the document's `Reparser` when the text is one more
    version of a document being edited (the language server): the parse then reuses the
    statements the edit left alone. Never raises for bad input: a syntax error is TK001, a
    rule that raises is TK999.
    """
    # The engine's objects form no reference cycles, so the cyclic collector has nothing to
    # find; pausing it during one file avoids collections triggered by the tree's ~10 objects
    # per line (measured: about a third of lint time on a 2,000-line file).
    collector_was_on = gc.isenabled()
    gc.disable()
    try:
        return _lint(source, path, settings or DEFAULT_SETTINGS, rules, reparser)
    finally:
        if collector_was_on:
            gc.enable()


def _lint(
    source: str,
    path: str,
    settings: LintSettings,
    rules: Sequence[type] | None,
    reparser: Reparser | None,
) -> list[Diagnostic]:
    try:
        tree = reparser.parse(source, path) if reparser else parse_module(source, path)
    except SyntaxError as error:
        return [_syntax_error(error)]
    except (ValueError, MemoryError, RecursionError) as error:  # null bytes, absurd nesting
        return [_internal("TK001", "syntax-error", f"The file does not parse: {error}", 1, 1)]

    rule_classes = _enabled_rules(rules, settings, path)
    parents: dict[ast.AST, ast.AST] = {}
    binders: list[ast.AST] = []
    file = FileContext(
        source=source, path=path, tree=tree, settings=settings, parents=parents, binders=binders
    )
    failures: list[Diagnostic] = []
    dispatch = _dispatch_table(rule_classes, file, failures)
    _walk(tree, dispatch, parents, binders, failures, reparser)

    diagnostics = file.diagnostics
    # A deferred fix holds its rule's context, which holds the file: letting go of the list
    # here keeps that from being a reference cycle, so the tree is freed as soon as the
    # findings are (by reference counting, not by a later run of the cyclic collector).
    file.diagnostics = []
    suppressions = parse_suppressions(source, lambda: file.comments, file.lines)
    kept = [d for d in diagnostics if not suppressions.suppresses(d.code, d.start.line)]
    if settings.report_unused_noqa:
        for entry, code in suppressions.unused():
            kept.append(
                Diagnostic(
                    code="TK100",
                    name="unused-noqa",
                    message=f"Unused `noqa` code `{code}`: nothing to suppress here",
                    severity="info",
                    start=Position(entry.line, entry.column),
                    end=Position(entry.line, entry.column),
                )
            )
    kept.extend(failures)
    kept.sort(key=Diagnostic.sort_key)
    return kept


def _enabled_rules(rules: Sequence[type] | None, settings: LintSettings, path: str) -> list[type]:
    if rules is None:
        from codemods.rules import all_rules

        rules = all_rules()
    library = None
    enabled = []
    for rule in rules:
        if not settings.is_enabled(rule.code, opt_in=rule.opt_in):
            continue
        if rule.library_only:
            if library is None:
                library = settings.is_library_module(path)
            if not library:
                continue
        enabled.append(rule)
    return enabled


def _dispatch_table(rule_classes: Iterable[type], file: FileContext, failures: list[Diagnostic]):
    """node type, or (node type, name) for rules that declare `names` -> list of
    (rule instance, bound check, context)."""
    dispatch: dict[object, list] = {}
    for rule_class in rule_classes:
        rule = rule_class()
        context = RuleContext(file, rule)
        entry = (rule, rule.check, context)
        for node_type in rule.node_types:
            for concrete in _concrete_types(node_type):
                if rule.names and concrete in _NAMED_TYPES:
                    for name in rule.names:
                        dispatch.setdefault((concrete, name), []).append(entry)
                else:
                    dispatch.setdefault(concrete, []).append(entry)
    return dispatch


def _name_key(node: ast.AST) -> str | None:
    """The name a `names` filter matches: a call's function or method name, an attribute's
    name, a name's identifier."""
    node_type = type(node)
    if node_type is _CALL:
        func = node.func
        func_type = type(func)
        if func_type is _ATTRIBUTE:
            return func.attr
        return func.id if func_type is _NAME else None
    if node_type is _ATTRIBUTE:
        return node.attr
    return node.id if node_type is _NAME else None


def _concrete_types(node_type: type) -> list[type]:
    """`ast.expr` (abstract) expands to every concrete subclass, so dispatch is one lookup."""
    subclasses = node_type.__subclasses__()
    if not subclasses:
        return [node_type]
    found = [node_type]
    for subclass in subclasses:
        found.extend(_concrete_types(subclass))
    return found


def _walk(
    tree: ast.Module,
    dispatch: dict,
    parents: dict,
    binders: list[ast.AST],
    failures: list[Diagnostic],
    reparser: Reparser | None = None,
) -> None:
    """One walk that records parent links and the nodes some rule wants; then the rules run
    on those nodes, in source order, with the whole tree's parent links already in place
    (so a rule can ask about any node's scope or loop).

    With a `reparser`, what the walk finds inside each top-level statement is remembered
    there, and a statement the next version's parse reused is not walked again.
    """
    wanted: list[ast.AST] = []
    # The `names` filter inlined (the walk runs for every node of the file): the names some
    # rule wants on calls, attributes and names, tested without a function call per node.
    names = {
        node_type: {key[1] for key in dispatch if type(key) is tuple and key[0] is node_type}
        for node_type in (_CALL, _ATTRIBUTE, _NAME)
    }
    filters = (dispatch, names[_NAME], names[_ATTRIBUTE], names[_CALL])
    if reparser is None:
        _visit(tree, parents, wanted.append, binders.append, *filters)
    else:
        _walk_statements(tree, parents, wanted, binders, filters, reparser)
    named_types = {key[0] for key in dispatch if type(key) is tuple}
    for node in wanted:
        node_type = type(node)
        handlers = dispatch.get(node_type, ())
        if node_type in named_types:
            handlers = [*handlers, *dispatch.get((node_type, _name_key(node)), ())]
        for entry in handlers:
            try:
                entry[1](node, entry[2])
            except Exception as error:  # a bug in one rule must not stop the others
                _disable(entry, dispatch, failures, error, node)


def _visit(
    root: ast.AST,
    parents: dict,
    want: Callable[[ast.AST], None],
    binds: Callable[[ast.AST], None],
    dispatch: dict,
    name_ids: set[str],
    attribute_names: set[str],
    call_names: set[str],
) -> None:
    """Walk `root` and everything under it in source order: parent links into `parents`,
    the nodes some rule wants to `want`, the binding nodes to `binds`."""
    stack: list[ast.AST] = [root]
    pop = stack.pop
    push = stack.append
    fields_of = _child_fields.get
    list_type = list
    call_type, attribute_type, name_type = _CALL, _ATTRIBUTE, _NAME
    while stack:
        node = pop()
        node_type = type(node)
        if node_type in dispatch:
            want(node)
        elif node_type is name_type:
            if node.id in name_ids:
                want(node)
        elif node_type is attribute_type:
            if node.attr in attribute_names:
                want(node)
        elif node_type is call_type and call_names:
            func = node.func
            func_type = type(func)
            if func_type is attribute_type:
                if func.attr in call_names:
                    want(node)
            elif func_type is name_type and func.id in call_names:
                want(node)
        if node_type in BINDING_NODE_TYPES:
            binds(node)
        fields = fields_of(node_type)
        if fields is None:
            fields = _fields_of(node_type)
        for name in fields:
            # What is left is a node, None, or a list of nodes (Dict.keys may hold None).
            value = getattr(node, name, None)
            if value is None:
                continue
            if value.__class__ is list_type:
                for item in reversed(value):
                    if item is not None:
                        parents[item] = node
                        push(item)
            else:
                parents[value] = node
                push(value)


def _walk_statements(
    tree: ast.Module,
    parents: dict,
    wanted: list[ast.AST],
    binders: list[ast.AST],
    filters: tuple,
    reparser: Reparser,
) -> None:
    """The walk of `_visit`, statement by statement, reusing what `reparser` remembers of
    the statements it reused (valid for the same rules' filters only)."""
    key = frozenset(filters[0])
    remembered = reparser.walks if reparser.walk_key == key else {}
    kept = {}
    dispatch = filters[0]
    if type(tree) in dispatch:
        wanted.append(tree)
    for statement in tree.body:
        parents[statement] = tree
        found = remembered.get(statement)
        if found is None:
            inside: dict[ast.AST, ast.AST] = {}
            statement_wanted: list[ast.AST] = []
            statement_binders: list[ast.AST] = []
            _visit(statement, inside, statement_wanted.append, statement_binders.append, *filters)
            found = (inside, statement_wanted, statement_binders)
        kept[statement] = found
        parents.update(found[0])
        wanted.extend(found[1])
        binders.extend(found[2])
    reparser.walks, reparser.walk_key = kept, key


def _disable(entry, dispatch: dict, failures: list[Diagnostic], error: Exception, node) -> None:
    rule = entry[0]
    # New lists, so the walk's loop over the current node's handlers is not disturbed.
    for node_type, handlers in list(dispatch.items()):
        dispatch[node_type] = [handler for handler in handlers if handler[0] is not rule]
    line = getattr(node, "lineno", 1)
    column = getattr(node, "col_offset", 0)
    failures.append(
        _internal(
            "TK999",
            "internal-error",
            f"Rule {rule.code} ({rule.name}) failed here: {type(error).__name__}: {error}",
            line,
            entry[2].lines.char_column(line, column) + 1,
            severity="error",
        )
    )


def _syntax_error(error: SyntaxError) -> Diagnostic:
    line = error.lineno or 1
    column = max(error.offset or 1, 1)
    return _internal("TK001", "syntax-error", f"SyntaxError: {error.msg}", line, column)


def _internal(code: str, name: str, message: str, line: int, column: int, *, severity="error"):
    position = Position(line, column)
    return Diagnostic(code, name, message, severity, position, position)
