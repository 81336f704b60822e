"""The libcst codemod behind SPK104's fix: import `pyspark.sql.functions` as a module and
qualify the uses of the names an import brought in (`sum(...)` -> `F.sum(...)`).

Scope-aware: a use is rewritten only when libcst's scope analysis says it refers to that
import (or, for a wildcard, to no binding but a built-in). Kept apart from the rule so the
rule module stays about detection, and so libcst is imported only when a fix is computed.
"""

from __future__ import annotations

from typing import Any

_FUNCTIONS_MODULE = "pyspark.sql.functions"


def qualify_functions(
    module: Any,
    *,
    import_line: int,
    names: frozenset[str] | None,
    alias: str,
    add_import: bool,
    functions: frozenset[str],
) -> Any:
    """`module` with the `from pyspark.sql.functions import ...` on `import_line` rewritten.

    - `names`: the imported names to qualify and drop from the import; None for a wildcard
      (then every free use of a name in `functions` is qualified and the import removed).
    - `alias`: the module alias to qualify with; `add_import`: whether to add
      `from pyspark.sql import functions as <alias>` where the old import was.

    Returns `module` unchanged when the rewrite would be ambiguous.
    """
    import libcst as cst
    from libcst.metadata import (
        BuiltinAssignment,
        MetadataWrapper,
        PositionProvider,
        ScopeProvider,
    )

    wrapper = MetadataWrapper(module)
    scopes = wrapper.resolve(ScopeProvider)
    positions = wrapper.resolve(PositionProvider)
    target = next(
        (
            node
            for node in positions
            if isinstance(node, cst.ImportFrom)
            and positions[node].start.line == import_line
            and node.module is not None
            and _dotted(node.module) == _FUNCTIONS_MODULE
            and not node.relative
        ),
        None,
    )
    if target is None:
        return module
    replace: set[Any] = set()
    if names is None:
        for scope in {scope for scope in scopes.values() if scope is not None}:
            for access in scope.accesses:
                node = access.node
                if not isinstance(node, cst.Name) or node.value not in functions:
                    continue
                if all(isinstance(referent, BuiltinAssignment) for referent in access.referents):
                    replace.add(node)
    else:
        scope = scopes.get(target)
        if scope is None:
            return module
        for name in names:
            assignments = list(scope.assignments[name])
            if len(assignments) != 1:
                return module  # also bound elsewhere in the scope: uses are ambiguous
            for access in assignments[0].references:
                if not isinstance(access.node, cst.Name):
                    return module  # a string annotation or similar: cannot qualify safely
                replace.add(access.node)

    new_import = cst.parse_statement(f"from pyspark.sql import functions as {alias}\n")

    class Qualify(cst.CSTTransformer):
        def leave_Name(self, original_node, updated_node):
            if original_node in replace:
                return cst.Attribute(value=cst.Name(alias), attr=cst.Name(original_node.value))
            return updated_node

        def leave_SimpleStatementLine(self, original_node, updated_node):
            index = next(
                (i for i, statement in enumerate(original_node.body) if statement is target),
                None,
            )
            if index is None:
                return updated_node
            kept = []
            if names is not None:
                kept = [
                    item
                    for item in target.names
                    if item.asname is not None or _dotted(item.name) not in names
                ]
            body = list(updated_node.body)
            if kept:
                if not target.lpar:
                    kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
                body[index] = target.with_changes(names=kept)
                line = updated_node.with_changes(body=body)
                if add_import:
                    return cst.FlattenSentinel([line, new_import])
                return line
            if add_import:
                body[index] = new_import.body[0]
                return updated_node.with_changes(body=body)
            del body[index]
            if not body:
                return cst.RemovalSentinel.REMOVE
            return updated_node.with_changes(body=body)

    return wrapper.module.visit(Qualify())


def _dotted(node: Any) -> str:
    import libcst as cst

    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""
