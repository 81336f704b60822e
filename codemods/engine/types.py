"""The values the engine hands to every door: edits, fixes, diagnostics and fix results.

Positions everywhere are 1-based lines and 1-based columns counted in characters (code points,
not UTF-8 bytes), exactly what the text and JSON outputs print. An end position is exclusive:
it names the character just after the range, as Ruff's `end_location` does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]
Applicability = Literal["safe", "unsafe"]


@dataclass(frozen=True, order=True, slots=True)
class Position:
    """A place in a source text: 1-based line, 1-based column in characters."""

    line: int
    column: int

    def to_dict(self) -> dict[str, int]:
        return {"line": self.line, "column": self.column}


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text from `start` (inclusive) to `end` (exclusive) with `content`."""

    start: Position
    end: Position
    content: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start.to_dict(), "end": self.end.to_dict(), "content": self.content}


@dataclass(frozen=True, slots=True)
class Fix:
    """A set of edits that together repair one finding.

    `message` is the fix title, written as a command: "Replace with `isEmpty()`".
    """

    edits: tuple[Edit, ...]
    applicability: Applicability
    message: str

    @property
    def is_safe(self) -> bool:
        return self.applicability == "safe"

    def to_dict(self) -> dict[str, Any]:
        return {
            "applicability": self.applicability,
            "message": self.message,
            "edits": [edit.to_dict() for edit in self.edits],
        }


_EDITS_SLOT = Fix.__dict__["edits"]  # the slot `DeferredFix` fills on first use


class DeferredFix(Fix):
    """A fix whose edits are computed the first time someone reads `edits`.

    For fixes that cost far more than finding the problem (libcst rewrites: a second parse
    of the whole file and a scope analysis). `toolkit lint` in text form only needs to know a
    fix exists; `fix`, JSON and SARIF output and an editor's code action read the edits and
    pay then. `compute` returns the edits, or None when there is nothing to do after all;
    `edits` is then empty, which every consumer already treats as "nothing to apply".
    Pickles (to and from worker processes) as a plain `Fix` with its edits.
    """

    __slots__ = ("_compute", "failure")

    def __init__(
        self,
        compute: Callable[[], Iterable[Edit] | None],
        applicability: Applicability,
        message: str,
    ) -> None:
        object.__setattr__(self, "_compute", compute)
        # Why computing the edits raised, if it did: a door reports it as TK999 instead of
        # crashing long after the rule ran (the engine's own guard no longer covers it).
        object.__setattr__(self, "failure", None)
        object.__setattr__(self, "applicability", applicability)
        object.__setattr__(self, "message", message)

    @property
    def edits(self) -> tuple[Edit, ...]:  # type: ignore[override]
        try:
            return _EDITS_SLOT.__get__(self)
        except AttributeError:
            try:
                computed = self._compute()
            except Exception as error:  # a bug in a rule's fix must not stop a run
                object.__setattr__(self, "failure", f"{type(error).__name__}: {error}")
                computed = None
            edits = tuple(computed) if computed is not None else ()
            _EDITS_SLOT.__set__(self, edits)
            object.__setattr__(self, "_compute", None)  # let go of the file's trees
            return edits

    @property
    def is_computed(self) -> bool:
        try:
            _EDITS_SLOT.__get__(self)
        except AttributeError:
            return False
        return True

    def __reduce__(self) -> tuple[Any, ...]:
        return (Fix, (self.edits, self.applicability, self.message))


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding of one rule at one range of one file."""

    code: str
    name: str
    message: str
    severity: Severity
    start: Position
    end: Position
    fix: Fix | None = None
    url: str | None = None

    def sort_key(self) -> tuple[int, int, str, int, int]:
        return (self.start.line, self.start.column, self.code, self.end.line, self.end.column)

    def to_dict(self, *, path: str | None = None, cell: int | None = None) -> dict[str, Any]:
        """The JSON shape of `toolkit lint --format json`; `path` and `cell` are filled in by the door."""
        return {
            "code": self.code,
            "name": self.name,
            "message": self.message,
            "severity": self.severity,
            "path": path,
            "cell": cell,
            "start": self.start.to_dict(),
            "end": self.end.to_dict(),
            "fix": self.fix.to_dict() if self.fix else None,
            "url": self.url,
        }


@dataclass(frozen=True, slots=True)
class FixResult:
    """What `fix()` returns: the new text, how many fixes went in, what is still reported."""

    source: str
    applied: int
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.applied > 0
