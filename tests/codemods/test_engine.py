"""The lint engine core: positions, internal findings, suppressions, output shape, registry."""

from __future__ import annotations

import ast
import json
import subprocess
import sys

import pytest

from codemods.engine import Diagnostic, LintSettings, lint
from codemods.rules import all_rules, get_rule, rules_matching
from codemods.rules.base import Rule

SPK101_ONLY = LintSettings(enabled_codes=frozenset({"SPK101"}))


class CallsNamedBoom(Rule):
    """Test rule: flags calls to `boom()`; raises on calls to `crash()`."""

    code = "SPK998"
    name = "boom-call"
    severity = "warning"
    node_types = (ast.Call,)
    names = frozenset({"boom", "crash"})
    message = "Call to boom"

    def check(self, node: ast.Call, ctx) -> None:
        func = node.func
        if (func.id if isinstance(func, ast.Name) else func.attr) == "crash":
            raise ValueError("rule bug")
        ctx.report(node)


class EveryName(Rule):
    """Test rule: flags every name `x` (no `names` filter: sees every Name)."""

    code = "SPK997"
    name = "every-x"
    node_types = (ast.expr,)  # an abstract type expands to all expressions
    message = "x"

    def check(self, node, ctx) -> None:
        if isinstance(node, ast.Name) and node.id == "x":
            ctx.report(node)


def test_columns_count_characters_not_utf8_bytes() -> None:
    source = (
        "from pyspark.sql import functions as F\n"
        'df = spark.table("t")\n'
        'é = "ééé 🎉"; bad = df.filter(F.col("x") == None)\n'
    )
    [finding] = lint(source, "a.py", SPK101_ONLY)
    line = source.splitlines()[2]
    assert (finding.start.line, finding.start.column) == (3, line.index("F.col") + 1)
    assert (finding.end.line, finding.end.column) == (3, line.index("None") + len("None") + 1)
    edit = finding.fix.edits[0]
    assert edit.start == finding.start and edit.end == finding.end


def test_syntax_error_is_tk001_at_the_error_position() -> None:
    [finding] = lint('x = "é"\ny = (1,\n  2 3)\n', "bad.py")
    assert finding.code == "TK001" and finding.name == "syntax-error"
    assert finding.severity == "error"
    assert finding.start.line == 3
    assert "SyntaxError" in finding.message


def test_null_bytes_are_tk001_not_a_crash() -> None:
    [finding] = lint("x = 1\x00\n", "bad.py")
    assert finding.code == "TK001"


def test_rule_that_raises_is_tk999_naming_it_and_others_still_run() -> None:
    source = "boom()\ncrash()\nboom()\nx = 1\n"
    found = lint(source, "a.py", rules=[CallsNamedBoom, EveryName])
    codes = [(d.code, d.start.line) for d in found]
    assert ("TK999", 2) in codes
    assert ("SPK998", 1) in codes and ("SPK997", 4) in codes
    # After failing, the rule is switched off for the rest of the file (one TK999).
    assert ("SPK998", 3) not in codes
    [internal] = [d for d in found if d.code == "TK999"]
    assert "SPK998" in internal.message and "boom-call" in internal.message
    assert "ValueError: rule bug" in internal.message


def test_names_filter_and_abstract_node_types() -> None:
    found = lint("boom()\nother()\nx.boom()\nx = x\n", "a.py", rules=[CallsNamedBoom, EveryName])
    assert [(d.code, d.start.line, d.start.column) for d in found] == [
        ("SPK998", 1, 1),
        ("SPK997", 3, 1),
        ("SPK998", 3, 1),
        ("SPK997", 4, 1),
        ("SPK997", 4, 5),
    ]


@pytest.mark.parametrize(
    ("comment", "suppressed"),
    [
        ("# noqa", True),
        ("# noqa: SPK101", True),
        ("# NOQA:SPK101,DBX101", True),
        ("# noqa: E501, SPK101  -- known", True),
        ("# noqa: SPK1", True),
        ("# noqa: SPK102", False),
        ("# noqa: spk101", True),
        ("# noqa: spk102", False),
        ("# noqa: small table", True),  # words, not codes: a bare noqa
        ("# noqa: e501", False),
        ("# noqa: E501", False),
        ("# not a noqa: SPK101 marker", False),
    ],
)
def test_line_suppressions(comment: str, suppressed: bool) -> None:
    source = f'import pyspark.sql.functions as F\nok = F.col("a") == None  {comment}\n'
    found = lint(source, "a.py", SPK101_ONLY)
    assert (found == []) is suppressed


