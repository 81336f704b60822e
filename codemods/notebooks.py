"""Notebooks as Python text for the linter, and back.

Two formats, one view (`NotebookView`): the Python text the engine lints, the notebook's cells
(kind, language, where they start) so rules can look at `%run` and `%sql` cells, the magic
lines, and a map from a position in the Python text to the position a user sees.

- Databricks source notebooks (`.py` starting with `# Databricks notebook source`): the Python
  text has exactly the file's lines; `# MAGIC` lines and non-Python cells become blank lines, so
  a finding's line is the file's own line and no mapping is needed.
- Jupyter `.ipynb`: the code cells are concatenated; IPython magics (`%x`, `!cmd`, `x = !cmd`,
  `%%sql` cells, Databricks' `%sql` first lines) are blanked. `to_cell_position` maps a Python
  line back to `(cell, line, column)`, and `IpynbNotebook.with_python_text` writes a fixed
  Python text back into the JSON, changing only the `source` of the cells that changed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.errors import ToolkitError

__all__ = [
    "CELL_SEPARATOR",
    "NOTEBOOK_HEADER",
    "Cell",
    "CellPosition",
    "IpynbNotebook",
    "Magic",
    "NotebookError",
    "NotebookView",
    "blank_lines",
    "cell_line_spans",
    "cell_source_lines",
    "is_databricks_notebook",
    "notebook_view",
    "parse_ipynb",
    "parse_source_notebook",
]

NOTEBOOK_HEADER = "# Databricks notebook source"
CELL_SEPARATOR = "# COMMAND ----------"
_MAGIC_PREFIX = re.compile(r"^# MAGIC(?: |$)")
_MAGIC_COMMAND = re.compile(r"^%%?([A-Za-z][\w-]*)\s*(.*)$")
# Languages Databricks and Jupyter switch a whole cell to.
_CELL_LANGUAGES = {
    "md": "markdown",
    "md-sandbox": "markdown",
    "markdown": "markdown",
    "sql": "sql",
    "scala": "scala",
    "r": "r",
    "sh": "shell",
    "bash": "shell",
    "fs": "fs",
    "html": "html",
    "javascript": "javascript",
    "js": "javascript",
    "latex": "latex",
    "writefile": "text",
    "python": "python",
    "py": "python",
}
# Cell magics whose body is still Python: keep the body, blank the magic line.
_PYTHON_BODY_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "python", "py"})
_SHELL_ASSIGNMENT = re.compile(r"^\s*[A-Za-z_][\w.,\s]*=\s*[!%]")


class NotebookError(ToolkitError):
    """A notebook that cannot be read: bad JSON, not a notebook, or an edit that cannot apply."""

    def __init__(self, path: Path | str | None, message: str, *, line: int = 0, column: int = 0):
        where = str(path) if path is not None else "<notebook>"
        if line:
            where += f":{line}:{column}" if column else f":{line}"
        super().__init__(f"{where}: {message}")
        self.path = Path(path) if path is not None else None
        self.line = line
        self.column = column
        self.reason = message


@dataclass(frozen=True)
class Magic:
    """A magic line (`%run ./x`, `%pip install y`, `!ls`) at its line in the Python text."""

    line: int  # 1-based line in the Python text
    column: int  # 1-based column of `%` / `!` in the original line
    command: str  # "run", "pip", "sql", "sh" (for `!`)
    args: str


@dataclass(frozen=True)
class Cell:
    """One cell. Lines are in Python-text coordinates (for `.py` notebooks: the file's lines)."""

    number: int  # 1-based position in the notebook, counting every cell
    kind: str  # "code" | "markdown" | "raw"
    language: str  # "python", "sql", "markdown", "shell", "run", "pip", "scala", ...
    start_line: int | None  # first line in the Python text; None when not in it (markdown)
    text: str  # the cell's own content, magic prefix and language line removed
    magic: str | None = None  # the cell magic ("sql", "run", "md"), if any
    magic_args: str = ""
    # Per line of `text`, the columns stripped from the original (`# MAGIC ` is 8): lets a
    # rule turn a position inside `text` into a position in the file.
    column_offsets: tuple[int, ...] = ()
    text_line_offset: int = 0  # lines between `start_line` and the first line of `text`

    def python_position(self, line: int, column: int) -> tuple[int, int]:
        """A 1-based `(line, column)` inside `text` as a position in the Python text."""
        if self.start_line is None:
            raise ValueError(f"cell {self.number} is not part of the Python text")
        offset = self.column_offsets[line - 1] if 0 < line <= len(self.column_offsets) else 0
        return self.start_line + self.text_line_offset + line - 1, column + offset


@dataclass(frozen=True)
class CellPosition:
    cell: int  # 1-based
    line: int  # 1-based within the cell
    column: int  # 1-based


@dataclass(frozen=True)
class NotebookView:
    """What the engine needs from a notebook, whichever its format."""

    python_text: str
    cells: tuple[Cell, ...]
    magics: tuple[Magic, ...]
    # For `.ipynb`: per Python line (index 0 = line 1), (cell number, line within cell).
    # Empty for source notebooks, whose Python lines are the file's own.
    line_map: tuple[tuple[int, int], ...] = ()

    @property
    def cell_count(self) -> int:
        return len(self.cells)

    def to_cell_position(self, line: int, column: int) -> CellPosition | None:
        """The `.ipynb` cell position of a Python-text position; None for source notebooks."""
        if not self.line_map:
            return None
        if line > len(self.line_map):  # end of text: the end of the last cell
            cell, cell_line = self.line_map[-1]
            return CellPosition(cell, cell_line + 1, 1)
        cell, cell_line = self.line_map[max(line, 1) - 1]
        return CellPosition(cell, cell_line, column)


def _split_lines(text: str) -> list[str]:
    """Lines with their endings (`\\n` or `\\r\\n`) kept; never splits on other characters."""
    lines = text.split("\n")
    out = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        out.append(lines[-1])
    return out


def _ending(line: str) -> str:
    if line.endswith("\r\n"):
        return "\r\n"
    return "\n" if line.endswith("\n") else ""


def _content(line: str) -> str:
    return line.rstrip("\r\n")


def notebook_view(path: Path | str, text: str) -> NotebookView | None:
    """The notebook view of a file, or None for a plain Python file.

    `.ipynb` files are parsed as JSON (`NotebookError` when malformed); `.py` files are
    Databricks source notebooks when their first line says so.
    """
    if str(path).endswith(".ipynb"):
        return parse_ipynb(text, path=path).view
    if is_databricks_notebook(text):
        return parse_source_notebook(text)
    return None


def cell_line_spans(python_text: str, view: NotebookView) -> dict[int, range]:
    """Per cell number, the lines (1-based) of the Python text that hold the cell.

    For `.ipynb` from the line map; for source notebooks the lines between two separators
    (the header and the `# COMMAND ----------` lines belong to no cell).
    """
    spans: dict[int, range] = {}
    if view.line_map:
        for line, (cell, _) in enumerate(view.line_map, start=1):
            first = spans[cell].start if cell in spans else line
            spans[cell] = range(first, line + 1)
        return spans
    lines = _split_lines(python_text)
    start, number = 1, 1
    for index in range(1, len(lines) + 1):
        if index == len(lines) or _content(lines[index]).rstrip() == CELL_SEPARATOR:
            spans[number] = range(start + 1, index + 1)  # 0-based [start, index) as lines
            start, number = index + 1, number + 1
    return spans


def blank_lines(
    python_text: str, *, keep: range | None = None, drop: set[int] = frozenset()
) -> str:
    """`python_text` with lines emptied (their endings kept, so every position stays put):
    every line outside `keep` when given, and every line in `drop`."""
    lines = _split_lines(python_text)
    out = []
    for number, line in enumerate(lines, start=1):
        if (keep is not None and number not in keep) or number in drop:
            out.append(_ending(line))
        else:
            out.append(line)
    return "".join(out)


# ---- Databricks source notebooks ---------------------------------------------------------


def is_databricks_notebook(text: str) -> bool:
    """True when `text` starts with `# Databricks notebook source` (BOM, CRLF allowed)."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    return first.rstrip() == NOTEBOOK_HEADER


def parse_source_notebook(text: str) -> NotebookView:
    """The lintable view of a Databricks source notebook; line N of the view is line N of `text`."""
    lines = _split_lines(text)
    python_lines = list(lines)
    cells: list[Cell] = []
    magics: list[Magic] = []
    # Cell boundaries: line 1 is the header; separators split the rest.
    bounds: list[tuple[int, int]] = []  # 0-based [start, end) line indexes
    start = 1
    for index in range(1, len(lines)):
        if _content(lines[index]).rstrip() == CELL_SEPARATOR:
            bounds.append((start, index))
            start = index + 1
    bounds.append((start, len(lines)))
    for number, (first, end) in enumerate(bounds, start=1):
        body = [i for i in range(first, end) if _content(lines[i]).strip()]
        if not body:
            cells.append(Cell(number, "code", "python", first + 1, "", column_offsets=()))
            continue
        cells.append(_source_cell(number, lines, body[0], body[-1] + 1, python_lines, magics))
    return NotebookView("".join(python_lines), tuple(cells), tuple(magics))


def _source_cell(
    number: int,
    lines: list[str],
    first: int,
    end: int,
    python_lines: list[str],
    magics: list[Magic],
) -> Cell:
    # A cell may open with `# DBTITLE 1,Title`; the magic, if any, is the next line.
    head = first
    if _content(lines[head]).startswith("# DBTITLE") and head + 1 < end:
        head += 1
    is_magic_cell = _MAGIC_PREFIX.match(_content(lines[head])) is not None
    for index in range(first, end):
        match = _MAGIC_PREFIX.match(_content(lines[index]))
        if match is None:
            continue
        python_lines[index] = _ending(lines[index])
        stripped = _content(lines[index])[match.end() :]
        command = _MAGIC_COMMAND.match(stripped.lstrip())
        if command and stripped.lstrip().startswith("%"):
            column = match.end() + len(stripped) - len(stripped.lstrip()) + 1
            magics.append(Magic(index + 1, column, command.group(1), command.group(2).strip()))
    if not is_magic_cell:
        text = "".join(_content(line) + "\n" for line in lines[first:end])
        return Cell(number, "code", "python", first + 1, text, column_offsets=(0,) * (end - first))
    stripped_lines: list[str] = []
    offsets: list[int] = []
    for index in range(head, end):
        raw = _content(lines[index])
        match = _MAGIC_PREFIX.match(raw)
        cut = match.end() if match else 0
        stripped_lines.append(raw[cut:])
        offsets.append(cut)
    command = _MAGIC_COMMAND.match(stripped_lines[0].strip())
    magic = command.group(1) if command else None
    args = command.group(2).strip() if command else ""
    language = _CELL_LANGUAGES.get(magic or "", magic or "python")
    kind = "markdown" if language == "markdown" else "code"
    # The language line itself (`%sql`) is not part of the cell's text; `%run x` keeps nothing.
    body, body_offsets, skipped = stripped_lines[1:], offsets[1:], head - first + 1
    if magic in _CELL_LANGUAGES and args:
        # `%sql SELECT 1` on one line: the text starts after the magic word.
        body = [args, *body]
        body_offsets = [offsets[0] + stripped_lines[0].index(args), *body_offsets]
        skipped -= 1
    elif magic not in _CELL_LANGUAGES:
        body, body_offsets, skipped = stripped_lines, offsets, head - first
    text = "\n".join(body) + ("\n" if body else "")
    return Cell(
        number,
        kind,
        language,
        first + 1,
        text,
        magic=magic,
        magic_args=args,
        column_offsets=tuple(body_offsets),
        text_line_offset=skipped,
    )


# ---- Jupyter notebooks ------------------------------------------------------------------


@dataclass
class IpynbNotebook:
    """A parsed `.ipynb`: the raw JSON (order kept for writing back) and its lintable view."""

    path: Path | None
    document: dict[str, Any]
    view: NotebookView
    text: str  # the JSON as read: writes splice into it, so the rest stays byte for byte
    ensure_ascii: bool = False
    upgraded: bool = False  # converted from nbformat 3: readable, not writable
    # Python-text line ranges of each code cell: cell number -> (first line, line count).
    _cell_spans: dict[int, tuple[int, int]] = field(default_factory=dict)

    def with_python_text(self, new_python_text: str) -> str:
        """The notebook JSON with the code cells replaced by `new_python_text`'s lines.

        `new_python_text` is this notebook's Python text after fixes. Only cells whose lines
        changed get a new `source`; outputs, metadata, ids and formatting stay as they were.
        Raises `NotebookError` when a change touches a magic line or crosses two cells.
        """
        import difflib

        old_lines = _split_lines(self.view.python_text)
        new_lines = _split_lines(new_python_text)
        cell_of_line = [cell for cell, _ in self.view.line_map]
        protected = {m.line for m in self.view.magics} | self._non_python_lines()
        if len(old_lines) == len(new_lines):
            # Most fixes keep the line count: compare line by line, no diff needed.
            opcodes = [
                ("replace", i, i + 1, i, i + 1)
                for i, (old, new) in enumerate(zip(old_lines, new_lines, strict=True))
                if old != new
            ]
        else:
            matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
            opcodes = matcher.get_opcodes()
        replacements: dict[int, list[tuple[int, int, list[str]]]] = {}
        for tag, i1, i2, j1, j2 in opcodes:
            if tag == "equal":
                continue
            if not cell_of_line:
                raise NotebookError(self.path, "cannot add code to a notebook without code cells")
            # A pure insertion belongs to the cell of the line before it (or the first cell).
            touched = {cell_of_line[i] for i in range(i1, i2)} or {cell_of_line[max(i1 - 1, 0)]}
            if len(touched) > 1:
                raise NotebookError(self.path, "a fix spans two cells; not applied")
            if any(i + 1 in protected for i in range(i1, i2)):
                raise NotebookError(self.path, "a fix touches a magic line; not applied")
            replacements.setdefault(touched.pop(), []).append((i1, i2, new_lines[j1:j2]))
        if replacements and self.upgraded:
            raise NotebookError(self.path, "nbformat 3 notebooks are read-only; save as version 4")
        new_sources: dict[int, Any] = {}
        for cell, changes in replacements.items():
            first, _count = self._cell_spans[cell]
            raw_source = self.document["cells"][cell - 1].get("source", "")
            old_source = _source_text(raw_source)
            # The Python lines are the cell's own lines with magics blanked, and no change
            # touches a magic: splice the replaced ranges into the original lines.
            lines = _split_lines(old_source)
            if lines and not lines[-1].endswith("\n"):
                lines[-1] += "\n"  # the concatenation added this newline
            for i1, i2, replacement in sorted(changes, key=lambda c: c[0], reverse=True):
                lines[i1 - (first - 1) : i2 - (first - 1)] = replacement
            new_source = "".join(lines)
            if not old_source.endswith("\n") and new_source.endswith("\n"):
                new_source = new_source[:-1]
            new_sources[cell - 1] = _like_source(raw_source, new_source)
        return _splice_sources(self.text, new_sources, ensure_ascii=self.ensure_ascii)

    def _non_python_lines(self) -> set[int]:
        lines: set[int] = set()
        for cell in self.view.cells:
            if cell.start_line is not None and cell.language != "python":
                first, count = self._cell_spans[cell.number]
                lines.update(range(first, first + count))
        return lines


def _source_text(source: Any) -> str:
    return "".join(source) if isinstance(source, list) else str(source)


def _like_source(old: Any, text: str) -> Any:
    """`text` in the same shape as the old `source` (a list of lines or one string)."""
    if isinstance(old, list):
        return _split_lines(text)
    return text


def parse_ipynb(text: str, *, path: Path | str | None = None) -> IpynbNotebook:
    """Parse `.ipynb` JSON text into its lintable view; `NotebookError` names the fault."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookError(
            path, f"invalid notebook JSON: {exc.msg}", line=exc.lineno, column=exc.colno
        ) from exc
    upgraded = isinstance(document, dict) and "worksheets" in document
    if not isinstance(document, dict) or not isinstance(document.get("cells"), list):
        if upgraded:
            document = _upgrade_v3(document, path)
        else:
            raise NotebookError(path, "not a Jupyter notebook (no 'cells' list)")
    for number, cell in enumerate(document["cells"], start=1):
        if not isinstance(cell, dict) or "cell_type" not in cell:
            raise NotebookError(path, f"cell {number}: not a notebook cell (no 'cell_type')")
        source = cell.get("source", "")
        if not isinstance(source, (str, list)) or (
            isinstance(source, list) and not all(isinstance(s, str) for s in source)
        ):
            raise NotebookError(path, f"cell {number}: 'source' must be text or a list of text")
    python_language = _is_python_notebook(document)
    view, spans = _ipynb_view(document["cells"], python=python_language)
    return IpynbNotebook(
        path=Path(path) if path is not None else None,
        document=document,
        view=view,
        text=text,
        ensure_ascii=_detect_ensure_ascii(text),
        upgraded=upgraded,
        _cell_spans=spans,
    )


