"""The engine's comment scan finds exactly the comments `tokenize` finds."""

from __future__ import annotations

import io
import tokenize
from pathlib import Path

import pytest

from codemods.engine import comments as comments_module
from codemods.engine import lint
from codemods.engine.comments import find_comments
from codemods.engine.options import LintSettings
from codemods.engine.positions import LineIndex
from codemods.engine.types import Position

TRICKY = [
    "x = 1  # a comment\n",
    "s = '# not a comment'  # but this is\n",
    's = "a \\" # still in the string"  # comment\n',
    "s = '''\n# inside a docstring\n'''  # after\n",
    's = """one "" two ""\\" # three"""\n# last\n',
    "s = r'\\'  # raw: the quote is escaped'\n",
    "s = 'continued \\\n# still the string'  # real\n",
    "s = 'crlf \\\r\n# still the string'  # real\r\n",
    "f = f'{x!r:#>10}'  # format spec with a hash\n",
    "f = f\"{'#'}\"  # a quoted hash in a field\n",
    "b = b'#' + rb\"#\" + Rb'''#'''  # prefixes\n",
    "x = (1,  # first\n     2)  # second\n",
    'joined = ("a"  # between two parts\n          "b")\n',
    "def f():\n    '''doc # no'''\n    return 1  # yes\n",
    "x = 1\r# after a lone CR\r",
    "# only a comment",
    "x = '日本 # 語'  # ünïcode\n",
]


def tokenize_comments(source: str) -> list[tuple[int, str]]:
    lines = LineIndex(source)
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return [
        (lines.offset(Position(token.start[0], token.start[1] + 1)), token.string)
        for token in tokens
        if token.type == tokenize.COMMENT
    ]


@pytest.mark.parametrize("source", TRICKY)
def test_the_scan_agrees_with_tokenize(source: str) -> None:
    found = [(comment.start, comment.text) for comment in find_comments(source)]
    assert found == tokenize_comments(source)


def test_the_scan_agrees_with_tokenize_on_the_standard_library() -> None:
    root = Path(tokenize.__file__).parent
    checked = 0
    for path in sorted(root.glob("*.py")):
        source = path.read_text(encoding="utf-8", errors="replace")
        try:
            expected = tokenize_comments(source)
        except (SyntaxError, tokenize.TokenError):
            continue
        assert [(c.start, c.text) for c in find_comments(source)] == expected, path.name
        checked += 1
    assert checked > 100


def test_a_noqa_after_a_hash_inside_a_string_still_suppresses() -> None:
    source = "df.write.save('s3://bucket/#tmp')  # noqa: DBX106\n"
    codes = [d.code for d in lint(source, "job.py", LintSettings())]
    assert "DBX106" not in codes
    unsuppressed = [d.code for d in lint(source.split("  #")[0] + "\n", "job.py", LintSettings())]
    assert "DBX106" in unsuppressed


def test_a_hash_inside_a_string_is_not_a_noqa() -> None:
    source = "df.write.save('s3://bucket/ # noqa')\n"
    assert "DBX106" in [d.code for d in lint(source, "job.py", LintSettings())]


def test_a_misread_f_string_is_noticed() -> None:
    # What the scan makes of 3.12's `f"{d["'"]}"`: an f-string `"{d["` whose brace never
    # closes. Balanced fields, doubled braces and format specs are read right.
    misread = 'rows = f"{d["\'"]}"  # noqa: SPK201\n'
    assert comments_module._misread_fstring(misread, [(8, 13), (15, 28)])
    for fine in ['f"{a}{{b}}"', 'f"{x:{width}}"', "rf'{a!r}'", '"{"', "b'{'"]:
        _, found = comments_module.find_comments_and_strings(fine)
        assert not comments_module._misread_fstring(fine, found), fine


def test_a_misread_text_is_tokenized_instead(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(comments_module, "NESTED_QUOTES", True)  # as on Python 3.12+
    source = "s = f\"{'{'}\"  # after a brace in a field\nt = 1  # two\n"
    found = [(comment.start, comment.text) for comment in find_comments(source)]
    assert found == tokenize_comments(source)
    _, strings = comments_module.find_comments_and_strings(source)
    assert strings == [(4, 12)]
