"""Environment overrides: `TOOLKIT__SECTION__KEY=value`, matched to the schema.

Parts are separated by double underscores and matched case-insensitively to the field names
of `ProjectConfig`, at any depth. A single value is passed to pydantic as text (it converts to
the field's type); a mapping or section takes a JSON object, deep-merged into what the YAML
gave; a value in a free-form mapping (`settings`) is read like a YAML scalar.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, get_args, get_origin

import yaml
from pydantic import BaseModel

from toolkit.config.errors import ConfigProblem
from toolkit.config.models import ProjectConfig
from toolkit.config.yaml_source import KeyPath, Position

__all__ = ["OVERRIDE_PREFIX", "apply_env_overrides", "deep_merge", "model_of"]

OVERRIDE_PREFIX = "TOOLKIT__"


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """`override` over `base`: mappings merge key by key, anything else is replaced."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _dotted(path: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(part) for part in path)


def model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def _is_mapping(annotation: Any) -> bool:
    return get_origin(annotation) is dict


def apply_env_overrides(
    data: dict[str, Any],
    positions: dict[KeyPath, Position],
    environ: Mapping[str, str],
    problems: list[ConfigProblem],
) -> None:
    overrides = sorted(
        (name, value) for name, value in environ.items() if name.upper().startswith(OVERRIDE_PREFIX)
    )
    for variable, raw in overrides:
        parts = [part for part in variable[len(OVERRIDE_PREFIX) :].split("__")]
        origin = f"environment variable {variable}"
        if not all(parts):
            problems.append(ConfigProblem(origin, None, None, "", "empty name part ('___')"))
            continue
        problem = _apply_override(data, parts, raw, origin, positions)
        if problem is not None:
            problems.append(problem)


def _apply_override(
    data: dict[str, Any],
    parts: list[str],
    raw: str,
    origin: str,
    positions: dict[KeyPath, Position],
) -> ConfigProblem | None:
    model: type[BaseModel] | None = ProjectConfig
    node: dict[str, Any] = data
    path: list[str] = []
    value_is_any = False
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if model is not None:
            names = {name.lower(): name for name in model.model_fields}
            name = names.get(part.lower())
            if name is None:
                return ConfigProblem(
                    origin, None, None, _dotted((*path, part.lower())),
                    "no such setting; expected one of: " + ", ".join(model.model_fields),
                )  # fmt: skip
            annotation = model.model_fields[name].annotation
            path.append(name)
            submodel = model_of(annotation)
            mapping = _is_mapping(annotation)
            if last:
                if submodel is not None or mapping:
                    parsed = _json_object(raw, origin, path)
                    if isinstance(parsed, ConfigProblem):
                        return parsed
                    current = node.get(name)
                    node[name] = deep_merge(current if isinstance(current, dict) else {}, parsed)
                else:
                    node[name] = raw  # pydantic converts text to the field's type
                positions[tuple(path)] = (origin, None, None)
                return None
            if submodel is None and not mapping:
                return ConfigProblem(
                    origin, None, None, _dotted(path),
                    f"is a single value and has no key {parts[index + 1]!r}",
                )  # fmt: skip
            child = node.get(name)
            if not isinstance(child, dict):
                child = node[name] = {}
            node = child
            model = submodel
            value_is_any = mapping and get_args(annotation)[1:] == (Any,)
        else:
            existing = {str(key).lower(): key for key in node}
            key = existing.get(part.lower(), part.lower())
            path.append(key)
            if last:
                node[key] = _typed_scalar(raw) if value_is_any else raw
                positions[tuple(path)] = (origin, None, None)
                return None
            child = node.get(key)
            if not isinstance(child, dict):
                child = node[key] = {}
            node = child
    return None


def _json_object(raw: str, origin: str, path: list[str]) -> dict[str, Any] | ConfigProblem:
    try:
        parsed = json.loads(raw)
    except json.JSONDecodeError as exc:
        return ConfigProblem(
            origin, None, None, _dotted(path),
            f"expected a JSON object like '{{\"key\": \"value\"}}' ({exc.msg} at character {exc.pos + 1})",
        )  # fmt: skip
    if not isinstance(parsed, dict):
        return ConfigProblem(
            origin, None, None, _dotted(path), f"expected a JSON object, got {raw!r}"
        )
    return parsed


def _typed_scalar(raw: str) -> Any:
    # A free-form setting has no declared type: read the text as YAML would ("10" -> 10,
    # "true" -> True), keeping it as text when it is not a plain scalar.
    try:
        value = yaml.safe_load(raw)
    except yaml.YAMLError:
        return raw
    return value if isinstance(value, str | int | float | bool) or value is None else raw