def _upgrade_v3(document: dict[str, Any], path: Path | str | None) -> dict[str, Any]:
    # Old (v3) notebooks are rare; nbformat converts them, and is only imported for them.
    import nbformat

    try:
        node = nbformat.from_dict(document)
        return json.loads(json.dumps(nbformat.convert(node, 4)))
    except Exception as exc:  # nbformat raises several types for a broken v3 file
        raise NotebookError(path, f"cannot convert an nbformat 3 notebook: {exc}") from exc


def _is_python_notebook(document: dict[str, Any]) -> bool:
    metadata = document.get("metadata") or {}
    language = (
        (metadata.get("application/vnd.databricks.v1+notebook") or {}).get("language")
        or (metadata.get("kernelspec") or {}).get("language")
        or (metadata.get("language_info") or {}).get("name")
    )
    return language is None or str(language).lower() in ("python", "python3", "pyspark")


_JSON_SPACE = re.compile(r"[ \t\r\n]*")


def _source_value_spans(text: str) -> dict[int, tuple[int, int]]:
    """Where each cell's `source` value sits in the JSON text: cell index -> (start, end)."""
    decoder = json.JSONDecoder()

    def members(start: int) -> Any:
        # Yield (key, value start, value end) for the object starting at `start`.
        index = _JSON_SPACE.match(text, start + 1).end()
        while text[index] != "}":
            key, index = decoder.raw_decode(text, index)
            index = _JSON_SPACE.match(text, index).end() + 1  # past ':'
            value_start = _JSON_SPACE.match(text, index).end()
            _, value_end = decoder.raw_decode(text, value_start)
            yield key, value_start, value_end
            index = _JSON_SPACE.match(text, value_end).end()
            if text[index] == ",":
                index = _JSON_SPACE.match(text, index + 1).end()

    spans: dict[int, tuple[int, int]] = {}
    top = _JSON_SPACE.match(text).end()
    for key, cells_start, _ in members(top):
        if key != "cells":
            continue
        index = _JSON_SPACE.match(text, cells_start + 1).end()
        number = 0
        while text[index] != "]":
            for cell_key, value_start, value_end in members(index):
                if cell_key == "source":
                    spans[number] = (value_start, value_end)
            _, index = decoder.raw_decode(text, index)
            index = _JSON_SPACE.match(text, index).end()
            if text[index] == ",":
                index = _JSON_SPACE.match(text, index + 1).end()
            number += 1
    return spans


