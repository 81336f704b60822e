"""Reading answers from YAML (`--answers FILE`, a project's `.toolkit-answers.yml`) and `--set`.

Values keep where they came from (`file:line` or `--set`), so that an error about an answer
names the place to fix it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from toolkit.errors import ToolkitError

__all__ = ["AnswerSource", "parse_set_options", "read_answers_file"]

AnswerSource = dict[str, str]  # answer key -> where its value came from


def read_answers_file(path: Path) -> tuple[dict[str, Any], AnswerSource]:
    """The answers in a YAML mapping (or under its `answers:` key), with `file:line` per key."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    from toolkit.textio import UnreadableFileError, read_text_file

    try:
        text = read_text_file(path).text
    except UnreadableFileError as exc:
        raise ToolkitError(f"cannot read the answers file {exc}") from exc
    try:
        data = YAML(typ="rt").load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ToolkitError(f"{where}: not valid YAML: {problem}") from exc
    if isinstance(data, dict) and isinstance(data.get("answers"), dict):
        data = data["answers"]
    if not isinstance(data, dict):
        raise ToolkitError(
            f"{path}: expected a mapping of answers (key: value), found {_kind_of(data)}"
        )
    answers: dict[str, Any] = {}
    sources: AnswerSource = {}
    for key, value in data.items():
        if str(key) == "toolkit_version":
            continue
        answers[str(key)] = value
        try:
            line = data.lc.key(key)[0] + 1
            sources[str(key)] = f"{path}:{line}"
        except (AttributeError, KeyError, TypeError):
            sources[str(key)] = str(path)
    return answers, sources


def _kind_of(data: object) -> str:
    """What a YAML document is, in the words of someone who wrote it."""
    if data is None:
        return "an empty file"
    if isinstance(data, list):
        return "a list"
    return f"a single value ({str(data)[:40]!r})"


def parse_set_options(items: tuple[str, ...] | list[str]) -> tuple[dict[str, str], AnswerSource]:
    """`--set key=value` options as answers; a malformed one is an error that shows the form."""
    answers: dict[str, str] = {}
    sources: AnswerSource = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ToolkitError(f"--set {item!r}: expected KEY=VALUE, e.g. --set cloud=azure")
        answers[key.strip()] = value.strip()
        sources[key.strip()] = f"--set {item}"
    return answers, sources
