"""Helpers the Databricks (DBX) rules share: SparkContext and dbutils recognition, string
literals that are code rather than documentation, import insertion, and notebook structure.

Not a rule module (the registry skips names starting with `_`).
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from codemods.engine.types import Edit, Position

if TYPE_CHECKING:
    from codemods.engine.context import RuleContext
    from codemods.notebooks import NotebookView

_NOTEBOOK_HEADER = "# Databricks notebook source"
_SPARK_CONTEXT_CLASSES = frozenset({"pyspark.SparkContext", "pyspark.context.SparkContext"})


def is_spark_context(node: ast.AST, ctx: RuleContext) -> bool:
    """`sc` (the notebook global, or a parameter so named without annotation),
    `<session>.sparkContext`, `SparkContext.getOrCreate()`, or a name assigned one of these."""
    if isinstance(node, ast.Attribute) and node.attr == "sparkContext":
        return ctx.semantic.is_spark_session(node.value)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr == "getOrCreate":
            return ctx.semantic.qualified_name(node.func.value) in _SPARK_CONTEXT_CLASSES
        return False
    if isinstance(node, ast.Call):
        return ctx.semantic.qualified_name(node.func) in _SPARK_CONTEXT_CLASSES
    if not isinstance(node, ast.Name):
        return False
    reaching = ctx.semantic.reaching_bindings(node)
    if not reaching:
        return node.id == "sc"  # bound nowhere: the notebook's global
    for binding in reaching:
        if binding.kind == "param":
            annotation, default = binding.value
            qualified = ctx.semantic.qualified_name(annotation) if annotation else None
            if not (
                (annotation is None and default is None and node.id == "sc")
                or qualified in _SPARK_CONTEXT_CLASSES
            ):
                return False
        elif binding.kind == "assign":
            if binding.value is node or not is_spark_context(binding.value, ctx):
                return False
        else:
            return False
    return True


def is_notebook_dbutils(node: ast.AST, ctx: RuleContext) -> bool:
    """`dbutils` that is the notebook's implicit global or imported from the Databricks SDK's
    runtime module: the object only a Databricks cluster provides (not a parameter)."""
    if not (isinstance(node, ast.Name) and node.id == "dbutils"):
        return False
    reaching = ctx.semantic.reaching_bindings(node)
    if reaching == []:
        return True
    return bool(reaching) and all(
        binding.kind == "import" and binding.value == "databricks.sdk.runtime.dbutils"
        for binding in reaching
    )


def is_docstring(node: ast.AST, ctx: RuleContext) -> bool:
    """A string constant that is a statement of its own (docstrings, bare string notes)."""
    return isinstance(ctx.parent(node), ast.Expr)


def string_constant(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def literal_text(node: ast.AST, ctx: RuleContext) -> str | None:
    """The text a string literal spells: a constant's value, or an f-string's literal parts
    with "\0" where each field goes; None for anything else and for the parts inside an
    f-string (the f-string itself is checked)."""
    if isinstance(node, ast.JoinedStr):
        return "".join(string_constant(part) or "\0" for part in node.values)
    text = string_constant(node)
    if text is None or isinstance(ctx.parent(node), ast.JoinedStr):
        return None
    return text


def chain_links(node: ast.AST) -> list[str]:
    """The attribute and method names along `a.b().c.d`, innermost first, plus the root name."""
    names: list[str] = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            names.append(node.id)
            break
        else:
            break
    names.reverse()
    return names


def point_node(ctx: RuleContext, line: int, column: int, length: int = 0) -> ast.AST:
    """A synthetic node at 1-based `line` / character `column` (for findings that are not on
    a Python node, like a `%run` magic), `length` characters long, clamped to the line."""
    text = ctx.lines.line_text(line)
    start = max(column - 1, 0)
    end = start + length

    def byte_column(characters: int) -> int:
        # Past the end of the line (a notebook cell's blanked magic line in the Python
        # text), characters are counted as they are: the door maps them into the cell.
        inside = text[:characters]
        return len(inside.encode("utf-8")) + max(characters - len(text), 0)

    node = ast.Pass()
    node.lineno = node.end_lineno = line
    node.col_offset = byte_column(start)
    node.end_col_offset = byte_column(end)
    return node


def notebook_view(ctx: RuleContext) -> NotebookView | None:
    """The cells and magics of the notebook being linted: a Jupyter notebook's view handed
    over in the settings, or a Databricks source notebook parsed from the text; None for a
    plain Python file."""
    given = getattr(ctx.settings, "notebook", None)
    if given is not None:
        return given
    if not ctx.source.startswith((_NOTEBOOK_HEADER, "\ufeff" + _NOTEBOOK_HEADER)):
        return None  # cheap test first: most files are not notebooks
    from codemods.notebooks import is_databricks_notebook

    if not is_databricks_notebook(ctx.source):
        return None
    return _parse_source_notebook(ctx.source)


@lru_cache(maxsize=8)
def _parse_source_notebook(source: str) -> NotebookView:
    from codemods.notebooks import parse_source_notebook

    return parse_source_notebook(source)


def module_imports_name(ctx: RuleContext, qualified: str) -> str | None:
    """The local name a module-level import binds to `qualified` (`from toolkit.spark import
    get_spark` -> "get_spark"), or None."""
    for name, bindings in ctx.semantic.bindings(ctx.tree).items():
        if bindings and all(b.kind == "import" and b.value == qualified for b in bindings):
            return name
    return None


def import_edit(ctx: RuleContext, statement: str) -> Edit:
    """An edit adding the line `statement` after the module's leading imports (after the
    docstring and `from __future__` imports when there are no other imports)."""
    body = ctx.tree.body
    anchor: ast.stmt | None = None
    for index, stmt in enumerate(body):
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            anchor = stmt
        elif index == 0 and isinstance(stmt, ast.Expr) and string_constant(stmt.value):
            anchor = stmt  # the module docstring
        else:
            break
    if anchor is None:
        return Edit(Position(1, 1), Position(1, 1), f"{statement}\n")
    next_line = anchor.end_lineno + 1
    if next_line > ctx.lines.line_count:
        end = ctx.end(anchor)  # the import is the file's last line: no line after it
        return Edit(end, end, f"\n{statement}")
    # At the start of the next line, so a comment after the import stays where it is.
    start = Position(next_line, 1)
    return Edit(start, start, f"{statement}\n")


def nodes_of_type(ctx: RuleContext, *types: type[ast.AST]) -> list[ast.AST]:
    """Every node of `types` in the file, in source order.

    For rules that first test the whole text with a cheap search (`"hive_metastore" in
    source`) and look at nodes only when it matches: most files never pay for the lookup, and
    the engine does not call the rule once per string literal. The nodes come from the
    engine's index of its own walk (`ctx.nodes`), not from another walk of the tree.
    """
    return ctx.nodes(*types)


def lowered_source(ctx: RuleContext) -> str:
    """The file's text in lower case (shared by the rules of one file), for cheap substring
    tests before any regular expression or node visit."""
    file = ctx._file
    lowered = getattr(file, "_dbx_lowered", None)
    if lowered is None:
        lowered = file._dbx_lowered = ctx.source.lower()
    return lowered


def mentions_any(ctx: RuleContext, words: tuple[str, ...]) -> bool:
    """Whether the file's text contains any of `words` (lower case), ignoring case."""
    lowered = lowered_source(ctx)
    return any(word in lowered for word in words)