def cell_source_lines(text: str) -> dict[int, tuple[int, ...]]:
    """Where each cell's source lines sit in the notebook's JSON text: cell number (1-based)
    -> the JSON line (1-based) of each of its source lines, for reports that address the
    file's own lines (SARIF, GitHub annotations). A source kept as one JSON string puts
    every line on the line of that string. Empty when `text` is not a notebook's JSON."""
    decoder = json.JSONDecoder()
    try:
        spans = _source_value_spans(text)
    except (ValueError, IndexError, AttributeError):  # not the JSON of a notebook
        return {}
    found: dict[int, tuple[int, ...]] = {}
    for index, (start, _end) in spans.items():
        value, _ = decoder.raw_decode(text, start)
        if isinstance(value, str):
            line = text.count("\n", 0, start) + 1
            found[index + 1] = (line,) * max(1, len(_split_lines(value)))
            continue
        lines: list[int] = []
        position = start + 1  # past '['
        for item in value if isinstance(value, list) else ():
            position = _JSON_SPACE.match(text, position).end()
            item_line = text.count("\n", 0, position) + 1
            # One list item is one source line, except an item holding several newlines.
            lines.extend([item_line] * max(1, len(_split_lines(item)) if item else 1))
            _, position = decoder.raw_decode(text, position)
            position = _JSON_SPACE.match(text, position).end() + 1  # past ','
        found[index + 1] = tuple(lines) or (text.count("\n", 0, start) + 1,)
    return found


