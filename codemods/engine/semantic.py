"""Facts about names and expressions, computed lazily once per file and shared by every rule.

The model answers two questions rules keep asking, without ever guessing:
- what does a name refer to (`qualified_name`: `F.col` -> `pyspark.sql.functions.col`), and
- what kind of Spark object an expression is (`kind_of`: "dataframe", "column", "session", ...).

Name lookup follows Python's scopes (function, enclosing functions, module, builtins) and,
inside a scope, the bindings that can reach the use: the nearest earlier binding that is not
inside a branch the use is outside of, plus any conditional ones before it, plus bindings
later in a loop that contains the use. All of them must agree, or the answer is None.
Everything is computed on first request and cached per node.
"""

from __future__ import annotations

import ast
import builtins
from bisect import bisect_right
from collections.abc import Callable
from typing import Final

from codemods.engine import spark_api
from codemods.engine.bindings import (
    BINDING_NODE_TYPES,
    Binding,
    binding_end,
    index_bindings,
    link_tree,
)

DATAFRAME: Final = "dataframe"
COLUMN: Final = "column"
SESSION: Final = "session"
DBUTILS: Final = "dbutils"
READER: Final = "reader"
WRITER: Final = "writer"
GROUPED: Final = "grouped"
WINDOW: Final = "window"
BUILDER: Final = "builder"
OTHER: Final = "other"  # a known value that is none of the Spark kinds (a list, an int, ...)

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.Module)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_SCOPE_TYPES = frozenset(_SCOPES)
_COMPREHENSION_TYPES = frozenset({ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp})
_BUILTIN_NAMES = frozenset(dir(builtins))
_YIELDS = frozenset({ast.Yield, ast.YieldFrom})
# Names a Databricks notebook defines for the user without an assignment.
_NOTEBOOK_GLOBALS = {"spark": SESSION, "dbutils": DBUTILS}
_IN_PROGRESS = object()


