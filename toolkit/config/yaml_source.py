"""Read a YAML config file and remember where every key is, for error messages.

PyYAML builds a node tree whose nodes carry start marks; we walk it once to record the
1-based line and column of every key path, then construct plain Python values from the same
tree. A `!secret` tag makes a value a `pydantic.SecretStr`, which never shows in reprs, logs
or `toolkit config show`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import SecretStr

from toolkit.config.errors import ConfigProblem

__all__ = ["KeyPath", "Position", "YamlDocument", "read_yaml_config"]

KeyPath = tuple[str | int, ...]
Position = tuple[str, int | None, int | None]  # file, line, column


@dataclass
class YamlDocument:
    """A config file's values, the position of each key path, and what was wrong with it."""

    path: str
    data: dict[str, Any]
    positions: dict[KeyPath, Position] = field(default_factory=dict)
    problems: list[ConfigProblem] = field(default_factory=list)


class _ConfigYamlLoader(yaml.SafeLoader):
    """SafeLoader plus the `!secret` tag."""


def _construct_secret(loader: _ConfigYamlLoader, node: yaml.Node) -> SecretStr:
    if not isinstance(node, yaml.ScalarNode):
        raise yaml.constructor.ConstructorError(
            None, None, "!secret applies to a single value, not a list or mapping", node.start_mark
        )
    return SecretStr(str(loader.construct_scalar(node)))


_ConfigYamlLoader.add_constructor("!secret", _construct_secret)


def read_yaml_config(path: Path) -> YamlDocument:
    """Parse `path`; syntax errors and misshapen files become problems, never exceptions."""
    shown = str(path)
    document = YamlDocument(path=shown, data={})
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        document.problems.append(
            ConfigProblem(shown, None, None, "", f"not UTF-8 text ({exc.reason})")
        )
        return document
    except OSError as exc:
        document.problems.append(ConfigProblem(shown, None, None, "", f"cannot read: {exc}"))
        return document
    loader = _ConfigYamlLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return document  # an empty file: no values
        _record_positions(node, (), document)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or str(exc)
        if exc.context and exc.context_mark is not None:
            started = exc.context_mark
            message += f" ({exc.context} at line {started.line + 1}, column {started.column + 1})"
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        document.problems.append(ConfigProblem(shown, line, column, "", f"YAML error: {message}"))
        return document
    except yaml.YAMLError as exc:
        document.problems.append(ConfigProblem(shown, None, None, "", f"YAML error: {exc}"))
        return document
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        document.problems.append(
            ConfigProblem(
                shown,
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                "",
                f"the file must be a mapping of settings, not a {type(data).__name__}",
            )
        )
        return document
    document.data = data
    return document


def _record_positions(node: yaml.Node, path: KeyPath, document: YamlDocument) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            position = (document.path, key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            dotted = ".".join(str(part) for part in (*path, key))
            if key in seen:
                # PyYAML silently keeps the last of two equal keys; a config where one value
                # quietly hides another is a mistake worth reporting.
                document.problems.append(
                    ConfigProblem(*position, dotted, "duplicate key (an earlier one is ignored)")
                )
            seen.add(key)
            document.positions[(*path, key)] = position
            _record_positions(value_node, (*path, key), document)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            document.positions[(*path, index)] = (
                document.path,
                item.start_mark.line + 1,
                item.start_mark.column + 1,
            )
            _record_positions(item, (*path, index), document)
