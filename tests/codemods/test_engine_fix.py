"""`fix()`: fixed point, overlaps, safety, selection, and results that must parse."""

from __future__ import annotations

import ast

import pytest

from codemods.engine import Edit, LintSettings, Position, apply_edits, fix, lint
from codemods.engine.cst import cst_fix
from codemods.rules.base import Rule


class RenameFooToBar(Rule):
    """Test rule: `foo` -> `bar`, repeatedly until no `foo` is left (`foofoo` takes 2 rounds)."""

    code = "SPK990"
    name = "foo-name"
    node_types = (ast.Name,)
    message = "foo"

    def check(self, node: ast.Name, ctx) -> None:
        if "foo" in node.id:
            new = node.id.replace("foo", "bar", 1)
            ctx.report(node, fix=ctx.fix(f"Rename to `{new}`", [ctx.replace(node, new)]))


class BreaksTheCode(Rule):
    """Test rule: a fix that produces invalid Python."""

    code = "SPK991"
    name = "breaks-code"
    node_types = (ast.Name,)
    names = frozenset({"broken"})
    message = "broken"

    def check(self, node: ast.Name, ctx) -> None:
        ctx.report(node, fix=ctx.fix("Break it", [ctx.replace(node, "(((")]))


class WrapsCall(Rule):
    """Test rule: unsafe fix wrapping `wrap(x)` calls, overlapping when nested."""

    code = "SPK992"
    name = "wrap-call"
    node_types = (ast.Call,)
    names = frozenset({"wrap"})
    message = "wrap"

    def check(self, node: ast.Call, ctx) -> None:
        inner = ctx.text(node.args[0])
        edit = ctx.replace(node, f"done({inner})")
        ctx.report(node, fix=ctx.fix("Unwrap", [edit], applicability="unsafe"))


class AddsImportWithLibcst(Rule):
    """Test rule: a libcst fix that adds `import pyspark.sql.functions as F` when `F` is used
    but not imported."""

    code = "SPK993"
    name = "missing-f-import"
    node_types = (ast.Module,)
    message = "F is not imported"

    def check(self, node: ast.Module, ctx) -> None:
        used = any(isinstance(n, ast.Name) and n.id == "F" for n in ast.walk(node))
        if not used or ctx.semantic.bindings(node).get("F"):
            return

        def add_import(module):
            from libcst.codemod import CodemodContext
            from libcst.codemod.visitors import AddImportsVisitor

            context = CodemodContext()
            AddImportsVisitor.add_needed_import(context, "pyspark.sql.functions", asname="F")
            return AddImportsVisitor(context).transform_module(module)

        ctx.report(node.body[0], fix=cst_fix(ctx, add_import, message="Import `F`"))


def test_fix_reaches_a_fixed_point_and_fixing_again_changes_nothing() -> None:
    source = "foofoo = foo + 1\nprint(foofoo)\n"
    result = fix(source, "a.py", rules=[RenameFooToBar])
    assert result.source == "barbar = bar + 1\nprint(barbar)\n"
    assert result.applied == 5 and result.changed
    assert result.diagnostics == []
    again = fix(result.source, "a.py", rules=[RenameFooToBar])
    assert again.source == result.source and again.applied == 0 and not again.changed


def test_fix_that_breaks_the_code_is_skipped_and_others_apply() -> None:
    source = "foo = broken\n"
    result = fix(source, "a.py", rules=[RenameFooToBar, BreaksTheCode])
    assert result.source == "bar = broken\n"
    ast.parse(result.source)
    assert [d.code for d in result.diagnostics] == ["SPK991"]


def test_input_that_does_not_parse_is_returned_unchanged() -> None:
    source = "foo = (\n"
    result = fix(source, "a.py", rules=[RenameFooToBar])
    assert result.source == source and result.applied == 0
    assert [d.code for d in result.diagnostics] == ["TK001"]


def test_unsafe_fixes_only_on_request_and_overlaps_resolved_over_rounds() -> None:
    source = "x = wrap(wrap(1))\n"
    assert fix(source, "a.py", rules=[WrapsCall]).source == source
    result = fix(source, "a.py", rules=[WrapsCall], unsafe=True)
    assert result.source == "x = done(wrap(1))\n" or result.source == "x = done(done(1))\n"
    # The outer and inner edits overlap: one per round, both in the end.
    assert result.source == "x = done(done(1))\n" and result.applied == 2


def test_select_limits_what_is_fixed_but_not_what_is_reported() -> None:
    source = "foo = wrap(1)\n"
    result = fix(source, "a.py", rules=[RenameFooToBar, WrapsCall], unsafe=True, select=["SPK99"])
    assert result.source == "bar = done(1)\n"
    result = fix(source, "a.py", rules=[RenameFooToBar, WrapsCall], unsafe=True, select=["SPK992"])
    assert result.source == "foo = done(1)\n"
    assert [d.code for d in result.diagnostics] == ["SPK990"]


