"""Fixes computed with libcst, for rewrites that must keep every comment and space
(re-qualifying names, merging `withColumn` calls, adding an import).

libcst is imported only here and only when a fix is computed: detection stays on `ast`.
The rewritten module is reduced to the one minimal text edit that turns the old text into
the new, so the fix travels like any other (JSON, LSP code actions, overlap checks).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from codemods.engine.positions import common_affixes
from codemods.engine.types import Applicability, DeferredFix, Edit, Fix

if TYPE_CHECKING:
    from codemods.engine.context import RuleContext


def minimal_edit(ctx: RuleContext, new_source: str) -> Edit | None:
    """The smallest single edit turning `ctx.source` into `new_source` (None if equal)."""
    old = ctx.source
    if old == new_source:
        return None
    prefix, suffix = common_affixes(old, new_source)
    start = ctx.lines.position_of_offset(prefix)
    end = ctx.lines.position_of_offset(len(old) - suffix)
    return Edit(start, end, new_source[prefix : len(new_source) - suffix])


def cst_fix(
    ctx: RuleContext,
    transform: Callable[[Any], Any],
    *,
    message: str,
    applicability: Applicability = "safe",
) -> Fix | None:
    """A fix from a libcst transform of the whole module, computed when first read.

    `transform` receives a `libcst.Module` (parsed from `ctx.source`) and returns the new
    `libcst.Module` (e.g. `module.visit(MyTransformer())`, or a codemod's result). The
    returned `DeferredFix` runs it only when someone reads its `edits` (`toolkit fix`, JSON or
    SARIF output, an editor's code action): a lint that only shows `[*]` never parses the
    file with libcst. Its edits are empty when the transform changes nothing or libcst
    cannot parse the file.
    """

    def compute() -> tuple[Edit, ...] | None:
        module = cst_module(ctx)
        if module is None:
            return None
        edit = minimal_edit(ctx, transform(module).code)
        return None if edit is None else (edit,)

    return DeferredFix(compute, applicability, message)


def cst_module(ctx: RuleContext):
    """The file parsed with libcst (cached on the context's file), for rules that need to
    inspect the lossless tree while building a fix; None when libcst cannot parse it."""
    import libcst

    file = ctx._file
    cached = getattr(file, "_cst_module", False)
    if cached is False:
        try:
            cached = libcst.parse_module(ctx.source)
        except libcst.ParserSyntaxError:
            cached = None
        file._cst_module = cached
    return cached