class SemanticModel:
    """Name resolution and Spark-kind inference for one parsed module."""

    def __init__(
        self,
        tree: ast.Module,
        parents: dict[ast.AST, ast.AST] | None = None,
        binders: list[ast.AST] | None = None,
    ) -> None:
        """`parents` and `binders` (nodes of `BINDING_NODE_TYPES`, in source order) come from
        the engine's single walk; without them the model computes both itself (one walk).
        """
        self.tree = tree
        if parents is None:
            parents, binders = link_tree(tree)
        self._parents = parents
        self._binders = binders
        self._scope_bindings: dict[ast.AST, dict[str, list[Binding]]] | None = None
        self._kinds: dict[ast.AST, object] = {}
        self._qualified: dict[ast.AST, str | None] = {}
        self._scopes: dict[ast.AST, ast.AST] = {}
        self._orders: dict[int, tuple] = {}
        self._returns: dict[ast.AST, str | None] = {}
        self._returned: dict[ast.AST, list[ast.AST] | None] = {}
        self._instance_attributes: dict | None = None  # id(bindings list) -> `_in_order`'s facts

    # ---- structure -------------------------------------------------------------------
    def parent(self, node: ast.AST) -> ast.AST | None:
        return self._parents.get(node)

    def ancestors(self, node: ast.AST):
        parent = self._parents.get(node)
        while parent is not None:
            yield parent
            parent = self._parents.get(parent)

    def enclosing_scope(self, node: ast.AST) -> ast.AST:
        """The function, lambda, class or module whose namespace `node`'s names live in."""
        scope = self._scopes.get(node)
        if scope is None:
            scope = self._scope_walk(node)[0]
        return scope

    def _scope_walk(self, node: ast.AST) -> tuple[ast.AST, list[ast.AST]]:
        """The enclosing scope and the comprehensions passed on the way, in one climb (the
        hottest path of name resolution: every name use asks both)."""
        parents = self._parents
        comprehensions: list[ast.AST] = []
        parent = parents.get(node)
        while parent is not None:
            parent_type = type(parent)
            if parent_type in _SCOPE_TYPES:
                break
            if parent_type in _COMPREHENSION_TYPES:
                comprehensions.append(parent)
            parent = parents.get(parent)
        scope = self.tree if parent is None else parent
        self._scopes[node] = scope
        return scope, comprehensions

    def enclosing_function(self, node: ast.AST) -> ast.AST | None:
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, _FUNCTIONS):
                return ancestor
        return None

    def enclosing_loop(self, node: ast.AST) -> ast.AST | None:
        """The nearest `for`/`while` (or comprehension) whose body runs `node` repeatedly,
        not crossing a function boundary; a loop's own iterable runs once, so it is not inside.
        """
        child = node
        from_iterable = False  # whether the climb came up through a clause's iterable
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, _FUNCTIONS):
                return None
            if isinstance(ancestor, (ast.For, ast.AsyncFor)):
                if child is not ancestor.iter:
                    return ancestor
            elif isinstance(ancestor, ast.While):
                return ancestor
            elif isinstance(ancestor, ast.comprehension):
                from_iterable = child is ancestor.iter
            elif isinstance(
                ancestor, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
            ) and not (from_iterable and child is ancestor.generators[0]):
                return ancestor  # (the first clause's iterable runs once)
            child = ancestor
        return None

    def in_main_guard(self, node: ast.AST) -> bool:
        """Whether `node` is inside an `if __name__ == "__main__":` body."""
        child = node
        for ancestor in self.ancestors(node):
            if (
                isinstance(ancestor, ast.If)
                and child in ancestor.body
                and _is_main_test(ancestor.test)
            ):
                return True
            child = ancestor
        return False

    # ---- method chains ---------------------------------------------------------------
    @staticmethod
    def method_chain(expr: ast.AST) -> tuple[ast.AST, list[tuple[str, ast.Call | None]]]:
        """Split `df.write.mode("x").saveAsTable("t")` into its root (`df`) and its links,
        innermost first: [("write", None), ("mode", <Call>), ("saveAsTable", <Call>)].
        A link's call is None for a plain attribute access.
        """
        links: list[tuple[str, ast.Call | None]] = []
        node = expr
        while True:
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                links.append((node.func.attr, node))
                node = node.func.value
            elif isinstance(node, ast.Attribute):
                links.append((node.attr, None))
                node = node.value
            else:
                break
        links.reverse()
        return node, links

    # ---- names -----------------------------------------------------------------------
    def bindings(self, scope: ast.AST) -> dict[str, list[Binding]]:
        """Every binding made directly in `scope` (not in nested scopes), by name."""
        if self._scope_bindings is None:
            binders = self._binders
            if binders is None:
                binders = [node for node in ast.walk(self.tree) if type(node) in BINDING_NODE_TYPES]
            self._scope_bindings = index_bindings(binders, self.enclosing_scope)
        return self._scope_bindings.get(scope, _NO_BINDINGS)

    def reaching_bindings(self, name: ast.Name) -> list[Binding] | None:
        """The bindings of `name.id` that may be the value at this use; [] for builtins and
        unassigned notebook globals; None when the name is bound nowhere (unknown).
        """
        scope, comprehensions = self._scope_walk(name)
        if comprehensions:
            comprehension_target = self._comprehension_binding(name, comprehensions)
            if comprehension_target is not None:
                return [comprehension_target]
        # A class body's names are not visible inside its methods; skip classes when climbing.
        first = True
        while True:
            scope_bindings = self.bindings(scope)
            if name.id in scope_bindings and (first or not isinstance(scope, ast.ClassDef)):
                candidates = scope_bindings[name.id]
                if self._in_order(candidates)[2]:  # `global name` in this scope
                    scope = self.tree
                    candidates = self.bindings(scope).get(name.id, [])
                    return candidates or None
                if first:
                    return self._reaching_in_scope(name, candidates)
                return [binding for binding in candidates if binding.kind != "nonlocal"]
            if scope is self.tree:
                return [] if name.id in _BUILTIN_NAMES or name.id in _NOTEBOOK_GLOBALS else None
            scope = self.enclosing_scope(scope)
            first = False

    def _comprehension_binding(
        self, name: ast.Name, comprehensions: list[ast.AST]
    ) -> Binding | None:
        """A comprehension variable (`[c for c in cols]`) has its own scope: its value is
        whatever the iterable yields, which the model does not track."""
        for comprehension in comprehensions:
            for generator in comprehension.generators:
                for target in ast.walk(generator.target):
                    if isinstance(target, ast.Name) and target.id == name.id:
                        return Binding(name.id, "other", target, comprehension)
        return None

    def _reaching_in_scope(self, use: ast.Name, candidates: list[Binding]) -> list[Binding]:
        ends, ordered, _ = self._in_order(candidates)
        use_position = (use.lineno, use.col_offset)
        # Bindings that end before the use, nearest first, until one certainly reaches it.
        before = bisect_right(ends, use_position)
        use_chain: list[ast.AST] = []  # the use and its ancestors, climbed once if needed
        reaching: list[Binding] = []
        for index in range(before - 1, -1, -1):
            binding = ordered[index]
            reaching.append(binding)
            if binding.kind == "param":
                break  # a parameter is bound before any statement of the function runs
            if not use_chain:
                use_chain = [use, *self.ancestors(use)]
            if self._binds_unconditionally(binding, use_chain):
                break  # every path to the use passes it: earlier bindings are dead
        else:
            return list(candidates)  # nothing certain reaches the use: all bindings may
        # Later bindings in a loop around the use reach it on the next iteration; they end
        # after the use and no later than the loop (none after the use: no loop to find).
        loop = self.enclosing_loop(use) if before < len(ordered) else None
        if loop is not None:
            loop_end = (loop.end_lineno or loop.lineno, loop.end_col_offset or 0)
            for binding in ordered[before : bisect_right(ends, loop_end)]:
                if any(ancestor is loop for ancestor in self.ancestors(binding.stmt)):
                    reaching.append(binding)
        return reaching

    def _in_order(
        self, candidates: list[Binding]
    ) -> tuple[list[tuple[int, int]], list[Binding], bool]:
        """`candidates` (one name's bindings in one scope) sorted by where each ends, those
        ends, and whether one is a `global` declaration; computed once per list: a name bound
        thousands of times in one function (`df = df.filter(...)` line after line) then
        costs a binary search per use, not a pass over its bindings."""
        found = self._orders.get(id(candidates))
        if found is None or found[0] is not candidates:
            ordered = sorted(candidates, key=binding_end)
            ends = [binding_end(binding) for binding in ordered]
            declared_global = any(binding.kind == "global" for binding in candidates)
            found = (candidates, ends, ordered, declared_global)
            self._orders[id(candidates)] = found
        return found[1], found[2], found[3]

    def _binds_unconditionally(self, binding: Binding, use_chain: list[ast.AST]) -> bool:
        """Whether `binding`'s statement sits in a statement list that also holds the use."""
        if binding.kind == "param":
            return True
        block = self._parents.get(binding.stmt)
        if block is None:
            return True
        for index, ancestor in enumerate(use_chain):
            if ancestor is block and index > 0:
                statements = _statement_list(block, binding.stmt)
                return statements is not None and statements is _statement_list(
                    block, use_chain[index - 1]
                )
        return False

    def qualified_name(self, expr: ast.AST) -> str | None:
        """The dotted name an expression refers to through imports: `F.col` ->
        "pyspark.sql.functions.col", `len` -> "builtins.len"; None when it is anything else.
        """
        if expr in self._qualified:
            return self._qualified[expr]
        result: str | None = None
        if isinstance(expr, ast.Name):
            reaching = self.reaching_bindings(expr)
            if reaching == [] and expr.id in _BUILTIN_NAMES:
                result = f"builtins.{expr.id}"
            elif reaching:
                names = {b.value if b.kind == "import" else None for b in reaching}
                if len(names) == 1:
                    result = names.pop()
        elif isinstance(expr, ast.Attribute):
            base = self.qualified_name(expr.value)
            if base is not None and not base.startswith("builtins."):
                result = f"{base}.{expr.attr}"
        self._qualified[expr] = result
        return result

    def is_builtin(self, expr: ast.AST, name: str) -> bool:
        """Whether `expr` is the Python built-in `name` (not shadowed, not imported)."""
        return self.qualified_name(expr) == f"builtins.{name}"

    # ---- kinds -----------------------------------------------------------------------
    def kind_of(self, expr: ast.AST) -> str | None:
        """ "dataframe", "column", "session", "dbutils", "reader", "writer", "grouped",
        "window", "builder", "other" (known, but none of these), or None (cannot tell).
        """
        cached = self._kinds.get(expr)
        if cached is _IN_PROGRESS:
            return None
        if cached is not None or expr in self._kinds:
            return cached  # type: ignore[return-value]
        self._kinds[expr] = _IN_PROGRESS
        try:
            result = self._infer(expr)
        except RecursionError:
            result = None
        self._kinds[expr] = result
        return result

    def is_dataframe(self, expr: ast.AST) -> bool:
        return self.kind_of(expr) == DATAFRAME

    def is_column(self, expr: ast.AST) -> bool:
        return self.kind_of(expr) == COLUMN

    def is_spark_session(self, expr: ast.AST) -> bool:
        return self.kind_of(expr) == SESSION

    def is_dbutils(self, expr: ast.AST) -> bool:
        return self.kind_of(expr) == DBUTILS

    def _infer(self, expr: ast.AST) -> str | None:
        handler = _INFERENCE.get(type(expr))
        return handler(self, expr) if handler else None

    def _infer_name(self, expr: ast.Name) -> str | None:
        reaching = self.reaching_bindings(expr)
        if reaching is None:
            return None
        if not reaching:
            return _NOTEBOOK_GLOBALS.get(expr.id, OTHER if expr.id in _BUILTIN_NAMES else None)
        use_position = (expr.lineno, expr.col_offset)
        kinds: set[str | None] = set()
        carried: list[Binding] = []
        for binding in reaching:
            if binding_end(binding) > use_position and _is_self_update(binding):
                carried.append(binding)  # `df = df.filter(...)` later in a loop around the use
            else:
                kinds.add(self._binding_kind(binding))
        if len(kinds) != 1:
            return None
        kind = kinds.pop()
        # Following the loop-carried update would lead back to this very use. It keeps the
        # kind the other bindings give when its method chain maps that kind to itself.
        for binding in carried:
            if kind is None or _chain_result(kind, binding.value) != kind:
                return None
        return kind

    def _binding_kind(self, binding: Binding) -> str | None:
        if binding.kind == "assign":
            return self.kind_of(binding.value)
        if binding.kind in ("annotated", "param"):
            annotation, default = binding.value
            if annotation is not None:
                return self._annotation_kind(annotation)
            if binding.kind == "param" and binding.name in _NOTEBOOK_GLOBALS and default is None:
                # By convention a parameter called `spark` (or `dbutils`) carries exactly that.
                return _NOTEBOOK_GLOBALS[binding.name]
            return self.kind_of(default) if default is not None else None
        if binding.kind == "import":
            return spark_api.KIND_OF_QUALIFIED.get(binding.value, OTHER)
        if binding.kind in ("def", "class"):
            return OTHER
        return None

    def _annotation_kind(self, annotation: ast.AST) -> str | None:
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            try:
                annotation = ast.parse(annotation.value, mode="eval").body
            except SyntaxError:
                return None
            # A string annotation has no position in the tree; resolve its names at module level.
            qualified = _qualified_in_module(self, annotation)
        else:
            qualified = self.qualified_name(annotation)
        if qualified is None:
            return None
        return spark_api.ANNOTATION_KINDS.get(qualified, OTHER)

    def _infer_call(self, expr: ast.Call) -> str | None:
        func = expr.func
        receiver = None
        if isinstance(func, ast.Attribute):
            receiver = self.kind_of(func.value)
            if receiver is not None and receiver != OTHER:
                result = spark_api.method_result(receiver, func.attr)
                if result is not None:
                    return result
        if receiver is None:  # a function of the file, or a method of `self`'s class
            function = self._callee(expr)
            if function is not None:
                return self._return_kind(function)
        qualified = self.qualified_name(func)
        if qualified is not None:
            return spark_api.call_result(qualified)
        return None

    def _callee(self, call: ast.Call) -> ast.FunctionDef | None:
        """The function of this file a call runs: `name(...)` of a plain function, or
        `self.name(...)` of the class's own plain method; None for anything else."""
        func = call.func
        if isinstance(func, ast.Name):
            return self._called_function(func)
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            return self._own_method(func.value, func.attr)
        return None

    def _called_function(self, name: ast.Name) -> ast.FunctionDef | None:
        """The one plain function of this file that `name` can be at this call, if any."""
        reaching = self.reaching_bindings(name)
        if not reaching:
            return None
        statements = {id(binding.stmt): binding for binding in reaching}
        if len(statements) != 1:
            return None
        (binding,) = statements.values()
        function = binding.stmt
        if binding.kind != "def" or type(function) is not ast.FunctionDef:
            return None  # a coroutine function's call gives a coroutine, not its return
        return function

    def _return_kind(self, function: ast.FunctionDef) -> str | None:
        """What calling `function` gives: its return annotation's kind, else the kind every
        `return` of its body agrees on. None when a decorator may change the result (`@udf`
        makes a Column of a function that returns a `str`), for generators, and when the
        returns disagree or one is a bare `return`."""
        if function in self._returns:
            return self._returns[function]
        self._returns[function] = None  # a recursive call resolves to "cannot tell"
        kind = None
        if not function.decorator_list:
            if function.returns is not None:
                kind = self._annotation_kind(function.returns)
            else:
                kind = self._kind_of_returns(function)
        self._returns[function] = kind
        return kind

    def _kind_of_returns(self, function: ast.FunctionDef) -> str | None:
        returns = self._returned_values(function)
        if not returns:
            return None
        kinds = {self.kind_of(value) for value in returns}
        return kinds.pop() if len(kinds) == 1 else None

    def _returned_values(self, function: ast.FunctionDef) -> list[ast.AST] | None:
        """The values of every `return` in `function`'s own body (not in nested functions);
        None for a generator or when one `return` gives nothing."""
        if function in self._returned:
            return self._returned[function]
        returns: list[ast.AST] | None = []
        stack: list[ast.AST] = list(function.body)
        while stack:
            node = stack.pop()
            node_type = type(node)
            if node_type in _YIELDS:
                returns = None
                break
            if node_type is ast.Return:
                if node.value is None:
                    returns = None
                    break
                returns.append(node.value)
            if node_type in _SCOPE_TYPES:
                continue  # a nested function's returns are its own
            stack.extend(ast.iter_child_nodes(node))
        self._returned[function] = returns
        return returns

    def value_sources(self, expr: ast.AST) -> list[ast.AST] | None:
        """The expressions `expr`'s value comes from, when the model follows it somewhere
        else: a call of one of the file's own undecorated functions or of the class's own
        method (the values of their `return`s), or an instance attribute `self.x` (every
        value the class's methods assign to it). None for anything else, and when one of
        those sources cannot be told. Rules that ask more than the kind (is this DataFrame
        bounded?) follow these the way `kind_of` does."""
        if isinstance(expr, ast.Call):
            function = self._callee(expr)
            if function is None or function.decorator_list:
                return None
            return self._returned_values(function) or None
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
            method = self._method_of(expr.value)
            if method is None:
                return None
            found = self._attributes().get((self._parents.get(method), expr.attr))
            if not found or any(assigned is None or assigned[1] is None for assigned in found):
                return None
            return [value for _, value in found]
        return None

    def _infer_attribute(self, expr: ast.Attribute) -> str | None:
        receiver = self.kind_of(expr.value)
        if receiver is not None and receiver != OTHER:
            result = spark_api.attribute_result(receiver, expr.attr)
            if result is not None:
                return result
        qualified = self.qualified_name(expr)
        if qualified is not None:
            return spark_api.KIND_OF_QUALIFIED.get(qualified)
        if receiver is None and isinstance(expr.value, ast.Name):
            return self._instance_attribute_kind(expr.value, expr.attr)
        return None

    def _instance_attribute_kind(self, owner: ast.Name, attribute: str) -> str | None:
        """`self.x` in a method: the kind that every assignment to `self.x` in the class's
        methods (and an annotation `x: DataFrame` in the class body) agrees on. Assignments
        from outside the class (`job.x = ...`, `setattr`) are not seen; an augmented or
        unpacking assignment to it makes it unknown."""
        method = self._method_of(owner)
        if method is None:
            return None
        found = self._attributes().get((self._parents.get(method), attribute))
        if not found:
            return None
        kinds = set()
        for assigned in found:
            if assigned is None:
                return None
            annotation, value = assigned
            kinds.add(
                self._annotation_kind(annotation) if annotation is not None else self.kind_of(value)
            )
        return kinds.pop() if len(kinds) == 1 else None

    def _own_method(self, owner: ast.Name, name: str) -> ast.FunctionDef | None:
        """`self.<name>` inside a method: the plain method `name` of the same class (its
        last definition in the class body), if there is one."""
        method = self._method_of(owner)
        if method is None:
            return None
        found = None
        for statement in self._parents[method].body:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if statement.name == name:
                    found = statement
            elif isinstance(statement, (ast.Assign, ast.AnnAssign)) and any(
                isinstance(target, ast.Name) and target.id == name for target in ast.walk(statement)
            ):
                found = None  # rebound in the class body: not (only) that function
        return found if type(found) is ast.FunctionDef else None

    def _method_of(self, owner: ast.Name) -> ast.FunctionDef | None:
        """The method of a class whose instance parameter (`self`) `owner` is, if it is."""
        reaching = self.reaching_bindings(owner)
        if not reaching or len(reaching) != 1 or reaching[0].kind != "param":
            return None
        method = reaching[0].stmt
        if _instance_parameter(method, self._parents.get(method)) != owner.id:
            return None
        return method

    def _attributes(self) -> dict[tuple[ast.AST | None, str], list[tuple | None]]:
        """(class, attribute) -> what is assigned to `self.<attribute>` in its methods, as
        (annotation, value) pairs; None for an assignment whose value cannot be told."""
        if self._instance_attributes is not None:
            return self._instance_attributes
        found: dict[tuple[ast.AST | None, str], list[tuple | None]] = {}
        binders = self._binders
        if binders is None:
            binders = [node for node in ast.walk(self.tree) if type(node) in BINDING_NODE_TYPES]
        for node in binders:
            node_type = type(node)
            if node_type is ast.Assign:
                pairs = [(target, (None, node.value)) for target in node.targets]
            elif node_type is ast.AnnAssign:
                pairs = [(node.target, (node.annotation, node.value))]
            elif node_type is ast.AugAssign:
                pairs = [(node.target, None)]
            else:
                continue
            scope = self.enclosing_scope(node)
            if node_type is ast.AnnAssign and type(scope) is ast.ClassDef:
                if isinstance(node.target, ast.Name):  # `df: DataFrame` in the class body
                    found.setdefault((scope, node.target.id), []).append((node.annotation, None))
                continue
            if type(scope) not in (ast.FunctionDef, ast.AsyncFunctionDef):
                continue
            owner = _instance_parameter(scope, self._parents.get(scope))
            if owner is None:
                continue
            for target, assigned in pairs:
                for element in ast.walk(target):
                    if (
                        type(element) is ast.Attribute
                        and type(element.value) is ast.Name
                        and element.value.id == owner
                    ):
                        unpacked = element is not target
                        key = (self._parents.get(scope), element.attr)
                        found.setdefault(key, []).append(None if unpacked else assigned)
        self._instance_attributes = found
        return found

    def _infer_subscript(self, expr: ast.Subscript) -> str | None:
        if self.kind_of(expr.value) != DATAFRAME:
            return None
        index = expr.slice
        if isinstance(index, ast.Constant) and isinstance(index.value, (str, int)):
            return COLUMN
        if isinstance(index, (ast.List, ast.Tuple)):
            return DATAFRAME
        return COLUMN if self.kind_of(index) == COLUMN else None

    def _infer_binop(self, expr: ast.BinOp) -> str | None:
        if COLUMN in (self.kind_of(expr.left), self.kind_of(expr.right)):
            return COLUMN
        return None

    def _infer_compare(self, expr: ast.Compare) -> str | None:
        if len(expr.ops) != 1 or isinstance(expr.ops[0], (ast.In, ast.NotIn, ast.Is, ast.IsNot)):
            return None
        if COLUMN in (self.kind_of(expr.left), self.kind_of(expr.comparators[0])):
            return COLUMN
        return None

    def _infer_unary(self, expr: ast.UnaryOp) -> str | None:
        if isinstance(expr.op, ast.Not):
            return None
        return COLUMN if self.kind_of(expr.operand) == COLUMN else None

    def _infer_named_expr(self, expr: ast.NamedExpr) -> str | None:
        return self.kind_of(expr.value)

    def _infer_await(self, expr: ast.Await) -> str | None:
        return None