def test_multi_line_node_is_suppressed_on_its_first_line_only() -> None:
    source = (
        "import pyspark.sql.functions as F\n"
        "a = (F.col('a')  # noqa: SPK101\n"
        "     == None)\n"
        "b = (F.col('b')\n"
        "     == None)  # noqa: SPK101\n"
    )
    found = lint(source, "a.py", SPK101_ONLY)
    assert [d.start.line for d in found] == [4]


def test_noqa_text_inside_a_string_is_not_a_comment() -> None:
    source = 'import pyspark.sql.functions as F\nok = F.col("# noqa") == None\n'
    assert len(lint(source, "a.py", SPK101_ONLY)) == 1


@pytest.mark.parametrize(
    ("header", "remaining"),
    [("# toolkit: noqa", 0), ("# toolkit: noqa: SPK101", 0), ("# toolkit: noqa: DBX", 1)],
)
def test_file_level_suppression(header: str, remaining: int) -> None:
    source = f'{header}\nimport pyspark.sql.functions as F\nok = F.col("a") == None\n'
    assert len(lint(source, "a.py", SPK101_ONLY)) == remaining


def test_tk_codes_are_never_suppressed() -> None:
    source = "# toolkit: noqa\ncrash()  # noqa\n"
    assert [d.code for d in lint(source, "a.py", rules=[CallsNamedBoom])] == ["TK999"]


def test_unused_noqa_is_reported_only_when_asked() -> None:
    source = (
        "import pyspark.sql.functions as F\n"
        "a = F.col('a') == None  # noqa: SPK101\n"
        "b = 1  # noqa: SPK101, E501\n"
        "c = 2  # noqa\n"
    )
    assert lint(source, "a.py", SPK101_ONLY) == []
    settings = LintSettings(enabled_codes=frozenset({"SPK101"}), report_unused_noqa=True)
    [unused] = lint(source, "a.py", settings)
    assert (unused.code, unused.severity, unused.start.line) == ("TK100", "info", 3)
    assert "SPK101" in unused.message


def test_diagnostics_are_sorted_and_json_serialisable() -> None:
    source = (
        "import pyspark.sql.functions as F\n"
        "df = spark.table('t')\n"
        "b = df.filter(F.col('b') != None)\n"
        "if df.count() == 0:\n"
        "    jvm = spark._jvm\n"
    )
    # A notebook-style script, not a library module (where DBX203 would flag the bare `spark`).
    found = lint(source, "pipeline.py", LintSettings(library_module=False))
    assert [d.code for d in found] == ["SPK101", "SPK205", "DBX101"]
    assert found == sorted(found, key=Diagnostic.sort_key)
    payload = json.loads(json.dumps([d.to_dict(path="pipeline.py") for d in found]))
    first = payload[0]
    assert set(first) == {
        "code", "name", "message", "severity", "path", "cell", "start", "end", "fix", "url",
    }  # fmt: skip
    assert first["start"] == {"line": 3, "column": 15}
    assert first["fix"]["applicability"] == "safe"
    assert first["fix"]["message"] == "Replace with `.isNotNull()`"
    assert first["fix"]["edits"] == [
        {"start": {"line": 3, "column": 15}, "end": {"line": 3, "column": 33},
         "content": "F.col('b').isNotNull()"}
    ]  # fmt: skip
    assert first["url"].endswith("#spk101-column-compared-to-none")
    assert payload[2]["fix"] is None and payload[2]["cell"] is None


def test_settings_select_opt_in_and_library_only() -> None:
    class OptIn(CallsNamedBoom):
        """Opt-in variant."""

        code = "SPK996"
        opt_in = True

    class LibraryOnly(CallsNamedBoom):
        """Library-only variant."""

        code = "SPK995"
        library_only = True

    rules = [OptIn, LibraryOnly]
    codes = lambda settings, path="src/pkg/job.py": {  # noqa: E731
        d.code for d in lint("boom()\n", path, settings, rules=rules)
    }
    assert codes(LintSettings()) == {"SPK995"}
    assert codes(LintSettings(), "tests/test_job.py") == set()
    assert codes(LintSettings(library_module=False)) == set()
    assert codes(LintSettings(enabled_codes=frozenset({"SPK996"}))) == {"SPK996"}


