"""Code actions and hovers built from the engine's findings for one document. Pure."""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types

from codemods.engine.types import Diagnostic
from lsp.convert import (
    SOURCE,
    protocol_range,
    to_protocol_diagnostic,
    to_text_edit,
    whole_text_edit,
)
from lsp.noqa import code_at, disable_code_edit
from lsp.text import UTF16, Document

FIX_ALL_KIND = "source.fixAll.toolkit"
QUICKFIX = types.CodeActionKind.QuickFix


def _document_edit(document: Document, edits: Sequence[types.TextEdit]) -> types.WorkspaceEdit:
    """Edits tied to the version they were computed for: a client refuses them once the
    document has moved on, rather than applying them to the wrong text."""
    return types.WorkspaceEdit(
        document_changes=[
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(
                    uri=document.uri, version=document.version
                ),
                edits=list(edits),
            )
        ]
    )


def wants(only: Sequence[str] | None, kind: str) -> bool:
    """Whether a request limited to the kinds `only` asks for actions of `kind`."""
    if not only:
        return True
    return any(kind == wanted or kind.startswith(f"{wanted}.") for wanted in only)


def fix_actions(
    document: Document,
    diagnostics: Sequence[Diagnostic],
    request: types.Range,
    encoding: str = UTF16,
    context_diagnostics: Sequence[types.Diagnostic] = (),
) -> list[types.CodeAction]:
    """For each finding touching `request`, or sent back by the client in the request's
    context: its fix (safe ones preferred, unsafe ones titled so), then "Disable CODE for
    this line"."""
    fixes: list[types.CodeAction] = []
    disables: list[types.CodeAction] = []
    seen_disables: set[tuple[str, int]] = set()
    asked = {
        (str(d.code), d.range.start.line, d.range.start.character)
        for d in context_diagnostics
        if d.source in (None, SOURCE)
    }
    for diagnostic in diagnostics:
        found = protocol_range(document, diagnostic.start, diagnostic.end, encoding)
        key = (diagnostic.code, found.start.line, found.start.character)
        if not _touches(found, request) and key not in asked:
            continue
        protocol_diagnostic = to_protocol_diagnostic(document, diagnostic, encoding)
        fix = diagnostic.fix
        if fix is not None and fix.edits:
            title = fix.message or f"Fix {diagnostic.code}"
            if not fix.is_safe:
                title = f"{title} (unsafe fix)"
            fixes.append(
                types.CodeAction(
                    title=f"{diagnostic.code}: {title}",
                    kind=QUICKFIX,
                    diagnostics=[protocol_diagnostic],
                    is_preferred=fix.is_safe,
                    edit=_document_edit(
                        document, [to_text_edit(document, edit, encoding) for edit in fix.edits]
                    ),
                )
            )
        key = (diagnostic.code, diagnostic.start.line)
        if key in seen_disables:
            continue
        seen_disables.add(key)
        line_edit = disable_code_edit(document.text, diagnostic.start.line, diagnostic.code)
        if line_edit is None:
            continue
        line = line_edit.line - 1
        start = document.engine_to_protocol(line_edit.line, line_edit.start + 1, encoding)
        end = document.engine_to_protocol(line_edit.line, line_edit.end + 1, encoding)
        disables.append(
            types.CodeAction(
                title=f"Disable {diagnostic.code} for this line",
                kind=QUICKFIX,
                diagnostics=[protocol_diagnostic],
                edit=_document_edit(
                    document,
                    [
                        types.TextEdit(
                            range=types.Range(
                                start=types.Position(line=line, character=start[1]),
                                end=types.Position(line=line, character=end[1]),
                            ),
                            new_text=line_edit.content,
                        )
                    ],
                ),
            )
        )
    fixes.sort(key=lambda action: not action.is_preferred)  # safe fixes first
    return fixes + disables


def fix_all_action(
    document: Document, fixed_text: str, encoding: str = UTF16
) -> types.CodeAction | None:
    """`source.fixAll.toolkit`: every safe fix at once, or None when nothing changes."""
    if fixed_text == document.text:
        return None
    return types.CodeAction(
        title="toolkit: Fix all safe problems",
        kind=FIX_ALL_KIND,
        edit=_document_edit(document, [whole_text_edit(document, fixed_text, encoding)]),
    )


def _touches(found: types.Range, request: types.Range) -> bool:
    def pair(position: types.Position) -> tuple[int, int]:
        return position.line, position.character

    return pair(found.start) <= pair(request.end) and pair(request.start) <= pair(found.end)


def hover(
    document: Document,
    diagnostics: Sequence[Diagnostic],
    line: int,
    character: int,
    encoding: str = UTF16,
) -> types.Hover | None:
    """The rule's documentation for a code in a `# noqa` comment under the cursor, or for
    each finding whose range holds the cursor."""
    from codemods.rules import get_rule

    _, engine_column = document.protocol_to_engine(line, character, encoding)
    codes: list[str] = []
    hover_range: types.Range | None = None
    noqa_code = code_at(document.line_text(line), engine_column - 1)
    if noqa_code is not None:
        codes.append(noqa_code)
    else:
        for diagnostic in diagnostics:
            found = protocol_range(document, diagnostic.start, diagnostic.end, encoding)
            cursor = types.Range(
                start=types.Position(line=line, character=character),
                end=types.Position(line=line, character=character),
            )
            if _touches(found, cursor) and diagnostic.code not in codes:
                codes.append(diagnostic.code)
                hover_range = hover_range or found
    sections = []
    for code in codes:
        rule = get_rule(code)
        if rule is None:
            continue
        sections.append(
            f"# {rule.code} {rule.name}\n\n{rule.documentation()}\n\n[{rule.code} in the "
            f"rule reference]({rule.url()})"
        )
    if not sections:
        return None
    return types.Hover(
        contents=types.MarkupContent(
            kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(sections)
        ),
        range=hover_range,
    )
