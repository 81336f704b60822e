"""Reparsing an edited document gives the tree, and the findings, of a full parse."""

from __future__ import annotations

import ast
import random
import sys
import warnings
from pathlib import Path

import pytest

from codemods.engine import LintSettings, lint
from codemods.engine.reparse import Reparser

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))
from pyspark_sample import pyspark_module  # noqa: E402

# What users type, and what breaks parsing across lines: brackets, quotes, continuations,
# clauses that need their statement, a future import, a carriage return, a null byte.
PIECES = [
    "x", " ", "(", ")", " \\", "[", "]", "'", '"', '"""', "#", ":", "\\", "1", "\n", "\t", "    ",
    "else:", "from __future__ import annotations", "@d", "if x:", "\r", ";", "= ", "\x00",
    "df.count()", "spark.sql(f'{x}')",
]  # fmt: skip


def dump(tree: ast.AST) -> str:
    return ast.dump(tree, include_attributes=True)


def full_parse(source: str) -> tuple[str | None, type | None]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the edits make invalid escapes, `1if`...
            return dump(ast.parse(source, type_comments=False)), None
    except (SyntaxError, ValueError) as error:
        return None, type(error)


def edited(source: str, rng: random.Random) -> str:
    lines = source.split("\n")
    index = rng.randrange(len(lines))
    line = lines[index]
    column = rng.randint(0, len(line))
    choice = rng.random()
    if choice < 0.5:
        line = line[:column] + rng.choice(PIECES) + line[column:]
    elif choice < 0.8:
        line = line[:column] + line[column + rng.randint(1, 5) :]
    else:
        line = line[:column] + rng.choice(PIECES) + line[column + rng.randint(1, 3) :]
    lines[index] = line
    return "\n".join(lines)


def standard_library_files(count: int) -> list[Path]:
    """`count` modules of the standard library of up to 30 kB (of every style and age)."""
    paths = sorted(Path(ast.__file__).parent.glob("*.py"))
    return [path for path in paths if path.stat().st_size < 30_000][:count]


@pytest.mark.slow
def test_random_edits_of_real_files_parse_exactly_as_a_full_parse() -> None:
    rng = random.Random(20261126)
    checked = reused = 0
    for path in standard_library_files(50):
        source = path.read_text(encoding="utf-8")
        reparser = Reparser()
        reparser.parse(source)
        for _ in range(20):
            candidate = edited(source, rng)
            expected = full_parse(candidate)
            before = reparser.reused
            try:
                got = dump(reparser.parse(candidate)), None
            except (SyntaxError, ValueError) as error:
                got = None, type(error)
            assert got == expected, f"{path.name}: {candidate!r:.200}"
            reused += reparser.reused - before
            checked += 1
            if expected[1] is None:
                source = candidate
    assert checked == 1000
    assert reused > 300  # most one-line edits reuse the tree; the rest were full parses


def test_findings_of_an_edited_document_match_a_fresh_lint() -> None:
    rng = random.Random(7)
    whole = pyspark_module(2000)
    source = whole[: whole.index("\ndef transform_25(") + 1]  # 25 functions, ~370 lines
    settings = LintSettings()
    reparser = Reparser()
    assert lint(source, "job.py", settings, reparser=reparser) == lint(source, "job.py", settings)
    for _ in range(100):
        candidate = edited(source, rng)
        assert lint(candidate, "job.py", settings, reparser=reparser) == lint(
            candidate, "job.py", settings
        )
        if full_parse(candidate)[1] is None:
            source = candidate
    assert reparser.reused > 15


def test_an_edit_inside_one_statement_reuses_the_others() -> None:
    reparser = Reparser()
    first = reparser.parse("import os\n\nx = 1\n\ndef f():\n    return 2\n")
    second = reparser.parse("import os\n\nx = 10\n\ndef f():\n    return 2\n")
    assert reparser.reused == 1
    assert second.body[0] is first.body[0] and second.body[2] is first.body[2]
    assert second.body[1] is not first.body[1] and second.body[1].value.value == 10