def _is_self_update(binding: Binding) -> bool:
    """`name = name.method(...)...`: an assignment whose value is a method chain on the name."""
    if binding.kind != "assign":
        return False
    root, links = SemanticModel.method_chain(binding.value)
    return bool(links) and isinstance(root, ast.Name) and root.id == binding.name


def _chain_result(kind: str, value: ast.AST) -> str | None:
    """The kind of a method chain applied to a receiver of `kind`."""
    _, links = SemanticModel.method_chain(value)
    result: str | None = kind
    for name, call in links:
        if result is None:
            return None
        if call is None:
            result = spark_api.attribute_result(result, name)
        else:
            result = spark_api.method_result(result, name)
    return result


def _literal_kind(model: SemanticModel, expr: ast.AST) -> str:
    return OTHER


_INFERENCE: dict[type, Callable[[SemanticModel, ast.AST], str | None]] = {
    ast.Name: SemanticModel._infer_name,
    ast.Call: SemanticModel._infer_call,
    ast.Attribute: SemanticModel._infer_attribute,
    ast.Subscript: SemanticModel._infer_subscript,
    ast.BinOp: SemanticModel._infer_binop,
    ast.Compare: SemanticModel._infer_compare,
    ast.UnaryOp: SemanticModel._infer_unary,
    ast.NamedExpr: SemanticModel._infer_named_expr,
    ast.Constant: _literal_kind,
    ast.List: _literal_kind,
    ast.Tuple: _literal_kind,
    ast.Dict: _literal_kind,
    ast.Set: _literal_kind,
    ast.ListComp: _literal_kind,
    ast.SetComp: _literal_kind,
    ast.DictComp: _literal_kind,
    ast.JoinedStr: _literal_kind,
    ast.Lambda: _literal_kind,
}