def test_settings_flow_into_fix() -> None:
    source = "import pyspark.sql.functions as F\ndf = spark.table('t')\nn = df.count() == 0\n"
    only_spk101 = LintSettings(enabled_codes=frozenset({"SPK101"}))
    assert fix(source, "a.py", only_spk101).source == source
    assert fix(source, "a.py").source.endswith("n = df.isEmpty()\n")


def test_libcst_fix_becomes_a_minimal_text_edit() -> None:
    source = "# header comment\nimport os\n\nx = F.col('a')  # keep me\n"
    [finding] = lint(source, "a.py", rules=[AddsImportWithLibcst])
    [edit] = finding.fix.edits
    assert edit.content.strip() == "import pyspark.sql.functions as F"
    result = fix(source, "a.py", rules=[AddsImportWithLibcst])
    assert result.source == (
        "# header comment\nimport os\nimport pyspark.sql.functions as F\n\nx = F.col('a')  # keep me\n"
    )
    assert fix(result.source, "a.py", rules=[AddsImportWithLibcst]).applied == 0


def test_apply_edits_counts_characters_and_keeps_crlf() -> None:
    source = 'a = "é🎉"; foo = 1\r\nfoo\r\n'
    edits = [
        Edit(Position(1, 11), Position(1, 14), "bar"),
        Edit(Position(2, 1), Position(2, 4), "bar"),
    ]
    assert apply_edits(source, edits) == 'a = "é🎉"; bar = 1\r\nbar\r\n'
    result = fix(source, "a.py", rules=[RenameFooToBar])
    assert result.source == 'a = "é🎉"; bar = 1\r\nbar\r\n'


def _apply_one_by_one(source: str, edits: list[Edit]) -> str:
    """Reference: each edit spliced into the text, from the end of the text to its start."""
    from codemods.engine.positions import LineIndex

    lines = LineIndex(source)
    spans = sorted(
        ((lines.offset(e.start), lines.offset(e.end), e.content) for e in edits),
        key=lambda span: (span[0], span[1]),
        reverse=True,
    )
    for start, end, content in spans:
        source = source[:start] + content + source[end:]
    return source


def test_apply_edits_matches_splicing_one_by_one_including_insertions_at_one_point() -> None:
    import random

    generator = random.Random(7)
    lines = [f"x{i} = 'é{i}🎉'  # line {i}" for i in range(40)]
    source = "\r\n".join(lines) + "\n"
    for _ in range(200):
        edits = []
        for line in sorted(generator.sample(range(1, 41), 12)):
            start = generator.randint(1, 6)
            end = start + generator.choice([0, 0, 1, 3])
            edits.append(Edit(Position(line, start), Position(line, end), f"<{line}>"))
            if end == start:  # a second insertion at the same point: order must be kept
                edits.append(Edit(Position(line, start), Position(line, start), f"[{line}]"))
        generator.shuffle(edits)
        assert apply_edits(source, edits) == _apply_one_by_one(source, edits)


def test_five_thousand_real_fixes_give_the_expected_text() -> None:
    header = "import pyspark.sql.functions as F\n\n\ndef keep_missing(df):\n"
    body = "".join(f'    kept{i} = df.filter(F.col("c{i}") == None)\n' for i in range(5000))
    result = fix(header + body + "    return kept0\n", "a.py", unsafe=True, select=["SPK101"])
    expected = "".join(f'    kept{i} = df.filter(F.col("c{i}").isNull())\n' for i in range(5000))
    assert result.applied == 5000
    assert result.source == header + expected + "    return kept0\n"


def test_twenty_thousand_fixes_in_one_file_take_seconds_not_minutes() -> None:
    import time

    source = "".join(f"foo{i} = {i}\n" for i in range(20_000))
    started = time.perf_counter()
    result = fix(source, "a.py", rules=[RenameFooToBar])
    elapsed = time.perf_counter() - started
    assert result.applied == 20_000
    assert result.source == "".join(f"bar{i} = {i}\n" for i in range(20_000))
    # Linting this file takes ~0.5 s; applying its fixes used to be quadratic (~17 s).
    assert elapsed < 8, f"fix took {elapsed:.1f} s"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("abc", "abc", (3, 0)),
        ("df == None", "df.isNull()", (2, 0)),
        ("aXc", "aYc", (1, 1)),
        ("aa", "aaa", (2, 0)),  # the suffix never overlaps the prefix
        ("", "x", (0, 0)),
    ],
)
def test_common_affixes_bound_the_changed_middle(old, new, expected):
    from codemods.engine.positions import common_affixes

    prefix, suffix = common_affixes(old, new)
    assert (prefix, suffix) == expected
    assert old[:prefix] + new[prefix : len(new) - suffix] + old[len(old) - suffix :] == new