def name_is_free(ctx: RuleContext, node: ast.AST, name: str, *, unless: str | None = None) -> bool:
    """Whether a fix may introduce `name` where `node` is: no scope that `node` sees (its
    functions, the module) binds it, except as an import of `unless`. A fix that adds
    `from toolkit.spark import get_spark` must not call a `get_spark` the file defines."""
    scope = ctx.semantic.enclosing_scope(node)
    while True:
        for binding in ctx.semantic.bindings(scope).get(name, ()):
            if not (binding.kind == "import" and unless is not None and binding.value == unless):
                return False
        if scope is ctx.tree:
            return True
        scope = ctx.semantic.enclosing_scope(scope)


# Notebook cells whose text is not Python but names paths and tables: SQL, `%fs`, `%sh`.
NON_PYTHON_TEXT_CELLS = frozenset({"sql", "fs", "shell"})
_TEXT_MAGICS = frozenset({"fs", "sh", "sql"})


def notebook_text_matches(ctx: RuleContext, pattern: re.Pattern[str]):
    """(node, match) for every match of `pattern` in a line of the notebook's SQL, `%fs` and
    `%sh` cells, the node placed on the match in the linted text (a source notebook's own
    line, or an `.ipynb` cell's blanked line)."""
    view = notebook_view(ctx)
    if view is None:
        return
    scanned_lines: set[int] = set()
    for cell in view.cells:
        if cell.language not in NON_PYTHON_TEXT_CELLS or cell.start_line is None:
            continue
        for number, line in enumerate(cell.text.splitlines(), start=1):
            row = cell.python_position(number, 1)[0]
            scanned_lines.add(row)
            for match in pattern.finditer(line):
                row, column = cell.python_position(number, match.start() + 1)
                yield point_node(ctx, row, column, match.end() - match.start()), match
    # Line magics inside Python cells (`%fs ls dbfs:/x`, `%sh ls /dbfs/x`).
    for magic in view.magics:
        if magic.command not in _TEXT_MAGICS or magic.line in scanned_lines:
            continue
        args_column = magic.column + len(magic.command) + 2  # `%fs ` before the arguments
        for match in pattern.finditer(magic.args):
            yield (
                point_node(ctx, magic.line, args_column + match.start(), len(match.group(0))),
                match,
            )
