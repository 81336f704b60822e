"""The rule API: subclass `Rule`, declare what you flag, check nodes, report through `ctx`.

A rule module holds one class named after the pattern it flags. Its docstring is its user
documentation (sections in `DOC_SECTIONS`), its `valid`/`invalid` examples are its tests.
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from codemods.engine.types import Severity

if TYPE_CHECKING:
    from codemods.engine.context import RuleContext
    from codemods.engine.options import LintSettings

DOC_SECTIONS = (
    "What it does",
    "Why is this bad?",
    "Example",
    "Use instead",
    "Fix safety",
    "References",
)
RULE_DOCS_URL = "https://github.com/dataeng-toolkit/toolkit/blob/main/docs/rules.md#{anchor}"


@dataclass(frozen=True)
class Invalid:
    """An example the rule must flag.

    - `source`: the code (dedented automatically).
    - `at`: 1-based (line, column) of each expected diagnostic start, in order; or only
      `count` when positions would be noise.
    - `fixed`: the expected text after `fix(..., unsafe=unsafe)` selecting only this rule;
      None when the rule offers no fix for this example (then fixing must change nothing).
    - `unsafe`: the fix is unsafe, so apply it with `unsafe=True` (and prove the safe pass
      leaves the text alone).
    - `path`, `settings`: where and how to lint, when the rule depends on them.
    """

    source: str
    at: Sequence[tuple[int, int]] | None = None
    count: int | None = None
    fixed: str | None = None
    unsafe: bool = False
    path: str = "example.py"
    settings: LintSettings | None = None

    @property
    def text(self) -> str:
        """The example's source as linted (dedented)."""
        return example_text(self.source)

    @property
    def fixed_text(self) -> str | None:
        return None if self.fixed is None else example_text(self.fixed)

    @property
    def expected_count(self) -> int:
        if self.at is not None:
            return len(self.at)
        return 1 if self.count is None else self.count


@dataclass(frozen=True)
class Valid:
    """An example the rule must not flag (plain strings in `valid` are accepted too)."""

    source: str
    path: str = "example.py"
    settings: LintSettings | None = None

    @property
    def text(self) -> str:
        """The example's source as linted (dedented)."""
        return example_text(self.source)


def example_text(source: str) -> str:
    """Examples are written indented inside the class: dedent and drop the first newline."""
    text = textwrap.dedent(source)
    return text[1:] if text.startswith("\n") else text


class Rule:
    """Base class of every lint rule.

    Subclasses set the class attributes and implement `check(node, ctx)`, called once for
    every node whose type is in `node_types`, in no particular order. Report with
    `ctx.report(node, ...)`. A rule keeps no state between files: the engine creates one
    instance per file, so per-file state in `__init__` is fine.
    """

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity] = "warning"
    node_types: ClassVar[tuple[type[ast.AST], ...]] = ()
    # When set, `Call`, `Attribute` and `Name` nodes reach `check` only when their name is
    # listed: a call's method or function name (`df.count()` -> "count", `len(x)` -> "len"),
    # an attribute's name, a name's identifier. The engine filters in its walk, which is far
    # cheaper than a Python call per node. Other node types in `node_types` are not filtered.
    names: ClassVar[frozenset[str]] = frozenset()
    message: ClassVar[str] = ""
    opt_in: ClassVar[bool] = False
    library_only: ClassVar[bool] = False
    fixable: ClassVar[bool] = False
    valid: ClassVar[Sequence[str | Valid]] = ()
    invalid: ClassVar[Sequence[Invalid]] = ()

    def check(self, node: ast.AST, ctx: RuleContext) -> None:
        raise NotImplementedError(f"{type(self).__name__} must implement check()")

    @classmethod
    def url(cls) -> str:
        return RULE_DOCS_URL.format(anchor=f"{cls.code.lower()}-{cls.name}")

    @classmethod
    def documentation(cls) -> str:
        """The rule's docstring, dedented: what `toolkit rule CODE` prints."""
        return textwrap.dedent(cls.__doc__ or "").strip()

    @classmethod
    def summary(cls) -> str:
        """The first paragraph of the "What it does" section."""
        doc = cls.documentation()
        _, _, rest = doc.partition("## What it does")
        return rest.strip().split("\n\n", 1)[0].replace("\n", " ").strip()

    @classmethod
    def missing_doc_sections(cls) -> list[str]:
        doc = cls.documentation()
        return [section for section in DOC_SECTIONS if f"## {section}" not in doc]
