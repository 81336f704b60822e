"""Rewriting a query built by pasting values into SQL text as a query with named parameter
markers (`:name`, `IDENTIFIER(:name)`) and the parameters: the fix of SPK301.

Kept apart from the rule so the rule module stays about detection. Pure functions over the
`ast` of the query expression; the rule turns their result into edits.
"""

from __future__ import annotations

import ast
import re
import string
from dataclasses import dataclass

from codemods.engine.context import RuleContext

# The last keyword before a value that names a table (or a column): `IDENTIFIER(:name)`.
_IDENTIFIER_KEYWORDS = frozenset(
    [
        *("FROM", "JOIN", "TABLE", "INTO", "UPDATE", "VIEW", "EXISTS", "USING", "DESCRIBE"),
        *("OPTIMIZE", "VACUUM", "CATALOG", "SCHEMA", "DATABASE", "COLUMN", "HISTORY"),
        *("DETAIL", "EXTENDED", "VOLUME", "FUNCTION", "SELECT", "BY"),
    ]
)
_SENTINEL_BASE = 0xE000  # private-use characters stand for the values while rewriting
_TOKEN = re.compile(r"'[^']*'|\"[^\"]*\"|[\w.`\uE000-\uF8FF]+")
_PERCENT_FIELD = re.compile(r"%(?:\((\w+)\))?([sdif%])|%")


@dataclass(frozen=True)
class Hole:
    """A value pasted into the SQL text: its Python expression, as source text."""

    text: str
    node: ast.AST