def _splice_sources(text: str, new_sources: dict[int, Any], *, ensure_ascii: bool) -> str:
    """`text` with the `source` values of the given cells replaced, in the file's own style."""
    if not new_sources:
        return text
    spans = _source_value_spans(text)
    pieces: list[str] = []
    position = 0
    for index in sorted(new_sources):
        start, end = spans[index]
        pieces.append(text[position:start])
        pieces.append(_dump_like(new_sources[index], text, start, end, ensure_ascii=ensure_ascii))
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _line_indent(text: str, position: int) -> str:
    line = text[text.rfind("\n", 0, position) + 1 : position]
    return line[: len(line) - len(line.lstrip(" \t"))]


def _dump_like(value: Any, text: str, start: int, end: int, *, ensure_ascii: bool) -> str:
    """`value` as JSON, laid out like the old value at `text[start:end]`."""
    if isinstance(value, str) or not value:
        return json.dumps(value, ensure_ascii=ensure_ascii)
    old = text[start:end]
    items = [json.dumps(item, ensure_ascii=ensure_ascii) for item in value]
    if "\n" not in old:
        separator = ", " if ", " in old or old == "[]" else ","
        return "[" + separator.join(items) + "]"
    key_indent = _line_indent(text, start)
    first_item = re.match(r"\[\r?\n([ \t]*)", old)
    item_indent = first_item.group(1) if first_item else key_indent + " "
    close = re.search(r"\n([ \t]*)\]$", old)
    close_indent = close.group(1) if close else key_indent
    newline = "\r\n" if "\r\n" in old else "\n"
    body = ("," + newline).join(item_indent + item for item in items)
    return "[" + newline + body + newline + close_indent + "]"


