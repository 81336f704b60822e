"""Position conversions, document changes and `# noqa` edits: the pure parts of the server."""

from __future__ import annotations

import random

import pytest

from lsp.convert import whole_text_edit
from lsp.noqa import code_at, disable_code_edit
from lsp.text import UTF8, UTF16, UTF32, Document

LINE = 'x = "😀é"; y = 1'  # 😀 is 2 UTF-16 units and 4 UTF-8 bytes, é is 1 and 2


@pytest.mark.parametrize(
    ("encoding", "column_of_y"),
    [(UTF16, LINE.index("y") + 1), (UTF8, LINE.index("y") + 4), (UTF32, LINE.index("y"))],
)
def test_engine_and_protocol_columns(encoding: str, column_of_y: int) -> None:
    document = Document("u", f"a = 1\n{LINE}\n")
    engine_column = LINE.index("y") + 1
    assert document.engine_to_protocol(2, engine_column, encoding) == (1, column_of_y)
    assert document.protocol_to_engine(1, column_of_y, encoding) == (2, engine_column)


def test_positions_clamp_and_snap() -> None:
    document = Document("u", f"{LINE}\nz\n")
    emoji = LINE.index("😀")
    # Half-way through a surrogate pair snaps to the character's start.
    assert document.protocol_to_engine(0, emoji + 1, UTF16) == (1, emoji + 1)
    # Past the end of a line: the end of that line; past the last line: the end of the text.
    assert document.offset_at(1, 99) == len(LINE) + 2
    assert document.offset_at(9, 0) == len(document.text)
    assert document.engine_to_protocol(9, 1) == (2, 0)


def test_only_real_line_endings_split_lines() -> None:
    document = Document("u", "a\x0cb\u2028c\r\nd\re\nf")
    assert [document.line_text(i) for i in range(document.line_count)] == [
        "a\x0cb\u2028c",
        "d",
        "e",
        "f",
    ]


def test_random_incremental_changes_match_a_reference() -> None:
    rng = random.Random(7)
    alphabet = ["a", "😀", "é", "\n", "\r\n", " "]
    text = "".join(rng.choice(alphabet) for _ in range(40))
    document = Document("u", text)
    for _ in range(400):
        start, end = sorted(rng.randrange(len(text) + 1) for _ in range(2))
        if text[start - 1 : start + 1] == "\r\n":
            start -= 1  # a protocol position cannot point inside \r\n
        if text[end - 1 : end + 1] == "\r\n":
            end += 1
        inserted = "".join(rng.choice(alphabet) for _ in range(rng.randrange(4)))
        first = document.protocol_position(start)
        last = document.protocol_position(end)
        document.apply_change(inserted, first, last)
        text = text[:start] + inserted + text[end:]
        assert document.text == text


def test_whole_text_edit_round_trips() -> None:
    rng = random.Random(3)
    alphabet = ["a", "\r\n", "\n", "😀", "é", "\r"]
    for _ in range(500):
        old = "".join(rng.choice(alphabet) for _ in range(rng.randrange(10)))
        new = "".join(rng.choice(alphabet) for _ in range(rng.randrange(10)))
        document = Document("u", old)
        edit = whole_text_edit(document, new)
        start, end = edit.range.start, edit.range.end
        document.apply_change(
            edit.new_text, (start.line, start.character), (end.line, end.character)
        )
        assert document.text == new


@pytest.mark.parametrize(
    ("source", "line", "expected"),
    [
        ("x = 1\n", 1, (5, 5, "  # noqa: SPK101")),
        ("x = 1   \n", 1, (5, 8, "  # noqa: SPK101")),
        ("x = 1  # why\n", 1, (12, 12, "  # noqa: SPK101")),
        ("x = 1  # noqa: E501\n", 1, (19, 19, ", SPK101")),
        ("x = 1  # noqa:SPK2 because\n", 1, (18, 18, ", SPK101")),
        ("x = 1  # noqa\n", 1, None),  # a bare noqa already covers every code
        ("x = 1  # noqa: SPK1\n", 1, None),  # a prefix already covers it
        ('x = """a\nb"""\n', 1, None),  # the line ends inside a string
        ('x = """a\nb"""  # note\n', 2, (12, 12, "  # noqa: SPK101")),  # after it
        ("s = '# not a comment'\n", 1, (21, 21, "  # noqa: SPK101")),
        ("x = 1 + \\\n    2\n", 1, None),  # a comment would end the statement early
        ("x = 1  # C:\\\n", 1, (12, 12, "  # noqa: SPK101")),  # a backslash in a comment
        ("x = 1\r\ny = 2  # noqa: E501\r\n", 2, (19, 19, ", SPK101")),
    ],
)
def test_disable_code_edit(source: str, line: int, expected: tuple | None) -> None:
    edit = disable_code_edit(source, line, "SPK101")
    assert (None if edit is None else (edit.start, edit.end, edit.content)) == expected


def test_reserved_codes_are_never_disabled() -> None:
    assert disable_code_edit("x = (\n", 1, "TK001") is None


def test_code_at() -> None:
    line = "n = df.count()  # noqa: SPK205, DBX101"
    assert code_at(line, line.index("SPK205") + 2) == "SPK205"
    assert code_at(line, line.index("DBX101")) == "DBX101"
    assert code_at(line, 2) is None