def test_registry_finds_every_rule_module_by_code_and_prefix() -> None:
    codes = [rule.code for rule in all_rules()]
    assert {"SPK101", "SPK205", "DBX101"} <= set(codes)
    assert codes == sorted(codes)
    assert get_rule("spk101").name == "column-compared-to-none"
    assert get_rule("SPK000") is None
    assert {rule.code for rule in rules_matching("DBX")} >= {"DBX101"}
    assert all(rule.code.startswith("SPK2") for rule in rules_matching("SPK2"))


def test_duplicate_codes_are_an_error(tmp_path) -> None:
    """Two modules declaring one code: the registry refuses to load (in a fresh process,
    against a copy of the rules package)."""
    import shutil

    import codemods.rules as package

    copy = tmp_path / "codemods"
    shutil.copytree(
        package.__path__[0].rsplit("/", 1)[0], copy, ignore=shutil.ignore_patterns("__pycache__")
    )
    original = (copy / "rules" / "count_for_emptiness.py").read_text()
    (copy / "rules" / "count_again.py").write_text(original)
    script = "from codemods.rules import all_rules; all_rules()"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "SPK205 is declared twice" in result.stderr


def test_engine_import_is_light() -> None:
    script = (
        "import sys, codemods.engine, codemods.rules; codemods.rules.all_rules(); "
        "codemods.engine.lint('x = 1', 'a.py'); "
        "print(sorted(m for m in ('libcst', 'pyspark', 'pygls', 'jinja2') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_every_statement_kind_is_walked_without_internal_errors() -> None:
    source = """
import pyspark.sql.functions as F
from . import sibling as sib

@decorator(x)
async def f(a, /, b: int = 1, *args, c=x, **kwargs) -> None:
    global g
    async with ctx() as (y, *z):
        async for item in stream():
            await item
    match command:
        case {"x": x, **rest}:
            pass
        case [1, *others] | None:
            pass
        case Point(x=0, y=True) as point:
            pass
        case False:
            pass
    try:
        pass
    except* ValueError as error:
        raise
    lam = lambda q=x: q
    print(f"{x!r:>{width}} {x=}", {**kwargs}, {k: v for k, v in kwargs.items() if (w := v)})
    del x
"""
    found = lint(source, "a.py", rules=[EveryName, CallsNamedBoom])
    assert not [d for d in found if d.code.startswith("TK")]
    # Every `x` name is seen: decorator, default, lambda default, two in the f-string, `del`.
    # (Pattern captures like `case {"x": x}` are identifiers, not `Name` nodes.)
    lines = [d.start.line for d in found if d.code == "SPK997"]
    assert lines == [5, 6, 24, 25, 25, 26]


def test_a_file_level_finding_reported_on_the_module_points_at_the_top() -> None:
    class WholeFile(Rule):
        """Test rule: one finding per file."""

        code = "SPK994"
        name = "whole-file"
        node_types = (ast.Module,)
        message = "file"

        def check(self, node, ctx) -> None:
            ctx.report(node)

    [finding] = lint("x = 1\n", "a.py", rules=[WholeFile])
    assert (finding.start.line, finding.start.column) == (1, 1)


def test_rules_get_nodes_by_type_without_walking_the_tree() -> None:
    seen: dict[str, list] = {}

    class CollectsDefinitions(Rule):
        """## What it does\nTest rule."""

        code = "TST990"
        name = "collects-definitions"
        node_types = (ast.Module,)

        def check(self, node, ctx) -> None:
            seen["all"] = [(n.name, n.lineno) for n in ctx.nodes(ast.FunctionDef, ast.ClassDef)]
            outer = ctx.nodes(ast.FunctionDef)[0]
            seen["inner"] = [n.name for n in ctx.nodes(ast.FunctionDef, within=outer)]
            seen["strings"] = [n.value for n in ctx.nodes(ast.Constant) if isinstance(n.value, str)]

    source = (
        "def outer():\n"
        "    def inner():\n"
        "        return 'b'\n"
        "    return 'a'\n"
        "class Box:\n"
        "    def method(self):\n"
        "        return 'c'\n"
    )
    assert lint(source, "a.py", rules=[CollectsDefinitions]) == []
    assert seen["all"] == [("outer", 1), ("inner", 2), ("Box", 5), ("method", 6)]
    assert seen["inner"] == ["inner"]
    assert seen["strings"] == ["b", "a", "c"]