def _detect_ensure_ascii(text: str) -> bool:
    return text.isascii() and re.search(r"\\u(?!00[0-7])[0-9a-fA-F]{4}", text) is not None


def _ipynb_view(
    cells: list[dict[str, Any]], *, python: bool
) -> tuple[NotebookView, dict[int, tuple[int, int]]]:
    python_lines: list[str] = []
    view_cells: list[Cell] = []
    magics: list[Magic] = []
    line_map: list[tuple[int, int]] = []
    spans: dict[int, tuple[int, int]] = {}
    for number, cell in enumerate(cells, start=1):
        cell_type = cell.get("cell_type")
        source = _source_text(cell.get("source", ""))
        if cell_type != "code" or not python:
            kind = (
                "markdown" if cell_type == "markdown" else "raw" if cell_type != "code" else "code"
            )
            language = "markdown" if kind == "markdown" else "text"
            view_cells.append(Cell(number, kind, language, None, source))
            continue
        lines = _split_lines(source)
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        first = len(python_lines) + 1
        spans[number] = (first, len(lines))
        language, magic, args, converted, skipped = _convert_code_cell(lines, first, magics)
        python_lines.extend(converted)
        line_map.extend((number, i) for i in range(1, len(lines) + 1))
        text = "".join(lines[skipped:])
        view_cells.append(
            Cell(
                number,
                "markdown" if language == "markdown" else "code",
                language,
                first,
                text,
                magic=magic,
                magic_args=args,
                column_offsets=(0,) * (len(lines) - skipped),
                text_line_offset=skipped,
            )
        )
    view = NotebookView("".join(python_lines), tuple(view_cells), tuple(magics), tuple(line_map))
    return view, spans