def is_string(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def concatenated(expr: ast.AST) -> list[ast.AST]:
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        return concatenated(expr.left) + concatenated(expr.right)
    return [expr]


def is_formatted_text(node: ast.AST) -> bool:
    """Text written in the code with values pasted in: an f-string, `"...".format(...)` or
    `"..." % ...` (a literal template, so the query text is visible)."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Call):
        func = node.func
        return isinstance(func, ast.Attribute) and func.attr == "format" and is_string(func.value)
    return isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and is_string(node.left)


def query_pieces(expr: ast.AST, ctx: RuleContext) -> list[str | Hole] | None:
    """The query as literal text and pasted values, left to right; None when a value is
    formatted in a way a parameter cannot reproduce."""
    if isinstance(expr, ast.JoinedStr):
        pieces: list[str | Hole] = []
        for value in expr.values:
            if isinstance(value, ast.Constant):
                pieces.append(value.value)
            elif value.conversion != -1 or value.format_spec is not None:
                return None
            else:
                # Positions inside f-strings are unreliable before Python 3.12: unparse.
                pieces.append(Hole(ast.unparse(value.value), value.value))
        return pieces
    if isinstance(expr, ast.Call):
        return _format_pieces(expr, ctx) if is_string(expr.func.value) else None
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Mod):
        return _percent_pieces(expr, ctx) if is_string(expr.left) else None
    pieces = []
    for part in concatenated(expr):
        if is_string(part):
            pieces.append(part.value)
        elif is_formatted_text(part):
            # `f"... {a}" + k`: the f-string is text with its own values, not one value.
            inner = query_pieces(part, ctx)
            if inner is None:
                return None
            pieces.extend(inner)
        else:
            pieces.append(Hole(ctx.text(part), part))
    return pieces


def _format_pieces(call: ast.Call, ctx: RuleContext) -> list[str | Hole] | None:
    if any(isinstance(arg, ast.Starred) for arg in call.args):
        return None
    if any(keyword.arg is None for keyword in call.keywords):
        return None
    keywords = {keyword.arg: keyword.value for keyword in call.keywords}
    pieces: list[str | Hole] = []
    automatic = 0
    try:
        fields = list(string.Formatter().parse(call.func.value.value))
    except ValueError:
        return None
    for literal, field, spec, conversion in fields:
        pieces.append(literal)
        if field is None:
            continue
        if spec or conversion:
            return None
        if field == "":
            index, automatic = automatic, automatic + 1
            value = call.args[index] if index < len(call.args) else None
        elif field.isdigit():
            value = call.args[int(field)] if int(field) < len(call.args) else None
        else:
            value = keywords.get(field)
        if value is None:
            return None
        pieces.append(Hole(ctx.text(value), value))
    return pieces


def _percent_pieces(expr: ast.BinOp, ctx: RuleContext) -> list[str | Hole] | None:
    template = expr.left.value
    values = expr.right
    positional = list(values.elts) if isinstance(values, ast.Tuple) else [values]
    named: dict[str, ast.AST] = {}
    if isinstance(values, ast.Dict):
        for key, value in zip(values.keys, values.values, strict=True):
            if not is_string(key):
                return None
            named[key.value] = value
    pieces: list[str | Hole] = []
    position = 0
    cursor = 0
    for match in _PERCENT_FIELD.finditer(template):
        pieces.append(template[cursor : match.start()])
        cursor = match.end()
        name, kind = match.group(1), match.group(2)
        if kind is None:
            return None  # a conversion a parameter cannot reproduce (%r, %x, widths)
        if kind == "%":
            pieces.append("%")
            continue
        if name is not None:
            value = named.get(name)
        elif not named and position < len(positional):
            value, position = positional[position], position + 1
        else:
            value = None
        if value is None:
            return None
        pieces.append(Hole(ctx.text(value), value))
    pieces.append(template[cursor:])
    return pieces


def parameterized(pieces: list[str | Hole]) -> tuple[str, dict[str, str]] | None:
    """The query with parameter markers, and the parameters (name -> Python expression)."""
    holes = [piece for piece in pieces if isinstance(piece, Hole)]
    if len(holes) > 0x1000:
        return None
    names = _parameter_names(holes)
    template = "".join(
        piece if isinstance(piece, str) else chr(_SENTINEL_BASE + holes.index(piece))
        for piece in pieces
    )
    failed = False

    def marker(index: int) -> str:
        return f":{names[index]}"

    def rewrite(match: re.Match[str]) -> str:
        nonlocal failed
        token = match.group()
        parts = _split_sentinels(token)
        if not any(isinstance(part, int) for part in parts):
            return token
        if not template[: match.start()].strip():
            failed = True  # a value that starts the query is SQL (`k + " WHERE ..."`)
            return token
        if token[0] in "'\"":  # a quoted string with values in it
            inner = _split_sentinels(token[1:-1])
            if len(inner) == 1:
                return marker(inner[0])  # type: ignore[arg-type]
            return "(" + " || ".join(_sql_part(part, marker) for part in inner) + ")"
        before = template[: match.start()]
        if before.endswith(("'", '"')) or template[match.end() : match.end() + 1] in ("'", '"'):
            failed = True  # glued to a quoted string: `'2024'` + k is one piece of text
            return token
        if re.search(r"\bIN\s*\(\s*$", before, re.IGNORECASE):
            failed = True  # a list of values is not one parameter
            return token
        keyword = re.search(r"(\w+)\s*$", before)
        is_identifier = keyword is not None and keyword.group(1).upper() in _IDENTIFIER_KEYWORDS
        if len(parts) == 1 and not is_identifier:
            return marker(parts[0])  # type: ignore[arg-type]
        if not is_identifier:
            failed = True
            return token
        return "IDENTIFIER(" + " || ".join(_sql_part(part, marker) for part in parts) + ")"

    sql = _TOKEN.sub(rewrite, template)
    if failed or any(_SENTINEL_BASE <= ord(char) < _SENTINEL_BASE + len(holes) for char in sql):
        return None
    parameters: dict[str, str] = {}
    for index, hole in enumerate(holes):
        parameters.setdefault(names[index], hole.text)
    return sql, parameters


def _split_sentinels(text: str) -> list[str | int]:
    parts: list[str | int] = []
    literal = ""
    for char in text:
        if _SENTINEL_BASE <= ord(char) <= 0xF8FF:
            if literal:
                parts.append(literal)
                literal = ""
            parts.append(ord(char) - _SENTINEL_BASE)
        else:
            literal += char
    if literal:
        parts.append(literal)
    return parts


def _sql_part(part: str | int, marker) -> str:
    if isinstance(part, int):
        return marker(part)
    return "'" + part.replace("'", "''") + "'"


def _parameter_names(holes: list[Hole]) -> list[str]:
    """A marker name per value: the variable's or attribute's name; the same expression
    gets the same name, different ones distinct names."""
    by_text: dict[str, str] = {}
    taken: set[str] = set()
    names: list[str] = []
    for hole in holes:
        if hole.text not in by_text:
            base = _suggested_name(hole.node)
            name, counter = base, 2
            while name in taken:
                name, counter = f"{base}_{counter}", counter + 1
            taken.add(name)
            by_text[hole.text] = name
        names.append(by_text[hole.text])
    return names


def _suggested_name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        name = node.id
    elif isinstance(node, ast.Attribute):
        name = node.attr
    elif isinstance(node, ast.Subscript) and is_string(node.slice):
        name = node.slice.value
    elif isinstance(node, ast.Call):
        return _suggested_name(node.func)
    else:
        name = "value"
    name = re.sub(r"\W", "_", name).strip("_")
    return name if re.fullmatch(r"[A-Za-z_]\w*", name or "") else "value"


def python_string(text: str) -> str:
    """A Python string literal for `text`: triple-quoted when it spans lines."""
    escaped = text.replace("\\", "\\\\")
    if "\n" in text:
        escaped = escaped.replace('"""', '\\"\\"\\"')
        if escaped.endswith('"'):
            escaped = escaped[:-1] + '\\"'
        return f'"""{escaped}"""'
    return '"' + escaped.replace('"', '\\"') + '"'