def _qualified_in_module(model: SemanticModel, expr: ast.AST) -> str | None:
    if isinstance(expr, ast.Name):
        candidates = model.bindings(model.tree).get(expr.id, [])
        names = {b.value for b in candidates if b.kind == "import"}
        if len(names) == 1 and len(candidates) == 1:
            return names.pop()
        return None
    if isinstance(expr, ast.Attribute):
        base = _qualified_in_module(model, expr.value)
        return f"{base}.{expr.attr}" if base else None
    return None


def _is_main_test(test: ast.AST) -> bool:
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return False
    if not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, test.comparators[0]]
    has_name = any(isinstance(side, ast.Name) and side.id == "__name__" for side in sides)
    has_main = any(isinstance(side, ast.Constant) and side.value == "__main__" for side in sides)
    return has_name and has_main


_NO_BINDINGS: dict[str, list[Binding]] = {}


# A block's statement lists, in the order they appear in the source (`try`: body, except
# clauses, else, finally; `for`/`while`/`if`: body, else).
_STATEMENT_LISTS = ("body", "handlers", "orelse", "finalbody")


def _statement_list(block: ast.AST, child: ast.AST) -> list[ast.AST] | None:
    """The statement list of `block` that holds its direct child `child`, or None when the
    child is no statement of it (an `if` test, a `for` iterable). Found by position: the
    lists follow one another in the source, so the last one starting at or before the child
    holds it; no list is searched."""
    position = (child.lineno, child.col_offset)
    found = None
    for field_name in _STATEMENT_LISTS:
        statements = getattr(block, field_name, None)
        if statements.__class__ is list and statements:
            first = statements[0]
            if (first.lineno, first.col_offset) <= position:
                found = statements
    return found


def _instance_parameter(function: ast.AST, parent: ast.AST | None) -> str | None:
    """The name of a method's instance parameter (`self`), or None when `function` is not a
    plain method of the class `parent` (a static or class method, a nested function)."""
    if type(function) not in (ast.FunctionDef, ast.AsyncFunctionDef) or type(parent) is not (
        ast.ClassDef
    ):
        return None
    for decorator in function.decorator_list:
        if isinstance(decorator, ast.Name) and decorator.id in ("staticmethod", "classmethod"):
            return None
    positional = [*function.args.posonlyargs, *function.args.args]
    return positional[0].arg if positional else None