def _convert_code_cell(
    lines: list[str], first: int, magics: list[Magic]
) -> tuple[str, str | None, str, list[str], int]:
    """(language, cell magic, its args, Python lines, lines before the cell's text)."""
    head = next((i for i, line in enumerate(lines) if line.strip()), None)
    opening = lines[head].strip() if head is not None else ""
    command = _MAGIC_COMMAND.match(opening) if opening.startswith("%") else None
    if head is None or command is None:
        return "python", None, "", _blank_line_magics(list(lines), first, magics), 0
    name, args = command.group(1), command.group(2).strip()
    is_cell_magic = opening.startswith("%%")
    language = _CELL_LANGUAGES.get(name)
    if (is_cell_magic and name in _PYTHON_BODY_CELL_MAGICS) or language == "python":
        magics.append(Magic(first + head, _indent(lines[head]) + 1, name, args))
        converted = list(lines)
        converted[head] = "\n"
        body = _blank_line_magics(converted[head + 1 :], first + head + 1, magics)
        return "python", name, args, [*converted[: head + 1], *body], head + 1
    if is_cell_magic or language is not None:
        # The whole cell is another language (`%%sql`, Databricks' `%sql`, `%%bash`).
        magics.append(Magic(first + head, _indent(lines[head]) + 1, name, args))
        return language or name, name, args, ["\n"] * len(lines), head + 1
    return "python", None, "", _blank_line_magics(list(lines), first, magics), 0


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _is_help_line(stripped: str) -> bool:
    # `df.select?` / `df??`: IPython's help syntax.
    return stripped.endswith("?") and stripped.rstrip("?").replace(".", "_").isidentifier()


def _blank_line_magics(lines: list[str], first: int, magics: list[Magic]) -> list[str]:
    continued = False  # a magic line ending in `\` goes on on the next line
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not continued:
            assignment = _SHELL_ASSIGNMENT.match(line)
            if not (stripped.startswith(("%", "!")) or assignment or _is_help_line(stripped)):
                continue
            start = assignment.end() - 1 if assignment else _indent(line)
            magic = line[start:].strip()
            if magic.startswith("!"):
                magics.append(Magic(first + index, start + 1, "sh", magic[1:].strip()))
            elif magic.startswith("%"):
                command = _MAGIC_COMMAND.match(magic)
                name, args = (command.group(1), command.group(2).strip()) if command else ("", "")
                magics.append(Magic(first + index, start + 1, name, args))
        continued = stripped.endswith("\\")
        # An indented magic becomes `pass` so that the block around it still parses.
        indent = line[: _indent(line)]
        lines[index] = (indent + "pass\n") if indent else "\n"
    return lines