def test_an_edit_adding_lines_keeps_the_statements_before_it() -> None:
    reparser = Reparser()
    first = reparser.parse("import os\n\nx = 1\n\ndef f():\n    return 2\n")
    second = reparser.parse("import os\n\nx = (\n    1\n)\n\ndef f():\n    return 2\n")
    assert reparser.reused == 1
    assert second.body[0] is first.body[0]
    assert second.body[2] is not first.body[2] and second.body[2].lineno == 7
    assert dump(second) == full_parse("import os\n\nx = (\n    1\n)\n\ndef f():\n    return 2\n")[0]


def test_statements_sharing_a_line_with_the_edit_are_parsed_with_it() -> None:
    reparser = Reparser()
    reparser.parse("a = 1\nb; c = {\n  'k': 1,\n}\nd = 2\n")
    tree = reparser.parse("a = 1\nb; c = {\n  'k': 2,\n}\nd = 2\n")
    assert reparser.reused == 1
    assert dump(tree) == full_parse("a = 1\nb; c = {\n  'k': 2,\n}\nd = 2\n")[0]


def test_the_remembered_walk_follows_the_selected_rules() -> None:
    source = (
        "def f(df):\n    return df\n\n"
        "def g(spark):\n    df = spark.table('t')\n    if df.count() == 0:\n"
        "        return df.collect()\n"
    )
    reparser = Reparser()
    every_rule = LintSettings()
    one_rule = LintSettings(enabled_codes=frozenset({"SPK205"}))
    for number, settings in enumerate((one_rule, every_rule, one_rule, every_rule)):
        edited_source = source.replace("f(df)", f"f(df{number})")
        assert lint(edited_source, "job.py", settings, reparser=reparser) == lint(
            edited_source, "job.py", settings
        )
        assert lint(edited_source, "job.py", settings)  # the unchanged `g` has findings
    assert reparser.reused == 3


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("x = 1\ny = (2)\n", "x = 1\ny = (2\n"),  # a bracket left open
        ("x = 1\nif x:\n    y = 2\nz = 3\n", "x = 1\nif x:\n    y = 2\nelse:\n"),  # a clause
        ("x = 1\ny = 2\n", "x = 1\nfrom __future__ import annotations\n"),  # too late
        ("x = 1\ry = 2\r", "x = 1\ry = 3\r"),  # a lone carriage return ends lines too
        # A backslash continues a statement over a blank line its span does not cover.
        ("rows = df.collect \\\n\nprint(rows)\n", "rows = df.collect \\\n()\nprint(rows)\n"),
        ("x = 1 \\\n\ny = 2\n", "x = 1 \\\ny = 2\n"),  # now a syntax error
    ],
)
def test_edits_that_cannot_be_reparsed_alone_take_a_full_parse(before: str, after: str) -> None:
    reparser = Reparser()
    reparser.parse(before)
    expected = full_parse(after)
    try:
        got = dump(reparser.parse(after)), None
    except (SyntaxError, ValueError) as error:
        got = None, type(error)
    assert got == expected
    assert reparser.reused == 0


def test_a_syntax_error_is_reported_at_its_line_in_the_file() -> None:
    reparser = Reparser()
    source = "import os\n\nx = 1\n\ny = 2\n"
    lint(source, "job.py", reparser=reparser)
    [error] = lint(source.replace("y = 2", "y = = 2"), "job.py", reparser=reparser)
    assert (error.code, error.start.line) == ("TK001", 5)


def test_the_parse_raises_no_compiler_warnings() -> None:
    reparser = Reparser()
    reparser.parse("x = 1\ny = 1 if x else 2\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        reparser.parse("x = 1\ny = 1if x else 2\n")  # reparsed: one statement alone
        lint('z = "\\d"\nw = 1if z else 2\n', "job.py")  # a full parse
    assert reparser.reused == 1
    assert [str(warning.message) for warning in caught] == []
